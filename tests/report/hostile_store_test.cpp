// The report on stores from someone else: hostile names never run as code and
// come out escaped for each format; a bad row is listed by id and the rest drawn.
#include <gtest/gtest.h>

#include <fmt/core.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "report/report.h"
#include "report/store_dir_test.h"
#include "report/synthetic_store.h"

namespace fb::report {
namespace {

using test::slurp;

using test::FakeRow;

std::string zoo(const std::string& model, const std::string& backend, const std::string& extra = "") {
  return fmt::format("{} res=224 backend={} batch=1 threads=2{}", model, backend, extra);
}

std::string pattern_at(int depth, const std::string& backend) {
  return fmt::format("pattern:standard depth={} width=32 res=224 backend={} batch=1 threads=2", depth, backend);
}

// A good depth series on torch and onednn: enough for figures 1, 3, 5-7.
std::vector<FakeRow> good_rows() {
  std::vector<FakeRow> rows;
  for (int depth : {10, 20, 30}) {
    rows.push_back({pattern_at(depth, "torch"), depth * 1.0, depth * 1e9, depth * 1000.0});
    rows.push_back({pattern_at(depth, "onednn"), depth / 2.0, depth * 1e9, depth * 100.0});
  }
  rows.push_back({pattern_at(10, "onednn:nofuse"), 7.5});
  rows.push_back({zoo("resnet50", "torch"), 20});
  rows.push_back({zoo("resnet50", "onednn"), 5});
  return rows;
}

std::string record_with(const std::string& path, const nlohmann::json& value) {
  nlohmann::json j = test::fake_record({"x", 5});
  j[nlohmann::json::json_pointer(path)] = value;
  return j.dump();
}

class HostileStoreTest : public test::StoreDirTest {
 protected:
  // Every file that a hostile name's command would have created.
  std::vector<std::string> markers() const {
    std::vector<std::string> found;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir_))
      if (e.path().filename().string().rfind("MARKER", 0) == 0) found.push_back(e.path().string());
    return found;
  }
};

TEST_F(HostileStoreTest, NamesThatAreShellCommandsNeverRunAndTheFiguresAreDrawn) {
  // Descriptor fields are split on whitespace, so each command is written
  // without spaces; `>FILE` creates FILE in any shell.
  const std::string d = dir_.string();
  const std::string bq = "`>" + d + "/MARKER_backquote`", dollar = "$(>" + d + "/MARKER_dollar)";
  const std::string quote = "it's\"q", macro = "@bq";
  std::vector<FakeRow> rows = good_rows();
  for (const std::string& backend : {bq, dollar, quote, macro}) {
    rows.push_back({zoo("resnet50", backend), 9});
    rows.push_back({pattern_at(10, backend), 3});
    rows.push_back({pattern_at(20, backend), 6});
  }
  rows.push_back({zoo(bq + quote, "torch"), 8});                // hostile model: a group label
  rows.push_back({pattern_at(10, "onednn:" + bq), 4});          // hostile ablation variant
  rows.push_back({zoo("resnet50", "torch", " isa=" + bq), 30});  // hostile ISA: a series title
  test::write_fake_store(db_, rows);

  ReportSummary s = write_report(db_, dir_ / "out");
  EXPECT_EQ(s.unreadable_rows, 0u);
  // A role from the command line reaches a figure title: a newline in it too.
  write_report(db_, dir_ / "out2", BackendRoles{"tor\nch" + bq, "onednn"});

  EXPECT_EQ(markers(), std::vector<std::string>{});
  // Rows of no experiment: drawn as the 'unassigned' one.
  for (const char* fig : {"fig1_depth_unassigned_b1", "fig5_zoo_unassigned", "fig6_roofline", "fig7_ablation_unassigned",
                          "fig8_isa_unassigned"}) {
    EXPECT_TRUE(std::filesystem::exists(dir_ / "out" / "figures" / (std::string(fig) + ".png"))) << fig;
    EXPECT_TRUE(std::filesystem::exists(dir_ / "out" / "figures" / (std::string(fig) + ".svg"))) << fig;
  }
  EXPECT_TRUE(std::filesystem::exists(dir_ / "out2" / "figures" / "fig5_zoo_unassigned.svg"));
  // The names reach the figure as text, exactly.
  const std::string svg = slurp(dir_ / "out" / "figures" / "fig5_zoo_unassigned.svg");
  EXPECT_NE(svg.find(d + "/MARKER_backquote`it's\"q"), std::string::npos);
  const std::string script = slurp(dir_ / "out" / "figures" / "fig5_zoo_unassigned.gp");
  EXPECT_NE(script.find("title 'it''s\"q'"), std::string::npos) << script;
  // The only double quotes in the script are those inside the name.
  size_t quotes = 0, names = 0;
  for (size_t i = script.find('"'); i != std::string::npos; i = script.find('"', i + 1)) ++quotes;
  for (size_t i = script.find("it''s\"q"); i != std::string::npos; i = script.find("it''s\"q", i + 1)) ++names;
  EXPECT_EQ(quotes, names);
}

