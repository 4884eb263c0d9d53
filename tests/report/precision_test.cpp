// The precision experiment in the report (report/precision.h,
// precision_page.h): each reduced precision's speed-up over the same
// backend's fp32, the fp32 acceleration, the accuracy against fp32 (or why
// it was not compared), whether the patterns' ranking changes, int8 where a
// backend ran it; and the paper's findings and claims reading fp32 rows only.
#include <gtest/gtest.h>

#include <fmt/core.h>

#include <algorithm>
#include <cmath>

#include "report/claims.h"
#include "report/experiment_rows.h"
#include "report/precision.h"
#include "report/report.h"
#include "report/store_dir_test.h"
#include "report/synthetic_store.h"

namespace fb::report {
namespace {

using test::FakeRow;

struct Accuracy {
  double max_rel = 0.01, top1 = 1;
  std::string error;  // the comparison could not run: no numbers
};

// One row of the precision experiment; a bf16 or int8 row carries accuracy.*.
FakeRow precision_row(const std::string& model, const std::string& backend, const std::string& precision, double ms,
                      const Accuracy& acc = {}) {
  std::string descriptor = fmt::format("{} backend={} batch=1 threads=2", model, backend);
  if (precision != "fp32") descriptor += " precision=" + precision;  // fp32 is never written
  FakeRow r{descriptor, ms};
  r.experiments = {{"precision", "precision"}};
  if (precision == "fp32") return r;
  MeasurementRecord t = test::fake_record(r).get<MeasurementRecord>();
  AccuracySection& a = t.accuracy.emplace();
  a.against = "fp32 (the same backend)";
  a.inputs = 16;
  a.error = acc.error;
  if (acc.error.empty()) {
    a.max_rel = acc.max_rel, a.mean_rel = acc.max_rel / 10;
    a.top1 = acc.top1, a.top5 = 1;
    a.confident_inputs = 8, a.confident_top1 = 1, a.confident_margin = 2;
  }
  if (precision == "int8") a.calibration_inputs = 32;
  r.record_json = nlohmann::json(t).dump();
  return r;
}

std::string pattern_model(const std::string& pattern) { return "pattern:" + pattern + " depth=20 width=32 res=112"; }

// Per pattern: torch's and onednn's fp32 latency. onednn runs every pattern
// in 4 ms at bf16 (its speed-up over fp32 is onednn_fp32 / 4) and torch
// halves its latency at bf16, so:
//   by the fp32 acceleration (torch / onednn): grouped 7 > dw_bottleneck 6 > dw_separable 5 > bottleneck 4 > factorized 3 > standard 2
//   by onednn bf16 over fp32:                  dw_bottleneck 1.6 > grouped 1.5 > dw_separable 1.4 > 1.3 > 1.2 > 1.1
// Two patterns swap places: Spearman's rho = 1 - 6 * (1 + 1) / (6 * 35) = 33/35.
struct PatternCase {
  const char* pattern;
  double torch_fp32, onednn_fp32;
};
const PatternCase kPatternCases[] = {
    {"standard", 8.8, 4.4},     {"factorized", 14.4, 4.8},    {"bottleneck", 20.8, 5.2},
    {"dw_separable", 28, 5.6},  {"dw_bottleneck", 38.4, 6.4}, {"grouped", 42, 6},
};

const char* kHostile = "<script>alert(1)</script> | fp32 twin failed";

std::vector<FakeRow> precision_store() {
  std::vector<FakeRow> rows;
  for (const auto& c : kPatternCases) {
    const std::string m = pattern_model(c.pattern);
    const bool worst = std::string(c.pattern) == "dw_bottleneck";
    rows.push_back(precision_row(m, "torch", "fp32", c.torch_fp32));
    rows.push_back(precision_row(m, "torch", "bf16", c.torch_fp32 / 2));
    rows.push_back(precision_row(m, "onednn", "fp32", c.onednn_fp32));
    rows.push_back(precision_row(m, "onednn", "bf16", 4, worst ? Accuracy{0.05, 0.875, ""} : Accuracy{}));
  }
  // int8 on two patterns only: too few to rank.
  rows.push_back(precision_row(pattern_model("standard"), "onednn", "int8", 2.2));  // 2x over fp32
  rows.push_back(precision_row(pattern_model("grouped"), "onednn", "int8", 2));     // 3x
  // The zoo: resnet50 at every precision; mobilenet_v2 without int8, its torch bf16 comparison failed.
  rows.push_back(precision_row("resnet50", "torch", "fp32", 30));
  rows.push_back(precision_row("resnet50", "onednn", "fp32", 10));
  rows.push_back(precision_row("resnet50", "torch", "bf16", 15));
  rows.push_back(precision_row("resnet50", "onednn", "bf16", 5));
  rows.push_back(precision_row("resnet50", "onednn", "int8", 2.5, Accuracy{0.2, 0.75, ""}));
  rows.push_back(precision_row("mobilenet_v2", "torch", "fp32", 8));
  rows.push_back(precision_row("mobilenet_v2", "onednn", "fp32", 2));
  rows.push_back(precision_row("mobilenet_v2", "torch", "bf16", 8, Accuracy{0, 0, kHostile}));
  rows.push_back(precision_row("mobilenet_v2", "onednn", "bf16", 1));
  return rows;
}

const Finding* finding(const std::vector<Finding>& all, const std::string& title) {
  auto it = std::find_if(all.begin(), all.end(), [&](const Finding& f) { return f.title == title; });
  return it == all.end() ? nullptr : &*it;
}

class PrecisionTest : public test::StoreDirTest {};

TEST_F(PrecisionTest, TheTableHoldsEachPrecisionsSpeedupTheFp32AccelerationAndTheAccuracy) {
  test::write_fake_store(db_, precision_store());
  const auto tables = precision_tables(load_dataset(db_), {});
  ASSERT_EQ(tables.size(), 1u);
  const PrecisionTable& t = tables[0];
  EXPECT_EQ(t.experiment, "synthetic/precision");
  EXPECT_EQ(t.columns, (std::vector<BackendPrecision>{
                           {"torch", "fp32"}, {"torch", "bf16"}, {"onednn", "fp32"}, {"onednn", "bf16"}, {"onednn", "int8"}}));
  ASSERT_EQ(t.rows.size(), 8u);  // the six patterns in the paper's order, then the two networks
  const PrecisionRow& standard = t.rows[0];
  EXPECT_EQ(standard.name, "standard, depth 20, width 32");
  EXPECT_EQ(standard.configuration, "pattern:standard depth=20 width=32 res=112 threads=2");
  EXPECT_NEAR(*standard.fp32_acceleration({}), 2.0, 1e-12);
  EXPECT_NEAR(*standard.over_fp32("onednn", "bf16"), 1.1, 1e-12);
  EXPECT_NEAR(*standard.over_fp32("torch", "bf16"), 2.0, 1e-12);
  EXPECT_NEAR(*standard.over_fp32("onednn", "int8"), 2.0, 1e-12);
  EXPECT_FALSE(t.rows[1].over_fp32("onednn", "int8"));  // factorized ran no int8
  EXPECT_EQ(t.rows[5].pattern, "grouped");

  const PrecisionRow& resnet = t.rows[6];
  EXPECT_EQ(resnet.name, "resnet50");
  EXPECT_NEAR(*resnet.fp32_acceleration({}), 3.0, 1e-12);
  EXPECT_NEAR(*resnet.over_fp32("onednn", "int8"), 4.0, 1e-12);
  EXPECT_EQ(resnet.at("onednn", "int8")->accuracy->calibration_inputs, 32);
  const PrecisionRow& mobilenet = t.rows[7];
  EXPECT_EQ(mobilenet.cells.count({"onednn", "int8"}), 0u);  // a backend with no row at a precision
  EXPECT_FALSE(mobilenet.over_fp32("onednn", "int8"));
  EXPECT_EQ(mobilenet.at("torch", "bf16")->accuracy->error, kHostile);

  const PatternRanking bf16 = pattern_ranking(t, {}, "bf16");
  EXPECT_EQ(bf16.by_acceleration, (std::vector<std::string>{"grouped", "dw_bottleneck", "dw_separable", "bottleneck",
                                                            "factorized", "standard"}));
  EXPECT_EQ(bf16.by_precision, (std::vector<std::string>{"dw_bottleneck", "grouped", "dw_separable", "bottleneck",
                                                         "factorized", "standard"}));
  EXPECT_NEAR(bf16.rho, 33.0 / 35.0, 1e-12);
  EXPECT_EQ(bf16.n, 18u);  // per pattern: torch fp32, onednn fp32, onednn bf16
  const PatternRanking int8 = pattern_ranking(t, {}, "int8");
  EXPECT_EQ(int8.patterns.size(), 2u);
  EXPECT_TRUE(std::isnan(int8.rho));
}

TEST_F(PrecisionTest, TheFindingsGiveTheMeansTheRankingAndTheWorstAccuracy) {
  test::write_fake_store(db_, precision_store());
  const auto tables = precision_tables(load_dataset(db_), {});
  ASSERT_EQ(tables.size(), 1u);
  const auto findings = precision_findings(tables[0], {});
  auto value = [&](const std::string& title) {
    const Finding* f = finding(findings, title);
    return f ? f->value : "no finding '" + title + "'";
  };
  // (1.1 * 1.2 * 1.3 * 1.4 * 1.6 * 1.5)^(1/6) = 1.339
  EXPECT_EQ(value("Speed-up of bf16 over fp32 on onednn (patterns)").rfind(
                "geometric mean 1.34x over 6 configurations (range 1.10x to 1.60x;", 0),
            0u);
  EXPECT_EQ(value("Speed-up of bf16 over fp32 on torch (patterns)").rfind("geometric mean 2.00x over 6 configurations", 0), 0u);
  EXPECT_EQ(value("Speed-up of int8 over fp32 on onednn (patterns)").rfind("geometric mean 2.45x over 2 configurations", 0), 0u);
  const Finding* int8_patterns = finding(findings, "Speed-up of int8 over fp32 on onednn (patterns)");
  ASSERT_NE(int8_patterns, nullptr);
  EXPECT_EQ(int8_patterns->n, 4u);  // two pairs of rows
  EXPECT_EQ(value("Speed-up of bf16 over fp32 on torch (zoo)").rfind("geometric mean 1.41x over 2 configurations", 0), 0u);
  EXPECT_EQ(value("Speed-up of int8 over fp32 on onednn (zoo)").rfind("geometric mean 4.00x over 1 configuration (", 0), 0u);

  const std::string ranking = value("Does the patterns' ranking by speed-up change at bf16?");
  EXPECT_NE(ranking.find("by torch fp32 / onednn fp32: grouped 7.00x > dw_bottleneck 6.00x > dw_separable 5.00x"),
            std::string::npos)
      << ranking;
  EXPECT_NE(ranking.find("by onednn bf16 over fp32: dw_bottleneck 1.60x > grouped 1.50x > dw_separable 1.40x"),
            std::string::npos)
      << ranking;
  EXPECT_NE(ranking.find("Spearman rho = 0.94 over 6 patterns"), std::string::npos) << ranking;
  EXPECT_NE(ranking.find("moved: dw_bottleneck (2nd to 1st), grouped (1st to 2nd)"), std::string::npos) << ranking;
  EXPECT_EQ(value("Does the patterns' ranking by speed-up change at int8?").rfind("cannot decide: 2 patterns have both", 0), 0u);

  const std::string bf16 = value("Worst accuracy at bf16 against the same backend's fp32");
  EXPECT_NE(bf16.find("largest max_rel 5.0e-02 (onednn on dw_bottleneck, depth 20, width 32, batch 1)"), std::string::npos)
      << bf16;
  EXPECT_NE(bf16.find("lowest top-1 agreement 87.5 % (onednn on dw_bottleneck, depth 20, width 32, batch 1)"),
            std::string::npos)
      << bf16;
  EXPECT_NE(bf16.find("1 comparison could not run"), std::string::npos) << bf16;
  const std::string int8 = value("Worst accuracy at int8 against the same backend's fp32");
  EXPECT_NE(int8.find("largest max_rel 2.0e-01 (onednn on resnet50, batch 1); lowest top-1 agreement 75 % (onednn on "
                      "resnet50, batch 1)"),
            std::string::npos)
      << int8;
}

TEST_F(PrecisionTest, TheReportShowsTheSectionTheFiguresAndTheCsv) {
  test::write_fake_store(db_, precision_store());
  const auto out = dir_ / "report";
  write_report(db_, out, {});
  EXPECT_TRUE(std::filesystem::exists(out / "figures" / "fig11_precision_synthetic-precision_patterns_b1_t2.svg"));
  EXPECT_TRUE(std::filesystem::exists(out / "figures" / "fig11_precision_synthetic-precision_zoo_b1_t2.svg"));
  const std::string md = test::slurp(out / "summary.md");
  EXPECT_NE(md.find("## Reduced precision"), std::string::npos);
  EXPECT_NE(md.find("| torch fp32 | torch bf16 | onednn fp32 | onednn bf16 | onednn int8 |"), std::string::npos) << md;
  EXPECT_NE(md.find("4 ms (1.60x over fp32); max rel 5.0e-02, top-1 87.5 %, top-5 100 %, confident top-1 100 % of 8"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| resnet50 | 1 | 30 ms | 15 ms (2.00x over fp32); max rel 1.0e-02"), std::string::npos) << md;
  EXPECT_NE(md.find("2.5 ms (4.00x over fp32); max rel 2.0e-01, top-1 75 %"), std::string::npos) << md;  // int8
  EXPECT_NE(md.find("| 3.00x |"), std::string::npos);  // resnet50's fp32 acceleration
  EXPECT_NE(md.find("Speed-up of bf16 over fp32 on onednn (patterns) (experiment synthetic/precision)"), std::string::npos);
  EXPECT_EQ(md.find("<script>"), std::string::npos);

  const std::string html = test::slurp(out / "index.html");
  EXPECT_NE(html.find("<h2>Reduced precision</h2>"), std::string::npos);
  EXPECT_NE(html.find("<th>onednn int8</th>"), std::string::npos);
  EXPECT_NE(html.find("accuracy not compared: &lt;script&gt;alert(1)&lt;/script&gt; | fp32 twin failed"), std::string::npos);

  const std::string csv = test::slurp(out / "tables" / "precision.csv");
  EXPECT_NE(csv.find("synthetic/precision,resnet50 threads=2,resnet50,1,2,onednn,int8,2.5,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",4,3,0.2,0.02,0.75,1,8,1,2,32,,\r\n"), std::string::npos) << csv;  // speed-ups, accuracy, calibration
  EXPECT_NE(csv.find("mobilenet_v2,1,2,torch,bf16,8,"), std::string::npos);
}

// Store text in an accuracy error is never markup on the page.
TEST_F(PrecisionTest, AHostileAccuracyErrorIsEscaped) {
  test::write_fake_store(db_, precision_store());
  const auto out = dir_ / "report";
  write_report(db_, out, {});
  const std::string html = test::slurp(out / "index.html");
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
}

// The paper measured FP32. bf16 rows of no experiment (judged by their
// descriptor alone) pair with each other in speedup_pairs, but the all-pairs
// findings and the claims read the fp32 pairs only: with the bf16 pair the
// mean speed-up would be (3 + 10) / 2 and the zoo claim would list resnet50 twice.
TEST_F(PrecisionTest, ThePapersFindingsAndClaimsIgnoreReducedPrecisionRows) {
  test::write_fake_store(db_, {FakeRow{"resnet50 backend=torch batch=1 threads=2", 30},
                               FakeRow{"resnet50 backend=onednn batch=1 threads=2", 10},
                               FakeRow{"resnet50 backend=torch batch=1 threads=2 precision=bf16", 20},
                               FakeRow{"resnet50 backend=onednn batch=1 threads=2 precision=bf16", 2}});
  const Dataset d = load_dataset(db_);
  EXPECT_EQ(speedup_pairs(d, {}).size(), 2u);  // fp32 with fp32, bf16 with bf16: never across precisions
  EXPECT_EQ(at_fp32(speedup_pairs(d, {})).size(), 1u);
  const Analysis a = analyse(d);
  EXPECT_EQ(a.pairs, 1u);
  EXPECT_DOUBLE_EQ(a.mean_speedup, 3.0);
  ASSERT_EQ(a.zoo_speedup.size(), 1u);
  EXPECT_DOUBLE_EQ(a.zoo_speedup.at("resnet50"), 3.0);

  const auto zoo = experiment_rows(d, Experiment::Zoo);
  ASSERT_EQ(zoo.size(), 2u);
  for (const auto* m : zoo) EXPECT_EQ(m->precision, "fp32");
  const auto claims = evaluate_claims(d);
  auto it = std::find_if(claims.begin(), claims.end(), [](const ClaimRow& c) { return c.id == "zoo_at_least_2x"; });
  ASSERT_NE(it, claims.end());
  EXPECT_EQ(it->ours.rfind("resnet50 3x", 0), 0u) << it->ours;
  EXPECT_EQ(it->ours.find("; "), std::string::npos) << it->ours;  // one network, once
}

}  // namespace
}  // namespace fb::report
