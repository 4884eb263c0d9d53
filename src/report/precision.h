#pragma once
// The precision experiment read as a table: per configuration and batch,
// each backend's latency at each precision it ran, the speed-up of a reduced
// precision (bf16, int8) over the same backend's fp32, the accelerated
// engine's speed-up over the native framework at fp32, and how far the
// reduced precision's logits moved from its own fp32 ones (accuracy.*, or why
// they could not be compared). And the findings it gives: the mean speed-up
// per backend and precision, whether the patterns' ranking changes with the
// precision, and the worst accuracy seen.
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "report/analysis.h"

namespace fb::report {

// ("onednn", "bf16"): one backend at one precision, a column of the table.
using BackendPrecision = std::pair<std::string, std::string>;

struct PrecisionCell {
  std::optional<Measurement> m;  // the ok row (a copy: tables outlive the Dataset they came from)
  std::string failed;            // the stored error when the configuration failed
};

struct PrecisionRow {
  std::string configuration;  // the descriptor without backend, precision and batch
  std::string name;           // "dw_bottleneck, depth 20, width 32" or "resnet50"
  std::string pattern;        // empty for the zoo
  int64_t batch = 1, threads = 1;
  std::map<BackendPrecision, PrecisionCell> cells;

  // The ok row of `backend` at `precision`; nullptr when there is none.
  const Measurement* at(const std::string& backend, const std::string& precision) const;
  // The backend's fp32 latency / its latency at `precision`, where both ran.
  std::optional<double> over_fp32(const std::string& backend, const std::string& precision) const;
  // The native framework's fp32 latency / the accelerated engine's fp32 latency.
  std::optional<double> fp32_acceleration(const BackendRoles& roles) const;
};

struct PrecisionTable {
  std::string experiment;  // its label
  // Every (backend, precision) with a cell: the native backend first, then the
  // accelerated one, then the rest by name; fp32 first within a backend.
  std::vector<BackendPrecision> columns;
  std::vector<PrecisionRow> rows;  // the patterns in the paper's order, then the zoo; by batch, then store order

  std::vector<BackendPrecision> reduced() const;  // the columns other than fp32
};

// The rows of `d` (one experiment's), a failed row's error kept.
PrecisionTable precision_table(const Dataset& d, const BackendRoles& roles);
// Every precision experiment of a machine's Dataset, each from its own rows.
std::vector<PrecisionTable> precision_tables(const Dataset& d, const BackendRoles& roles);

// The patterns ranked two ways, each value the geometric mean over the
// pattern's rows: by the fp32 acceleration (native fp32 / accelerated fp32)
// and by the accelerated engine's speed-up at `precision` over its own fp32.
// Only patterns with both values are ranked; rho is Spearman's between the
// two (NaN below 3 patterns, or when one side is all ties).
struct RankedPattern {
  std::string pattern;
  double acceleration = 0, over_fp32 = 0;
};
struct PatternRanking {
  std::string precision;
  std::vector<RankedPattern> patterns;                     // in the paper's order
  std::vector<std::string> by_acceleration, by_precision;  // best first (ties: the paper's order)
  double rho = std::numeric_limits<double>::quiet_NaN();
  size_t n = 0;  // measurements it rests on
};
PatternRanking pattern_ranking(const PrecisionTable& t, const BackendRoles& roles, const std::string& precision);

// Per backend and reduced precision, the geometric mean speed-up over fp32 of
// the patterns and of the zoo; per reduced precision the accelerated engine
// runs, whether the patterns' ranking changes (pattern_ranking, "cannot
// decide" below 3 patterns); per reduced precision, the worst accuracy seen.
std::vector<Finding> precision_findings(const PrecisionTable& t, const BackendRoles& roles);

}  // namespace fb::report
