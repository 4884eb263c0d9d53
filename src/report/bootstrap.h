#pragma once
// Percentile bootstrap over configurations, seeded so a report of the same
// store prints the same intervals every time (and on every machine: the
// generator is std::mt19937_64, whose sequence the standard fixes, and the
// index draw is our own, not a library's distribution).
#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

namespace fb::report {

struct Interval {
  double low = std::numeric_limits<double>::quiet_NaN();
  double high = std::numeric_limits<double>::quiet_NaN();
};

struct BootstrapOptions {
  size_t resamples = 2000;
  uint64_t seed = 12;  // fixed: the report is reproducible
  double level = 0.95;
};

// The percentile interval of `statistic` over resamples of n items: each
// resample draws n indices in [0, n) with replacement. Resamples on which the
// statistic is NaN are dropped; if more than half are, the interval is NaN.
// n == 0 gives NaN.
Interval bootstrap_interval(size_t n, const std::function<double(const std::vector<size_t>&)>& statistic,
                            const BootstrapOptions& options = {});

// The usual cases: the arithmetic and geometric mean of x.
Interval bootstrap_mean(const std::vector<double>& x, const BootstrapOptions& options = {});
Interval bootstrap_geometric_mean(const std::vector<double>& x, const BootstrapOptions& options = {});

}  // namespace fb::report
