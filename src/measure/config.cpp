#include "measure/config.h"

#include "backends/backend.h"
#include "common/error.h"
#include "common/parse_number.h"

namespace fb {
namespace {

int positive(const std::string& value, const std::string& key, const std::string& text, int64_t max) {
  if (value.empty()) throw UsageError("'" + text + "': missing " + key + "=<n> (a measurement needs backend, batch and threads)");
  return static_cast<int>(parse_int(value, key, 1, max));
}

}  // namespace

RunFields RunFields::split(const Descriptor& d) {
  RunFields r;
  r.model.head = d.head;
  for (const auto& [k, v] : d.fields) {
    if (k == "backend") r.backend = v;
    else if (k == "batch") r.batch = v;
    else if (k == "threads") r.threads = v;
    else if (k == "isa") r.isa = v;
    else if (k == "precision") r.precision = v;
    else if (k == "calibration") r.calibration = v;
    else if (k == "cache_sim") r.cache_sim = v;
    else if (k == "profile") r.profile = v;
    else if (k == "check") r.check = v;
    else if (k == "input") r.input = v;
    else if (k.rfind("env.", 0) == 0) r.env.emplace_back(k.substr(4), v);
    else r.model.fields.emplace_back(k, v);
  }
  return r;
}

std::string MeasureConfig::str() const {
  Descriptor d = Descriptor::parse(model.str());
  d.set("backend", backend);
  d.set("batch", std::to_string(batch));
  d.set("threads", std::to_string(threads));
  if (!isa.empty()) d.set("isa", isa);
  if (precision != Precision::fp32) d.set("precision", precision_name(precision));
  if (calibration > 0) d.set("calibration", std::to_string(calibration));
  if (!cache_sim.empty()) d.set("cache_sim", cache_sim);
  if (profile) d.set("profile", "1");
  if (check) d.set("check", "1");
  if (!input.empty()) d.set("input", input);
  for (const auto& [k, v] : env) d.set("env." + k, v);
  return d.str();
}

MeasureConfig MeasureConfig::parse(const std::string& text) {
  const RunFields f = RunFields::split(Descriptor::parse(text));
  MeasureConfig c;
  for (const auto& [name, value] : f.env)
    if (name.empty()) throw UsageError("'" + text + "': 'env.' needs a variable name, e.g. env.GLIBC_TUNABLES=...");
  c.env = f.env;
  c.model = resolve_model(f.model);
  if (f.backend.empty()) throw UsageError("'" + text + "': missing backend=<name> (see `formbench list`)");
  c.backend = f.backend;
  c.batch = positive(f.batch, "batch", text, kMaxBatch);
  c.threads = positive(f.threads, "threads", text, kMaxThreads);
  c.isa = f.isa;
  if (!f.precision.empty()) {
    try {
      c.precision = parse_precision(f.precision);
    } catch (const UsageError& e) {
      throw UsageError("'" + text + "': " + e.what());
    }
  }
  if (!f.calibration.empty()) {
    if (c.precision != Precision::int8)
      throw UsageError("'" + text + "': calibration= sets int8's calibration set; it needs precision=int8");
    c.calibration = static_cast<int>(parse_int(f.calibration, "calibration", 1, kMaxCalibrationInputs));
  }
  c.cache_sim = f.cache_sim;
  if (f.profile == "1") c.profile = true;
  else if (!f.profile.empty() && f.profile != "0")
    throw UsageError("'" + text + "': profile=" + f.profile + " must be 0 or 1 (1: also time each step)");
  if (f.check == "1") c.check = true;
  else if (!f.check.empty() && f.check != "0")
    throw UsageError("'" + text + "': check=" + f.check + " must be 0 or 1 (1: also compare the output with the reference backend's)");
  c.input = f.input;
  return c;
}

}  // namespace fb