TEST_F(HostileStoreTest, HtmlSummaryAndCsvEscapeHostileNamesExactly) {
  std::vector<FakeRow> rows = good_rows();
  rows.push_back({zoo("<script>alert('x')</script>|*_[l]", "torch"), 9});
  rows.push_back({zoo("<script>alert('x')</script>|*_[l]", "onednn"), 6});  // a pair: on the page
  rows.push_back({"@x,\"y backend=torch batch=1", 9});
  rows.push_back({"resnet50\nbackend=torch batch=0", 9});  // unreadable, its descriptor has a newline
  nlohmann::json env_record = test::fake_record({"x", 5});
  env_record["environment"]["cpu"] = "<b onmouseover='x'>\n| cell";
  rows[0].record_json = env_record.dump();  // the first ok row gives the machine table
  test::write_fake_store(db_, rows);
  write_report(db_, dir_ / "out");

  const std::string html = slurp(dir_ / "out" / "index.html");
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("<code>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;|*_[l] res=224 batch=1 threads=2</code>"),
            std::string::npos);
  EXPECT_NE(html.find("<td>&lt;b onmouseover=&#39;x&#39;&gt;\n| cell</td>"), std::string::npos);
  EXPECT_EQ(html.find("='"), std::string::npos) << "every attribute is double-quoted";

  const std::string md = slurp(dir_ / "out" / "summary.md");
  EXPECT_NE(md.find("- cpu: \\<b onmouseover='x'\\> \\| cell\n"), std::string::npos) << md;
  EXPECT_NE(md.find("\\<script\\>alert('x')\\</script\\>\\|\\*\\_\\[l\\] 1.50x; "), std::string::npos) << md;
  EXPECT_NE(md.find("| 13 | resnet50 backend=torch batch=0 | descriptor field batch=0 must be at least 1 |\n"),
            std::string::npos)
      << md;

  const std::string csv = slurp(dir_ / "out" / "tables" / "measurements.csv");
  EXPECT_NE(csv.find("\r\n\"'@x,\"\"y backend=torch batch=1\",\"'@x,\"\"y\",torch,1,1,,9,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\r\n<script>alert('x')</script>|*_[l] res=224 backend=torch batch=1 threads=2,"), std::string::npos);
}

TEST_F(HostileStoreTest, OneMalformedRowIsListedByIdAndTheRestIsDrawn) {
  std::vector<FakeRow> rows = good_rows();
  rows.push_back({"pattern:standard depth=ten backend=torch", 5});  // row 10
  rows.push_back({zoo("mobilenet_v2", "torch"), 5, 1e9, -1, "ok", std::string("{not json")});  // row 11
  test::write_fake_store(db_, rows);

  ReportSummary s = write_report(db_, dir_ / "out");
  EXPECT_EQ(s.measurements, good_rows().size());
  EXPECT_EQ(s.unreadable_rows, 2u);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "out" / "figures" / "fig1_depth_unassigned_b1.png"));
  const std::string md = slurp(dir_ / "out" / "summary.md");
  EXPECT_NE(md.find("| 10 | pattern:standard depth=ten backend=torch | "), std::string::npos) << md;
  EXPECT_NE(md.find("depth: 'ten' is not a whole number |"), std::string::npos) << md;
  EXPECT_NE(md.find("| 11 | mobilenet\\_v2 res=224 backend=torch batch=1 threads=2 | record\\_json is not valid JSON |"),
            std::string::npos)
      << md;
  const std::string html = slurp(dir_ / "out" / "index.html");
  EXPECT_NE(html.find("<tr><td>10</td><td><code>pattern:standard depth=ten backend=torch</code></td>"), std::string::npos);
  EXPECT_NE(html.find("2 rows could not be read"), std::string::npos);
}

// Each way a row can be wrong: (descriptor, record) -> the reason given.
struct BadRow {
  std::string descriptor, record, reason;
};

