#pragma once
// The small statistics the findings rest on.
#include <cstddef>
#include <vector>

namespace fb::report {

double mean(const std::vector<double>& x);
double geometric_mean(const std::vector<double>& x);
// NaN when fewer than 3 points or a constant series.
double pearson(const std::vector<double>& x, const std::vector<double>& y);
double spearman(const std::vector<double>& x, const std::vector<double>& y);  // ties get mean ranks

// y = a * x^k fitted by least squares in log-log space.
struct PowerFit {
  double k = 0, a = 0, r2 = 0;
  size_t n = 0;
};
PowerFit fit_power(const std::vector<double>& x, const std::vector<double>& y);

// The exponent's 95 % confidence interval from the fit's residuals (Student t
// with n - 2 degrees of freedom). NaN when n < 3.
struct ExponentInterval {
  double low, high;
};
ExponentInterval power_exponent_interval(const std::vector<double>& x, const std::vector<double>& y);

// A correlation with its 95 % confidence interval (Fisher z) and two-sided
// p-value (Student t, n - 2 degrees of freedom, for H0: no correlation).
// All NaN when r is NaN; the interval is NaN when n < 4.
struct Correlation {
  double r, low, high, p;
  size_t n;
};
Correlation pearson_test(const std::vector<double>& x, const std::vector<double>& y);

// Two-sided p-value that two correlations from independent samples differ
// (Fisher z). NaN when either has fewer than 4 points.
double correlation_difference_p(const Correlation& a, const Correlation& b);

}  // namespace fb::report
