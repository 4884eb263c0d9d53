#pragma once
// One measurement of one configuration, in this process: build the model,
// compile it on the chosen backend, sample latency under the policy with the
// interference guard and counters, then attach cost, roofline, the optional
// cache simulation and the environment. The result is the JSON record
// `formbench measure` prints (fields in docs/measurement.md).
#include <memory>
#include <string>

#include "backends/tuning_cache.h"
#include "measure/child_process.h"
#include "measure/config.h"
#include "measure/interference.h"
#include "measure/statistics.h"

namespace fb {

struct MeasurePolicy {
  StatsPolicy stats;
  InterferencePolicy interference;
  double cache_sim_timeout_s = 1800;
  uint64_t seed = 1;  // weights; the input uses seed + 1
  // Given to the backend's compile (measure --tune-cache): tuning timings
  // found there are not made again. Null: none.
  std::shared_ptr<TuningCache> tuning_cache;
};

// Throws UsageError for a configuration that cannot be built, Error when a
// backend fails; the caller turns those into a failed record.
Record measure(const MeasureConfig& c, const MeasurePolicy& p);

// The body of the child run under valgrind: one warm-up, then kCacheSimRuns
// inferences with callgrind collection on.
void cache_sim_child(const MeasureConfig& c, const MeasurePolicy& p);

// If the configuration's env.* differ from this process's environment, sets
// them and re-executes this command (/proc/self/cmdline), so that variables
// read at start-up (GLIBC_TUNABLES, OMP_*) take effect. Returns if nothing to do.
void reexec_with_config_env(const MeasureConfig& c);

}  // namespace fb
