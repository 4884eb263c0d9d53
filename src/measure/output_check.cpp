#include "measure/output_check.h"

#include "common/error.h"
#include "graph/compare.h"
#include "graph/weights.h"

namespace fb {
namespace {

// The model at the smallest resolution it allows, or as it is when it has
// no res knob (an imported file) or already runs below that.
ModelSpec checked_model(const ModelSpec& m) {
  ModelSpec small = m;
  for (const auto& k : m.def->knobs)
    if (k.name == "res" && m.knob("res") > k.min_value) small.set_knob("res", k.min_value);
  return small;
}

}  // namespace

CheckSection check_against_reference(const MeasureConfig& c, const BackendChoice& choice, uint64_t seed) {
  CheckSection s;
  s.against = "reference";
  const ModelSpec model = checked_model(c.model);
  s.at = model.str();
  s.bound = kCheckBound;
  try {
    const Graph g = model.build(1);
    const Weights w = model.weights(g, seed);
    const Tensor input = make_input(g.input_shape(), seed + 1);
    const Tensor ref = run_once(choose_backend("reference", choice.options.threads), g, w, input);
    const Agreement a = compare(run_once(choice, g, w, input), ref);
    s.max_abs = a.max_abs;
    s.max_ref = a.max_ref;
    s.relative = a.relative;
    s.agrees = a.passes(kCheckBound);
    if (!a.finite) s.error = "the output holds a NaN or an infinity";
  } catch (const std::exception& e) {  // UsageError or Error: either way this backend did not run it
    s.error = e.what();
  }
  return s;
}

}  // namespace fb
