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

}  // namespace fb::report
