#include <gtest/gtest.h>

#include <fmt/core.h>

#include <fstream>
#include <sstream>

#include "common/error.h"
#include "report/claims.h"
#include "report/report.h"
#include "report/store_dir_test.h"
#include "report/synthetic_store.h"

namespace fb::report {
namespace {

using test::slurp;

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

class ReportTest : public test::StoreDirTest {
 protected:
  void SetUp() override {
    StoreDirTest::SetUp();
    test::write_fake_store(db_, synthetic_rows());
  }
};

ClaimRow claim(const Dataset& d, const std::string& id) {
  for (const auto& c : evaluate_claims(d))
    if (c.id == id) return c;
  throw std::runtime_error("no claim " + id);
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
  // One configuration per network: decided from the two latencies' CIs (±2 %).
  EXPECT_EQ(claim(d, "darts_12x").verdict, Verdict::Reproduced);
  EXPECT_EQ(claim(d, "mobilenet_v2_7x").verdict, Verdict::Reproduced);
  EXPECT_EQ(claim(d, "darts_largest").verdict, Verdict::Reproduced);
  EXPECT_EQ(claim(d, "every_configuration_faster").verdict, Verdict::Reproduced);
  // Two batch sizes per series, same speed-up at both: growth exactly 1.
  EXPECT_EQ(claim(d, "speedup_grows_with_batch").verdict, Verdict::NotReproduced);
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
  // Read as exponents, the paper's √width (dense) and linear (depthwise, grouped).
  Dataset d = load_dataset(db_);
  EXPECT_EQ(claim(d, "width_exponent_dense").verdict, Verdict::Undecided);  // factorized, bottleneck not measured
  EXPECT_NE(claim(d, "width_exponent_dense").why.find("only 1 of the 3 patterns"), std::string::npos);
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

// The page and summary.md show, per claim, the paper's value, ours with its
// CI, the rule and the verdict (the old table had the claim, ours, verdict).
TEST_F(ReportTest, ThePageShowsEachClaimWithPaperValueOursRuleAndVerdict) {
  write_report(db_, dir_ / "out");
  const std::string html = slurp(dir_ / "out" / "index.html"), md = slurp(dir_ / "out" / "summary.md");
  EXPECT_NE(html.find("<th>paper's claim</th><th>paper</th><th>ours (95 % CI)</th><th>rule</th><th>verdict</th>"),
            std::string::npos);
  EXPECT_NE(md.find("| paper's claim | paper | ours (95 % CI) | rule | verdict | why | explanation |"), std::string::npos);
  // 120 / 10 ms with ±2 % latency CIs, and the rule's band (markdown escapes brackets).
  EXPECT_NE(html.find("12x [11.5, 12.5], n = 1"), std::string::npos);
  EXPECT_NE(html.find("[9.6, 15]"), std::string::npos);
  EXPECT_NE(md.find("12x \\[11.5, 12.5\\], n = 1"), std::string::npos);
  EXPECT_NE(md.find("\\[9.6, 15\\]"), std::string::npos);
  for (const std::string& page : {html, md}) {
    EXPECT_NE(page.find("DARTS gains about 1200 %"), std::string::npos);
    EXPECT_NE(page.find("undecided"), std::string::npos);
  }
  const std::string csv = slurp(dir_ / "out" / "tables" / "claims.csv");
  EXPECT_EQ(csv.rfind("id,paper_claim,paper_value,ours_95ci,rule,verdict,why,explanation\r\n", 0), 0u);
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
