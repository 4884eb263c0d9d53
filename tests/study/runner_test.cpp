// The runner against the fake measurer: every way a child can fail is stored
// and the sweep goes on; resume measures nothing twice; the pre-flight skips.
#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "study/presets.h"
#include "study/runner.h"
#include "study/store.h"
#include "test_util.h"

namespace fb::study {
namespace {

using testing::read_lines;
using testing::ScratchDir;

SweepSpec small_spec(std::vector<std::pair<std::string, std::string>> env = {}) {
  SweepSpec s;
  s.name = "t";
  s.source = "test";
  SweepGroup g;
  g.name = "g";
  g.patterns = {"standard", "dw_separable"};
  g.depths = {1, 2};
  g.widths = {8};
  g.resolutions = {16};
  g.backends = {"torch", "onednn"};
  g.threads = {1};
  g.env = std::move(env);
  s.groups = {g};
  s.measure.timeout_s = 20;
  return s;
}

struct Fixture : ::testing::Test {
  ScratchDir dir;
  std::ostringstream log;
  RunOptions opts() {
    RunOptions o;
    o.db_path = dir / "r.sqlite";
    o.measure_command = {FAKE_MEASURE_BIN};
    o.log = &log;
    o.tty = false;
    return o;
  }
  void SetUp() override { setenv("FAKE_MEASURE_LOG", (dir / "measured.log").c_str(), 1); }
  void TearDown() override { unsetenv("FAKE_MEASURE_LOG"); }
};

TEST_F(Fixture, MeasuresEverythingThenResumesWithoutRepeating) {
  RunSummary first = run_sweep(small_spec(), opts());
  EXPECT_EQ(first.grid, 8);
  EXPECT_EQ(first.ok, 8);
  EXPECT_EQ(read_lines(dir / "measured.log").size(), 8u);
  RunSummary second = run_sweep(small_spec(), opts());
  EXPECT_EQ(second.already_stored, 8);
  EXPECT_EQ(second.ok + second.failed + second.skipped, 0);
  EXPECT_EQ(read_lines(dir / "measured.log").size(), 8u) << "the second run measured something again";
  Store s(dir / "r.sqlite");
  EXPECT_EQ(s.count("ok"), 8);
  EXPECT_EQ(s.sweeps().size(), 2u);
  EXPECT_EQ(s.sweeps()[0].outcome, "complete");
  EXPECT_NE(log.str().find("[8/8] ok"), std::string::npos) << log.str();
  EXPECT_NE(log.str().find("ms/image"), std::string::npos) << log.str();
}

// The sweep's children share the store's tuning table: each is told where it is.
TEST_F(Fixture, EveryChildGetsTheStoreAsItsTuningCache) {
  setenv("FAKE_MEASURE_ARGV_LOG", (dir / "argv.log").c_str(), 1);
  const RunSummary sum = run_sweep(small_spec(), opts());
  unsetenv("FAKE_MEASURE_ARGV_LOG");
  const auto lines = read_lines(dir / "argv.log");
  ASSERT_EQ(lines.size(), static_cast<size_t>(sum.ok));
  const std::string want = "--tune-cache " + std::filesystem::absolute(dir / "r.sqlite").string();
  for (const auto& l : lines) EXPECT_NE(l.find(want), std::string::npos) << l;
}

TEST_F(Fixture, EveryKindOfFailureIsStoredAndTheSweepGoesOn) {
  SweepSpec s = small_spec();
  s.groups[0].patterns = {"standard"};
  s.groups[0].depths = {1};
  s.groups[0].backends = {"onednn"};
  for (const char* mode : {"crash", "garbage", "fail", "hang", "none"}) {
    SweepGroup g = s.groups[0];
    g.name = mode;
    g.env = {{"FAKE", mode}};
    s.groups.push_back(g);
  }
  s.groups.erase(s.groups.begin());
  s.measure.timeout_s = 1.5;
  RunSummary r = run_sweep(s, opts());
  EXPECT_EQ(r.ok, 1);
  EXPECT_EQ(r.failed, 4);
  Store store(dir / "r.sqlite");
  const std::string base = "pattern:standard depth=1 width=8 res=16 classes=1000 backend=onednn batch=1 threads=1 env.FAKE=";
  const std::string id = this_machine().id;
  auto error_of = [&](const char* mode) { return store.get(base + mode, id)->error; };
  EXPECT_NE(error_of("crash").find("killed by signal 6"), std::string::npos) << error_of("crash");
  EXPECT_NE(error_of("crash").find("crashing on purpose"), std::string::npos) << error_of("crash");
  EXPECT_NE(error_of("garbage").find("printed no JSON record"), std::string::npos) << error_of("garbage");
  EXPECT_EQ(error_of("fail"), "fake: the backend refused");
  EXPECT_NE(error_of("hang").find("timed out after"), std::string::npos) << error_of("hang");
  EXPECT_EQ(store.get(base + "none", id)->status, "ok");

  // Failed rows are retried only when asked.
  EXPECT_EQ(run_sweep(s, opts()).failed, 0);
  RunOptions retry = opts();
  retry.retry_failed = true;
  EXPECT_EQ(run_sweep(s, retry).failed, 4);
  EXPECT_EQ(store.count(), 5);
}

// An ok record that the record's reader (measure/record.h) refuses used to be
// stored ok and dropped by the report; it is stored failed, saying why.
TEST_F(Fixture, AnOkRecordThatDoesNotReadBackIsStoredFailed) {
  SweepSpec s = small_spec({{"FAKE", "badfield"}});
  s.groups[0].patterns = {"standard"};
  s.groups[0].depths = {1};
  s.groups[0].backends = {"onednn"};
  RunSummary r = run_sweep(s, opts());
  EXPECT_EQ(r.ok, 0);
  EXPECT_EQ(r.failed, 1);
  Store store(dir / "r.sqlite");
  auto row = store.get("pattern:standard depth=1 width=8 res=16 classes=1000 backend=onednn batch=1 threads=1 "
                       "env.FAKE=badfield", this_machine().id);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->error, "measure printed an ok record that is not one: record field per_image_ms.median is not a number");
}

// A child's stderr with bytes that are not UTF-8, or a tail cut in the middle
// of a character, used to make the record's JSON dump throw: the sweep died
// with nothing stored and every resume died on the same configuration.
TEST_F(Fixture, ChildBytesThatAreNotUtf8AreStoredAndResumeGoesOn) {
  SweepSpec s = small_spec();
  s.groups[0].patterns = {"standard"};
  s.groups[0].depths = {1};
  s.groups[0].backends = {"onednn"};
  for (const char* mode : {"badbytes", "cutchar"}) {
    SweepGroup g = s.groups[0];
    g.name = mode;
    g.env = {{"FAKE", mode}};
    s.groups.push_back(g);
  }
  RunSummary r = run_sweep(s, opts());
  EXPECT_EQ(r.ok, 1);
  EXPECT_EQ(r.failed, 2);
  Store store(dir / "r.sqlite");
  const std::string base = "pattern:standard depth=1 width=8 res=16 classes=1000 backend=onednn batch=1 threads=1";
  const std::string id = this_machine().id, fffd = "\xef\xbf\xbd";
  auto bad = store.get(base + " env.FAKE=badbytes", id);
  ASSERT_TRUE(bad);
  EXPECT_NE(bad->error.find("fake: bad bytes " + fffd + fffd + " here, a lone continuation " + fffd), std::string::npos)
      << bad->error;
  EXPECT_NE(nlohmann::json::parse(bad->record_json)["stderr_tail"].get<std::string>().find(fffd),
            std::string::npos);
  auto cut = store.get(base + " env.FAKE=cutchar", id);
  ASSERT_TRUE(cut);
  const std::string tail = nlohmann::json::parse(cut->record_json)["stderr_tail"].get<std::string>();
  EXPECT_EQ(tail.substr(0, 6), "...\xe2\x82\xac") << "the tail is cut between characters";
  EXPECT_EQ(tail.find(fffd), std::string::npos);
  // Resume proceeds: retrying the failed rows stores them again.
  RunOptions retry = opts();
  retry.retry_failed = true;
  EXPECT_EQ(run_sweep(s, retry).failed, 2);
  EXPECT_EQ(store.count(), 3);
}

// A spec shared by someone else may not load a library into every measurement.
TEST_F(Fixture, LoaderVariablesInASpecAreRefusedBeforeTheStoreIsTouched) {
  SweepSpec s = small_spec({{"LD_PRELOAD", "/tmp/evil.so"}});
  try {
    run_sweep(s, opts());
    FAIL() << "LD_PRELOAD was accepted";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("test, group 'g', sets LD_PRELOAD, which changes what code the measuring "
                                         "process loads or runs"),
              std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("pass --allow-loader-env"), std::string::npos) << e.what();
  }
  EXPECT_THROW(dry_run(s, opts()), UsageError);
  EXPECT_FALSE(std::filesystem::exists(dir / "r.sqlite"));
  EXPECT_TRUE(read_lines(dir / "measured.log").empty());
  RunOptions allowed = opts();
  allowed.allow_loader_env = true;
  s.groups[0].env = {{"LD_BIND_NOW", "1"}};
  EXPECT_EQ(run_sweep(s, allowed).ok, 8);
}

