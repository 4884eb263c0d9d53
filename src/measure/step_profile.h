#pragma once
// Where the time goes, step by step: a compiled program run in its
// backend's profiling mode (each step timed alone), repeated under the
// measurement policy, joined with the program's step records and the
// machine's roofs; and the end-to-end latency of the normal run() for
// comparison (the difference is per-step overhead: waits, timer calls,
// lost overlap between steps).
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "backends/backend.h"
#include "measure/machine_probe.h"
#include "measure/record.h"
#include "measure/statistics.h"

namespace fb {

struct StepProfileRow {
  StepRecord record;
  Summary seconds;        // this step's samples, in seconds
  double share = 0;       // of the sum of step medians
  double gflops = 0;      // achieved: 2 x MACs / median
  double gbs = 0;         // achieved: cost-model bytes / median
  std::string bound_by;   // "compute", a memory level ("L2", "DRAM"), or "unknown" with no machine probe
};

struct GroupRow {
  std::string name;  // a graph node (its step's first covered node) or an op kind
  int steps = 0;
  double median_s = 0, share = 0, gflops = 0, gbs = 0;
};

struct StepProfile {
  std::string model, backend;
  int batch = 1, threads = 1;
  std::vector<StepProfileRow> steps;
  std::vector<GroupRow> by_node, by_kind;
  double step_sum_s = 0;  // sum of the step medians
  Summary end_to_end_s;   // run(), timed as `measure` times it
  // The profiled runs themselves, start to end, where the backend times them
  // (Executable::last_profiled_run_seconds): the profiler's own cost.
  std::optional<Summary> profiled_run_s;
  bool machine_known = false;
  std::string step_timing;  // the backend's words: what a step holds, what only the end-to-end holds
};

// Beyond this relative gap between the step sum and the end-to-end latency,
// the summary says that the steps miss (or add) that much.
inline constexpr double kStepSumTolerance = 0.15;

// The policy profiles run under: the measurement policy's rules with a
// shorter budget (each profiled run waits after every step).
StatsPolicy profile_policy();

// Times `exe`'s steps (exe.steps() must not be empty) and its run(), unless
// the caller already timed run() (`end_to_end`, as `measure` does).
// `limits` empty: every bound is "unknown".
StepProfile profile_steps(Executable& exe, const Tensor& input, Tensor& output, const StatsPolicy& policy,
                          const std::optional<MachineLimits>& limits,
                          const std::optional<Summary>& end_to_end = std::nullopt);

// "compute" or the memory level that bounds `flops` over `bytes` on `m`.
std::string roof_bound(double flops, double bytes, const MachineLimits& m);

nlohmann::json to_json(const StepProfile& p);
// What a measurement with profile=1 stores (record.h): the sums and groups.
ProfileSection profile_section(const StepProfile& p);
std::string render_text(const StepProfile& p);

}  // namespace fb
