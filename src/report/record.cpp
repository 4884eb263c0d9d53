// One stored record taken apart, with every field the report uses checked:
// a store may come from another machine, so a field that is missing, of the
// wrong type, not finite or out of range makes the row unreadable (UsageError
// naming the field) instead of reaching the analysis, a log axis or gnuplot.
#include <fmt/core.h>

#include <cmath>

#include "common/error.h"
#include "report/dataset.h"

namespace fb::report {
namespace {

using nlohmann::json;

// Latencies between a picosecond and ~30 years: anything else is not a
// measurement, and the bounds keep every ratio and axis range finite.
constexpr double kMinMs = 1e-9, kMaxMs = 1e12;
// Counts (FLOPs, misses, GFLOP/s ...): non-negative, far below overflow.
constexpr double kMaxCount = 1e30;
constexpr double kMaxRuns = 1e15;  // fits int64
constexpr size_t kMaxLevels = 16;  // memory levels of a roofline: L1..L3 and DRAM on any machine

// The number at r[a][b]; nullopt when the section or the field is absent or
// null. Throws when it is there but is not a number in [lo, hi].
std::optional<double> number_at(const json& r, const char* a, const char* b, double lo, double hi) {
  if (!r.contains(a) || r[a].is_null()) return std::nullopt;
  if (!r[a].is_object()) throw UsageError(fmt::format("record field {} is not an object", a));
  if (!r[a].contains(b) || r[a][b].is_null()) return std::nullopt;
  const json& v = r[a][b];
  if (!v.is_number()) throw UsageError(fmt::format("record field {}.{} is not a number", a, b));
  const double x = v.get<double>();
  if (!std::isfinite(x) || x < lo || x > hi)
    throw UsageError(fmt::format("record field {}.{} is {}, outside [{}, {}]", a, b, x, lo, hi));
  return x;
}

std::optional<int64_t> positive_knob(const Descriptor& d, const char* key) {
  auto v = d.get(key);
  if (!v) return std::nullopt;
  const long long x = parse_integer(*v, key);
  if (x < 1) throw UsageError(fmt::format("descriptor field {}={} must be at least 1", key, *v));
  return x;
}

}  // namespace

std::string Measurement::key_without_backend() const { return key_without({"backend"}); }

std::string Measurement::key_without(const std::vector<std::string>& knobs) const {
  Descriptor d = fields;
  for (const auto& k : knobs) d.erase(k);
  return d.str();
}

Measurement measurement_from_record(const std::string& descriptor, const json& r) {
  Measurement m;
  m.descriptor = descriptor;
  m.fields = Descriptor::parse(descriptor);
  m.model = m.fields.head;
  if (m.model.rfind("pattern:", 0) == 0) m.pattern = m.model.substr(8);
  auto backend = m.fields.get("backend");
  if (!backend) throw UsageError("descriptor has no backend= field");
  m.backend = *backend;
  m.isa = m.fields.get("isa").value_or("");
  m.batch = positive_knob(m.fields, "batch").value_or(1);
  m.threads = positive_knob(m.fields, "threads").value_or(1);
  m.depth = positive_knob(m.fields, "depth");
  m.width = positive_knob(m.fields, "width");
  m.res = positive_knob(m.fields, "res");

  if (!r.is_object()) throw UsageError("record_json is not a JSON object");
  auto median = number_at(r, "per_image_ms", "median", kMinMs, kMaxMs);
  if (!median) throw UsageError("record has no per_image_ms.median");
  m.per_image_ms = *median;
  m.per_image_ci_low = number_at(r, "per_image_ms", "ci95_low", kMinMs, kMaxMs).value_or(m.per_image_ms);
  m.per_image_ci_high = number_at(r, "per_image_ms", "ci95_high", kMinMs, kMaxMs).value_or(m.per_image_ms);
  m.samples = static_cast<int64_t>(number_at(r, "latency_ms", "n", 0, kMaxRuns).value_or(0));
  m.flops = number_at(r, "cost", "flops", 0, kMaxCount).value_or(0);
  m.ll_misses_sim = number_at(r, "cache_sim", "ll_misses", 0, kMaxCount);
  const bool counters = r.contains("counters") && r["counters"].is_object() && r["counters"].contains("available") &&
                        r["counters"]["available"].is_boolean() && r["counters"]["available"].get<bool>();
  if (counters) m.llc_misses_hw = number_at(r, "counters", "llc_misses", 0, kMaxCount);
  m.achieved_gflops = number_at(r, "roofline", "achieved_gflops", 0, kMaxCount);
  m.intensity = number_at(r, "roofline", "intensity", 0, kMaxCount);
  m.peak_gflops = number_at(r, "roofline", "peak_gflops", 0, kMaxCount);
  m.bandwidth_gbs = number_at(r, "roofline", "bandwidth_gbs", 0, kMaxCount);
  m.working_set_bytes = number_at(r, "roofline", "working_set_bytes", 0, kMaxCount);
  if (r.contains("roofline") && r["roofline"].is_object() && r["roofline"].contains("levels") &&
      !r["roofline"]["levels"].is_null()) {
    const json& levels = r["roofline"]["levels"];
    if (!levels.is_array() || levels.size() > kMaxLevels)
      throw UsageError(fmt::format("record field roofline.levels is not an array of at most {} levels", kMaxLevels));
    for (const auto& l : levels) m.roofs.push_back(memory_roof_from_json(l));
  }
  m.winograd_convs = static_cast<int64_t>(number_at(r, "compiled", "winograd_convs", 0, kMaxRuns).value_or(0));
  if (r.contains("environment") && r["environment"].is_object() && r["environment"].contains("backend_facts") &&
      r["environment"]["backend_facts"].is_object())
    for (const auto& [k, v] : r["environment"]["backend_facts"].items())
      m.backend_facts.emplace_back(k, v.is_string() ? v.get<std::string>() : v.dump());
  if (r.contains("foreign_cpu_pct") && !r["foreign_cpu_pct"].is_null()) {
    const json& v = r["foreign_cpu_pct"];
    if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < 0 || v.get<double>() > 1e6)
      throw UsageError("record field foreign_cpu_pct is not a number in [0, 1e6]");
    m.foreign_cpu_pct = v.get<double>();
  }
  return m;
}

}  // namespace fb::report
