#include "measure/record.h"

#include <fmt/core.h>

#include <cmath>

#include "common/error.h"

namespace fb {
namespace {

using nlohmann::json;

// One object of the record (the record itself, or one of its sections), its
// fields read under their full name ("cost.macs") so an error says which.
class Fields {
 public:
  Fields(const json& j, std::string prefix) : j_(j), prefix_(std::move(prefix)) {}

  // The section `key` of this object; nullopt when absent or null; UsageError
  // when it is there but not an object.
  std::optional<Fields> section(const char* key) const {
    const json* v = find(key);
    if (!v) return std::nullopt;
    if (!v->is_object()) throw UsageError(fmt::format("record field {} is not an object", name(key)));
    return Fields(*v, name(key) + ".");
  }
  // A number in [lo, hi]; nullopt when absent or null.
  std::optional<double> number(const char* key, double lo, double hi) const {
    const json* v = find(key);
    if (!v) return std::nullopt;
    if (!v->is_number()) throw UsageError(fmt::format("record field {} is not a number", name(key)));
    const double x = v->get<double>();
    if (!std::isfinite(x) || x < lo || x > hi)
      throw UsageError(fmt::format("record field {} is {}, outside [{}, {}]", name(key), x, lo, hi));
    return x;
  }
  std::optional<double> count(const char* key) const { return number(key, 0, kMaxRecordCount); }
  // A string; empty when absent or null.
  std::string text(const char* key) const {
    const json* v = find(key);
    if (!v) return "";
    if (!v->is_string()) throw UsageError(fmt::format("record field {} is not a string", name(key)));
    return v->get<std::string>();
  }
  bool flag(const char* key) const {  // true only for a JSON true
    const json* v = find(key);
    return v && v->is_boolean() && v->get<bool>();
  }
  const json* find(const char* key) const {
    if (!j_.contains(key) || j_[key].is_null()) return nullptr;
    return &j_[key];
  }

