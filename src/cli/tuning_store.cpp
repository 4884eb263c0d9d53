#include "cli/tuning_store.h"

#include <fmt/core.h>

#include <cstdio>

#include "common/error.h"
#include "study/machine.h"
#include "study/store.h"

namespace fb::cli {
namespace {

class StoreTuningCache final : public TuningCache {
 public:
  explicit StoreTuningCache(const std::string& path)
      : store_(path, study::StoreAccess::create), machine_(study::this_machine().id) {}

  std::optional<double> find(const std::string& key) override {
    try {
      return store_.tuning(machine_, key);
    } catch (const Error& e) {
      warn_once(e.what());
      return std::nullopt;
    }
  }
  void save(const std::string& key, double ms) override {
    try {
      store_.put_tuning(machine_, key, ms);
    } catch (const Error& e) {
      warn_once(e.what());
    }
  }

 private:
  void warn_once(const std::string& what) {
    if (warned_) return;
    warned_ = true;
    fmt::print(stderr, "formbench: the tuning cache is not used from here on: {}\n", what);
  }
  study::Store store_;
  std::string machine_;
  bool warned_ = false;
};

}  // namespace

std::shared_ptr<TuningCache> open_tuning_store(const std::string& path) {
  try {
    return std::make_shared<StoreTuningCache>(path);
  } catch (const UsageError& e) {
    throw UsageError("--tune-cache " + path + ": " + e.what());
  } catch (const Error& e) {
    throw Error("--tune-cache " + path + ": " + e.what());
  }
}

}  // namespace fb::cli
