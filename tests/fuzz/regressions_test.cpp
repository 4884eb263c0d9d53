// One test per crash the fuzzers found: the reproducer's bytes (kept in
// corpus/NAME/, so the fuzzers and FuzzReplay run them too) give a clear
// fb::UsageError or fb::Error, never a crash or another exception.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "common/error.h"
#include "models/catalog.h"
#include "study/grid.h"
#include "study/spec.h"
#include "study/store.h"

namespace fb {
namespace {

namespace fs = std::filesystem;

std::string reproducer(const std::string& target, const std::string& name) {
  std::ifstream in(fs::path(FB_FUZZ_CORPUS) / target / name, std::ios::binary);
  EXPECT_TRUE(in) << "no reproducer " << target << "/" << name;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The message of the fb::Error that `f` throws; fails the test if it throws
// nothing or anything else.
std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "threw " << typeid(e).name() << " instead of fb::Error: " << e.what();
    return "";
  }
  ADD_FAILURE() << "accepted";
  return "";
}

// A reproducer written to a scratch file, as the store fuzzer does.
class StoreFile {
 public:
  explicit StoreFile(const std::string& bytes) {
    std::string tmpl = (fs::temp_directory_path() / "fb-fuzz-regression-XXXXXX").string();
    dir_ = mkdtemp(tmpl.data());
    path_ = (fs::path(dir_) / "store.sqlite").string();
    std::ofstream(path_, std::ios::binary) << bytes;
  }
  ~StoreFile() { fs::remove_all(dir_); }
  const std::string& path() const { return path_; }

 private:
  std::string dir_, path_;
};

// What the store fuzzer does with a file: open it, then read it every way.
void open_and_read(const std::string& path) {
  study::Store s(path, /*create=*/false);
  s.statuses("m1");
  s.for_each([](const study::Measurement&) {});
  std::ostringstream csv, json;
  study::export_csv(s, csv);
  study::export_json(s, json);
}

}  // namespace
}  // namespace fb
