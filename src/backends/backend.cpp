#include "backends/backend.h"

#include "common/error.h"

namespace fb {

std::string BackendChoice::str() const {
  return backend->name() + (options.variant.empty() ? "" : ":" + options.variant);
}

Tensor run_once(const BackendChoice& choice, const Graph& g, const Weights& w, const Tensor& input) {
  if (input.shape != g.input_shape())
    throw UsageError("input shape " + input.shape.str() + " does not match the network's " + g.input_shape().str());
  auto exe = choice.backend->compile(g, w, choice.options);
  Tensor out(g.output_shape());
  exe->run(input.ptr(), out.ptr());
  return out;
}

}  // namespace fb
