#pragma once
// Runs a sweep: expands the spec, keeps this shard's part, skips what the
// store already holds for this machine, and measures the rest one child
// process at a time, storing each record as soon as it arrives.
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "study/estimate.h"
#include "study/grid.h"
#include "study/machine.h"
#include "study/spec.h"
#include "study/store.h"

namespace fb::study {

struct RunOptions {
  std::string db_path = "results.sqlite";
  std::optional<Shard> shard;
  bool retry_failed = false;  // also rerun rows stored failed or skipped
  bool init_empty = false;    // an existing empty file at db_path may become the store
  double max_time_s = 0;      // 0 = no limit; else start nothing new after this
  bool allow_loader_env = false;  // env.LD_PRELOAD and the like (common/loader_env.h): --allow-loader-env
  // argv before the descriptor; empty = {this executable, "measure"}.
  std::vector<std::string> measure_command;
  // Backend names this formbench has (without variants); when non-empty an
  // unknown backend in the spec is a UsageError before anything runs.
  std::vector<std::string> known_backends;
  std::optional<int64_t> mem_available;  // bytes; default MemAvailable from /proc/meminfo
  // The backend layer's own checks, given by the CLI (this layer links no
  // backend). check_config: UsageError for options a backend cannot take
  // (a variant, an isa=); every configuration of the grid passes it before
  // anything is measured, and in --dry-run. estimate_memory: the backend's
  // memory policy for the pre-flight; unset, conservative_memory().
  std::function<void(const Config&)> check_config;
  std::function<MemoryEstimate(const Config&, const ConfigCost&)> estimate_memory;
  std::string command_line;              // recorded with the sweep
  std::ostream* log = nullptr;           // default std::cerr
  std::optional<bool> tty;               // default: whether the log is a terminal
};

struct RunSummary {
  int64_t grid = 0, in_shard = 0, already_stored = 0;  // already_stored: skipped by resume
  int64_t ok = 0, failed = 0, skipped = 0;             // written by this run
  int64_t left = 0;                                    // not started because of --max-time
  int64_t by_others = 0;  // taken or stored meanwhile by another runner on the same store
};

RunSummary run_sweep(const SweepSpec& spec, const RunOptions& opts);

// The --dry-run text: every configuration of this shard with its estimate,
// what a resume would skip, the total and the assumptions behind it.
std::string dry_run(const SweepSpec& spec, const RunOptions& opts);

// One configuration through the measure command, as a store row (without
// sweep id and machine). Never throws for the child's failures.
Measurement measure_config(const Config& c, const std::vector<std::string>& command, const MeasurePolicy& policy);

}  // namespace fb::study
