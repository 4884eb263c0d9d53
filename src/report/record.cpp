// One stored record taken apart, with every field the report uses checked
// (by the record's own reader, measure/record.h): a store may come from
// another machine, so a field that is missing, of the wrong type, not finite
// or out of range makes the row unreadable (UsageError naming the field)
// instead of reaching the analysis, a log axis or gnuplot.
#include <fmt/core.h>

#include <cmath>

#include "common/error.h"
#include "measure/config.h"
#include "measure/record.h"
#include "report/dataset.h"

namespace fb::report {
namespace {

using nlohmann::json;

// A whole number >= 1 as written in field `key`; nullopt when absent.
std::optional<int64_t> positive(const std::optional<std::string>& v, const char* key) {
  if (!v || v->empty()) return std::nullopt;
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
  // Split by the descriptor's owner, without building the model: a store
  // from a newer formbench may name models this build does not know.
  const RunFields run = RunFields::split(m.fields);
  m.model = run.model.head;
  if (m.model.rfind("pattern:", 0) == 0) m.pattern = m.model.substr(8);
  if (run.backend.empty()) throw UsageError("descriptor has no backend= field");
  m.backend = run.backend;
  m.isa = run.isa;
  if (!run.precision.empty()) {
    try {
      m.precision = precision_name(parse_precision(run.precision));
    } catch (const UsageError& e) {
      throw UsageError("descriptor field precision=" + run.precision + ": " + e.what());
    }
  }
  m.batch = positive(run.batch, "batch").value_or(1);
  m.threads = positive(run.threads, "threads").value_or(1);
  m.depth = positive(run.model.get("depth"), "depth");
  m.width = positive(run.model.get("width"), "width");
  m.res = positive(run.model.get("res"), "res");

  // The record's one reader checks every field it types (measure/record.h).
  const MeasurementRecord rec = r.get<MeasurementRecord>();
  if (!rec.per_image_ms) throw UsageError("record has no per_image_ms.median");
  m.per_image_ms = rec.per_image_ms->median;
  m.per_image_ci_low = rec.per_image_ms->ci95_low;
  m.per_image_ci_high = rec.per_image_ms->ci95_high;
  m.samples = rec.latency_ms ? rec.latency_ms->n : 0;
  m.flops = rec.cost ? rec.cost->flops.value_or(0) : 0;
  m.ll_misses_sim = rec.ll_misses();
  m.llc_misses_hw = rec.llc_misses();
  if (rec.cache_sim && !rec.cache_sim->ll_geometry.empty()) m.ll_geometry = parse_ll_geometry(rec.cache_sim->ll_geometry);
  if (rec.roofline) {
    m.achieved_gflops = rec.roofline->achieved_gflops;
    m.intensity = rec.roofline->intensity;
    m.peak_gflops = rec.roofline->peak_gflops;
    m.bandwidth_gbs = rec.roofline->bandwidth_gbs;
    m.working_set_bytes = rec.roofline->working_set_bytes;
    m.roofs = rec.roofline->levels;
  }
  m.foreign_cpu_pct = rec.foreign_cpu_pct.value_or(0);
  m.winograd_convs = rec.compiled ? rec.compiled->winograd_convs : 0;
  m.backend_facts = rec.backend_facts;
  m.profile = rec.profile;
  m.check = rec.check;
  m.accuracy = rec.accuracy;
  m.outside_engine_ms = rec.outside_engine_ms;
  return m;
}

}  // namespace fb::report
