#pragma once
// The study's measure children run through the measurement layer's child
// runner (own process group, dies with its parent, time limit, captured
// output); this keeps the study's two-argument spelling.
#include <string>
#include <vector>

#include "measure/child_process.h"

namespace fb::study {

using fb::ChildResult;

inline ChildResult run_child(const std::vector<std::string>& argv, double timeout_s) {
  return fb::run_child(argv, {}, timeout_s);
}

}  // namespace fb::study
