#pragma once
// The paper's quantitative statements, each compared as a number: the
// paper's value, ours with its 95 % interval, the rule that calls it
// reproduced, the verdict, and (where ours differs) what this machine's data
// shows about why. docs/report.md lists every claim with its rule.
#include <string>
#include <vector>

#include "report/analysis.h"
#include "report/claim_rules.h"
#include "report/dataset.h"

namespace fb::report {

struct ClaimRow {
  std::string id;       // stable key: "mean_speedup"
  std::string claim;    // what the paper says, and where
  std::string paper;    // the paper's value
  std::string ours;     // our value with its 95 % CI and n
  std::string rule;     // when it counts as reproduced
  Verdict verdict = Verdict::NotMeasured;
  std::string why;      // what decided it, or why it could not be decided
  std::string explanation;  // where ours differs: what this machine's data shows
};

std::vector<ClaimRow> evaluate_claims(const Dataset& d, const BackendRoles& roles = {});

}  // namespace fb::report
