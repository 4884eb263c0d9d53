#pragma once
// The rules that turn a number with its 95 % interval into a verdict. Each
// rule decides only when the interval does: an interval that straddles the
// line, or an estimate on too few points, is "undecided" with the reason.
#include <string>
#include <vector>

#include "report/bootstrap.h"

namespace fb::report {

enum class Verdict { Reproduced, NotReproduced, Undecided, NotMeasured };
std::string verdict_name(Verdict v);

// A value with its 95 % interval and what it rests on.
struct Estimate {
  double value = std::numeric_limits<double>::quiet_NaN();
  Interval ci;
  size_t n = 0;         // configurations (or points) it rests on
  std::string basis;    // how the interval was obtained, in words
  std::string str(const std::string& unit = "x") const;  // "3.10x [2.80, 3.40], n = 24"
};

// Configurations below this are too few to bootstrap: the rules say undecided.
constexpr size_t kMinBootstrapPoints = 3;

// The mean (or geometric mean) of per-configuration values with a seeded
// bootstrap interval over the configurations.
Estimate mean_estimate(const std::vector<double>& per_configuration);
Estimate geometric_mean_estimate(const std::vector<double>& per_configuration);
// One configuration's ratio a/b from the two measurements' own 95 % intervals
// (the widest ratio they allow: [a_low / b_high, a_high / b_low]).
Estimate ratio_estimate(double a, double a_low, double a_high, double b, double b_low, double b_high);

struct Decision {
  Verdict verdict = Verdict::NotMeasured;
  std::string why;  // what decided it, or why it could not be decided
};

// Reproduced when the interval lies inside [low, high]; not reproduced when
// it lies wholly outside; undecided when it crosses an edge or rests on fewer
// than `min_n` points.
Decision inside(const Estimate& e, double low, double high, size_t min_n = kMinBootstrapPoints);
// The paper's "about v": inside [v / tolerance, v * tolerance].
Decision near_ratio(const Estimate& e, double paper_value, double tolerance, size_t min_n = kMinBootstrapPoints);
// Reproduced when the interval lies above `line`, not reproduced when at or
// below it, undecided when it straddles it.
Decision above(const Estimate& e, double line, size_t min_n = kMinBootstrapPoints);
Decision below(const Estimate& e, double line, size_t min_n = kMinBootstrapPoints);
// `first` is largest of all: reproduced when its interval lies above every
// other's, not reproduced when some other's lies above its own.
struct Named {
  std::string name;
  Estimate e;
};
Decision largest(const std::string& first, const std::vector<Named>& all, size_t min_n = 1);
// `first` is smallest of all, the same way round.
Decision smallest(const std::string& first, const std::vector<Named>& all, size_t min_n = 1);
// Every item's interval above `line`: reproduced when all are, not reproduced
// when one lies at or below it, undecided otherwise.
Decision all_above(const std::vector<Named>& items, double line);

// The tolerance for the paper's "about", "approximately", "around" values:
// a factor of 1.25 either way (stated in docs/report.md).
constexpr double kAboutTolerance = 1.25;

}  // namespace fb::report
