#include "cli/run_args.h"

#include <sched.h>

#include <algorithm>

#include "cli/number_options.h"
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
  if (shape.input)
    cmd.add_option("--input", input_, "network input as a float32 .npy file of the model's input shape (default: drawn from the seed)");
}

BackendChoice RunArgs::choice() const {
  BackendChoice c = choose_backend(backend(), threads());
  c.options.isa = isa_;
  c.backend->check_options(c.options);
  return c;
}

Tensor RunArgs::input(const Shape& shape, uint64_t seed) const { return network_input(input_, shape, seed, "--input"); }

}  // namespace fb::cli
