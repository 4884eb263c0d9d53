#pragma once
// Which rows of a Dataset belong to which of the study's experiments. The
// claims read their rows only through experiment_rows(), so how membership
// is decided lives here alone: from the store's experiments (schema version
// 3, Dataset::experiments) where a row has them, else from the descriptor.
#include <string>
#include <vector>

#include "report/dataset.h"

namespace fb::report {

enum class Experiment {
  Depth,       // patterns over depth, timed (no cache simulation, no ISA cap)
  Width,       // patterns over width, timed
  CacheDepth,  // patterns over depth with cache figures
  CacheWidth,  // patterns over width with cache figures
  Zoo,         // whole networks
};
std::string experiment_name(Experiment e);

// The ok rows of `e` at fp32 (the paper's precision), in the Dataset's order.
std::vector<const Measurement*> experiment_rows(const Dataset& d, Experiment e);

}  // namespace fb::report
