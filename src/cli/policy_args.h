#pragma once
// Measurement-policy flags shared by `measure` and `bench` (which forwards
// them to its `measure` children).
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "measure/measure.h"

namespace fb::cli {

class PolicyArgs {
 public:
  void add_to(CLI::App& cmd);
  const MeasurePolicy& policy() const { return policy_; }
  // The flags that reproduce the policy in a child, e.g. {"--min-runs", "10", ...}.
  std::vector<std::string> to_flags() const;

 private:
  MeasurePolicy policy_;
};

}  // namespace fb::cli
