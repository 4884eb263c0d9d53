// The list of backends compiled into this binary. Adding a backend is one
// line here plus its folder; optional ones are guarded by their CMake switch.
#include "backends/backend.h"
#include "backends/reference/reference_backend.h"

namespace fb {

const std::vector<std::unique_ptr<Backend>>& backend_registry() {
  static const std::vector<std::unique_ptr<Backend>> registry = [] {
    std::vector<std::unique_ptr<Backend>> r;
    r.push_back(make_reference_backend());
    return r;
  }();
  return registry;
}

}  // namespace fb
