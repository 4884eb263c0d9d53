#include "study/estimate.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "graph/cost.h"

namespace fb::study {
namespace {

std::string base_name(const std::string& backend) { return backend.substr(0, backend.find(':')); }

constexpr double kCallgrindSlowdown = 60;
constexpr double kCallgrindStartupS = 10;
constexpr int kWarmupRuns = 3;
constexpr int64_t kRuntimeBaseBytes = int64_t{512} << 20;

}  // namespace

ConfigCost CostCache::of(const Config& c) {
  const std::string key = c.model.str();
  auto it = per_model_.find(key);
  if (it == per_model_.end()) {
    GraphCost g = cost_of(c.model.build(1));
    it = per_model_.emplace(key, ConfigCost{g.total.macs, g.total.weight_bytes, g.peak_activation_bytes}).first;
  }
  ConfigCost out = it->second;
  out.macs *= c.batch;
  out.peak_activation_bytes *= c.batch;
  return out;
}

BackendAssumption assumption_for(const std::string& backend) {
  // Rough sustained fp32 rates for 2-4 GHz AVX2/AVX-512 cores on these
  // networks (depthwise layers run far below peak, large 3x3 convs near it).
  const std::string b = base_name(backend);
  if (b == "onednn") return {20.0, 0.3};
  if (b == "torch") return {8.0, 1.0};
  if (b == "torch-jit") return {8.0, 2.0};
  if (b == "reference") return {0.5, 0.1};
  return {5.0, 1.0};
}

double estimate_seconds(const Config& c, const ConfigCost& cost, const MeasurePolicy& policy) {
  const BackendAssumption a = assumption_for(c.backend);
  const double run_s = 2.0 * static_cast<double>(cost.macs) / (a.gflops_per_thread * 1e9 * std::max<int64_t>(1, c.threads));
  double s = a.startup_s + kWarmupRuns * run_s + std::max(policy.min_runs * run_s, policy.min_time_s);
  if (!c.cache_sim.empty()) s += kCallgrindStartupS + a.startup_s * kCallgrindSlowdown / 10 + run_s * kCallgrindSlowdown;
  return s;
}

int64_t estimate_peak_bytes(const Config& c, const ConfigCost& cost) {
  const std::string b = base_name(c.backend);
  const int64_t weight_factor = b == "onednn" ? 3 : b == "reference" ? 1 : 2;
  int64_t bytes = kRuntimeBaseBytes + cost.peak_activation_bytes + weight_factor * cost.weight_bytes;
  if (!c.cache_sim.empty()) bytes *= 2;
  return bytes;
}

int64_t mem_available_bytes() {
  std::ifstream in("/proc/meminfo");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string key;
    int64_t kb = 0;
    if (f >> key >> kb && key == "MemAvailable:") return kb * 1024;
  }
  return 0;
}

}  // namespace fb::study
