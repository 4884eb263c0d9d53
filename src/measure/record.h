#pragma once
// The measurement record: what `formbench measure` prints, the store keeps in
// record_json and the report, the runner and `bench` read. This is the one
// owner of its field names (docs/measurement.md lists them): measure writes a
// record with to_json, everyone else reads it with from_json, which checks
// every typed field (type, finite, in range) and names the one that is wrong.
// Sections this struct does not model (environment, samples' siblings,
// runner notes ...) are kept as measured in `json`.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

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

struct MeasurementRecord {
  std::string descriptor, status, error;  // status: ok or failed
  std::optional<LatencyStats> latency_ms;
  std::optional<PerImageMs> per_image_ms;
  // cost.* per batch run
  std::optional<double> macs, flops, params;
  // roofline.*
  std::optional<double> achieved_gflops, intensity, peak_gflops, bandwidth_gbs;
  std::optional<double> llc_misses;  // counters.llc_misses per inference, only when counters.available is true
  std::optional<double> ll_misses;   // cache_sim.ll_misses per inference (callgrind's simulation)
  std::optional<double> foreign_cpu_pct;
  std::string interference;
  nlohmann::json json = nlohmann::json::object();  // the whole record as read; to_json starts from it

  std::string cache_sim_geometry() const;  // cache_sim.ll_geometry ("6291456,12,64"), empty when none
};

// Bounds a record's numbers must lie in: a latency between a picosecond and
// ~30 years, counts non-negative and far below overflow.
inline constexpr double kMinRecordMs = 1e-9, kMaxRecordMs = 1e12, kMaxRecordCount = 1e30, kMaxRecordRuns = 1e15;

void to_json(nlohmann::json& j, const MeasurementRecord& r);
// UsageError "record field per_image_ms.median is not a number" (and the
// like) for a field of the wrong type, not finite or out of range; a field
// that is absent or null stays empty.
void from_json(const nlohmann::json& j, MeasurementRecord& r);
// The text of a record: UsageError when it is not JSON or not an object.
MeasurementRecord parse_record(const std::string& text);

}  // namespace fb