 private:
  std::string name(const char* key) const { return prefix_ + key; }
  const json& j_;
  std::string prefix_;
};

void put(json& j, const char* key, const std::optional<double>& v) {
  if (v) j[key] = *v;
}
void put(json& j, const char* key, const std::string& v) {
  if (!v.empty()) j[key] = v;
}

// A count the cost model computes as an integer is written as one.
json whole_number(double x) {
  if (x == std::floor(x) && std::fabs(x) < 9007199254740992.0) return static_cast<int64_t>(x);  // 2^53
  return x;
}

// Section `key` of `j` as a JSON object to write typed fields into, keeping
// what it held that the struct does not model.
json& section_of(json& j, const char* key) {
  if (!j[key].is_object()) j[key] = json::object();
  return j[key];
}

void write(json& j, const CostSection& c) {
  j["per"] = "batch";
  for (auto [key, v] : {std::pair{"macs", c.macs}, {"flops", c.flops}, {"params", c.params},
                        {"min_bytes", c.min_bytes}, {"peak_activation_bytes", c.peak_activation_bytes}})
    if (v) j[key] = whole_number(*v);
}

void write(json& j, const RooflineSection& r) {
  put(j, "achieved_gflops", r.achieved_gflops);
  put(j, "peak_gflops", r.peak_gflops);
  put(j, "bandwidth_gbs", r.bandwidth_gbs);
  put(j, "intensity", r.intensity);
  put(j, "working_set_bytes", r.working_set_bytes);
  json levels = json::array();
  for (const auto& l : r.levels) levels.push_back(to_json(l));
  j["levels"] = levels;
  j["level"] = r.level.empty() ? json(nullptr) : json(r.level);
  put(j, "level_bandwidth_gbs", r.level_bandwidth_gbs);
  put(j, "bound_gflops", r.bound_gflops);
  put(j, "pct_of_peak", r.pct_of_peak);
  put(j, "pct_of_bound", r.pct_of_bound);
  j["machine_probed"] = r.machine_probed;
}

void write(json& j, const CountersSection& c) {
  j["available"] = c.available;
  j["reason"] = c.reason;
  if (!c.available) return;
  j["per"] = "inference";
  put(j, "llc_references", c.llc_references);
  put(j, "llc_misses", c.llc_misses);
  put(j, "cycles", c.cycles);
  put(j, "instructions", c.instructions);
}

void write(json& j, const CacheSimSection& c) {
  put(j, "ll_misses", c.ll_misses);
  put(j, "ll_data_misses", c.ll_data_misses);
  put(j, "d1_misses", c.d1_misses);
  put(j, "instructions", c.instructions);
  put(j, "data_reads", c.data_reads);
  put(j, "data_writes", c.data_writes);
  put(j, "ll_geometry", c.ll_geometry);
  put(j, "d1_geometry", c.d1_geometry);
  put(j, "i1_geometry", c.i1_geometry);
  put(j, "preset", c.preset);
  put(j, "source", c.source);
  if (c.collected_runs) j["collected_runs"] = *c.collected_runs;
  put(j, "note", c.note);
}

json profile_groups_json(const std::vector<ProfileGroup>& gs) {
  json a = json::array();
  for (const auto& g : gs)
    a.push_back({{"name", g.name}, {"steps", g.steps}, {"median_ms", g.median_ms}, {"share", g.share},
                 {"gflops", g.gflops}, {"gbs", g.gbs}});
  return a;
}

void write(json& j, const ProfileSection& p) {
  j["per"] = "batch";
  j["step_sum_ms"] = p.step_sum_ms;
  j["end_to_end_ms"] = p.end_to_end_ms;
  j["steps"] = p.steps;
  j["step_timing"] = p.step_timing;
  j["by_op_kind"] = profile_groups_json(p.by_op_kind);
  j["by_node"] = profile_groups_json(p.by_node);
}

CostSection read_cost(const Fields& f) {
  return {f.count("macs"), f.count("flops"), f.count("params"), f.count("min_bytes"), f.count("peak_activation_bytes")};
}

RooflineSection read_roofline(const Fields& f) {
  RooflineSection r;
  r.achieved_gflops = f.count("achieved_gflops");
  r.intensity = f.count("intensity");
  r.peak_gflops = f.count("peak_gflops");
  r.bandwidth_gbs = f.count("bandwidth_gbs");
  r.working_set_bytes = f.count("working_set_bytes");
  if (const json* levels = f.find("levels")) {
    if (!levels->is_array() || levels->size() > kMaxRecordLevels)
      throw UsageError(
          fmt::format("record field roofline.levels is not an array of at most {} levels", kMaxRecordLevels));
    for (const auto& l : *levels) r.levels.push_back(memory_roof_from_json(l));
  }
  r.level = f.text("level");
  r.level_bandwidth_gbs = f.count("level_bandwidth_gbs");
  r.bound_gflops = f.count("bound_gflops");
  r.pct_of_peak = f.count("pct_of_peak");
  r.pct_of_bound = f.count("pct_of_bound");
  r.machine_probed = f.text("machine_probed");
  return r;
}

// Numbers only when available is a JSON true: anything else means "no counters".
CountersSection read_counters(const Fields& f) {
  CountersSection c;
  c.available = f.flag("available");
  c.reason = f.text("reason");
  if (!c.available) return c;
  c.llc_references = f.count("llc_references");
  c.llc_misses = f.count("llc_misses");
  c.cycles = f.count("cycles");
  c.instructions = f.count("instructions");
  return c;
}

// A profile's groups under `key` ("profile.by_op_kind[2].median_ms" in errors).
std::vector<ProfileGroup> read_profile_groups(const json& j, const std::string& key) {
  if (!j.is_array() || j.size() > kMaxRecordProfileGroups)
    throw UsageError(fmt::format("record field {} is not an array of at most {} groups", key, kMaxRecordProfileGroups));
  std::vector<ProfileGroup> out;
  for (size_t i = 0; i < j.size(); ++i) {
    const std::string at = fmt::format("{}[{}]", key, i);
    if (!j[i].is_object()) throw UsageError("record field " + at + " is not an object");
    const Fields f(j[i], at + ".");
    ProfileGroup g;
    g.name = f.text("name");
    if (g.name.empty()) throw UsageError("record field " + at + ".name is missing or empty");
    auto required = [&](const char* k, double hi) {
      auto v = f.number(k, 0, hi);
      if (!v) throw UsageError(fmt::format("record field {}.{} is missing", at, k));
      return *v;
    };
    g.steps = static_cast<int64_t>(required("steps", kMaxRecordRuns));
    g.median_ms = required("median_ms", kMaxRecordMs);
    g.share = required("share", 1.0 + 1e-6);
    g.gflops = f.count("gflops").value_or(0);
    g.gbs = f.count("gbs").value_or(0);
    out.push_back(std::move(g));
  }
  return out;
}

ProfileSection read_profile(const Fields& f, const json& j) {
  ProfileSection p;
  auto required = [&](const char* k) {
    auto v = f.number(k, 0, kMaxRecordMs);
    if (!v) throw UsageError(fmt::format("record field profile.{} is missing", k));
    return *v;
  };
  p.step_sum_ms = required("step_sum_ms");
  p.end_to_end_ms = required("end_to_end_ms");
  p.steps = static_cast<int64_t>(f.number("steps", 0, kMaxRecordRuns).value_or(0));
  p.step_timing = f.text("step_timing");
  if (!f.find("by_op_kind")) throw UsageError("record field profile.by_op_kind is missing");
  p.by_op_kind = read_profile_groups(j["by_op_kind"], "profile.by_op_kind");
  if (f.find("by_node")) p.by_node = read_profile_groups(j["by_node"], "profile.by_node");
  return p;
}

CacheSimSection read_cache_sim(const Fields& f) {
  CacheSimSection c;
  c.ll_misses = f.count("ll_misses");
  c.ll_data_misses = f.count("ll_data_misses");
  c.d1_misses = f.count("d1_misses");
  c.instructions = f.count("instructions");
  c.data_reads = f.count("data_reads");
  c.data_writes = f.count("data_writes");
  c.ll_geometry = f.text("ll_geometry");
  c.d1_geometry = f.text("d1_geometry");
  c.i1_geometry = f.text("i1_geometry");
  c.preset = f.text("preset");
  c.source = f.text("source");
  c.note = f.text("note");
  if (auto n = f.number("collected_runs", 0, kMaxRecordRuns)) c.collected_runs = static_cast<int64_t>(*n);
  return c;
}

void write(json& j, const CheckSection& c) {
  j["against"] = c.against;
  j["at"] = c.at;
  j["max_abs"] = c.max_abs;
  j["max_ref"] = c.max_ref;
  j["relative"] = c.relative;
  j["bound"] = c.bound;
  j["agrees"] = c.agrees;
  put(j, "error", c.error);
}

void write(json& j, const AccuracySection& a) {
  j["against"] = a.against;
  j["inputs"] = a.inputs;
  put(j, "error", a.error);
  if (!a.error.empty()) return;
  j["max_rel"] = a.max_rel;
  j["mean_rel"] = a.mean_rel;
  j["top1"] = a.top1;
  j["top5"] = a.top5;
  j["confident_inputs"] = a.confident_inputs;
  j["confident_top1"] = a.confident_top1;
  j["confident_margin"] = a.confident_margin;
  j["calibration_inputs"] = a.calibration_inputs;
}

AccuracySection read_accuracy(const Fields& f) {
  AccuracySection a;
  a.against = f.text("against");
  if (a.against.empty()) throw UsageError("record field accuracy.against is missing");
  a.error = f.text("error");
  a.inputs = static_cast<int64_t>(f.number("inputs", 0, kMaxRecordRuns).value_or(0));
  if (!a.error.empty()) return a;  // the comparison did not run: no numbers
  auto required = [&](const char* k, double hi) {
    auto v = f.number(k, 0, hi);
    if (!v) throw UsageError(fmt::format("record field accuracy.{} is missing", k));
    return *v;
  };
  a.max_rel = required("max_rel", 1e300);
  a.mean_rel = required("mean_rel", 1e300);
  a.top1 = required("top1", 1);
  a.top5 = required("top5", 1);
  a.confident_inputs = static_cast<int64_t>(required("confident_inputs", kMaxRecordRuns));
  a.confident_top1 = required("confident_top1", 1);
  a.confident_margin = required("confident_margin", 1e300);
  a.calibration_inputs = static_cast<int64_t>(f.number("calibration_inputs", 0, kMaxRecordRuns).value_or(0));
  return a;
}

CompiledSection read_compiled(const Fields& f) {
  CompiledSection c;
  c.winograd_convs = static_cast<int64_t>(f.number("winograd_convs", 0, kMaxRecordRuns).value_or(0));
  c.compile_ms = f.number("compile_ms", 0, kMaxRecordMs);
  const json* phases = f.find("phases");
  if (!phases) return c;
  if (!phases->is_array() || phases->size() > kMaxRecordProfileGroups)
    throw UsageError("record field compiled.phases is not an array of at most 100000 phases");
  for (size_t i = 0; i < phases->size(); ++i) {
    const std::string at = fmt::format("compiled.phases[{}]", i);
    if (!(*phases)[i].is_object()) throw UsageError("record field " + at + " is not an object");
    const Fields p((*phases)[i], at + ".");
    const std::string name = p.text("name");
    if (name.empty()) throw UsageError("record field " + at + ".name is missing or empty");
    const auto ms = p.number("ms", 0, kMaxRecordMs);
    if (!ms) throw UsageError("record field " + at + ".ms is missing");
    c.phases_ms.emplace_back(name, *ms);
  }
  return c;
}

CheckSection read_check(const Fields& f) {
  CheckSection c;
  c.against = f.text("against");
  c.at = f.text("at");
  if (c.against.empty() || c.at.empty()) throw UsageError("record field check.against or check.at is missing");
  // An error there means the checked run failed; its numbers may be absent.
  c.error = f.text("error");
  auto required = [&](const char* k, double hi) {
    auto v = f.number(k, 0, hi);
    if (!v && c.error.empty()) throw UsageError(fmt::format("record field check.{} is missing", k));
    return v.value_or(0);
  };
  c.max_abs = required("max_abs", 1e300);
  c.max_ref = required("max_ref", 1e300);
  c.relative = required("relative", 1e300);
  c.bound = required("bound", 1);
  c.agrees = f.flag("agrees");
  return c;
}

}  // namespace

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
  if (r.cost) write(section_of(j, "cost"), *r.cost);
  if (r.roofline) write(section_of(j, "roofline"), *r.roofline);
  else if (!j.contains("roofline")) j["roofline"] = nullptr;
  if (r.counters) write(section_of(j, "counters"), *r.counters);
  if (r.cache_sim) write(section_of(j, "cache_sim"), *r.cache_sim);
  else if (!j.contains("cache_sim")) j["cache_sim"] = nullptr;
  if (r.compiled) {
    json& c = section_of(j, "compiled");
    c["winograd_convs"] = r.compiled->winograd_convs;
    put(c, "compile_ms", r.compiled->compile_ms);
    if (!r.compiled->phases_ms.empty()) {
      json phases = json::array();
      for (const auto& [name, ms] : r.compiled->phases_ms) phases.push_back({{"name", name}, {"ms", ms}});
      c["phases"] = phases;
    }
  }
  if (r.profile) write(section_of(j, "profile"), *r.profile);
  if (r.check) write(section_of(j, "check"), *r.check);
  if (r.accuracy) write(section_of(j, "accuracy"), *r.accuracy);
  if (r.outside_engine_ms) j["outside_engine_ms"] = *r.outside_engine_ms;
  if (!r.backend_facts.empty() || (j.contains("environment") && j["environment"].is_object())) {
    json facts = json::object();
    for (const auto& [k, v] : r.backend_facts) facts[k] = v;
    section_of(j, "environment")["backend_facts"] = facts;
  }
  if (r.foreign_cpu_pct) j["foreign_cpu_pct"] = *r.foreign_cpu_pct;
  if (!r.interference.empty()) j["interference"] = r.interference;
}

