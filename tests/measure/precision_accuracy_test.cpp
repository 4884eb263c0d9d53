// The accuracy of a reduced precision against fp32 (measure/precision_accuracy.h):
// the relative errors, top-1 and top-5 agreement and the confident subset,
// on logits whose answers are known.
#include <gtest/gtest.h>

#include <limits>

#include "common/error.h"
#include "measure/precision_accuracy.h"

namespace fb {
namespace {

TEST(PrecisionAccuracy, ComparesLogitsAsStated) {
  // Three inputs of four classes. fp32 picks 0, 1, 3; the margins over the
  // runner-up are large, small and medium.
  const std::vector<std::vector<float>> fp32 = {{8, 0, 0, 0}, {1, 1.1f, 0, 0}, {0, 0, 2, 4}};
  // Input 0 agrees exactly; input 1's top-1 flips to class 0 (fp32's second);
  // input 2 keeps its top-1 with an error of 0.4 on one logit (0.1 of max |4|).
  const std::vector<std::vector<float>> got = {{8, 0, 0, 0}, {1.2f, 1.1f, 0, 0}, {0, 0, 2.4f, 4}};
  const AccuracySection a = compare_logits(got, fp32, 2);
  EXPECT_EQ(a.inputs, 3);
  EXPECT_NEAR(a.max_rel, 0.2 / 1.1, 1e-6);  // input 1: |1.2 - 1| / 1.1
  EXPECT_NEAR(a.mean_rel, (0 + 0.2 / 1.1 + 0.1) / 12, 1e-6);
  EXPECT_NEAR(a.top1, 2.0 / 3, 1e-9);
  EXPECT_NEAR(a.top5, 1.0, 1e-9);  // fp32's top class is in every top 5 (there are only 4 classes)
  // The two largest margins are inputs 0 and 2, which both agree.
  EXPECT_EQ(a.confident_inputs, 2);
  EXPECT_NEAR(a.confident_top1, 1.0, 1e-9);
  EXPECT_GT(a.confident_margin, 0.0);
}

TEST(PrecisionAccuracy, ANonFiniteOutputIsAnErrorNotANumber) {
  const std::vector<std::vector<float>> fp32 = {{1, 2}};
  EXPECT_THROW(compare_logits({{1, std::numeric_limits<float>::quiet_NaN()}}, fp32, 1), UsageError);
  EXPECT_THROW(compare_logits({{1, 2}}, {{0, 0}}, 1), UsageError);  // an all-zero fp32 output proves nothing
}

}  // namespace
}  // namespace fb
