#include "measure/config.h"

#include "backends/backend.h"
#include "common/error.h"
#include "common/parse_number.h"

namespace fb {
namespace {

const std::vector<std::string> kRunKeys = {"backend", "batch", "threads", "isa", "cache_sim"};

bool is_env_key(const std::string& key) { return key.rfind("env.", 0) == 0; }

int positive(const Descriptor& d, const std::string& key, const std::string& text, int64_t max) {
  auto v = d.get(key);
  if (!v) throw UsageError("'" + text + "': missing " + key + "=<n> (a measurement needs backend, batch and threads)");
  return static_cast<int>(parse_int(*v, key, 1, max));
}

}  // namespace

std::string MeasureConfig::str() const {
  Descriptor d = Descriptor::parse(model.str());
  d.set("backend", backend);
  d.set("batch", std::to_string(batch));
  d.set("threads", std::to_string(threads));
  if (!isa.empty()) d.set("isa", isa);
  if (!cache_sim.empty()) d.set("cache_sim", cache_sim);
  for (const auto& [k, v] : env) d.set("env." + k, v);
  return d.str();
}

MeasureConfig MeasureConfig::parse(const std::string& text) {
  Descriptor d = Descriptor::parse(text);
  std::vector<std::string> ignore = kRunKeys;
  MeasureConfig c;
  for (const auto& [k, v] : d.fields) {
    if (!is_env_key(k)) continue;
    if (k.size() == 4) throw UsageError("'" + text + "': 'env.' needs a variable name, e.g. env.GLIBC_TUNABLES=...");
    c.env.emplace_back(k.substr(4), v);
    ignore.push_back(k);
  }
  c.model = resolve_model(d, ignore);
  auto backend = d.get("backend");
  if (!backend) throw UsageError("'" + text + "': missing backend=<name> (see `formbench list`)");
  c.backend = *backend;
  c.batch = positive(d, "batch", text, kMaxBatch);
  c.threads = positive(d, "threads", text, kMaxThreads);
  c.isa = d.get("isa").value_or("");
  c.cache_sim = d.get("cache_sim").value_or("");
  return c;
}

}  // namespace fb
