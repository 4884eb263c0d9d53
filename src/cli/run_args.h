#pragma once
// What to run and where: the model, backend, batch, threads, ISA and input
// and precision options of run, bench, explain and profile, from this one
// definition (one set of names, defaults and ranges). bench takes
// comma-separated lists of backends, batches, threads and precisions; the
// others take one of each.
#include <cstdint>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "backends/backend.h"
#include "cli/model_args.h"
#include "graph/tensor.h"

namespace fb::cli {

// The default everywhere: formbench's accelerated engine.
inline constexpr const char* kDefaultBackend = "onednn";
// Every core this process may run on, as the engines' own benchmark tools use.
int available_cores();

struct RunArgsShape {
  bool lists = false;  // bench: lists of backends, batches, threads, precisions
  bool input = true;   // --input FILE.npy (not for explain, which runs nothing)
};

class RunArgs {
 public:
  void add_to(CLI::App& cmd, RunArgsShape shape = {});

  ModelSpec model() const { return model_.model(); }
  const std::vector<std::string>& backends() const { return backends_; }
  const std::vector<int>& batches() const { return batches_; }
  const std::vector<int>& threads_list() const { return threads_; }
  const std::string& backend() const { return backends_.front(); }
  int batch() const { return batches_.front(); }
  int threads() const { return threads_.front(); }
  const std::string& isa() const { return isa_; }
  const std::vector<Precision>& precisions() const { return precisions_; }
  Precision precision() const { return precisions_.front(); }
  int calibration() const { return calibration_; }  // 0: the default
  const std::string& tune_cache() const { return tune_cache_; }  // a store path; empty: none
  const std::string& input_path() const { return input_; }

  // The backend with threads, ISA and precision set and its options checked;
  // with --tune-cache, the store's tuning table as its tuning cache.
  BackendChoice choice() const;
  // The network input: the --input file (UsageError unless its shape is
  // `shape`) or drawn from `seed`.
  Tensor input(const Shape& shape, uint64_t seed) const;

 private:
  ModelArgs model_;
  std::vector<std::string> backends_{kDefaultBackend};
  std::vector<int> batches_{1};
  std::vector<int> threads_{available_cores()};
  std::vector<Precision> precisions_{Precision::fp32};
  int calibration_ = 0;
  std::string tune_cache_;
  std::string isa_, input_;
};

}  // namespace fb::cli
