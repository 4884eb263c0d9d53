#include "cli/run_args.h"

#include <sched.h>

#include <algorithm>

#include "cli/number_options.h"
#include "cli/tuning_store.h"
#include "common/error.h"
#include "interop/npy.h"

namespace fb::cli {

int available_cores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return 1;
  return std::clamp(CPU_COUNT(&set), 1, kMaxThreads);
}

void RunArgs::add_to(CLI::App& cmd, RunArgsShape shape) {
  model_.add_to(cmd);
  if (shape.lists) {
    cmd.add_option("--backend", backends_, "backends[:variant] to compare, the first is the baseline (see `formbench list`)")
        ->delimiter(',')
        ->capture_default_str();
    add_int_list_option(cmd, "--batch", batches_, 1, kMaxBatch, "batch sizes");
    add_int_list_option(cmd, "--threads", threads_, 1, kMaxThreads, "thread counts (default: every core)");
  } else {
    cmd.add_option_function<std::string>(
           "--backend", [this](const std::string& b) { backends_ = {b}; },
           "backend[:variant], e.g. onednn:nofuse,plain (see `formbench list`)")
        ->default_str(kDefaultBackend);
    add_int_option(cmd, "--batch", batches_.front(), 1, kMaxBatch, "batch size");
    add_int_option(cmd, "--threads", threads_.front(), 1, kMaxThreads, "threads the backend may use (default: every core)");
  }
  cmd.add_option("--isa", isa_, "highest ISA the backend may use (avx2, avx512_core, ...)");
  auto set_precisions = [this](const std::vector<std::string>& names) {
    precisions_.clear();
    for (const auto& n : names) precisions_.push_back(parse_precision(n));  // UsageError names the valid ones
  };
  auto* precision = cmd.add_option_function<std::vector<std::string>>(
      "--precision", set_precisions,
      shape.lists ? "precisions to compare (fp32, bf16, int8), the first is the baseline; input and output stay fp32"
                  : "the engine's arithmetic: fp32, bf16 or int8 (input and output stay fp32)");
  precision->default_str("fp32");
  if (shape.lists) precision->delimiter(',');
  else precision->expected(1);
  add_int_option(cmd, "--calibration", calibration_, 1, kMaxCalibrationInputs,
                 "int8: seeded images that calibrate the activation scales (default 16)");
  cmd.add_option("--tune-cache", tune_cache_,
                 "results store whose tuning table keeps the tuner's timings for this machine (created if missing): "
                 "what is found there is not timed again, what is timed is saved");
  if (shape.input)
    cmd.add_option("--input", input_, "network input as a float32 .npy file of the model's input shape (default: drawn from the seed)");
}

BackendChoice RunArgs::choice() const {
  BackendChoice c = choose_backend(backend(), threads());
  c.options.isa = isa_;
  c.options.precision = precision();
  if (calibration_ > 0) {
    if (c.options.precision != Precision::int8) throw UsageError("--calibration sets int8's calibration set; add --precision int8");
    c.options.calibration_inputs = calibration_;
  }
  c.backend->check_options(c.options);
  if (!tune_cache_.empty()) c.options.tuning_cache = open_tuning_store(tune_cache_);  // a clear error before any work
  return c;
}

Tensor RunArgs::input(const Shape& shape, uint64_t seed) const { return network_input(input_, shape, seed, "--input"); }

}  // namespace fb::cli
