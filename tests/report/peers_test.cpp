// The peers experiment in the report (report/peers.h, peers_page.h): each
// engine's speed-up over the native framework, formbench's engine against
// the fastest peer, a failed engine's own message, the output check, and
// only the peers experiment's rows.
#include <gtest/gtest.h>

#include <fmt/core.h>

#include "report/peers.h"
#include "report/report.h"
#include "report/store_dir_test.h"
#include "report/synthetic_store.h"

namespace fb::report {
namespace {

using test::FakeRow;

FakeRow peer_row(const std::string& model, const std::string& backend, int batch, double ms, double check_error = 1e-6) {
  FakeRow r{fmt::format("{} backend={} batch={} threads=2 check=1", model, backend, batch), ms};
  r.experiments = {{"peers", "peers"}};
  MeasurementRecord t = test::fake_record(r).get<MeasurementRecord>();
  CheckSection& c = t.check.emplace();
  c.against = "reference";
  c.at = model + " (small)";
  c.max_ref = 1, c.max_abs = check_error, c.relative = check_error, c.bound = 1e-3;
  c.agrees = check_error <= 1e-3;
  if (backend == "ort") t.outside_engine_ms = 0.25;
  r.record_json = nlohmann::json(t).dump();
  return r;
}

FakeRow failed_row(const std::string& model, const std::string& backend, int batch, const std::string& error) {
  FakeRow r{fmt::format("{} backend={} batch={} threads=2 check=1", model, backend, batch), 0};
  r.status = "failed";
  r.error = error;
  r.record_json = "{}";
  r.experiments = {{"peers", "peers"}};
  return r;
}

FakeRow zoo_row() {
  FakeRow r{"resnet50 backend=torch batch=1 threads=2", 99};
  r.experiments = {{"zoo", "zoo"}};
  return r;
}

std::vector<FakeRow> peers_store() {
  return {
      peer_row("resnet50", "torch", 1, 30), peer_row("resnet50", "onednn", 1, 10), peer_row("resnet50", "ort", 1, 12),
      peer_row("resnet50", "opencv", 1, 20), peer_row("mobilenet_v2", "torch", 1, 8),
      peer_row("mobilenet_v2", "onednn", 1, 2.2), peer_row("mobilenet_v2", "ort", 1, 2.0),
      failed_row("mobilenet_v2", "opencv", 1, "opencv: OpenCV 4.6.0 cannot run this model: Clip bounds"),
      peer_row("resnet50", "torch", 8, 28), peer_row("resnet50", "onednn", 8, 9, 0.5),
      // Another experiment's rows: the peers table never reads them.
      zoo_row(),
  };
}

class PeersTest : public test::StoreDirTest {};

TEST_F(PeersTest, EachEnginesSpeedupAndFormbenchAgainstTheFastestPeer) {
  test::write_fake_store(db_, peers_store());
  const auto tables = peer_tables(load_dataset(db_), {});
  ASSERT_EQ(tables.size(), 1u);
  const PeerTable& t = tables[0].table;
  EXPECT_EQ(tables[0].experiment, "synthetic/peers");
  EXPECT_EQ(t.engines, (std::vector<std::string>{"torch", "onednn", "ort", "opencv"}));
  ASSERT_EQ(t.rows.size(), 3u);  // resnet50 and mobilenet_v2 at batch 1, resnet50 at 8
  const PeerRow& resnet = t.rows[0];
  EXPECT_EQ(resnet.name, "resnet50");
  EXPECT_EQ(resnet.batch, 1);
  EXPECT_DOUBLE_EQ(*resnet.speedup_over_native("onednn", {}), 3.0);
  EXPECT_DOUBLE_EQ(*resnet.speedup_over_native("ort", {}), 2.5);
  EXPECT_EQ(resnet.best_peer, "ort");
  EXPECT_DOUBLE_EQ(*resnet.accelerated_vs_best_peer({}), 1.2);

  const PeerRow& mobilenet = t.rows[1];
  EXPECT_EQ(mobilenet.best_peer, "ort");  // opencv failed: no latency to compare
  EXPECT_NEAR(*mobilenet.accelerated_vs_best_peer({}), 2.0 / 2.2, 1e-12);
  EXPECT_FALSE(mobilenet.engines.at("opencv").m);
  EXPECT_EQ(mobilenet.engines.at("opencv").failed, "opencv: OpenCV 4.6.0 cannot run this model: Clip bounds");

  EXPECT_EQ(t.rows[2].batch, 8);
  EXPECT_FALSE(t.rows[2].accelerated_vs_best_peer({}));  // no peer measured at batch 8

  const auto findings = peer_findings(t, {});
  ASSERT_EQ(findings.size(), 1u);  // batch 1 only: batch 8 has no peer
  EXPECT_EQ(findings[0].value,
            "at least as fast on 1 of 2 models (geometric mean 1.04x, best peer's latency / onednn's); behind on: "
            "mobilenet_v2 (0.91x of ort)");
}

TEST_F(PeersTest, TheReportShowsTheTableTheFigurePerBatchAndTheCsv) {
  test::write_fake_store(db_, peers_store());
  const auto out = dir_ / "report";
  write_report(db_, out, {});
  EXPECT_TRUE(std::filesystem::exists(out / "figures" / "fig10_peers_synthetic-peers_b1.svg"));
  EXPECT_TRUE(std::filesystem::exists(out / "figures" / "fig10_peers_synthetic-peers_b8.svg"));
  const std::string md = test::slurp(out / "summary.md");
  EXPECT_NE(md.find("## Engines side by side"), std::string::npos);
  EXPECT_NE(md.find("| resnet50 | 30 ms, check 1.0e-06 | 10 ms (3.00x), check 1.0e-06 | 12 ms (2.50x), check 1.0e-06 |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("could not run: opencv: OpenCV 4.6.0 cannot run this model: Clip bounds"), std::string::npos);
  EXPECT_NE(md.find("9 ms (3.11x), check 5.0e-01 DISAGREES"), std::string::npos);  // a wrong output is said
  EXPECT_NE(md.find("onednn against the fastest peer engine at batch 1 (experiment synthetic/peers)"), std::string::npos);
  const std::string csv = test::slurp(out / "tables" / "peers.csv");
  EXPECT_NE(csv.find("synthetic/peers,resnet50 threads=2 check=1,1,ort,12,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",0.25,"), std::string::npos);  // ort's copies across the pipe, per batch run
  EXPECT_EQ(csv.find("99"), std::string::npos);       // the zoo experiment's row is not a peer row
}

// A configuration measured again with check=1 (or profile=1) is one
// configuration in the aggregate findings, not two.
TEST_F(PeersTest, ACheckedRowDoesNotCountTwiceInTheMeanSpeedup) {
  FakeRow zoo_native{"resnet50 backend=torch batch=1 threads=2", 30}, zoo_fast{"resnet50 backend=onednn batch=1 threads=2", 10};
  zoo_native.experiments = zoo_fast.experiments = {{"zoo", "zoo"}};
  test::write_fake_store(db_, {zoo_native, zoo_fast, peer_row("resnet50", "torch", 1, 30),
                               peer_row("resnet50", "onednn", 1, 15), peer_row("mobilenet_v2", "torch", 1, 8),
                               peer_row("mobilenet_v2", "onednn", 1, 2)});
  const Dataset d = load_dataset(db_);
  EXPECT_EQ(speedup_pairs(d, {}).size(), 3u);
  const Analysis a = analyse(d);
  EXPECT_EQ(a.pairs, 2u);                    // resnet50 once (its zoo row, stored first), mobilenet_v2 once
  EXPECT_DOUBLE_EQ(a.mean_speedup, 3.5);     // (3 + 4) / 2, not (3 + 2 + 4) / 3
}

// Engine names and errors are store text: escaped on the page, never markup.
TEST_F(PeersTest, AHostileErrorIsEscaped) {
  auto rows = peers_store();
  rows.push_back(failed_row("resnet50", "opencv", 8, "<script>alert(1)</script> | ```"));
  test::write_fake_store(db_, rows);
  const auto out = dir_ / "report";
  write_report(db_, out, {});
  const std::string html = test::slurp(out / "index.html");
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
}

}  // namespace
}  // namespace fb::report