TEST_F(HostileStoreTest, EveryKindOfBadRowIsSkippedWithItsReason) {
  const std::string ok_desc = zoo("resnet50", "torch", " isa=avx2");  // a configuration good_rows() lacks
  const std::string good = test::fake_record({"x", 5}).dump();
  const std::vector<BadRow> cases = {
      {"", good, "no model name given"},
      {"resnet50 batch=1", good, "descriptor has no backend= field"},
      {"resnet50 backend=torch backend=onednn", good, "'backend' is given twice"},
      {"resnet50 backend=torch batch=0", good, "descriptor field batch=0 must be at least 1"},
      {"resnet50 backend=torch threads=-2", good, "descriptor field threads=-2 must be at least 1"},
      {"resnet50 backend=torch batch=99999999999999999999", good, "batch: '99999999999999999999' is out of range (it must fit in 64 bits)"},
      {"pattern:standard depth=0 backend=torch", good, "depth=0 must be at least 1"},
      {ok_desc, "", "record_json is not valid JSON"},
      {ok_desc, "[1,2]", "record_json is not a JSON object"},
      {ok_desc, "{}", "record has no per_image_ms.median"},
      {ok_desc, record_with("/per_image_ms/median", nullptr), "record has no per_image_ms.median"},
      {ok_desc, record_with("/per_image_ms", 5), "record field per_image_ms is not an object"},
      {ok_desc, record_with("/per_image_ms/median", "5"), "per_image_ms.median is not a number"},
      {ok_desc, record_with("/per_image_ms/median", 0), "per_image_ms.median is 0, outside"},
      {ok_desc, record_with("/per_image_ms/median", -3), "per_image_ms.median is -3, outside"},
      {ok_desc, record_with("/per_image_ms/median", 1e300), "per_image_ms.median is 1e+300, outside"},
      {ok_desc, record_with("/per_image_ms/ci95_low", -1), "per_image_ms.ci95_low is -1, outside"},
      {ok_desc, record_with("/cost/flops", -1), "cost.flops is -1, outside"},
      // Would overflow the store's INTEGER column (int64) if it were read.
      {ok_desc, record_with("/cost/macs", 1e19), "cost.macs is 1e+19, outside"},
      {ok_desc, record_with("/cache_sim", nlohmann::json{{"ll_misses", 1e31}}), "cache_sim.ll_misses is 1e+31, outside"},
      {ok_desc, record_with("/cache_sim", nlohmann::json{{"ll_misses", 5}, {"ll_geometry", "6291456,12"}}),
       "record field cache_sim.ll_geometry '6291456,12' is not SIZE,ASSOC,LINE in bytes"},
      {ok_desc, record_with("/cache_sim", nlohmann::json{{"ll_misses", 5}, {"ll_geometry", "6291456,0,64"}}),
       "record field cache_sim.ll_geometry '6291456,0,64': associativity: '0' is out of range (1..1048576)"},
      {ok_desc, record_with("/cache_sim", nlohmann::json{{"ll_misses", 5}, {"ll_geometry", "99999999999999999999,12,64"}}),
       "record field cache_sim.ll_geometry '99999999999999999999,12,64': size: '99999999999999999999' is out of range"},
      {ok_desc, record_with("/roofline/intensity", -0.5), "roofline.intensity is -0.5, outside"},
      {ok_desc, record_with("/latency_ms/n", 1e300), "latency_ms.n is 1e+300, outside"},
      {ok_desc, record_with("/foreign_cpu_pct", "lots"), "foreign_cpu_pct is not a number"},
      {ok_desc, record_with("/profile", nlohmann::json{{"step_sum_ms", 1}}), "record field profile.end_to_end_ms is missing"},
      {ok_desc, record_with("/profile", nlohmann::json{{"step_sum_ms", 1}, {"end_to_end_ms", 1}, {"by_op_kind", nlohmann::json::array({nlohmann::json{{"name", "BN"}}})}}),
       "record field profile.by_op_kind[0].steps is missing"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.descriptor + " / " + c.record.substr(0, 80));
    std::vector<FakeRow> rows = good_rows();
    rows.push_back({c.descriptor, 5, 1e9, -1, "ok", c.record});
    test::write_fake_store(db_, rows);
    Dataset d = load_dataset(db_);
    EXPECT_EQ(d.ok.size(), good_rows().size());
    ASSERT_EQ(d.unreadable.size(), 1u);
    EXPECT_EQ(d.unreadable[0].id, static_cast<int64_t>(rows.size()));
    EXPECT_EQ(d.unreadable[0].descriptor, c.descriptor);
    EXPECT_NE(d.unreadable[0].reason.find(c.reason), std::string::npos) << d.unreadable[0].reason;
  }
}

