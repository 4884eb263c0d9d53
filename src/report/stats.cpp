#include "report/stats.h"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
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

ExponentInterval power_exponent_interval(const std::vector<double>& x, const std::vector<double>& y) {
  std::vector<double> lx, ly;
  for (size_t i = 0; i < x.size() && i < y.size(); ++i)
    if (x[i] > 0 && y[i] > 0) {
      lx.push_back(std::log(x[i]));
      ly.push_back(std::log(y[i]));
    }
  const size_t n = lx.size();
  if (n < 3) return {kNaN, kNaN};
  const double mx = mean(lx), my = mean(ly);
  double sxy = 0, sxx = 0;
  for (size_t i = 0; i < n; ++i) {
    sxy += (lx[i] - mx) * (ly[i] - my);
    sxx += (lx[i] - mx) * (lx[i] - mx);
  }
  if (sxx <= 0) return {kNaN, kNaN};
  const double k = sxy / sxx, a = my - k * mx;
  double sse = 0;
  for (size_t i = 0; i < n; ++i) sse += std::pow(ly[i] - (a + k * lx[i]), 2);
  const double se = std::sqrt(sse / static_cast<double>(n - 2) / sxx);
  const double t = boost::math::quantile(boost::math::students_t(static_cast<double>(n - 2)), 0.975);
  return {k - t * se, k + t * se};
}

Correlation pearson_test(const std::vector<double>& x, const std::vector<double>& y) {
  Correlation c{pearson(x, y), kNaN, kNaN, kNaN, std::min(x.size(), y.size())};
  if (std::isnan(c.r)) return c;
  const double n = static_cast<double>(c.n);
  const double r = std::clamp(c.r, -1.0, 1.0);
  if (std::abs(r) >= 1) c.p = 0;
  else {
    const double t = r * std::sqrt((n - 2) / (1 - r * r));
    c.p = 2 * boost::math::cdf(boost::math::complement(boost::math::students_t(n - 2), std::abs(t)));
  }
  if (c.n >= 4) {
    const double z = std::atanh(std::clamp(r, -0.999999999, 0.999999999)), se = 1 / std::sqrt(n - 3);
    const double q = boost::math::quantile(boost::math::normal(), 0.975);
    c.low = std::tanh(z - q * se);
    c.high = std::tanh(z + q * se);
  }
  return c;
}

double correlation_difference_p(const Correlation& a, const Correlation& b) {
  if (std::isnan(a.r) || std::isnan(b.r) || a.n < 4 || b.n < 4) return kNaN;
  auto z = [](double r) { return std::atanh(std::clamp(r, -0.999999999, 0.999999999)); };
  const double se = std::sqrt(1 / (static_cast<double>(a.n) - 3) + 1 / (static_cast<double>(b.n) - 3));
  const double d = std::abs(z(a.r) - z(b.r)) / se;
  return 2 * boost::math::cdf(boost::math::complement(boost::math::normal(), d));
}

}  // namespace fb::report
