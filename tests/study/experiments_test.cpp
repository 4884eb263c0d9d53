// Experiments in the store: a spec's groups name them, a configuration two
// experiments share is measured once and linked to both, merge carries the
// links without duplicates, and a version-2 store is migrated forward.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "common/error.h"
#include "study/grid.h"
#include "study/presets.h"
#include "study/runner.h"
#include "study/spec.h"
#include "study/store.h"
#include "test_util.h"

namespace fb::study {
namespace {

using testing::ScratchDir;

const char* kTwoExperiments = R"(
name = "mine"
[defaults]
backends = ["torch"]
threads = [1]
[[group]]
name = "deep"
patterns = ["standard"]
depth = [1, 2]
width = 8
res = 16
[[group]]
experiment = "wide"
patterns = ["standard"]
depth = 1
width = [8, 16]
res = 16
[[group]]
models = ["pattern:standard depth=1 width=8 res=16"]
kind = "other"
)";

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST(Experiments, SpecGroupsNameExperimentsAndKindsAreInferred) {
  SweepSpec s = parse_spec(kTwoExperiments, "mine.toml");
  const std::vector<std::pair<std::string, std::string>> want = {{"deep", "depth"}, {"wide", "width"}, {"group3", "other"}};
  EXPECT_EQ(spec_experiments(s), want);
  // The shared configuration is in the grid once, a member of all three.
  auto grid = expand(s, 1);
  EXPECT_EQ(grid.size(), 3u);
  for (const auto& c : grid)
    if (c.descriptor.find("depth=1 width=8 ") != std::string::npos) {
      EXPECT_EQ(c.experiments, (std::vector<std::string>{"deep", "wide", "group3"}));
    }
}

TEST(Experiments, ASpecGivingOneExperimentTwoKindsIsRefused) {
  const std::string toml = R"([defaults]
backends = ["torch"]
[[group]]
experiment = "x"
patterns = ["standard"]
depth = [1, 2]
[[group]]
experiment = "x"
patterns = ["standard"]
width = [8, 16]
)";
  try {
    parse_spec(toml, "two.toml");
    FAIL() << "accepted";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("two.toml: experiment 'x' is a 'depth' experiment in one group and a 'width' "
                                         "one in group 'group2'"),
              std::string::npos)
        << e.what();
  }
  try {
    parse_spec("[[group]]\npatterns = [\"standard\"]\nbackends = [\"torch\"]\nkind = \"deep\"\n", "k.toml");
    FAIL() << "accepted";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("k.toml:4: 'kind' must be one of: depth, width, cache, zoo, ablation, isa, precision, profile, peers, other"),
              std::string::npos)
        << e.what();
  }
}

// In the quick study the depth grid's batch-1 depth-10 rows are also the
// width grid's width 32 and the ablation's baseline: one row, three experiments.
TEST(Experiments, QuickPresetSharesConfigurationsBetweenExperiments) {
  auto grid = expand(preset("quick"), 2);
  size_t shared = 0;
  for (const auto& c : grid) {
    // (the profile experiment's row of it is another key: profile=1)
    if (c.descriptor.find("pattern:bottleneck depth=10 width=32 res=64") == 0 &&
        c.descriptor.find("backend=onednn batch=1") != std::string::npos &&
        c.descriptor.find(" profile=1") == std::string::npos) {
      EXPECT_EQ(sorted(c.experiments), sorted({"depth", "width", "ablation"})) << c.descriptor;
    }
    shared += c.experiments.size() > 1;
  }
  EXPECT_GT(shared, 0u);
  for (const auto& [name, kind] : spec_experiments(preset("paper")))
    EXPECT_EQ(kind, name.rfind("cache", 0) == 0 ? "cache" : name) << name;
}

int64_t count(Store& s, const std::string& sql) {
  auto q = s.db().prepare(sql);
  q.step();
  return q.integer(0);
}

struct Sweep : ::testing::Test {
  ScratchDir dir;
  std::ostringstream log;
  RunOptions opts(const std::string& db) {
    RunOptions o;
    o.db_path = db;
    o.measure_command = {FAKE_MEASURE_BIN};
    o.log = &log;
    o.tty = false;
    return o;
  }
};

TEST_F(Sweep, TheRunnerLinksEveryConfigurationToItsExperimentsAndMergeCarriesThem) {
  SweepSpec spec = parse_spec(kTwoExperiments, "mine.toml");
  RunSummary r = run_sweep(spec, opts(dir / "a.sqlite"));
  EXPECT_EQ(r.ok, 3);
  {
    Store s(dir / "a.sqlite", StoreAccess::read_only);
    EXPECT_EQ(s.experiments().size(), 3u);
    EXPECT_EQ(s.memberships().size(), 2u + 2u + 1u);
    EXPECT_EQ(count(s, "SELECT count(*) FROM measurements"), 3);
  }
  // Resuming measures nothing and adds no link twice.
  run_sweep(spec, opts(dir / "a.sqlite"));
  EXPECT_EQ(Store(dir / "a.sqlite", StoreAccess::read_only).memberships().size(), 5u);
  // Merged twice: the same experiments and links, mapped to the output's ids.
  merge_stores(dir / "all.sqlite", {dir / "a.sqlite"}, [](const std::string&) {});
  merge_stores(dir / "all.sqlite", {dir / "a.sqlite", dir / "a.sqlite"}, [](const std::string&) {});
  Store out(dir / "all.sqlite", StoreAccess::read_only);
  EXPECT_EQ(out.experiments().size(), 3u);
  EXPECT_EQ(out.memberships().size(), 5u);
  EXPECT_EQ(count(out, "SELECT count(*) FROM memberships m JOIN experiments e ON e.id = m.experiment_id "
                       "WHERE e.sweep = 'mine' AND e.name = 'wide' AND e.kind = 'width'"),
            2);
}

TEST_F(Sweep, AVersion2StoreIsMigratedAndAResumedSweepAssignsItsRows) {
  SweepSpec spec = parse_spec(kTwoExperiments, "mine.toml");
  run_sweep(spec, opts(dir / "old.sqlite"));
  {
    Database db(dir / "old.sqlite", OpenMode::read_write);
    db.exec("DROP TABLE memberships; DROP TABLE experiments; UPDATE meta SET value = '2' WHERE key = 'schema_version';");
  }
  {
    Store old(dir / "old.sqlite", StoreAccess::read_only);  // readers read it as it is
    EXPECT_EQ(old.schema_version(), 2);
    EXPECT_TRUE(old.experiments().empty());
    EXPECT_TRUE(old.memberships().empty());
  }
  RunSummary again = run_sweep(spec, opts(dir / "old.sqlite"));
  EXPECT_EQ(again.already_stored, 3);
  Store s(dir / "old.sqlite", StoreAccess::read_only);
  EXPECT_EQ(s.schema_version(), kSchemaVersion);
  EXPECT_EQ(s.memberships().size(), 5u);
}

}  // namespace
}  // namespace fb::study
