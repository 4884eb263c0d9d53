#include "measure/record.h"

#include <fmt/core.h>

#include <cmath>

#include "common/error.h"

namespace fb {
namespace {

using nlohmann::json;

// The number at j[a][b] (or j[a] when b is null); nullopt when absent or null.
std::optional<double> number_at(const json& j, const char* a, const char* b, double lo, double hi) {
  if (!j.contains(a) || j[a].is_null()) return std::nullopt;
  const json* v = &j[a];
  std::string name = a;
  if (b) {
    if (!v->is_object()) throw UsageError(fmt::format("record field {} is not an object", a));
    if (!v->contains(b) || (*v)[b].is_null()) return std::nullopt;
    v = &(*v)[b];
    name += std::string(".") + b;
  }
  if (!v->is_number()) throw UsageError(fmt::format("record field {} is not a number", name));
  const double x = v->get<double>();
  if (!std::isfinite(x) || x < lo || x > hi) throw UsageError(fmt::format("record field {} is {}, outside [{}, {}]", name, x, lo, hi));
  return x;
}

std::string string_at(const json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return "";
  if (!j[key].is_string()) throw UsageError(fmt::format("record field {} is not a string", key));
  return j[key].get<std::string>();
}

void set_in(json& j, const char* section, const char* key, const std::optional<double>& v) {
  if (!v) return;
  if (!j[section].is_object()) j[section] = json::object();
  j[section][key] = *v;
}

}  // namespace

std::string MeasurementRecord::cache_sim_geometry() const {
  if (!json.contains("cache_sim") || !json["cache_sim"].is_object()) return "";
  const auto& g = json["cache_sim"];
  return g.contains("ll_geometry") && g["ll_geometry"].is_string() ? g["ll_geometry"].get<std::string>() : "";
}

void to_json(nlohmann::json& j, const MeasurementRecord& r) {
  j = r.json.is_object() ? r.json : json::object();
  j["descriptor"] = r.descriptor;
  j["status"] = r.status;
  j["error"] = r.error;
  if (r.latency_ms) {
    const LatencyStats& s = *r.latency_ms;
    j["latency_ms"] = {{"n", s.n}, {"median", s.median}, {"mean", s.mean}, {"min", s.min}, {"max", s.max},
                       {"p10", s.p10}, {"p90", s.p90}, {"stddev", s.stddev}, {"cv", s.cv},
                       {"ci95_low", s.ci95_low}, {"ci95_high", s.ci95_high}, {"target_met", s.target_met},
                       {"samples", s.samples}};
  }
  if (r.per_image_ms)
    j["per_image_ms"] = {{"median", r.per_image_ms->median}, {"ci95_low", r.per_image_ms->ci95_low},
                         {"ci95_high", r.per_image_ms->ci95_high}};
  set_in(j, "cost", "macs", r.macs);
  set_in(j, "cost", "flops", r.flops);
  set_in(j, "cost", "params", r.params);
  set_in(j, "roofline", "achieved_gflops", r.achieved_gflops);
  set_in(j, "roofline", "intensity", r.intensity);
  set_in(j, "roofline", "peak_gflops", r.peak_gflops);
  set_in(j, "roofline", "bandwidth_gbs", r.bandwidth_gbs);
  if (r.llc_misses) {
    set_in(j, "counters", "llc_misses", r.llc_misses);
    j["counters"]["available"] = true;
  }
  set_in(j, "cache_sim", "ll_misses", r.ll_misses);
  if (r.foreign_cpu_pct) j["foreign_cpu_pct"] = *r.foreign_cpu_pct;
  if (!r.interference.empty()) j["interference"] = r.interference;
}

void from_json(const nlohmann::json& j, MeasurementRecord& r) {
  if (!j.is_object()) throw UsageError("record_json is not a JSON object");
  r = MeasurementRecord{};
  r.json = j;
  r.descriptor = string_at(j, "descriptor");
  r.status = string_at(j, "status");
  r.error = string_at(j, "error");
  if (auto median = number_at(j, "per_image_ms", "median", kMinRecordMs, kMaxRecordMs)) {
    r.per_image_ms = PerImageMs{*median, number_at(j, "per_image_ms", "ci95_low", kMinRecordMs, kMaxRecordMs).value_or(*median),
                                number_at(j, "per_image_ms", "ci95_high", kMinRecordMs, kMaxRecordMs).value_or(*median)};
  }
  if (auto median = number_at(j, "latency_ms", "median", 0, kMaxRecordMs)) {
    LatencyStats s;
    s.median = *median;
    s.n = static_cast<int64_t>(number_at(j, "latency_ms", "n", 0, kMaxRecordRuns).value_or(0));
    auto stat = [&](const char* k) { return number_at(j, "latency_ms", k, 0, kMaxRecordCount).value_or(0); };
    s.mean = stat("mean"), s.min = stat("min"), s.max = stat("max"), s.p10 = stat("p10"), s.p90 = stat("p90");
    s.stddev = stat("stddev"), s.cv = stat("cv"), s.ci95_low = stat("ci95_low"), s.ci95_high = stat("ci95_high");
    const json& l = j["latency_ms"];
    s.target_met = l.contains("target_met") && l["target_met"].is_boolean() && l["target_met"].get<bool>();
    if (l.contains("samples") && l["samples"].is_array())
      for (const auto& x : l["samples"])
        if (x.is_number()) s.samples.push_back(x.get<double>());
    r.latency_ms = s;
  } else {
    number_at(j, "latency_ms", "n", 0, kMaxRecordRuns);  // checked even without a median
  }
  r.macs = number_at(j, "cost", "macs", 0, kMaxRecordCount);
  r.flops = number_at(j, "cost", "flops", 0, kMaxRecordCount);
  r.params = number_at(j, "cost", "params", 0, kMaxRecordCount);
  r.achieved_gflops = number_at(j, "roofline", "achieved_gflops", 0, kMaxRecordCount);
  r.intensity = number_at(j, "roofline", "intensity", 0, kMaxRecordCount);
  r.peak_gflops = number_at(j, "roofline", "peak_gflops", 0, kMaxRecordCount);
  r.bandwidth_gbs = number_at(j, "roofline", "bandwidth_gbs", 0, kMaxRecordCount);
  r.ll_misses = number_at(j, "cache_sim", "ll_misses", 0, kMaxRecordCount);
  const bool counters = j.contains("counters") && j["counters"].is_object() && j["counters"].contains("available") &&
                        j["counters"]["available"].is_boolean() && j["counters"]["available"].get<bool>();
  if (counters) r.llc_misses = number_at(j, "counters", "llc_misses", 0, kMaxRecordCount);
  if (j.contains("foreign_cpu_pct") && !j["foreign_cpu_pct"].is_null()) {
    const json& v = j["foreign_cpu_pct"];
    if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < 0 || v.get<double>() > 1e6)
      throw UsageError("record field foreign_cpu_pct is not a number in [0, 1e6]");
    r.foreign_cpu_pct = v.get<double>();
  }
  if (j.contains("interference") && j["interference"].is_string()) r.interference = j["interference"].get<std::string>();
}

MeasurementRecord parse_record(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) throw UsageError("record_json is not valid JSON");
  return j.get<MeasurementRecord>();
}

}  // namespace fb
