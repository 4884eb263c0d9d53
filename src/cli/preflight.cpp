#include "cli/preflight.h"

#include "backends/backend.h"
#include "common/error.h"
#include "graph/cost.h"

namespace fb::cli {

BackendChoice check_options(const MeasureConfig& c) {
  BackendChoice choice = choose_backend(c.backend, c.threads);
  choice.options.isa = c.isa;
  choice.options.precision = c.precision;
  choice.backend->check_options(choice.options);
  if (c.profile) require_profiler(choice);
  if (!c.cache_sim.empty() && !choice.backend->in_process())
    throw UsageError("cache_sim: backend '" + choice.backend->name() +
                     "' computes in a process of its own, which the cache simulator does not see; "
                     "simulate an in-process backend (onednn, torch, opencv) instead");
  return choice;
}

void check_fits(const MeasureConfig& c) {
  try {
    require_memory(check_options(c), cost_of(c.model.build(c.batch)), !c.cache_sim.empty());
  } catch (const UsageError& e) {
    throw UsageError("'" + c.str() + "': " + e.what());
  }
}

}  // namespace fb::cli