TEST_F(Fixture, MemoryPreflightStoresSkippedWithTheReason) {
  RunOptions o = opts();
  o.mem_available = int64_t{100} << 20;  // 100 MiB: below the runtime base alone
  RunSummary r = run_sweep(small_spec(), o);
  EXPECT_EQ(r.skipped, 8);
  EXPECT_TRUE(read_lines(dir / "measured.log").empty());
  Store s(dir / "r.sqlite");
  EXPECT_EQ(s.count("skipped"), 8);
  Measurement m;
  s.for_each([&](const Measurement& x) { m = x; });
  EXPECT_NE(m.error.find("memory pre-flight: needs ~"), std::string::npos) << m.error;
  EXPECT_NE(m.error.find("0.10 GiB available (MemAvailable); lower batch, res or width"), std::string::npos) << m.error;
  // With memory, --retry-failed measures them.
  o.mem_available.reset();
  o.retry_failed = true;
  EXPECT_EQ(run_sweep(small_spec(), o).ok, 8);
  EXPECT_EQ(s.count("ok"), 8);
}

TEST_F(Fixture, MaxTimeStopsStartingAndSaysHowManyAreLeft) {
  setenv("FAKE_MEASURE_SLEEP_MS", "300", 1);
  RunOptions o = opts();
  o.max_time_s = 0.5;
  RunSummary r = run_sweep(small_spec(), o);
  unsetenv("FAKE_MEASURE_SLEEP_MS");
  EXPECT_GE(r.ok, 1);
  EXPECT_LT(r.ok, 8);
  EXPECT_EQ(r.ok + r.left, 8);
  EXPECT_NE(log.str().find("configurations left; run the same command again to resume"), std::string::npos)
      << log.str();
  RunSummary rest = run_sweep(small_spec(), opts());
  EXPECT_EQ(rest.ok, r.left);
  EXPECT_EQ(Store(dir / "r.sqlite").count("ok"), 8);
}

