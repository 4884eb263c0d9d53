#include "cli/preflight.h"

#include "backends/backend.h"
#include "common/error.h"
#include "graph/cost.h"

namespace fb::cli {

void check_fits(const MeasureConfig& c) {
  try {
    BackendChoice choice = choose_backend(c.backend, c.threads);
    choice.options.isa = c.isa;
    choice.backend->check_options(choice.options);
    if (c.profile) require_profiler(choice);
    require_memory(choice, cost_of(c.model.build(c.batch)), !c.cache_sim.empty());
  } catch (const UsageError& e) {
    throw UsageError("'" + c.str() + "': " + e.what());
  }
}

}  // namespace fb::cli
