#include <gtest/gtest.h>

#include <fmt/core.h>

#include <fstream>
#include <sstream>

#include "common/error.h"
#include "report/report.h"
#include "report/synthetic_store.h"

namespace fb::report {
namespace {

using test::FakeRow;

std::string pattern_desc(const std::string& p, int depth, int width, const std::string& backend, int batch) {
  return fmt::format("pattern:{} depth={} width={} res=224 classes=1000 backend={} batch={} threads=2", p, depth, width, backend, batch);
}

// Known answers: torch latency = depth x width/32 x (2 for dw_bottleneck);
// onednn = torch / speed-up, with speed-up 2 for standard and 2 + depth/10
// for dw_bottleneck (so it grows with depth and wins at depth 50).
std::vector<FakeRow> synthetic_rows() {
  std::vector<FakeRow> rows;
  for (const char* p : {"standard", "dw_bottleneck"})
    for (int depth : {10, 30, 50})
      for (int batch : {1, 8}) {
        bool dw = std::string(p) == "dw_bottleneck";
        double torch = depth * (dw ? 2.0 : 1.0), speedup = dw ? 2.0 + depth / 10.0 : 2.0;
        double flops = depth * (dw ? 1e8 : 1e9) * batch;
        rows.push_back({pattern_desc(p, depth, 32, "torch", batch), torch, flops, depth * 1000.0});
        rows.push_back({pattern_desc(p, depth, 32, "onednn", batch), torch / speedup, flops, depth * 100.0});
      }
  for (const char* p : {"standard", "grouped"})
    for (int width : {32, 64, 128, 256}) {
      double k = std::string(p) == "standard" ? 0.5 : 1.0;
      rows.push_back({pattern_desc(p, 20, width, "torch", 1), std::pow(width, k), 1e9 * width, -1});
      rows.push_back({pattern_desc(p, 20, width, "onednn", 1), std::pow(width, k) / 3, 1e9 * width, -1});
    }
  rows.push_back({pattern_desc("standard", 10, 32, "onednn:nofuse", 1), 10.0 / 2 * 1.5, 1e10, -1});
  rows.push_back({"darts res=224 classes=1000 backend=torch batch=1 threads=2", 120, 1e9, -1});
  rows.push_back({"darts res=224 classes=1000 backend=onednn batch=1 threads=2", 10, 1e9, -1});
  rows.push_back({"mobilenet_v2 res=224 classes=1000 backend=torch batch=1 threads=2", 14, 1e9, -1});
  rows.push_back({"mobilenet_v2 res=224 classes=1000 backend=onednn batch=1 threads=2", 2, 1e9, -1});
  rows.push_back({pattern_desc("grouped", 99, 8, "torch", 1), 1, 1, -1, "failed"});
  return rows;
}

class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / fmt::format("fb_report_test_{}", ::getpid());
    std::filesystem::create_directories(dir_);
    db_ = (dir_ / "results.sqlite").string();
    test::write_fake_store(db_, synthetic_rows());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
  std::string db_;
};

const Claim& claim(const Analysis& a, const std::string& prefix) {
  for (const auto& c : a.claims)
    if (c.claim.rfind(prefix, 0) == 0) return c;
  throw std::runtime_error("no claim " + prefix);
}

TEST_F(ReportTest, SpeedupsMatchTheKnownAnswers) {
  Dataset d = load_dataset(db_);
  EXPECT_EQ(d.failed, 1);
  Analysis a = analyse(d);
  EXPECT_EQ(a.max_depth, 50);
  EXPECT_NEAR(a.pattern_speedup_at_max_depth.at("standard"), 2.0, 1e-9);
  EXPECT_NEAR(a.pattern_speedup_at_max_depth.at("dw_bottleneck"), 7.0, 1e-9);
  EXPECT_NEAR(a.zoo_speedup.at("darts"), 12.0, 1e-9);
  EXPECT_NEAR(a.zoo_speedup.at("mobilenet_v2"), 7.0, 1e-9);
  EXPECT_EQ(claim(a, "Depthwise bottleneck").verdict, Verdict::Reproduced);
  EXPECT_EQ(claim(a, "DARTS").verdict, Verdict::Reproduced);
  EXPECT_EQ(claim(a, "MobileNetV2").verdict, Verdict::Reproduced);
  EXPECT_EQ(claim(a, "Acceleration speeds up every").verdict, Verdict::Reproduced);
  EXPECT_EQ(claim(a, "Acceleration reduces last-level").verdict, Verdict::Reproduced);
  EXPECT_EQ(claim(a, "Speed-up grows with batch").verdict, Verdict::NotReproduced);  // batch changes nothing here
}

TEST_F(ReportTest, WidthExponentsAreFitted) {
  Analysis a = analyse(load_dataset(db_));
  int found = 0;
  for (const auto& w : a.width_exponents) {
    if (w.backend != "torch") continue;
    EXPECT_NEAR(w.k, w.pattern == "standard" ? 0.5 : 1.0, 1e-9) << w.pattern;
    EXPECT_EQ(w.n, 4u);
    ++found;
  }
  EXPECT_EQ(found, 2);
  EXPECT_EQ(claim(a, "Width exponent").verdict, Verdict::Reproduced);
}

TEST_F(ReportTest, RendersEveryFigureAndThePageReferencesThem) {
  ReportSummary s = write_report(db_, dir_ / "out");
  ASSERT_TRUE(std::filesystem::exists(s.index));
  std::ifstream in(s.index);
  std::stringstream html;
  html << in.rdbuf();
  size_t drawn = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_ / "out" / "figures")) {
    if (entry.path().extension() != ".svg") continue;
    ++drawn;
    auto png = entry.path();
    png.replace_extension(".png");
    EXPECT_GT(std::filesystem::file_size(entry.path()), 1000u) << entry.path();
    ASSERT_TRUE(std::filesystem::exists(png)) << png;
    EXPECT_GT(std::filesystem::file_size(png), 1000u) << png;
    EXPECT_NE(html.str().find("figures/" + entry.path().filename().string()), std::string::npos) << entry.path();
  }
  EXPECT_EQ(drawn, s.figures_drawn);
  // Rows of no experiment (the fixture links none): drawn as 'unassigned',
  // and said so. depth b1 and b8, width b1, cache vs depth b1 and b8, zoo,
  // ablation, roofline.
  EXPECT_EQ(s.figures_drawn, 8u);
  EXPECT_NE(html.str().find("belong to no experiment"), std::string::npos);
  for (const char* f : {"summary.md", "tables/measurements.csv", "tables/speedups.csv", "tables/claims.csv"})
    EXPECT_GT(std::filesystem::file_size(dir_ / "out" / f), 50u) << f;
}

// gnuplot used to run through /bin/sh with the output path on its command
// line, so `report -o 'out$(touch MARKER)'` ran touch.
TEST_F(ReportTest, AnOutputPathIsNeverRunAsAShellCommand) {
  const auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir_);  // where a shell would have created MARKER
  ReportSummary s;
  try {
    s = write_report(db_, "out$(touch MARKER)");
  } catch (...) {
    std::filesystem::current_path(cwd);
    throw;
  }
  std::filesystem::current_path(cwd);
  EXPECT_FALSE(std::filesystem::exists(dir_ / "MARKER"));
  EXPECT_EQ(s.figures_drawn, 8u);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "out$(touch MARKER)" / "figures"));
}

TEST_F(ReportTest, MissingOrForeignStoreIsAClearError) {
  auto message = [](const std::string& path) {
    try {
      load_dataset(path);
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  EXPECT_NE(message((dir_ / "nope.sqlite").string()).find("does not exist; run `formbench study` first"),
            std::string::npos);
  std::ofstream(dir_ / "junk.sqlite") << "not a database";
  EXPECT_NE(message((dir_ / "junk.sqlite").string()).find("is not a formbench store"), std::string::npos);
}

}  // namespace
}  // namespace fb::report
