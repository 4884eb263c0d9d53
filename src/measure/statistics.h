#pragma once
// Measurement policy and the statistics of a sample of latencies. Policy
// (when to stop) lives here, apart from what is measured: the sampler is any
// function that times one run.
#include <functional>
#include <vector>

namespace fb {

struct StatsPolicy {
  int min_warmup = 3;         // warm-up runs at least
  int max_warmup = 50;        // ... and at most
  double warmup_settle = 0.05;  // settled when the last 3 runs are within ±5 % of their median
  int min_runs = 10;          // timed runs at least
  double min_time_s = 1.0;    // timed seconds at least
  double target = 0.02;       // CI half-width of the median / median
  double budget_s = 30.0;     // stop sampling after this many timed seconds
  int max_runs = 1'000'000;   // ... or this many runs
  double confidence = 0.95;
};

struct Summary {
  int n = 0;
  double median = 0, mean = 0, min = 0, max = 0, p10 = 0, p90 = 0, stddev = 0, cv = 0;
  double ci_low = 0, ci_high = 0;  // distribution-free CI of the median
  bool target_met = false;
  std::vector<double> samples;  // in the order taken, same unit as the input

  // Largest distance from the median to a CI end, relative to the median.
  double ci_half_width_rel() const;
};

// Ranks (1-based, into the sorted sample) of the order-statistic CI of the
// median: P(x(lo) <= median < x(hi)) >= confidence, from the Binomial(n, 1/2)
// distribution. For n too small to reach the confidence, {1, n}.
struct RankInterval {
  int lo, hi;
};
RankInterval median_ci_ranks(int n, double confidence);

// Everything but target_met, which depends on the policy.
Summary summarize(std::vector<double> samples, double confidence = 0.95);

// One timed run, returning its duration in seconds.
using Sampler = std::function<double()>;

// Warms up until latency settles, then samples until min_runs and min_time_s
// are both met and the median's CI is within target, or the budget (in timed
// seconds, so the rule is deterministic for a synthetic sampler) runs out.
// Samples in the result are in seconds.
// `on_warm` is called once between warm-up and the timed runs (where the
// caller starts its interference and counter accounting).
Summary sample_until_stable(const Sampler& run, const StatsPolicy& policy,
                            const std::function<void()>& on_warm = {});

}  // namespace fb
