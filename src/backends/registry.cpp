// The list of backends compiled into this binary. Adding a backend is one
// line here plus its folder; optional ones are guarded by their CMake switch.
#include "backends/backend.h"
#include "backends/reference/reference_backend.h"
#include "common/error.h"
#ifdef FORMBENCH_WITH_ONEDNN
#include "backends/onednn/onednn_backend.h"
#endif
#ifdef FORMBENCH_WITH_TORCH
#include "backends/torch/torch_backend.h"
#endif
#ifdef FORMBENCH_WITH_ORT
#include "backends/ort/ort_backend.h"
#endif
#ifdef FORMBENCH_WITH_OPENCV
#include "backends/opencv/opencv_backend.h"
#endif

namespace fb {

const std::vector<std::unique_ptr<Backend>>& backend_registry() {
  static const std::vector<std::unique_ptr<Backend>> registry = [] {
    std::vector<std::unique_ptr<Backend>> r;
    r.push_back(make_reference_backend());
#ifdef FORMBENCH_WITH_ONEDNN
    r.push_back(make_onednn_backend());
#endif
#ifdef FORMBENCH_WITH_TORCH
    r.push_back(make_torch_backend());
    r.push_back(make_torch_jit_backend());
#endif
#ifdef FORMBENCH_WITH_ORT
    r.push_back(make_ort_backend());
#endif
#ifdef FORMBENCH_WITH_OPENCV
    r.push_back(make_opencv_backend());
#endif
    return r;
  }();
  return registry;
}

BackendChoice choose_backend(const std::string& spec, int threads) {
  if (threads < 1 || threads > kMaxThreads)
    throw UsageError("threads: " + std::to_string(threads) + " is out of range (1.." + std::to_string(kMaxThreads) + ")");
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

void require_profiler(const BackendChoice& choice) {
  if (choice.backend->has_profiler()) return;
  std::string with;
  for (const auto& b : backend_registry())
    if (b->has_profiler()) with += (with.empty() ? "" : ", ") + b->name();
  throw UsageError("backend '" + choice.backend->name() + "' has no per-step profiler yet; profile works on: " + with);
}

}  // namespace fb
