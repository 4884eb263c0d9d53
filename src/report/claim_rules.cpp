#include "report/claim_rules.h"

#include <fmt/core.h>

#include <cmath>

#include "report/stats.h"

namespace fb::report {
namespace {

std::string num(double v) { return std::isnan(v) ? "n/a" : fmt::format("{:.3g}", v); }
std::string interval(const Interval& i) { return "[" + num(i.low) + ", " + num(i.high) + "]"; }
bool has_interval(const Estimate& e) { return !std::isnan(e.ci.low) && !std::isnan(e.ci.high); }

// The common preconditions: a value, enough points, an interval.
bool undecidable(const Estimate& e, size_t min_n, Decision& d) {
  if (e.n == 0 || std::isnan(e.value)) {
    d = {Verdict::NotMeasured, "no data for it in the store"};
    return true;
  }
  if (e.n < min_n) {
    d = {Verdict::Undecided, fmt::format("too few points: n = {}, the rule needs at least {}", e.n, min_n)};
    return true;
  }
  if (!has_interval(e)) {
    d = {Verdict::Undecided, "no interval could be computed"};
    return true;
  }
  return false;
}

}  // namespace

std::string verdict_name(Verdict v) {
  switch (v) {
    case Verdict::Reproduced: return "reproduced";
    case Verdict::NotReproduced: return "not reproduced";
    case Verdict::Undecided: return "undecided";
    case Verdict::NotMeasured: return "not measured";
  }
  return "?";
}

std::string Estimate::str(const std::string& unit) const {
  if (n == 0 || std::isnan(value)) return "not measured";
  return fmt::format("{}{} {}, n = {}", num(value), unit, interval(ci), n);
}

Estimate mean_estimate(const std::vector<double>& x) {
  return {mean(x), bootstrap_mean(x), x.size(), fmt::format("mean over {} configurations, bootstrap 95 % CI", x.size())};
}

Estimate geometric_mean_estimate(const std::vector<double>& x) {
  return {geometric_mean(x), bootstrap_geometric_mean(x), x.size(),
          fmt::format("geometric mean over {} configurations, bootstrap 95 % CI", x.size())};
}

Estimate ratio_estimate(double a, double a_low, double a_high, double b, double b_low, double b_high) {
  if (!(a > 0 && b > 0 && a_low > 0 && b_low > 0)) return {};
  return {a / b, {a_low / b_high, a_high / b_low}, 1, "one configuration, from the two latencies' 95 % CIs"};
}

Decision inside(const Estimate& e, double low, double high, size_t min_n) {
  Decision d;
  if (undecidable(e, min_n, d)) return d;
  const std::string band = "[" + num(low) + ", " + num(high) + "]";
  if (e.ci.low >= low && e.ci.high <= high) return {Verdict::Reproduced, "CI " + interval(e.ci) + " lies inside " + band};
  if (e.ci.high < low || e.ci.low > high) return {Verdict::NotReproduced, "CI " + interval(e.ci) + " lies outside " + band};
  return {Verdict::Undecided, "CI " + interval(e.ci) + " crosses an edge of " + band + ": the data cannot separate them"};
}

Decision near_ratio(const Estimate& e, double paper_value, double tolerance, size_t min_n) {
  return inside(e, paper_value / tolerance, paper_value * tolerance, min_n);
}

Decision above(const Estimate& e, double line, size_t min_n) {
  Decision d;
  if (undecidable(e, min_n, d)) return d;
  if (e.ci.low > line) return {Verdict::Reproduced, "CI " + interval(e.ci) + " lies above " + num(line)};
  if (e.ci.high <= line) return {Verdict::NotReproduced, "CI " + interval(e.ci) + " lies at or below " + num(line)};
  return {Verdict::Undecided, "CI " + interval(e.ci) + " straddles " + num(line) + ": the data cannot separate them"};
}

Decision below(const Estimate& e, double line, size_t min_n) {
  Decision d;
  if (undecidable(e, min_n, d)) return d;
  if (e.ci.high < line) return {Verdict::Reproduced, "CI " + interval(e.ci) + " lies below " + num(line)};
  if (e.ci.low >= line) return {Verdict::NotReproduced, "CI " + interval(e.ci) + " lies at or above " + num(line)};
  return {Verdict::Undecided, "CI " + interval(e.ci) + " straddles " + num(line) + ": the data cannot separate them"};
}

namespace {

// `first` ranks at one end of `all`: above every other (top) or below.
Decision ranked(const std::string& first, const std::vector<Named>& all, size_t min_n, bool top) {
  const Named* f = nullptr;
  for (const auto& x : all)
    if (x.name == first) f = &x;
  if (!f || f->e.n == 0) return {Verdict::NotMeasured, first + " is not in the store"};
  if (all.size() < 2) return {Verdict::Undecided, "too few points: nothing to compare " + first + " with"};
  Decision d;
  for (const auto& x : all)
    if (undecidable(x.e, min_n, d)) {
      d.why = x.name + ": " + d.why;
      if (d.verdict == Verdict::NotMeasured) d.verdict = Verdict::Undecided;
      return d;
    }
  const char* side = top ? "above" : "below";
  std::string overlapping;
  for (const auto& x : all) {
    if (&x == f) continue;
    const bool beats = top ? x.e.ci.low > f->e.ci.high : x.e.ci.high < f->e.ci.low;
    if (beats)
      return {Verdict::NotReproduced, x.name + "'s CI " + interval(x.e.ci) + " lies " + side + " " + first + "'s " + interval(f->e.ci)};
    const bool overlaps = top ? x.e.ci.high >= f->e.ci.low : x.e.ci.low <= f->e.ci.high;
    if (overlaps) overlapping += (overlapping.empty() ? "" : ", ") + x.name;
  }
  if (!overlapping.empty())
    return {Verdict::Undecided, first + "'s CI " + interval(f->e.ci) + " overlaps " + overlapping + "'s: cannot rank them"};
  return {Verdict::Reproduced, first + "'s CI " + interval(f->e.ci) + " lies " + side + " every other's"};
}

}  // namespace

Decision largest(const std::string& first, const std::vector<Named>& all, size_t min_n) {
  return ranked(first, all, min_n, true);
}

Decision smallest(const std::string& first, const std::vector<Named>& all, size_t min_n) {
  return ranked(first, all, min_n, false);
}

Decision all_above(const std::vector<Named>& items, double line) {
  if (items.empty()) return {Verdict::NotMeasured, "no data for it in the store"};
  std::string straddling;
  for (const auto& x : items) {
    if (!has_interval(x.e)) return {Verdict::Undecided, x.name + ": no interval could be computed"};
    if (x.e.ci.high <= line)
      return {Verdict::NotReproduced, x.name + "'s CI " + interval(x.e.ci) + " lies at or below " + num(line)};
    if (x.e.ci.low <= line) straddling += (straddling.empty() ? "" : ", ") + x.name;
  }
  if (!straddling.empty()) return {Verdict::Undecided, "the CI of " + straddling + " straddles " + num(line)};
  return {Verdict::Reproduced, fmt::format("all {} CIs lie above {}", items.size(), num(line))};
}

}  // namespace fb::report