// A store from a newer formbench: a model this build does not know is read
// from its descriptor (split by its owner, measure/config.h), never built.
TEST_F(HostileStoreTest, ARowOfAModelThisBuildDoesNotKnowIsRead) {
  std::vector<FakeRow> rows = good_rows();
  rows.push_back({"pattern:from_the_future depth=7 width=48 hue=3 backend=torch batch=4 threads=2 env.X=1", 4});
  test::write_fake_store(db_, rows);
  Dataset d = load_dataset(db_);
  EXPECT_TRUE(d.unreadable.empty());
  ASSERT_EQ(d.ok.size(), rows.size());
  const Measurement& m = d.ok.back();
  EXPECT_EQ(m.model, "pattern:from_the_future");
  EXPECT_EQ(m.pattern, "from_the_future");
  EXPECT_EQ(m.backend, "torch");
  EXPECT_EQ(m.batch, 4);
  EXPECT_EQ(m.threads, 2);
  EXPECT_EQ(m.depth, 7);
  EXPECT_EQ(m.width, 48);
  EXPECT_FALSE(m.res);
}

TEST_F(HostileStoreTest, ANumberTooLargeForADoubleIsRefused) {
  std::string huge = test::fake_record({"x", 5}).dump();
  huge.replace(huge.rfind("\"median\":5.0"), 12, "\"median\":1e999");
  std::vector<FakeRow> rows = good_rows();
  rows.push_back({zoo("resnet50", "torch", " isa=avx2"), 5, 1e9, -1, "ok", huge});
  test::write_fake_store(db_, rows);
  Dataset d = load_dataset(db_);
  ASSERT_EQ(d.unreadable.size(), 1u);
  EXPECT_EQ(d.ok.size(), good_rows().size());
}

// A merged store: each machine's row is read into its own data set, never
// one in place of the other, and the single-machine reader refuses to choose.
TEST_F(HostileStoreTest, TheSameConfigurationFromTwoMachinesStaysWithItsMachine) {
  std::vector<FakeRow> rows = good_rows();
  FakeRow again{zoo("resnet50", "torch"), 99};
  again.machine = "other-machine";
  rows.push_back(again);
  test::write_fake_store(db_, rows);
  auto machines = load_machines(db_);
  ASSERT_EQ(machines.size(), 2u);
  EXPECT_TRUE(machines[0].unreadable.empty());
  EXPECT_EQ(machines[0].ok.size(), good_rows().size());
  for (const auto& m : machines[0].ok) EXPECT_NE(m.per_image_ms, 99);
  ASSERT_EQ(machines[1].ok.size(), 1u);
  EXPECT_EQ(machines[1].machine_id, "other-machine");
  EXPECT_EQ(machines[1].ok[0].per_image_ms, 99);
  EXPECT_THROW(load_dataset(db_), UsageError);
}

TEST_F(HostileStoreTest, CounterAvailabilityOfTheWrongTypeMeansNoCounters) {
  nlohmann::json r = test::fake_record({"x", 5});
  r["counters"] = {{"available", 1}, {"llc_misses", 1000}};
  std::vector<FakeRow> rows = good_rows();
  rows.push_back({zoo("resnet50", "torch", " isa=avx2"), 5, 1e9, -1, "ok", r.dump()});
  test::write_fake_store(db_, rows);
  Dataset d = load_dataset(db_);
  EXPECT_TRUE(d.unreadable.empty());
  ASSERT_EQ(d.ok.size(), good_rows().size() + 1);
  EXPECT_FALSE(d.ok.back().llc_misses_hw);
}

// Values that are valid but that a log axis or an empty range cannot show:
// the figure is drawn from what can be shown, or said to be missing.
TEST_F(HostileStoreTest, ZeroMissesAndMissingFlopsDoNotStopTheFigures) {
  std::vector<FakeRow> rows;
  for (int depth : {10, 20, 30}) {
    nlohmann::json r = test::fake_record({pattern_at(depth, "torch"), depth * 1.0, 0, 0});
    r.erase("cost");
    rows.push_back({pattern_at(depth, "torch"), depth * 1.0, 0, 0, "ok", r.dump(), "synthetic-machine",
                    {{"depth", "depth"}, {"cache", "cache"}}});
  }
  test::write_fake_store(db_, rows);
  ReportSummary s = write_report(db_, dir_ / "out");
  EXPECT_TRUE(std::filesystem::exists(dir_ / "out" / "figures" / "fig1_depth_synthetic-depth_b1.png"));
  const std::string html = slurp(dir_ / "out" / "index.html");
  EXPECT_NE(html.find("Last-level cache misses and latency vs depth — experiment synthetic/cache</b>: not drawn"), std::string::npos);
  EXPECT_EQ(s.unreadable_rows, 0u);
}

TEST_F(HostileStoreTest, AnOutputFolderGnuplotCannotNameIsRefusedFirst) {
  test::write_fake_store(db_, good_rows());
  try {
    write_report(db_, dir_ / "two\nlines");
    FAIL() << "accepted";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("choose an output folder without one"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(dir_ / "two\nlines"));
}

}  // namespace
}  // namespace fb::report
