#pragma once
// The measurement record: what `formbench measure` prints, the store keeps in
// record_json and the report, the runner and `bench` read. This is the one
// owner of its field names (docs/measurement.md lists them): measure writes a
// record with to_json, everyone else reads it with from_json, which checks
// every typed field (type, finite, in range) and names the one that is wrong.
// What this struct does not model (the environment but its backend facts,
// runner notes, a newer formbench's fields ...) is kept as measured in `json`.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/memory_roofs.h"

namespace fb {

struct LatencyStats {  // milliseconds per run of the whole batch
  int64_t n = 0;
  double median = 0, mean = 0, min = 0, max = 0, p10 = 0, p90 = 0, stddev = 0, cv = 0, ci95_low = 0, ci95_high = 0;
  bool target_met = false;
  std::vector<double> samples;
};

struct PerImageMs {  // the median's per-image value and its 95 % CI
  double median = 0, ci95_low = 0, ci95_high = 0;
};

struct CostSection {  // cost.*: the cost model's, per batch run
  std::optional<double> macs, flops, params, min_bytes, peak_activation_bytes;
};

struct RooflineSection {  // roofline.*: null where `formbench machine` never probed the machine
  std::optional<double> achieved_gflops, peak_gflops, bandwidth_gbs, intensity;
  std::optional<double> working_set_bytes;  // weights + peak activations per batch run
  std::vector<MemoryRoof> levels;           // fastest first; empty where the levels were never probed
  std::string level;                        // the level the working set fits in; empty without levels
  std::optional<double> level_bandwidth_gbs, bound_gflops, pct_of_peak, pct_of_bound;
  std::string machine_probed;  // when the limits were probed
};

struct CountersSection {  // counters.*: hardware counters per inference
  bool available = false;  // the numbers are read only when true
  std::string reason;      // why not, when not available
  std::optional<double> llc_references, llc_misses, cycles, instructions;
};

struct CacheSimSection {  // cache_sim.*: callgrind's simulation per inference; null without one
  std::optional<double> ll_misses, ll_data_misses, d1_misses, instructions, data_reads, data_writes;
  std::string ll_geometry, d1_geometry, i1_geometry;  // "6291456,12,64": valgrind's syntax
  std::string preset, source, note;
  std::optional<int64_t> collected_runs;
};

struct CompiledSection {  // compiled.*: what the backend compiled that changes the arithmetic, and how long it took
  int64_t winograd_convs = 0;
  std::optional<double> compile_ms;  // the caller's clock around compile(), once per measurement
  std::vector<std::pair<std::string, double>> phases_ms;  // the backend's own split of it (CompiledFacts), in order
};

// profile.*: with profile=1, where one batch run's time goes (step medians
// summed by op kind and by graph node; measure/step_profile.h).
struct ProfileGroup {
  std::string name;  // an op kind ("depthwise") or a graph node
  int64_t steps = 0;
  double median_ms = 0, share = 0, gflops = 0, gbs = 0;
};
struct ProfileSection {
  double step_sum_ms = 0, end_to_end_ms = 0;  // per batch run
  int64_t steps = 0;
  std::string step_timing;  // the backend's words on what a step holds
  std::vector<ProfileGroup> by_op_kind, by_node;
};

// check.*: with check=1, this backend's output against the reference
// backend's on the same seeded weights and input, for the model at `at` (the
// same network at a small resolution, where the plain-loop reference is
// affordable), batch 1: relative error = max|got - ref| / max|ref|.
struct CheckSection {
  std::string against, at;  // "reference"; the checked model's descriptor
  double max_abs = 0, max_ref = 0, relative = 0, bound = 0;
  bool agrees = false;  // finite, a non-zero reference and relative <= bound
  std::string error;    // the backend could not run the checked model: why (agrees is false)
};

// accuracy.*: with precision=bf16 or int8, this backend's logits against its
// own fp32 logits (same seeded weights, same inputs), at the measured model,
// batch 1, on `inputs` seeded inputs (measure/precision_accuracy.h). With
// random weights the logits are nearly flat and top-1 flips on noise, so
// the agreement is also given on the `confident_inputs` whose fp32 top-1
// margin is largest.
struct AccuracySection {
  std::string against;  // "fp32 (the same backend)"
  int64_t inputs = 0;
  // Per input, |got - fp32| / max|fp32|: the largest over inputs and logits, and the mean over them.
  double max_rel = 0, mean_rel = 0;
  double top1 = 0;  // fraction of inputs whose top-1 class is fp32's
  double top5 = 0;  // fraction of inputs whose top 5 hold fp32's top-1 class
  int64_t confident_inputs = 0;
  double confident_top1 = 0;    // top-1 agreement on those
  double confident_margin = 0;  // the smallest fp32 margin (top-1 minus top-2 logit) among them, in logit std devs
  int64_t calibration_inputs = 0;  // int8: the seeded calibration set the scales came from; 0 otherwise
  std::string error;               // the comparison could not run: why (numbers absent)
};

struct MeasurementRecord {
  std::string descriptor, status, error;  // status: ok or failed
  std::optional<LatencyStats> latency_ms;
  std::optional<PerImageMs> per_image_ms;
  std::optional<CostSection> cost;
  std::optional<RooflineSection> roofline;  // written as null when absent
  std::optional<CountersSection> counters;
  std::optional<CacheSimSection> cache_sim;  // written as null when absent
  std::optional<CompiledSection> compiled;
  std::optional<ProfileSection> profile;  // absent without profile=1
  std::optional<CheckSection> check;      // absent without check=1
  std::optional<AccuracySection> accuracy;  // absent at fp32
  // An engine that times itself across a process boundary (ort): the median,
  // per batch run, of the caller's clock around run() minus the engine's own
  // time, i.e. the copies across the boundary that latency_ms leaves out.
  // Absent for in-process engines.
  std::optional<double> outside_engine_ms;
  // environment.backend_facts: library versions, ISA, threads, as the backend
  // says (a value that is not a string is kept as its JSON text). The rest of
  // `environment` is kept as measured in `json`.
  std::vector<std::pair<std::string, std::string>> backend_facts;
  std::optional<double> foreign_cpu_pct;
  std::string interference;
  nlohmann::json json = nlohmann::json::object();  // the whole record as read; to_json starts from it

  // counters.llc_misses, only where counters.available is true.
  std::optional<double> llc_misses() const { return counters ? counters->llc_misses : std::nullopt; }
  std::optional<double> ll_misses() const { return cache_sim ? cache_sim->ll_misses : std::nullopt; }
};

// Bounds a record's numbers must lie in: a latency between a picosecond and
// ~30 years, counts non-negative and at most 1e18 (an exa-count: far above any
// network's MACs or misses, and below int64's 9.2e18, so the store's INTEGER
// columns hold every count exactly), at most 16 memory levels (L1..L3 and DRAM
// on any machine).
inline constexpr double kMinRecordMs = 1e-9, kMaxRecordMs = 1e12, kMaxRecordCount = 1e18, kMaxRecordRuns = 1e15;
inline constexpr size_t kMaxRecordLevels = 16;
// A profile's groups: far more than the graph nodes of any network formbench builds.
inline constexpr size_t kMaxRecordProfileGroups = 100000;

void to_json(nlohmann::json& j, const MeasurementRecord& r);
// UsageError "record field per_image_ms.median is not a number" (and the
// like) for a field of the wrong type, not finite or out of range; a field
// that is absent or null stays empty.
void from_json(const nlohmann::json& j, MeasurementRecord& r);
// The text of a record: UsageError when it is not JSON or not an object.
MeasurementRecord parse_record(const std::string& text);

}  // namespace fb
