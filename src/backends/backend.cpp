#include "backends/backend.h"

#include "common/error.h"

namespace fb {

std::string BackendChoice::str() const {
  return backend->name() + (options.variant.empty() ? "" : ":" + options.variant);
}

BackendChoice choose_backend(const std::string& spec, int threads) {
  if (threads < 1) throw UsageError("threads must be at least 1, got " + std::to_string(threads));
  auto colon = spec.find(':');
  std::string name = spec.substr(0, colon);
  BackendChoice c;
  c.options.threads = threads;
  if (colon != std::string::npos) c.options.variant = spec.substr(colon + 1);
  std::string known;
  for (const auto& b : backend_registry()) {
    if (b->name() == name) c.backend = b.get();
    known += (known.empty() ? "" : ", ") + b->name();
  }
  if (!c.backend) throw UsageError("unknown backend '" + name + "'; built-in backends: " + known);
  return c;
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
