// One stored record taken apart, with every field the report uses checked
// (by the record's own reader, measure/record.h): a store may come from
// another machine, so a field that is missing, of the wrong type, not finite
// or out of range makes the row unreadable (UsageError naming the field)
// instead of reaching the analysis, a log axis or gnuplot.
#include <fmt/core.h>

#include <cmath>

#include "common/error.h"
#include "measure/record.h"
#include "report/dataset.h"

namespace fb::report {
namespace {

using nlohmann::json;

// The fields the roofline per memory level added (not yet typed by the
// record's owner, measure/record.h), checked with its bounds.
constexpr double kMaxCount = kMaxRecordCount, kMaxRuns = kMaxRecordRuns;
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

  // The record's one reader checks every field it types (measure/record.h).
  const MeasurementRecord rec = r.get<MeasurementRecord>();
  if (!rec.per_image_ms) throw UsageError("record has no per_image_ms.median");
  m.per_image_ms = rec.per_image_ms->median;
  m.per_image_ci_low = rec.per_image_ms->ci95_low;
  m.per_image_ci_high = rec.per_image_ms->ci95_high;
  m.samples = rec.latency_ms ? rec.latency_ms->n : 0;
  m.flops = rec.flops.value_or(0);
  m.ll_misses_sim = rec.ll_misses;
  m.llc_misses_hw = rec.llc_misses;
  if (const std::string g = rec.cache_sim_geometry(); !g.empty()) m.ll_geometry = parse_ll_geometry(g);
  m.achieved_gflops = rec.achieved_gflops;
  m.intensity = rec.intensity;
  m.peak_gflops = rec.peak_gflops;
  m.bandwidth_gbs = rec.bandwidth_gbs;
  m.foreign_cpu_pct = rec.foreign_cpu_pct.value_or(0);
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
  return m;
}

}  // namespace fb::report
