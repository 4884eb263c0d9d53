#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "report/bootstrap.h"
#include "report/stats.h"

namespace fb::report {
namespace {

TEST(Bootstrap, SameInputSameSeedSameInterval) {
  std::vector<double> x{3.1, 2.7, 4.0, 3.3, 3.9, 2.2, 3.5};
  Interval a = bootstrap_mean(x), b = bootstrap_mean(x);
  EXPECT_EQ(a.low, b.low);
  EXPECT_EQ(a.high, b.high);
  EXPECT_LT(a.low, mean(x));
  EXPECT_GT(a.high, mean(x));
  BootstrapOptions other;
  other.seed = 13;
  Interval c = bootstrap_mean(x, other);
  EXPECT_TRUE(c.low != a.low || c.high != a.high);  // the seed is what fixes it
}

TEST(Bootstrap, NoDataOrConstantData) {
  Interval none = bootstrap_mean({});
  EXPECT_TRUE(std::isnan(none.low) && std::isnan(none.high));
  Interval flat = bootstrap_mean({2, 2, 2, 2});
  EXPECT_EQ(flat.low, 2);
  EXPECT_EQ(flat.high, 2);
  Interval g = bootstrap_geometric_mean({1, 4, 16});
  EXPECT_GE(g.low, 1);
  EXPECT_LE(g.high, 16);
}

// Samples of 40 from N(5, 1): the 95 % interval of the mean should cover 5 in
// about 95 % of 300 repetitions (the percentile bootstrap runs slightly
// narrow at this n; a broken one covers far less or always).
TEST(Bootstrap, CoversTheTrueMeanAboutNinetyFivePercentOfTheTime) {
  std::mt19937_64 rng(2024);
  std::normal_distribution<double> normal(5.0, 1.0);
  BootstrapOptions o;
  o.resamples = 1000;
  int covered = 0;
  const int trials = 300;
  for (int t = 0; t < trials; ++t) {
    std::vector<double> x(40);
    for (auto& v : x) v = normal(rng);
    o.seed = static_cast<uint64_t>(t);
    Interval i = bootstrap_mean(x, o);
    covered += i.low <= 5.0 && 5.0 <= i.high;
  }
  const double rate = covered / static_cast<double>(trials);
  EXPECT_GT(rate, 0.89);
  EXPECT_LT(rate, 0.99);
}

TEST(CorrelationTest, IntervalAndPValue) {
  std::vector<double> x, y;
  for (int i = 0; i < 20; ++i) {
    x.push_back(i);
    y.push_back(i + ((i % 3) - 1) * 2.0);
  }
  Correlation c = pearson_test(x, y);
  EXPECT_GT(c.r, 0.9);
  EXPECT_LT(c.low, c.r);
  EXPECT_GT(c.high, c.r);
  EXPECT_LT(c.p, 1e-6);
  // No relation: a large p and an interval around 0.
  Correlation none = pearson_test({1, 2, 3, 4, 5, 6}, {2, 1, 2, 1, 2, 1.5});
  EXPECT_GT(none.p, 0.2);
  EXPECT_LT(none.low, 0);
  EXPECT_GT(none.high, 0);
  // Known value: r = 0.8 on 4 points, t = 1.886 on 2 df: two-sided p = 1 - r = 0.2 exactly.
  Correlation known = pearson_test({1, 2, 3, 4}, {1, 3, 2, 4});
  EXPECT_NEAR(known.r, 0.8, 1e-12);
  EXPECT_NEAR(known.p, 0.2, 1e-9);
  EXPECT_NEAR(correlation_difference_p({0.9, 0, 0, 0, 30}, {0.9, 0, 0, 0, 30}), 1.0, 1e-12);
}

TEST(PowerFit, ExponentIntervalContainsTheTrueExponent) {
  std::vector<double> w{32, 64, 128, 256, 512}, y;
  for (size_t i = 0; i < w.size(); ++i) y.push_back(std::pow(w[i], 0.5) * (1 + 0.05 * ((i % 2) ? 1 : -1)));
  ExponentInterval k = power_exponent_interval(w, y);
  EXPECT_LT(k.low, 0.5);
  EXPECT_GT(k.high, 0.5);
  EXPECT_LT(k.high - k.low, 0.3);
  EXPECT_TRUE(std::isnan(power_exponent_interval({1, 2}, {1, 2}).low));
}

}  // namespace
}  // namespace fb::report
