#pragma once
// The machine's limits for the roofline: peak fp32 GFLOP/s (a large oneDNN
// sgemm) and streaming memory bandwidth (a triad over arrays far larger than
// the LLC), on a given number of threads. Probed by `formbench machine` and
// cached in a JSON file keyed by CPU model and threads.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace fb {

struct MachineLimits {
  std::string cpu_model;
  int threads = 1;
  double peak_gflops = 0;
  double bandwidth_gbs = 0;
  std::string timestamp;
  std::string method;
};

MachineLimits probe_machine(int threads);

// $FORMBENCH_MACHINE_FILE, else $XDG_CACHE_HOME/formbench/machine.json,
// else ~/.cache/formbench/machine.json.
std::string machine_cache_path();
void store_machine_limits(const MachineLimits& m);
std::optional<MachineLimits> load_machine_limits(const std::string& cpu_model, int threads);

// achieved GFLOP/s, % of peak, intensity (FLOP per minimum byte) and the
// roofline bound min(peak, intensity x bandwidth).
nlohmann::json roofline_json(double flops, double min_bytes, double seconds, const MachineLimits& m);

}  // namespace fb
