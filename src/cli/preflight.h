#pragma once
// The checks every measurement passes before a process is started or a
// buffer allocated: the backend exists and takes these options (and has a
// per-step profiler where profile=1), and the configuration fits in memory by
// its backend's estimate.
#include "backends/backend.h"
#include "measure/config.h"

namespace fb::cli {

// UsageError saying what is wrong and what to do. check_options: all but
// the memory estimate (a study skips, rather than refuses, what does not
// fit); check_fits: everything, its message led by the descriptor.
BackendChoice check_options(const MeasureConfig& c);
void check_fits(const MeasureConfig& c);

}  // namespace fb::cli
