// Fig. 6 and the backend facts: each point against the memory level its
// working set fits in, Winograd points marked, each set of facts listed once.
#include <gtest/gtest.h>

#include <fmt/core.h>

#include <fstream>
#include <map>
#include <sstream>

#include "report/report.h"
#include "report/store_dir_test.h"
#include "report/synthetic_store.h"

namespace fb::report {
namespace {

using test::slurp;

using nlohmann::json;
using test::FakeRow;

// L1d 32 KiB (64 KiB on two threads), L2 1 MiB (2 MiB), L3 32 MiB shared, DRAM.
json levels() {
  return json::array({{{"name", "L1d"}, {"size_bytes", 32768}, {"capacity_bytes", 65536}, {"bandwidth_gbs", 400.0}},
                      {{"name", "L2"}, {"size_bytes", 1 << 20}, {"capacity_bytes", 2 << 20}, {"bandwidth_gbs", 200.0}},
                      {{"name", "L3"}, {"size_bytes", 32 << 20}, {"capacity_bytes", 32 << 20}, {"bandwidth_gbs", 100.0}},
                      {{"name", "DRAM"}, {"size_bytes", 0}, {"capacity_bytes", 0}, {"bandwidth_gbs", 30.0}}});
}

std::string zoo(const std::string& model, const std::string& backend, const std::string& extra = "") {
  return fmt::format("{} res=224 backend={} batch=1 threads=2{}", model, backend, extra);
}

// A record at `intensity` (which names the point in the figure's data) with
// the given working set and Winograd count.
FakeRow point(const std::string& descriptor, double intensity, double working_set, int winograd) {
  json r = test::fake_record({descriptor, 5});
  r["roofline"]["intensity"] = intensity;
  r["roofline"]["working_set_bytes"] = working_set;
  r["roofline"]["levels"] = levels();
  r["compiled"] = {{"winograd_convs", winograd}};
  return {descriptor, 5, 1e9, -1, "ok", r.dump()};
}

FakeRow with_facts(const std::string& descriptor, const json& facts) {
  json r = test::fake_record({descriptor, 5});
  r["environment"]["backend_facts"] = facts;
  return {descriptor, 5, 1e9, -1, "ok", r.dump()};
}

class RooflineTest : public test::StoreDirTest {};

// The figure's data rows: intensity -> (level index, Winograd 0/1).
std::map<double, std::pair<int, int>> roofline_points(const std::string& gp) {
  std::map<double, std::pair<int, int>> out;
  std::istringstream in(gp.substr(gp.find("$pts << EOD\n") + 12));
  std::string line;
  while (std::getline(in, line) && line != "EOD") {
    std::istringstream row(line);
    double x, y;
    int level, backend, wino;
    row >> x >> y >> level >> backend >> wino;
    out[x] = {level, wino};
  }
  return out;
}

TEST_F(RooflineTest, EachPointIsDrawnAgainstTheLevelItsWorkingSetFitsIn) {
  test::write_fake_store(db_, {point(zoo("resnet50", "onednn"), 1, 10 << 10, 0),            // L1d
                               point(zoo("resnet18", "onednn"), 2, 64 << 10, 0),            // L1d, exactly full
                               point(zoo("alexnet", "onednn"), 3, 1.5 * (1 << 20), 0),      // L2 (two threads' L2s)
                               point(zoo("vgg16", "onednn"), 4, 20 << 20, 0),               // L3
                               point(zoo("inception_v3", "onednn"), 5, 100 << 20, 3),       // DRAM, Winograd
                               point(zoo("inception_v3", "torch"), 6, 100 << 20, 0)});      // DRAM
  write_report(db_, dir_ / "out");
  const std::string gp = slurp(dir_ / "out" / "figures" / "fig6_roofline.gp");
  auto pts = roofline_points(gp);
  ASSERT_EQ(pts.size(), 6u);
  EXPECT_EQ(pts[1], std::make_pair(0, 0));
  EXPECT_EQ(pts[2], std::make_pair(0, 0));
  EXPECT_EQ(pts[3], std::make_pair(1, 0));
  EXPECT_EQ(pts[4], std::make_pair(2, 0));
  EXPECT_EQ(pts[5], std::make_pair(3, 1));  // the Winograd mark
  EXPECT_EQ(pts[6], std::make_pair(3, 0));
  // Every roof drawn and named, the levels in the key, the Winograd ring plotted.
  for (const char* s : {"'L1d roof 400 GB/s'", "'L2 roof 200 GB/s'", "'L3 roof 100 GB/s'", "'DRAM roof 30 GB/s'",
                        "'L2: working set <= 2 MiB'", "'DRAM: working set beyond the caches'", "($5==1 ? $2 : NaN)",
                        "compute roof: oneDNN sgemm"})
    EXPECT_NE(gp.find(s), std::string::npos) << s;
  EXPECT_TRUE(std::filesystem::exists(dir_ / "out" / "figures" / "fig6_roofline.svg"));
  EXPECT_NE(slurp(dir_ / "out" / "summary.md").find("engine's own oneDNN sgemm"), std::string::npos);
}

// The compute roof is the fp32 sgemm's: a bf16 or int8 row has another
// peak and is not drawn against it.
TEST_F(RooflineTest, OnlyFp32RowsAreDrawnAgainstTheFp32Roof) {
  test::write_fake_store(db_, {point(zoo("resnet50", "onednn"), 1, 10 << 10, 0),
                               point(zoo("resnet50", "onednn", " precision=bf16"), 2, 10 << 10, 0),
                               point(zoo("resnet50", "onednn", " precision=int8"), 3, 10 << 10, 0)});
  write_report(db_, dir_ / "out");
  const auto pts = roofline_points(slurp(dir_ / "out" / "figures" / "fig6_roofline.gp"));
  ASSERT_EQ(pts.size(), 1u);
  EXPECT_EQ(pts.begin()->first, 1);
}

TEST_F(RooflineTest, RecordsWithoutLevelsKeepTheOneDramRoof) {
  test::write_fake_store(db_, {{zoo("resnet50", "onednn"), 5}, {zoo("resnet50", "torch"), 20}});
  write_report(db_, dir_ / "out");
  const std::string gp = slurp(dir_ / "out" / "figures" / "fig6_roofline.gp");
  EXPECT_NE(gp.find("'DRAM (triad) roof 20 GB/s'"), std::string::npos);
  EXPECT_EQ(gp.find("Winograd"), std::string::npos);  // nothing ran Winograd: no ring in the key
  for (const auto& [x, p] : roofline_points(gp)) EXPECT_EQ(p.first, 0) << x;
}

TEST_F(RooflineTest, AMalformedLevelMakesTheRowUnreadableWithTheReason) {
  json r = test::fake_record({zoo("resnet50", "onednn"), 5});
  r["roofline"]["levels"] = json::array({{{"name", "L1d"}, {"size_bytes", 1}, {"capacity_bytes", 1}, {"bandwidth_gbs", "fast"}}});
  test::write_fake_store(db_, {{zoo("resnet50", "onednn"), 5, 1e9, -1, "ok", r.dump()}, {zoo("resnet50", "torch"), 20}});
  Dataset d = load_dataset(db_);
  ASSERT_EQ(d.unreadable.size(), 1u);
  EXPECT_EQ(d.unreadable[0].reason, "memory level field bandwidth_gbs is not a number");
  EXPECT_EQ(d.ok.size(), 1u);
}

TEST_F(RooflineTest, EachSetOfBackendFactsIsListedOnce) {
  const json onednn = {{"onednn.version", "3.0"}, {"onednn.isa", "avx512"}};
  const json capped = {{"onednn.version", "3.0"}, {"onednn.isa", "avx2"}};
  const json torch = {{"torch.version", "2.0"}};
  test::write_fake_store(db_, {with_facts(zoo("resnet50", "onednn"), onednn), with_facts(zoo("resnet50", "onednn:nofuse"), onednn),
                               with_facts(zoo("resnet50", "torch"), torch), with_facts(zoo("resnet50", "torch-jit"), torch),
                               with_facts(zoo("vgg16", "onednn"), onednn), with_facts(zoo("vgg16", "torch"), torch),
                               with_facts(zoo("vgg16", "onednn", " isa=avx2"), capped)});
  write_report(db_, dir_ / "out");
  const std::string md = slurp(dir_ / "out" / "summary.md");
  const std::string backends = md.substr(md.find("## Backends"));
  EXPECT_EQ(backends,
            "## Backends\n\n"
            "- backends: onednn, onednn:nofuse\n- onednn.isa: avx512\n- onednn.version: 3.0\n"
            "- backends: torch, torch-jit\n- torch.version: 2.0\n"
            "- backends: onednn\n- onednn.isa: avx2\n- onednn.version: 3.0\n");
  const std::string html = slurp(dir_ / "out" / "index.html");
  size_t n = 0;
  for (size_t at = html.find("torch.version"); at != std::string::npos; at = html.find("torch.version", at + 1)) ++n;
  EXPECT_EQ(n, 1u);
}

}  // namespace
}  // namespace fb::report
