// The profile's summary and what a measurement stores of it
// (measure/step_profile.h), from a synthetic profile.
#include <gtest/gtest.h>

#include "measure/step_profile.h"

namespace fb {
namespace {

StepProfile synthetic(double step_sum_s, double end_to_end_s) {
  StepProfile p;
  p.model = "m";
  p.backend = "torch";
  p.step_sum_s = step_sum_s;
  p.end_to_end_s.median = p.end_to_end_s.ci_low = p.end_to_end_s.ci_high = end_to_end_s;
  p.step_timing = "A step is one node.";
  p.by_kind = {{"depthwise", 2, step_sum_s * 0.75, 0.75, 8, 9}, {"BN", 1, step_sum_s * 0.25, 0.25, 0, 3}};
  p.by_node = {{"n1", 1, step_sum_s, 1.0, 1, 1}};
  return p;
}

// Within 15 % the summary quotes the backend's words only; beyond, one more
// line says how much is missing from the steps or added by profiling.
TEST(StepProfile, TheSummaryFlagsAStepSumMoreThan15PercentOff) {
  const std::string near = render_text(synthetic(0.95e-3, 1e-3));
  EXPECT_NE(near.find("the steps sum to 95.0% of it"), std::string::npos) << near;
  EXPECT_NE(near.find("A step is one node."), std::string::npos) << near;
  EXPECT_EQ(near.find("The steps miss"), std::string::npos) << near;
  const std::string missing = render_text(synthetic(0.5e-3, 1e-3));
  EXPECT_NE(missing.find("The steps miss 50% of the end-to-end latency"), std::string::npos) << missing;
  const std::string added = render_text(synthetic(2.4e-3, 1e-3));
  EXPECT_NE(added.find("The steps add 140% of the end-to-end latency: the profiled run is that much slower"),
            std::string::npos) << added;
}

TEST(StepProfile, AMeasurementStoresTheSumsAndGroupsInMilliseconds) {
  const ProfileSection s = profile_section(synthetic(2e-3, 2.1e-3));
  EXPECT_DOUBLE_EQ(s.step_sum_ms, 2.0);
  EXPECT_DOUBLE_EQ(s.end_to_end_ms, 2.1);
  EXPECT_EQ(s.step_timing, "A step is one node.");
  ASSERT_EQ(s.by_op_kind.size(), 2u);
  EXPECT_EQ(s.by_op_kind[0].name, "depthwise");
  EXPECT_EQ(s.by_op_kind[0].steps, 2);
  EXPECT_DOUBLE_EQ(s.by_op_kind[0].median_ms, 1.5);
  EXPECT_DOUBLE_EQ(s.by_op_kind[1].share, 0.25);
  ASSERT_EQ(s.by_node.size(), 1u);
  EXPECT_EQ(s.by_node[0].name, "n1");
}

}  // namespace
}  // namespace fb
