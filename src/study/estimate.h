#pragma once
// Planning figures from the cost model, before anything runs: the time a
// configuration will take (for --dry-run and the ETA) and the memory it will
// need (for the pre-flight). Both are rough by design; the assumptions are
// stated here and in docs/study.md.
#include <cstdint>
#include <map>
#include <string>

#include "common/meminfo.h"
#include "study/grid.h"
#include "study/spec.h"

namespace fb::study {

struct ConfigCost {
  int64_t macs = 0;                   // at the configuration's batch
  int64_t weight_bytes = 0;
  int64_t peak_activation_bytes = 0;  // at the configuration's batch
  int64_t all_activation_bytes = 0;   // every value's output, at the configuration's batch
};

// Cost figures scale linearly with batch, so each model is built once (batch 1).
class CostCache {
 public:
  ConfigCost of(const Config& c);

 private:
  std::map<std::string, ConfigCost> per_model_;
};

// Assumed sustained GFLOP/s per thread (FLOPs = 2 x MACs), fixed cost per
// measurement (process start, library load, compile) and GFLOP/s under
// callgrind's cache simulation (one thread: valgrind serialises threads) for
// a backend name.
struct BackendAssumption {
  double gflops_per_thread;
  double startup_s;
  double simulated_gflops;
};
BackendAssumption assumption_for(const std::string& backend);

// Seconds one measurement takes: startup + 3 warm-up runs + max(min_runs
// runs, min_time); a cache-simulated one adds valgrind's start-up and its
// simulated warm-up and collected runs (docs/study.md, "The time estimate").
double estimate_seconds(const Config& c, const ConfigCost& cost, const MeasurePolicy& policy);

// The pre-flight's estimate when no backend policy is given (RunOptions::
// estimate_memory unset, as in tests without backends): the most any backend
// keeps, every activation + weights x3 + a runtime base; doubled under valgrind.
MemoryEstimate conservative_memory(const Config& c, const ConfigCost& cost);

}  // namespace fb::study
