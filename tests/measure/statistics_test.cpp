// Statistics on synthetic samples with known answers, and the stopping rule.
#include <gtest/gtest.h>

#include <random>

#include "measure/statistics.h"

namespace fb {
namespace {

TEST(Statistics, MedianCiRanksMatchBinomialTables) {
  // Published order-statistic ranks for a 95 % CI of the median.
  struct Case {
    int n, lo, hi;
  };
  for (const Case& c : std::initializer_list<Case>{{6, 1, 6}, {10, 2, 9}, {20, 6, 15}, {50, 18, 33}, {100, 40, 61}}) {
    RankInterval r = median_ci_ranks(c.n, 0.95);
    EXPECT_EQ(r.lo, c.lo) << "n=" << c.n;
    EXPECT_EQ(r.hi, c.hi) << "n=" << c.n;
  }
  // Too few samples to reach 95 %: the whole range.
  RankInterval small = median_ci_ranks(4, 0.95);
  EXPECT_EQ(small.lo, 1);
  EXPECT_EQ(small.hi, 4);
}

TEST(Statistics, SummaryOfOneToHundred) {
  std::vector<double> x;
  for (int i = 100; i >= 1; --i) x.push_back(i);  // order must not matter
  Summary s = summarize(x);
  EXPECT_EQ(s.n, 100);
  EXPECT_DOUBLE_EQ(s.median, 50.5);
  EXPECT_DOUBLE_EQ(s.mean, 50.5);
  EXPECT_DOUBLE_EQ(s.min, 1);
  EXPECT_DOUBLE_EQ(s.max, 100);
  EXPECT_DOUBLE_EQ(s.p10, 10.9);
  EXPECT_DOUBLE_EQ(s.p90, 90.1);
  EXPECT_NEAR(s.stddev, 29.011491975882016, 1e-12);
  EXPECT_DOUBLE_EQ(s.ci_low, 40);
  EXPECT_DOUBLE_EQ(s.ci_high, 61);
  EXPECT_EQ(s.samples.front(), 100);  // kept in the order taken
}

TEST(Statistics, ConstantSamplerStopsAtMinimumCount) {
  StatsPolicy p;
  p.min_warmup = 3;
  p.min_runs = 10;
  p.min_time_s = 0;
  int calls = 0, warm_calls = -1;
  Summary s = sample_until_stable([&] { ++calls; return 1e-3; }, p, [&] { warm_calls = calls; });
  EXPECT_EQ(warm_calls, 3);  // constant runs settle at the minimum warm-up
  EXPECT_EQ(s.n, 10);
  EXPECT_EQ(calls, 13);
  EXPECT_TRUE(s.target_met);
  EXPECT_DOUBLE_EQ(s.median, 1e-3);
}

TEST(Statistics, MinimumTimeIsHonoured) {
  StatsPolicy p;
  p.min_runs = 5;
  p.min_time_s = 0.05;
  Summary s = sample_until_stable([] { return 1e-3; }, p);
  EXPECT_GE(s.n, 50);
  EXPECT_LE(s.n, 53);
  EXPECT_TRUE(s.target_met);
}

TEST(Statistics, NoisySamplerRunsToBudgetAndSaysTargetNotMet) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> noise(1e-3, 3e-3);
  StatsPolicy p;
  p.min_runs = 10;
  p.min_time_s = 0;
  p.target = 1e-4;  // unreachable with ±50 % noise in this budget
  p.budget_s = 0.5;
  double timed = 0;
  bool warm = false;
  Summary s = sample_until_stable([&] {
    double t = noise(rng);
    if (warm) timed += t;
    return t;
  }, p, [&] { warm = true; });
  EXPECT_FALSE(s.target_met);
  EXPECT_GE(timed, p.budget_s);
  EXPECT_LT(timed, p.budget_s + 3e-3);
  EXPECT_EQ(static_cast<size_t>(s.n), s.samples.size());
  EXPECT_LE(s.ci_low, s.median);
  EXPECT_GE(s.ci_high, s.median);
}

TEST(Statistics, WarmupWaitsForLatencyToSettle) {
  StatsPolicy p;
  p.min_runs = 3;
  p.min_time_s = 0;
  std::vector<double> runs = {9, 7, 5, 3, 1, 1, 1, 1, 1, 1, 1, 1};
  size_t i = 0;
  int warm_calls = 0;
  sample_until_stable([&] { return runs[std::min(i++, runs.size() - 1)] * 1e-3; }, p,
                      [&] { warm_calls = static_cast<int>(i); });
  EXPECT_EQ(warm_calls, 7);  // 9 7 5 3 1 1 1: the last three agree
}

}  // namespace
}  // namespace fb
