#include "report/bootstrap.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "report/stats.h"

namespace fb::report {
namespace {

// An index in [0, n) from one 64-bit draw (multiply-shift: no modulo bias
// worth the name at these n, and identical on every platform).
size_t draw_index(std::mt19937_64& rng, size_t n) {
  return static_cast<size_t>((static_cast<unsigned __int128>(rng()) * n) >> 64);
}

// Quantile q of sorted v, linear between order statistics.
double quantile(const std::vector<double>& v, double q) {
  const double pos = q * static_cast<double>(v.size() - 1);
  const size_t i = static_cast<size_t>(std::floor(pos));
  const size_t j = std::min(i + 1, v.size() - 1);
  return v[i] + (pos - static_cast<double>(i)) * (v[j] - v[i]);
}

}  // namespace

Interval bootstrap_interval(size_t n, const std::function<double(const std::vector<size_t>&)>& statistic,
                            const BootstrapOptions& options) {
  Interval out;
  if (n == 0 || options.resamples == 0) return out;
  std::mt19937_64 rng(options.seed);
  std::vector<size_t> idx(n);
  std::vector<double> stats;
  stats.reserve(options.resamples);
  for (size_t r = 0; r < options.resamples; ++r) {
    for (auto& i : idx) i = draw_index(rng, n);
    const double s = statistic(idx);
    if (!std::isnan(s)) stats.push_back(s);
  }
  if (stats.size() * 2 < options.resamples) return out;
  std::sort(stats.begin(), stats.end());
  const double tail = (1 - options.level) / 2;
  out.low = quantile(stats, tail);
  out.high = quantile(stats, 1 - tail);
  return out;
}

Interval bootstrap_mean(const std::vector<double>& x, const BootstrapOptions& options) {
  return bootstrap_interval(
      x.size(),
      [&](const std::vector<size_t>& idx) {
        double s = 0;
        for (size_t i : idx) s += x[i];
        return s / static_cast<double>(idx.size());
      },
      options);
}

Interval bootstrap_geometric_mean(const std::vector<double>& x, const BootstrapOptions& options) {
  std::vector<double> logs;
  for (double v : x) logs.push_back(v > 0 ? std::log(v) : std::numeric_limits<double>::quiet_NaN());
  Interval i = bootstrap_mean(logs, options);
  return {std::exp(i.low), std::exp(i.high)};
}

}  // namespace fb::report
