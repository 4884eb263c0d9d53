#include <gtest/gtest.h>

#include <cmath>

#include "report/stats.h"

namespace fb::report {
namespace {

TEST(ReportStats, Means) {
  EXPECT_DOUBLE_EQ(mean({1, 2, 3, 6}), 3.0);
  EXPECT_NEAR(geometric_mean({1, 4, 16}), 4.0, 1e-12);
  EXPECT_TRUE(std::isnan(mean({})));
}

TEST(ReportStats, PearsonAndSpearman) {
  EXPECT_NEAR(pearson({1, 2, 3, 4}, {3, 5, 7, 9}), 1.0, 1e-12);
  EXPECT_NEAR(pearson({1, 2, 3, 4}, {9, 7, 5, 3}), -1.0, 1e-12);
  // Monotone but not linear: Spearman 1, Pearson below 1.
  std::vector<double> x{1, 2, 3, 4, 5}, y{1, 8, 27, 64, 1000};
  EXPECT_NEAR(spearman(x, y), 1.0, 1e-12);
  EXPECT_LT(pearson(x, y), 0.9);
  // Ties take mean ranks: x ranks (1.5, 1.5, 3), y ranks (1, 2, 3).
  EXPECT_NEAR(spearman({1, 1, 2}, {1, 2, 3}), 0.8660254037844386, 1e-12);
  EXPECT_TRUE(std::isnan(pearson({1, 1, 1}, {1, 2, 3})));
  EXPECT_TRUE(std::isnan(spearman({1, 2}, {1, 2})));
}

TEST(ReportStats, PowerFitRecoversExponent) {
  std::vector<double> w{32, 64, 128, 256, 512}, y;
  for (double x : w) y.push_back(3.0 * std::pow(x, 0.5));
  PowerFit f = fit_power(w, y);
  EXPECT_NEAR(f.k, 0.5, 1e-12);
  EXPECT_NEAR(f.a, 3.0, 1e-9);
  EXPECT_NEAR(f.r2, 1.0, 1e-12);
  EXPECT_EQ(f.n, 5u);
}

}  // namespace
}  // namespace fb::report
