#pragma once
// Every network formbench can build, by canonical name: the six design
// patterns ("pattern:standard", ...) and the zoo. A ModelSpec is a name plus
// its integer knobs with defaults filled in; its str() is canonical.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "graph/ir.h"
#include "graph/weights.h"
#include "models/descriptor.h"

namespace fb {

struct KnobDef {
  std::string name;
  int64_t default_value;
  int64_t min_value;
  int64_t max_value;
  std::string help;
};

struct ModelSpec;

struct ModelDef {
  std::string name;     // canonical, e.g. "pattern:bottleneck"
  std::string family;   // "pattern" or "zoo"
  std::string summary;  // one line for `formbench list`
  std::vector<KnobDef> knobs;
  // Optional: defaults that depend on which knobs the descriptor sets
  // (`given`, by name); runs after the given values are filled in.
  std::function<void(ModelSpec&, const std::vector<std::string>& given)> defaults_given;
  // Throws UsageError for knob values the architecture cannot take.
  std::function<Graph(const ModelSpec&, int64_t batch)> build;
  // Optional: the model's own parameters (an imported file's); without it
  // they are drawn from the seed (graph/weights.h).
  std::function<Weights(const Graph&, uint64_t seed)> weights;
  // The file the model is read from (onnx:PATH), empty for a built-in one:
  // an input that no output of the command may replace.
  std::string file;
};

struct ModelSpec {
  const ModelDef* def = nullptr;
  std::vector<std::pair<std::string, int64_t>> knobs;  // in the def's order, all present

  int64_t knob(const std::string& name) const;
  void set_knob(const std::string& name, int64_t value);
  std::string str() const;  // canonical descriptor
  Graph build(int64_t batch) const;  // UsageError for a batch outside 1..kMaxBatch
  // The parameters of `g` (this model built at some batch): the model's own,
  // or drawn from `seed`.
  Weights weights(const Graph& g, uint64_t seed) const;
};

// The largest batch formbench builds: far beyond any inference batch, and
// small enough that shapes of bounded knobs stay far from int64 overflow.
inline constexpr int64_t kMaxBatch = 65536;
// UsageError "WHAT: N is out of range (1..65536)" unless 1 <= batch <= kMaxBatch.
int64_t check_batch(int64_t batch, const std::string& what);

const std::vector<ModelDef>& model_catalog();
const ModelDef& find_model(const std::string& name);

// Resolves a descriptor (head = model name, fields = knobs) against the
// catalog. Unknown names, unknown knobs and out-of-range values are
// UsageErrors that list what is accepted. Fields whose key is in
// `ignore` are skipped (a measurement descriptor carries batch, backend, ...).
ModelSpec resolve_model(const Descriptor& d, const std::vector<std::string>& ignore = {});
ModelSpec parse_model(const std::string& text);

}  // namespace fb
