#include "report/stats.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace fb::report {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> ranks(const std::vector<double>& x) {
  std::vector<size_t> order(x.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return x[a] < x[b]; });
  std::vector<double> r(x.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j + 1 < order.size() && x[order[j + 1]] == x[order[i]]) ++j;
    double mean_rank = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
    for (size_t t = i; t <= j; ++t) r[order[t]] = mean_rank;
    i = j + 1;
  }
  return r;
}

}  // namespace

double mean(const std::vector<double>& x) {
  if (x.empty()) return kNaN;
  return std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
}

double geometric_mean(const std::vector<double>& x) {
  if (x.empty()) return kNaN;
  double s = 0;
  for (double v : x) s += std::log(v);
  return std::exp(s / static_cast<double>(x.size()));
}

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.size() != y.size() || x.size() < 3) return kNaN;
  double mx = mean(x), my = mean(y), sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (sxx == 0 || syy == 0) return kNaN;
  return sxy / std::sqrt(sxx * syy);
}

double spearman(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.size() != y.size() || x.size() < 3) return kNaN;
  return pearson(ranks(x), ranks(y));
}

PowerFit fit_power(const std::vector<double>& x, const std::vector<double>& y) {
  PowerFit f;
  std::vector<double> lx, ly;
  for (size_t i = 0; i < x.size() && i < y.size(); ++i)
    if (x[i] > 0 && y[i] > 0) {
      lx.push_back(std::log(x[i]));
      ly.push_back(std::log(y[i]));
    }
  f.n = lx.size();
  if (f.n < 2) {
    f.k = f.a = f.r2 = kNaN;
    return f;
  }
  double mx = mean(lx), my = mean(ly), sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < f.n; ++i) {
    sxy += (lx[i] - mx) * (ly[i] - my);
    sxx += (lx[i] - mx) * (lx[i] - mx);
    syy += (ly[i] - my) * (ly[i] - my);
  }
  f.k = sxx > 0 ? sxy / sxx : kNaN;
  f.a = std::exp(my - f.k * mx);
  f.r2 = (sxx > 0 && syy > 0) ? (sxy * sxy) / (sxx * syy) : 1.0;
  return f;
}

}  // namespace fb::report
