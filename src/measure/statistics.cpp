#include "measure/statistics.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <boost/math/distributions/binomial.hpp>

#include "common/error.h"

namespace fb {
namespace {

// Linear interpolation between closest ranks (the "R7" definition).
double percentile(const std::vector<double>& sorted, double p) {
  double pos = p * static_cast<double>(sorted.size() - 1);
  auto i = static_cast<size_t>(pos);
  if (i + 1 >= sorted.size()) return sorted.back();
  return sorted[i] + (pos - static_cast<double>(i)) * (sorted[i + 1] - sorted[i]);
}

bool settled(const std::vector<double>& runs, double tolerance) {
  if (runs.size() < 3) return false;
  std::vector<double> last(runs.end() - 3, runs.end());
  std::sort(last.begin(), last.end());
  double mid = last[1];
  return last[0] >= mid * (1 - tolerance) && last[2] <= mid * (1 + tolerance);
}

}  // namespace

double Summary::ci_half_width_rel() const {
  if (median <= 0) return INFINITY;
  return std::max(median - ci_low, ci_high - median) / median;
}

RankInterval median_ci_ranks(int n, double confidence) {
  if (n < 1) throw Error("median CI of an empty sample");
  double tail = (1 - confidence) / 2;
  boost::math::binomial_distribution<double> b(n, 0.5);
  // B = number of samples below the true median. Choose the largest lo with
  // P(B <= lo - 1) <= tail; by symmetry hi = n + 1 - lo. The quantile is the
  // starting point; the CDF settles the discrete edge.
  int lo = static_cast<int>(boost::math::quantile(b, tail));
  while (lo > 0 && boost::math::cdf(b, lo - 1) > tail) --lo;
  while (lo + 1 <= n && boost::math::cdf(b, lo) <= tail) ++lo;
  if (lo < 1) return {1, n};
  return {lo, n + 1 - lo};
}

Summary summarize(std::vector<double> samples, double confidence) {
  Summary s;
  if (samples.empty()) return s;
  s.samples = samples;
  std::sort(samples.begin(), samples.end());
  s.n = static_cast<int>(samples.size());
  s.min = samples.front();
  s.max = samples.back();
  s.median = percentile(samples, 0.5);
  s.p10 = percentile(samples, 0.1);
  s.p90 = percentile(samples, 0.9);
  s.mean = std::accumulate(samples.begin(), samples.end(), 0.0) / s.n;
  double ss = 0;
  for (double x : samples) ss += (x - s.mean) * (x - s.mean);
  s.stddev = s.n > 1 ? std::sqrt(ss / (s.n - 1)) : 0.0;
  s.cv = s.mean > 0 ? s.stddev / s.mean : 0.0;
  RankInterval r = median_ci_ranks(s.n, confidence);
  s.ci_low = samples[static_cast<size_t>(r.lo - 1)];
  s.ci_high = samples[static_cast<size_t>(r.hi - 1)];
  return s;
}

Summary sample_until_stable(const Sampler& run, const StatsPolicy& policy, const std::function<void()>& on_warm) {
  std::vector<double> warm;
  while (static_cast<int>(warm.size()) < policy.max_warmup) {
    warm.push_back(run());
    if (static_cast<int>(warm.size()) >= policy.min_warmup && settled(warm, policy.warmup_settle)) break;
  }
  if (on_warm) on_warm();
  std::vector<double> samples;
  double timed = 0;
  size_t next_check = 0;  // re-summarise after every ~5 % more samples, not every run
  for (;;) {
    double t = run();
    samples.push_back(t);
    timed += t;
    bool out_of_budget = timed >= policy.budget_s || static_cast<int>(samples.size()) >= policy.max_runs;
    bool enough = static_cast<int>(samples.size()) >= policy.min_runs && timed >= policy.min_time_s;
    if (!out_of_budget && (!enough || samples.size() < next_check)) continue;
    Summary s = summarize(samples, policy.confidence);
    s.target_met = enough && s.ci_half_width_rel() <= policy.target;
    if (s.target_met || out_of_budget) return s;
    next_check = samples.size() + std::max<size_t>(1, samples.size() / 20);
  }
}

}  // namespace fb