void from_json(const nlohmann::json& j, MeasurementRecord& r) {
  if (!j.is_object()) throw UsageError("record_json is not a JSON object");
  r = MeasurementRecord{};
  r.json = j;
  const Fields f(j, "");
  r.descriptor = f.text("descriptor");
  r.status = f.text("status");
  r.error = f.text("error");
  if (auto p = f.section("per_image_ms"); p) {
    if (auto median = p->number("median", kMinRecordMs, kMaxRecordMs))
      r.per_image_ms = PerImageMs{*median, p->number("ci95_low", kMinRecordMs, kMaxRecordMs).value_or(*median),
                                  p->number("ci95_high", kMinRecordMs, kMaxRecordMs).value_or(*median)};
  }
  if (auto l = f.section("latency_ms"); l) {
    const auto median = l->number("median", 0, kMaxRecordMs);
    const auto n = l->number("n", 0, kMaxRecordRuns);  // checked even without a median
    if (median) {
      LatencyStats s;
      s.median = *median;
      s.n = static_cast<int64_t>(n.value_or(0));
      auto stat = [&](const char* k) { return l->count(k).value_or(0); };
      s.mean = stat("mean"), s.min = stat("min"), s.max = stat("max"), s.p10 = stat("p10"), s.p90 = stat("p90");
      s.stddev = stat("stddev"), s.cv = stat("cv"), s.ci95_low = stat("ci95_low"), s.ci95_high = stat("ci95_high");
      s.target_met = l->flag("target_met");
      if (const json* samples = l->find("samples"); samples && samples->is_array())
        for (const auto& x : *samples)
          if (x.is_number()) s.samples.push_back(x.get<double>());
      r.latency_ms = s;
    }
  }
  if (auto c = f.section("cost")) r.cost = read_cost(*c);
  if (auto s = f.section("roofline")) r.roofline = read_roofline(*s);
  // A counters section that is not an object means no counters, as before it was typed.
  if (const json* c = f.find("counters"); c && c->is_object()) r.counters = read_counters(Fields(*c, "counters."));
  if (auto s = f.section("cache_sim")) r.cache_sim = read_cache_sim(*s);
  if (auto s = f.section("compiled")) r.compiled = read_compiled(*s);
  if (auto s = f.section("profile")) r.profile = read_profile(*s, j["profile"]);
  if (auto s = f.section("check")) r.check = read_check(*s);
  if (auto s = f.section("accuracy")) r.accuracy = read_accuracy(*s);
  r.outside_engine_ms = f.number("outside_engine_ms", 0, kMaxRecordMs);
  // The environment is kept as measured; only its backend facts are read.
  if (const json* env = f.find("environment"); env && env->is_object() && env->contains("backend_facts") &&
                                                (*env)["backend_facts"].is_object())
    for (const auto& [k, v] : (*env)["backend_facts"].items())
      r.backend_facts.emplace_back(k, v.is_string() ? v.get<std::string>() : v.dump());
  if (const json* v = f.find("foreign_cpu_pct")) {
    if (!v->is_number() || !std::isfinite(v->get<double>()) || v->get<double>() < 0 || v->get<double>() > 1e6)
      throw UsageError("record field foreign_cpu_pct is not a number in [0, 1e6]");
    r.foreign_cpu_pct = v->get<double>();
  }
  if (const json* v = f.find("interference"); v && v->is_string()) r.interference = v->get<std::string>();
}

MeasurementRecord parse_record(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) throw UsageError("record_json is not valid JSON");
  return j.get<MeasurementRecord>();
}

}  // namespace fb
