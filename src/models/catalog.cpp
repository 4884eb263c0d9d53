#include "models/catalog.h"

#include <algorithm>

#include "common/error.h"
#include "common/parse_number.h"
#include "models/onnx_model.h"
#include "models/patterns.h"
#include "models/zoo.h"

namespace fb {

int64_t ModelSpec::knob(const std::string& name) const {
  for (const auto& [k, v] : knobs)
    if (k == name) return v;
  throw Error("model " + def->name + " has no knob '" + name + "'");
}

void ModelSpec::set_knob(const std::string& name, int64_t value) {
  for (auto& [k, v] : knobs)
    if (k == name) {
      v = value;
      return;
    }
  throw Error("model " + def->name + " has no knob '" + name + "'");
}

std::string ModelSpec::str() const {
  Descriptor d{def->name, {}};
  for (const auto& [k, v] : knobs) d.fields.emplace_back(k, std::to_string(v));
  return d.str();
}

int64_t check_batch(int64_t batch, const std::string& what) {
  if (batch < 1 || batch > kMaxBatch)
    throw UsageError(what + ": " + std::to_string(batch) + " is out of range (1.." + std::to_string(kMaxBatch) + ")");
  return batch;
}

Graph ModelSpec::build(int64_t batch) const { return def->build(*this, check_batch(batch, "batch")); }

Weights ModelSpec::weights(const Graph& g, uint64_t seed) const {
  return def->weights ? def->weights(g, seed) : make_weights(g, seed);
}

const std::vector<ModelDef>& model_catalog() {
  static const std::vector<ModelDef> catalog = [] {
    std::vector<ModelDef> all = pattern_models();
    for (auto& m : zoo_models()) all.push_back(std::move(m));
    return all;
  }();
  return catalog;
}

const ModelDef& find_model(const std::string& name) {
  if (is_onnx_model(name)) return onnx_model(name);
  for (const auto& m : model_catalog())
    if (m.name == name) return m;
  std::string known;
  for (const auto& m : model_catalog()) known += (known.empty() ? "" : ", ") + m.name;
  throw UsageError("unknown model '" + name + "'; known models: " + known + ", or onnx:PATH for an ONNX file");
}

ModelSpec resolve_model(const Descriptor& d, const std::vector<std::string>& ignore) {
  ModelSpec spec;
  spec.def = &find_model(d.head);
  for (const auto& k : spec.def->knobs) spec.knobs.emplace_back(k.name, k.default_value);
  std::vector<std::string> given;
  for (const auto& [key, value] : d.fields) {
    if (std::find(ignore.begin(), ignore.end(), key) != ignore.end()) continue;
    given.push_back(key);
    auto def = std::find_if(spec.def->knobs.begin(), spec.def->knobs.end(),
                            [&name = key](const KnobDef& k) { return k.name == name; });
    if (def == spec.def->knobs.end()) {
      std::string known;
      for (const auto& k : spec.def->knobs) known += (known.empty() ? "" : ", ") + k.name;
      throw UsageError(spec.def->name + " has no knob '" + key + "'" +
                       (known.empty() ? "" : "; its knobs are: " + known));
    }
    const int64_t v = parse_int(value, spec.def->name + " " + key, def->min_value, def->max_value);
    spec.set_knob(key, v);
  }
  if (spec.def->defaults_given) spec.def->defaults_given(spec, given);
  return spec;
}

ModelSpec parse_model(const std::string& text) { return resolve_model(Descriptor::parse(text)); }

}  // namespace fb
