#include "measure/output_check.h"

#include <algorithm>

#include "common/error.h"
#include "graph/compare.h"
#include "graph/weights.h"

namespace fb {
namespace {

// Inputs this small keep the reference at seconds on every network, yet
// leave 8x8 maps or more after the usual stem, so convolutions still have an
// interior and not only borders.
constexpr int64_t kCheckRes = 32;

// The model at kCheckRes, or the smallest resolution it allows when that is
// more; as it is when it has no res knob (an imported file) or runs smaller.
ModelSpec checked_model(const ModelSpec& m) {
  ModelSpec small = m;
  for (const auto& k : m.def->knobs)
    if (k.name == "res") small.set_knob("res", std::min(m.knob("res"), std::max(k.min_value, kCheckRes)));
  return small;
}

}  // namespace

double check_bound(Precision p) {
  return p == Precision::fp32 ? kCheckBound : p == Precision::bf16 ? kBf16CheckBound : kInt8CheckBound;
}

CheckSection check_against_reference(const MeasureConfig& c, const BackendChoice& choice, uint64_t seed) {
  CheckSection s;
  s.against = "reference";
  const ModelSpec model = checked_model(c.model);
  s.at = model.str();
  s.bound = check_bound(choice.options.precision);
  try {
    const Graph g = model.build(1);
    const Weights w = model.weights(g, seed);
    const Tensor input = make_input(g.input_shape(), seed + 1);
    const Tensor ref = run_once(choose_backend("reference", choice.options.threads), g, w, input);
    const Agreement a = compare(run_once(choice, g, w, input), ref);  // at the measured precision
    s.max_abs = a.max_abs;
    s.max_ref = a.max_ref;
    s.relative = a.relative;
    s.agrees = a.passes(s.bound);
    if (!a.finite) s.error = "the output holds a NaN or an infinity";
  } catch (const std::exception& e) {  // UsageError or Error: either way this backend did not run it
    s.error = e.what();
  }
  return s;
}

}  // namespace fb
