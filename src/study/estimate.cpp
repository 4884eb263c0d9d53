#include "study/estimate.h"

#include <algorithm>

#include "common/checked.h"
#include "graph/cost.h"
#include "backends/backend.h"  // kDefaultCalibrationInputs only: the study layer links no backend
#include "measure/cache_sim.h"
#include "measure/precision_accuracy.h"  // kAccuracyInputs only

namespace fb::study {
namespace {

std::string base_name(const std::string& backend) { return backend.substr(0, backend.find(':')); }

// Measured on this 2-core VM (docs/study.md): the uninstrumented start-up
// under valgrind, and each backend's simulated rate in assumption_for.
constexpr double kCallgrindStartupS = 20;
constexpr int kWarmupRuns = 3;
constexpr int64_t kRuntimeBaseBytes = int64_t{512} << 20;

}  // namespace

ConfigCost CostCache::of(const Config& c) {
  const std::string key = c.model.str();
  auto it = per_model_.find(key);
  if (it == per_model_.end()) {
    GraphCost g = cost_of(c.model.build(1));
    it = per_model_
             .emplace(key, ConfigCost{g.total.macs, g.total.weight_bytes, g.peak_activation_bytes,
                                      g.total.activation_bytes})
             .first;
  }
  check_batch(c.batch, c.descriptor + ": batch");
  // Every figure but the weights scales with the batch.
  ConfigCost out = it->second;
  out.macs = checked_mul(out.macs, c.batch, c.descriptor + ": the MACs");
  checked_mul(out.macs, 2, c.descriptor + ": the FLOPs");
  out.peak_activation_bytes = checked_mul(out.peak_activation_bytes, c.batch, c.descriptor + ": the activation bytes");
  out.all_activation_bytes = checked_mul(out.all_activation_bytes, c.batch, c.descriptor + ": the activation bytes");
  return out;
}

BackendAssumption assumption_for(const std::string& backend) {
  // Rough sustained fp32 rates for 2-4 GHz AVX2/AVX-512 cores on these
  // networks (depthwise layers run far below peak, large 3x3 convs near it).
  const std::string b = base_name(backend);
  // Under callgrind, AVX2 FMA code runs ~300x slower (valgrind emulates
  // FMA lane by lane): measured onednn 0.014, torch 0.04 GFLOP/s.
  if (b == "onednn") return {20.0, 0.3, 0.014};
  if (b == "torch") return {8.0, 1.0, 0.04};
  if (b == "torch-jit") return {8.0, 2.0, 0.04};
  if (b == "reference") return {0.5, 0.1, 0.01};
  // The peers, from this VM's resnet50 runs against onednn (ort ~0.8x,
  // opencv ~0.45x); ort starts node and a session, opencv imports the model.
  if (b == "ort") return {16.0, 1.5, 0.01};
  if (b == "opencv") return {9.0, 1.0, 0.01};
  return {5.0, 1.0, 0.01};
}

double estimate_seconds(const Config& c, const ConfigCost& cost, const MeasurePolicy& policy) {
  const BackendAssumption a = assumption_for(c.backend);
  const double run_s = 2.0 * static_cast<double>(cost.macs) / (a.gflops_per_thread * 1e9 * std::max<int64_t>(1, c.threads));
  double s = a.startup_s + kWarmupRuns * run_s + std::max(policy.min_runs * run_s, policy.min_time_s);
  if (!c.cache_sim.empty())
    s += kCallgrindStartupS + (1 + kCacheSimRuns) * 2.0 * static_cast<double>(cost.macs) / (a.simulated_gflops * 1e9);
  // A reduced precision also compares its logits with fp32's: one batch-1
  // inference per evaluation input at each precision (measure/precision_accuracy.h),
  // and int8 calibrates at compile time, one batch-1 fp32 inference per image.
  if (c.precision != Precision::fp32) {
    const double image_s = run_s / static_cast<double>(std::max<int64_t>(1, c.batch));
    s += 2.0 * kAccuracyInputs * image_s;
    if (c.precision == Precision::int8) s += kDefaultCalibrationInputs * image_s;
  }
  return s;
}

MemoryEstimate conservative_memory(const Config& c, const ConfigCost& cost) {
  auto mib = [](int64_t b) { return std::to_string(b / 1048576) + " MiB"; };
  const std::string what = c.descriptor + ": the memory estimate";
  int64_t bytes = checked_add(cost.all_activation_bytes, checked_mul(cost.weight_bytes, 3, what), what);
  bytes = checked_add(bytes, kRuntimeBaseBytes, what);
  std::string how = "all activations " + mib(cost.all_activation_bytes) + " + weights x3 " +
                    mib(3 * cost.weight_bytes) + " + runtime " + mib(kRuntimeBaseBytes);
  if (!c.cache_sim.empty()) {
    bytes = checked_mul(bytes, 2, what);
    how = "(" + how + ") x2 under valgrind";
  }
  return {bytes, how};
}

}  // namespace fb::study
