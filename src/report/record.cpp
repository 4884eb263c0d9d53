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
  m.achieved_gflops = rec.achieved_gflops;
  m.intensity = rec.intensity;
  m.peak_gflops = rec.peak_gflops;
  m.bandwidth_gbs = rec.bandwidth_gbs;
  m.foreign_cpu_pct = rec.foreign_cpu_pct.value_or(0);
  return m;
}

}  // namespace fb::report
