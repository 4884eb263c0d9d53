// The profile figure and findings line (report/profile_breakdown.h): the
// time per image by op kind on both roles, the op kind that accounts for
// most of the speed-up, and a store whose op kind names are hostile.
#include <gtest/gtest.h>

#include <fmt/core.h>

#include "report/profile_breakdown.h"
#include "report/report.h"
#include "report/store_dir_test.h"
#include "report/synthetic_store.h"

namespace fb::report {
namespace {

using test::FakeRow;

const std::string kConfig = "pattern:dw_bottleneck depth=10 width=32 res=64 classes=1000 reduction=4 expansion=1";

// A profile=1 row of the "profile" experiment: its groups in ms per batch run.
FakeRow profiled_row(const std::string& backend, const std::vector<std::pair<std::string, double>>& kinds, int batch = 2) {
  FakeRow r{fmt::format("{} backend={} batch={} threads=2 profile=1", kConfig, backend, batch), 1.0};
  r.experiments = {{"profile", "profile"}};
  MeasurementRecord t = test::fake_record(r).get<MeasurementRecord>();
  ProfileSection& p = t.profile.emplace();
  for (const auto& [k, ms] : kinds) p.step_sum_ms += ms;
  p.end_to_end_ms = p.step_sum_ms * 1.05;
  for (const auto& [k, ms] : kinds) p.by_op_kind.push_back({k, 1, ms, ms / p.step_sum_ms, 10, 10});
  r.ms_per_image = p.end_to_end_ms / batch;
  t.per_image_ms = PerImageMs{r.ms_per_image, r.ms_per_image, r.ms_per_image};
  r.record_json = nlohmann::json(t).dump();
  return r;
}

class ProfileBreakdownTest : public test::StoreDirTest {};

TEST_F(ProfileBreakdownTest, TimePerImageByOpKindOnBothRolesAndTheMainSourceOfTheSpeedup) {
  test::write_fake_store(db_, {profiled_row("torch", {{"depthwise", 8}, {"conv 1x1", 4}, {"BN", 2}, {"eltwise", 1}}),
                               profiled_row("onednn", {{"conv 1x1", 2}, {"depthwise", 1}, {"reorder", 0.5}})});
  const Dataset d = load_dataset(db_);
  const auto cs = profile_comparisons(d, {});
  ASSERT_EQ(cs.size(), 1u);
  const ProfileComparison& c = cs[0];
  EXPECT_EQ(c.subject, "dw_bottleneck");
  EXPECT_EQ(c.fixed, "depth 10, width 32, res 64, batch 2, 2 threads");
  EXPECT_EQ(c.kinds, (std::vector<std::string>{"conv 1x1", "depthwise", "BN", "eltwise", "reorder"}));
  EXPECT_DOUBLE_EQ(c.native_ms.at("depthwise"), 4.0);  // per image: batch 2
  EXPECT_DOUBLE_EQ(c.accelerated_ms.at("reorder"), 0.25);
  EXPECT_FALSE(c.accelerated_ms.count("BN"));
  EXPECT_DOUBLE_EQ(c.native_total_ms, 7.5);
  EXPECT_DOUBLE_EQ(c.accelerated_total_ms, 1.75);
  const SpeedupSource s = main_speedup_source(c);
  EXPECT_EQ(s.kind, "depthwise");
  EXPECT_DOUBLE_EQ(s.saved_ms, 3.5);
  EXPECT_NEAR(s.share_of_saving, 3.5 / 5.75, 1e-12);
  const Finding f = profile_finding(c, {});
  EXPECT_EQ(f.value,
            "onednn is 4.29x faster than torch (7.5 ms vs 1.75 ms per image in the profiled steps); depthwise accounts "
            "for 61 % of the time saved (4 ms on torch, 0.5 ms on onednn)");
  EXPECT_NE(f.title.find("dw_bottleneck (depth 10, width 32, res 64, batch 2, 2 threads)"), std::string::npos);

  // The report: the figure of the profile experiment, and the findings line on the page.
  const auto out = dir_ / "report";
  write_report(db_, out, {});
  EXPECT_TRUE(std::filesystem::exists(out / "figures" / "fig9_profile_synthetic-profile_dw_bottleneck.svg"));
  EXPECT_NE(test::slurp(out / "summary.md").find("depthwise accounts for 61 % of the time saved"), std::string::npos);
}

TEST_F(ProfileBreakdownTest, AnEngineThatIsNotFasterNamesTheKindThatGrewMost) {
  test::write_fake_store(db_, {profiled_row("torch", {{"conv 3x3", 2}, {"BN", 1}}),
                               profiled_row("onednn", {{"conv 3x3", 3.5}, {"reorder", 0.2}})});
  const auto cs = profile_comparisons(load_dataset(db_), {});
  ASSERT_EQ(cs.size(), 1u);
  EXPECT_EQ(main_speedup_source(cs[0]).kind, "conv 3x3");
  EXPECT_EQ(main_speedup_source(cs[0]).share_of_saving, 0);
  EXPECT_NE(profile_finding(cs[0], {}).value.find("onednn is not faster than torch"), std::string::npos);
  EXPECT_NE(profile_finding(cs[0], {}).value.find("conv 3x3 grew most"), std::string::npos);
}

// Op kind names are store text: escaped for gnuplot, never run.
TEST_F(ProfileBreakdownTest, HostileOpKindNamesAreDrawnNotRun) {
  const std::string evil = "x' ; system('touch " + (dir_ / "MARKER").string() + "') ; '";
  test::write_fake_store(db_, {profiled_row("torch", {{evil, 2}, {"BN", 1}}), profiled_row("onednn", {{evil, 1}})});
  const auto out = dir_ / "report";
  write_report(db_, out, {});
  EXPECT_FALSE(std::filesystem::exists(dir_ / "MARKER"));
  EXPECT_TRUE(std::filesystem::exists(out / "figures" / "fig9_profile_synthetic-profile_dw_bottleneck.svg"));
}

// Profiles on one role only: no pair, so no figure is drawn and the entry says why.
TEST_F(ProfileBreakdownTest, AProfileOnOneRoleOnlyIsNoFigure) {
  test::write_fake_store(db_, {profiled_row("torch", {{"BN", 1}})});
  const Dataset d = load_dataset(db_);
  EXPECT_TRUE(profile_comparisons(d, {}).empty());
  const auto out = dir_ / "report";
  write_report(db_, out, {});
  EXPECT_FALSE(std::filesystem::exists(out / "figures" / "fig9_profile_synthetic-profile_dw_bottleneck.svg"));
}

}  // namespace
}  // namespace fb::report
