// A store holding several experiments of two machines, written through the
// real store code: every figure the report draws must hold exactly its own
// experiment's rows of one machine, read back from the gnuplot data blocks.
#include <gtest/gtest.h>

#include <fmt/core.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "common/error.h"
#include "report/experiment_rows.h"
#include "report/report.h"
#include "report/store_dir_test.h"
#include "report/synthetic_store.h"
#include "study/sqlite.h"

namespace fb::report {
namespace {

using test::FakeRow;

std::string read(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The second column of every row of every data block in a gnuplot script:
// latency per image in the panel and zoo figures.
std::multiset<double> plotted_values(const std::filesystem::path& gp) {
  std::multiset<double> out;
  std::istringstream in(read(gp));
  bool inside = false;
  for (std::string line; std::getline(in, line);) {
    if (line.find("<< EOD") != std::string::npos) inside = true;
    else if (line == "EOD") inside = false;
    else if (inside) {
      std::istringstream cols(line);
      double x, y;
      cols >> x >> y;
      out.insert(y);
    }
  }
  return out;
}

struct Fixture {
  std::vector<FakeRow> rows;
  // (machine, experiment) -> the latencies of its rows, each unique in the store.
  std::map<std::pair<std::string, std::string>, std::multiset<double>> expected;
  double next = 1.0;
  void add(const std::string& machine, const std::string& desc, std::vector<std::pair<std::string, std::string>> ex,
           double misses = -1) {
    const double ms = next;
    next += 0.25;
    for (const auto& e : ex) expected[{machine, e.first}].insert(ms);
    rows.push_back({.descriptor = desc, .ms_per_image = ms, .ll_misses = misses, .machine = machine, .experiments = ex});
  }
};

const std::pair<std::string, std::string> kDepth{"depth", "depth"}, kWidth{"width", "width"}, kCache{"cache", "cache"},
    kZoo{"zoo", "zoo"};

// Two machines, each with a depth, a width, a cache and a zoo experiment; the
// depth and width experiments share one configuration (depth 10, width 32),
// and the cache experiment sweeps depth too (res 224), so a figure that took
// "the series with the most points" would mix them.
Fixture two_machines() {
  Fixture f;
  for (const std::string machine : {"machine-a", "machine-b"}) {
    for (const char* p : {"standard", "dw_bottleneck"})
      for (const char* backend : {"torch", "onednn"}) {
        for (int depth : {10, 30}) {
          auto ex = std::vector{kDepth};
          if (depth == 10) ex.push_back(kWidth);
          f.add(machine, fmt::format("pattern:{} depth={} width=32 res=64 backend={} batch=1 threads=2", p, depth, backend), ex);
        }
        f.add(machine, fmt::format("pattern:{} depth=10 width=128 res=64 backend={} batch=1 threads=2", p, backend), {kWidth});
      }
    for (int depth : {5, 10}) {
      f.add(machine, fmt::format("pattern:dw_bottleneck depth={} width=32 res=224 backend=torch batch=1 threads=2 "
                                 "cache_sim=i5-7600k", depth), {kCache}, 1000.0 * depth);
      f.add(machine, fmt::format("pattern:dw_bottleneck depth={} width=32 res=224 backend=onednn batch=1 threads=2 "
                                 "isa=avx2 cache_sim=i5-7600k", depth), {kCache}, 3.0);
    }
    for (const char* backend : {"torch", "onednn"})
      f.add(machine, fmt::format("resnet18 res=224 classes=1000 backend={} batch=1 threads=2", backend), {kZoo});
  }
  return f;
}

class Experiments : public test::StoreDirTest {};

TEST_F(Experiments, EveryFigureDrawsOnlyItsExperimentsRowsOfOneMachine) {
  Fixture f = two_machines();
  test::write_fake_store(db_, f.rows);
  ReportSummary s = write_report(db_, dir_ / "out");
  EXPECT_EQ(s.machines, 2u);
  const std::string index = read(dir_ / "out" / "index.html");
  size_t checked = 0;
  for (const std::string machine : {"machine-a", "machine-b"}) {
    const auto folder = dir_ / "out" / ("machine-" + machine);
    EXPECT_NE(index.find("machine-" + machine + "/index.html"), std::string::npos);
    ASSERT_TRUE(std::filesystem::exists(folder / "index.html")) << folder;
    // stem prefix -> experiment whose rows it must hold
    const std::vector<std::pair<std::string, std::string>> figures = {{"fig1_depth_synthetic-depth_b1", "depth"},
                                                                      {"fig2_width_synthetic-width_b1", "width"},
                                                                      {"fig3_cache_depth_synthetic-cache_b1", "cache"},
                                                                      {"fig5_zoo_synthetic-zoo", "zoo"}};
    for (const auto& [stem, experiment] : figures) {
      const auto gp = folder / "figures" / (stem + ".gp");
      ASSERT_TRUE(std::filesystem::exists(gp)) << gp;
      EXPECT_EQ(plotted_values(gp), f.expected.at({machine, experiment})) << gp;
      ++checked;
    }
    // No other experiment figure: the depth experiment has no cache figure, ...
    size_t gps = 0;
    for (const auto& e : std::filesystem::directory_iterator(folder / "figures")) gps += e.path().extension() == ".gp";
    EXPECT_EQ(gps, figures.size() + 1) << "one figure per experiment, and the roofline";
    // The labels name the experiment and the fixed knobs.
    const std::string page = read(folder / "index.html");
    EXPECT_NE(page.find("Latency per image vs depth — experiment synthetic/depth; res 64, width 32, batch 1, 2 threads"),
              std::string::npos);
    EXPECT_NE(page.find("Latency per image vs width — experiment synthetic/width; res 64, depth 10, batch 1, 2 threads"),
              std::string::npos);
    EXPECT_NE(page.find("simulated LL: 6 MiB, 12-way, 64 B lines (i5-7600k)"), std::string::npos);
    // The tables hold this machine's rows only.
    const std::string csv = read(folder / "tables" / "measurements.csv");
    EXPECT_NE(csv.find(machine), std::string::npos);
    EXPECT_EQ(csv.find(machine == "machine-a" ? "machine-b" : "machine-a"), std::string::npos);
  }
  EXPECT_EQ(checked, 8u);
}

// The shared configuration is one row of the store, a member of both experiments.
TEST_F(Experiments, OneConfigurationIsStoredOnceAndBelongsToSeveralExperiments) {
  Fixture f = two_machines();
  test::write_fake_store(db_, f.rows);
  auto machines = load_machines(db_);
  ASSERT_EQ(machines.size(), 2u);
  const Dataset& a = machines[0];
  EXPECT_EQ(a.machine_id, "machine-a");
  size_t shared = 0;
  for (const auto& m : a.ok)
    if (m.experiments.size() == 2) {
      ++shared;
      EXPECT_NE(m.descriptor.find("depth=10 width=32 res=64"), std::string::npos);
    }
  EXPECT_EQ(shared, 4u);  // 2 patterns x 2 backends
  EXPECT_EQ(a.experiments.size(), 4u);
  EXPECT_EQ(a.unassigned_rows(), 0u);
}

// A report of two machines must not average them; the single-machine reader
// refuses instead of choosing.
TEST_F(Experiments, TheSingleMachineReaderRefusesAStoreOfTwoMachines) {
  test::write_fake_store(db_, two_machines().rows);
  try {
    load_dataset(db_);
    FAIL() << "no error";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("holds measurements of 2 machines (machine-a, machine-b); their latencies "
                                         "cannot be compared"),
              std::string::npos)
        << e.what();
  }
}

// A store written before experiments (schema version 2) still reports: its
// rows are 'unassigned', drawn as one group, and the page says so.
TEST_F(Experiments, AVersion2StoreReportsItsRowsAsUnassigned) {
  Fixture f = two_machines();
  for (auto& r : f.rows) r.machine = "machine-a";
  std::erase_if(f.rows, [](const FakeRow& r) { return r.descriptor.find("cache_sim") != std::string::npos; });
  test::write_fake_store(db_, f.rows);
  {
    // Exactly what version 2 had: no experiments, no memberships.
    study::Database db(db_, study::OpenMode::read_write);
    db.exec("DROP TABLE memberships; DROP TABLE experiments; "
            "UPDATE meta SET value = '2' WHERE key = 'schema_version';");
  }
  ReportSummary s = write_report(db_, dir_ / "out");
  EXPECT_EQ(s.machines, 1u);
  EXPECT_GE(s.figures_drawn, 4u);  // depth, width, zoo, roofline
  const std::string page = read(dir_ / "out" / "index.html");
  EXPECT_NE(page.find("Rows in &#39;unassigned&#39; belong to no experiment"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "out" / "figures" / "fig1_depth_unassigned_b1.gp"));
  // Reading it changed nothing: still version 2.
  study::Database db(db_, study::OpenMode::read_only);
  auto q = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'");
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q.text(0), "2");
}

// The claims read rows through experiment_rows(): a row the store assigns is
// judged by its experiments' kinds, not by what its descriptor looks like.
TEST_F(Experiments, TheClaimsRowsFollowTheStoredExperiments) {
  Fixture f = two_machines();
  std::erase_if(f.rows, [](const FakeRow& r) { return r.machine != "machine-a"; });
  // A series over depth that its spec calls an 'isa' experiment: no depth rows.
  for (int depth : {10, 20})
    f.rows.push_back({.descriptor = fmt::format("pattern:grouped depth={} width=32 res=64 backend=torch batch=1 threads=2", depth),
                      .ms_per_image = 500.0 + depth, .machine = "machine-a", .experiments = {{"caps", "isa"}}});
  test::write_fake_store(db_, f.rows);
  Dataset d = load_dataset(db_);
  std::multiset<double> depth_rows, cache_rows, zoo_rows;
  for (const auto* m : experiment_rows(d, Experiment::Depth)) depth_rows.insert(m->per_image_ms);
  for (const auto* m : experiment_rows(d, Experiment::CacheDepth)) cache_rows.insert(m->per_image_ms);
  for (const auto* m : experiment_rows(d, Experiment::Zoo)) zoo_rows.insert(m->per_image_ms);
  EXPECT_EQ(depth_rows, f.expected.at({"machine-a", "depth"}));
  EXPECT_EQ(cache_rows, f.expected.at({"machine-a", "cache"}));
  EXPECT_EQ(zoo_rows, f.expected.at({"machine-a", "zoo"}));
}

}  // namespace
}  // namespace fb::report