TEST_F(Fixture, ShardsFillDisjointStoresThatMergeIntoTheWhole) {
  int64_t total = 0;
  Store all(dir / "all.sqlite");
  for (int i = 0; i < 3; ++i) {
    RunOptions o = opts();
    o.db_path = dir / ("shard" + std::to_string(i) + ".sqlite");
    o.shard = Shard{i, 3};
    total += run_sweep(small_spec(), o).ok;
    MergeSummary m = merge_into(all, o.db_path, [](const std::string&) {});
    EXPECT_EQ(m.replaced + m.conflicts, 0);
  }
  EXPECT_EQ(total, 8);
  EXPECT_EQ(all.count("ok"), 8);
}

TEST_F(Fixture, DryRunListsTheGridWithAnEstimate) {
  std::string text = dry_run(small_spec(), opts());
  EXPECT_NE(text.find("study t (test): 8 configurations; 0 already stored"), std::string::npos) << text;
  EXPECT_NE(text.find("estimated time: "), std::string::npos) << text;
  EXPECT_NE(text.find("GFLOP/s"), std::string::npos) << text;
  EXPECT_TRUE(read_lines(dir / "measured.log").empty());
}

// The quick preset's cache experiment is two groups (native and accelerated)
// of one name: the per-experiment lines list it once, with both groups' count.
TEST_F(Fixture, DryRunListsEachExperimentOnce) {
  std::string text = dry_run(preset("quick"), opts());
  size_t lines = 0;
  for (size_t at = text.find("\n  cache "); at != std::string::npos; at = text.find("\n  cache ", at + 1)) ++lines;
  EXPECT_EQ(lines, 1u) << text;
  EXPECT_NE(text.find("\n  cache            4 configurations"), std::string::npos) << text;
}

}  // namespace
}  // namespace fb::study
