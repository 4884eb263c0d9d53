#pragma once
// The checks every measurement passes before a process is started or a
// buffer allocated: the backend exists and takes these options (and has a
// per-step profiler where profile=1), and the configuration fits in memory by
// its backend's estimate.
#include "measure/config.h"

namespace fb::cli {

// UsageError saying what is wrong and what to do.
void check_fits(const MeasureConfig& c);

}  // namespace fb::cli
