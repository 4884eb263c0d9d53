#pragma once
// The machine's limits for the roofline: peak fp32 GFLOP/s (a large oneDNN
// sgemm: the engine's own library), streaming memory bandwidth (a triad over
// arrays far larger than the LLC), and the read bandwidth of each cache level
// and of DRAM, on a given number of threads. Probed by `formbench machine`
// and cached in a JSON file keyed by CPU model and threads.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/memory_roofs.h"
#include "measure/environment.h"
#include "measure/interference.h"
#include "measure/record.h"

namespace fb {

struct MachineLimits {
  std::string cpu_model;
  int threads = 1;
  double peak_gflops = 0;
  double bandwidth_gbs = 0;
  std::string timestamp;
  std::string method;
  // L1d, L2, L3 (as sysfs names them), then DRAM; empty when never probed.
  std::vector<MemoryRoof> levels;
  std::vector<std::string> noisy;  // levels probed while other processes used the CPU (not cached)
};

MachineLimits probe_machine(int threads);

// One level to probe: its roof (bandwidth still 0) and the buffer each of the
// `threads` threads reads. A cache's buffers fill half of it, shared among
// the threads that share one instance (sysfs shared_cpu_list), so they stay
// resident; DRAM's are max(8 x LLC, 64 MiB) in all. Instruction caches are
// skipped; one entry per level, ascending, then DRAM.
struct LevelProbe {
  MemoryRoof roof;
  int64_t buffer_bytes_per_thread = 0;
};
std::vector<LevelProbe> plan_level_probes(const std::vector<CacheLevel>& caches, int threads);

// Aggregate read bandwidth (GB/s) of `threads` threads each summing its own
// buffer of `bytes_per_thread`: the median of timed samples under the
// measurement policy (statistics.h, interference.h), and how quiet it was.
struct ReadBandwidth {
  double gbs = 0;
  double foreign_cpu_pct = 0;
  bool quiet = false;
};
ReadBandwidth probe_read_bandwidth(int64_t bytes_per_thread, int threads, const InterferencePolicy& quiet = {});

// $FORMBENCH_MACHINE_FILE, else $XDG_CACHE_HOME/formbench/machine.json,
// else ~/.cache/formbench/machine.json.
std::string machine_cache_path();
void store_machine_limits(const MachineLimits& m);
std::optional<MachineLimits> load_machine_limits(const std::string& cpu_model, int threads);

// achieved GFLOP/s, % of peak, intensity (FLOP per minimum byte), the
// memory level the working set fits in (roof_for) and the roofline bound
// min(peak, intensity x that level's bandwidth); the triad bandwidth where
// the levels were never probed.
RooflineSection roofline_of(double flops, double min_bytes, double working_set_bytes, double seconds,
                            const MachineLimits& m);

}  // namespace fb
