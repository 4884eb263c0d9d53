#include "backends/backend.h"

#include "common/error.h"

namespace fb {

std::string BackendChoice::str() const {
  return backend->name() + (options.variant.empty() ? "" : ":" + options.variant);
}

void require_no_options(const std::string& backend, const BackendOptions& o) {
  if (!o.variant.empty())
    throw UsageError("backend '" + backend + "' has no variants (got '" + backend + ":" + o.variant + "')");
  if (!o.isa.empty())
    throw UsageError("backend '" + backend + "' cannot cap its instruction set (got isa=" + o.isa +
                     "); only onednn takes isa=");
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
