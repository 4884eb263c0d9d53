#pragma once
// The study's measure children run through the one child runner
// (common/process.h: own process group, dies with its parent, time limit,
// captured output); this keeps the study's two-argument spelling.
#include <string>
#include <vector>

#include "common/process.h"

namespace fb::study {

using fb::ChildResult;

inline ChildResult run_child(const std::vector<std::string>& argv, double timeout_s) {
  return fb::run_child(argv, {}, timeout_s);
}

}  // namespace fb::study
