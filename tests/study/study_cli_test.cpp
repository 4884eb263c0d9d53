// formbench study / merge / export as a user meets them, with the fake
// measurer; including a sweep killed with SIGKILL mid-way and resumed.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "study/child.h"
#include "study/machine.h"
#include "study/store.h"
#include "test_util.h"

namespace fb::study {
namespace {

using testing::read_lines;
using testing::twelve_configuration_spec;
using testing::ScratchDir;
using testing::write_file;

struct Result {
  int code;
  std::string out;
};

// formbench with whitespace-separated arguments (no shell): stderr, then stdout.
Result run(const std::string& args) {
  std::vector<std::string> argv = {FORMBENCH_BIN};
  std::istringstream words(args);
  for (std::string w; words >> w;) argv.push_back(w);
  ChildResult r = run_child(argv, 60);
  return {r.exit_code, r.err + r.out};
}

int64_t ok_rows(const std::string& db) {
  if (!std::filesystem::exists(db)) return 0;
  try {
    return Store(db, false).count("ok");
  } catch (const std::exception&) {
    return 0;  // not created yet
  }
}

TEST(StudyCli, KilledSweepResumesWithCompleteUniqueRows) {
  ScratchDir dir;
  const std::string spec = dir / "spec.toml", db = dir / "r.sqlite", log = dir / "measured.log";
  write_file(spec, twelve_configuration_spec("killable"));
  const std::string fake = FAKE_MEASURE_BIN;
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    setenv("FAKE_MEASURE_SLEEP_MS", "250", 1);
    setenv("FAKE_MEASURE_LOG", log.c_str(), 1);
    freopen("/dev/null", "w", stderr);
    execl(FORMBENCH_BIN, FORMBENCH_BIN, "study", spec.c_str(), "--db", db.c_str(), "--measure-command", fake.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (ok_rows(db) < 3 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the sweep finished before it could be killed";
  const int64_t before = ok_rows(db);
  EXPECT_GE(before, 3);
  EXPECT_LT(before, 12);
  std::this_thread::sleep_for(std::chrono::milliseconds(400));  // an orphaned measurer would log by now
  const auto measured_before = read_lines(log);
  EXPECT_EQ(static_cast<int64_t>(measured_before.size()), before) << "a measurement outlived the killed sweep";

  setenv("FAKE_MEASURE_LOG", log.c_str(), 1);
  Result r = run("study " + spec + " --db " + db + " --measure-command " + fake);
  unsetenv("FAKE_MEASURE_LOG");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find(std::to_string(before) + " already stored"), std::string::npos) << r.out;
  Store s(db, false);
  EXPECT_EQ(s.count(), 12);
  EXPECT_EQ(s.count("ok"), 12);
  auto distinct = s.db().prepare("SELECT count(DISTINCT descriptor) FROM measurements");
  distinct.step();
  EXPECT_EQ(distinct.integer(0), 12);
  auto measured = read_lines(log);
  EXPECT_EQ(measured.size(), 12u) << "something was measured twice";
  EXPECT_EQ(std::set<std::string>(measured.begin(), measured.end()).size(), 12u);

  // A third run measures nothing new.
  Result again = run("study " + spec + " --db " + db + " --measure-command " + fake);
  EXPECT_NE(again.out.find("12 already stored"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("0 to measure"), std::string::npos) << again.out;
}

TEST(StudyCli, DryRunMergeAndExport) {
  ScratchDir dir;
  const std::string spec = dir / "spec.toml";
  write_file(spec, twelve_configuration_spec("killable"));
  Result dry = run("study " + spec + " --dry-run --db " + (dir / "none.sqlite"));
  EXPECT_EQ(dry.code, 0) << dry.out;
  EXPECT_NE(dry.out.find("study killable (" + spec + "): 12 configurations"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("estimated time: "), std::string::npos) << dry.out;
  EXPECT_FALSE(std::filesystem::exists(dir / "none.sqlite"));

  const std::string fake = std::string(" --measure-command ") + FAKE_MEASURE_BIN;
  for (int i = 0; i < 2; ++i) {
    Result r = run("study " + spec + " --shard " + std::to_string(i) + "/2 --db " + (dir / "s") + std::to_string(i) +
                   ".sqlite" + fake);
    EXPECT_EQ(r.code, 0) << r.out;
  }
  Result m = run("merge " + (dir / "s0.sqlite") + " " + (dir / "s1.sqlite") + " -o " + (dir / "all.sqlite"));
  EXPECT_EQ(m.code, 0) << m.out;
  EXPECT_NE(m.out.find("all.sqlite: 12 measurements (12 ok, 0 failed, 0 skipped)"), std::string::npos) << m.out;

  Result csv = run("export " + (dir / "all.sqlite") + " --csv");
  EXPECT_EQ(csv.code, 0) << csv.out;
  EXPECT_EQ(std::count(csv.out.begin(), csv.out.end(), '\n'), 13) << csv.out;
  Result json = run("export " + (dir / "all.sqlite") + " --json -o " + (dir / "all.json"));
  EXPECT_EQ(json.code, 0) << json.out;
  std::ifstream in(dir / "all.json");
  EXPECT_EQ(nlohmann::json::parse(in).size(), 12u);
}

TEST(StudyCli, BadInputIsOneLineAndExitTwo) {
  ScratchDir dir;
  write_file(dir / "bad.toml", "[[group]]\npatterns = [\"standard\"]\nbackend = [\"torch\"]\n");
  write_file(dir / "nobackend.toml", "[[group]]\npatterns = [\"standard\"]\nbackends = [\"nosuch\"]\n");
  {
    Store s(dir / "new.sqlite");
    s.db().exec("UPDATE meta SET value = '9' WHERE key = 'schema_version'");
  }
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"study " + (dir / "bad.toml"), "bad.toml:3: unknown key 'backend' in [[group]]"},
      {"study " + (dir / "nobackend.toml") + " --db " + (dir / "x.sqlite"), "uses backend 'nosuch', which this formbench was built without"},
      {"study nosuchpreset", "unknown preset 'nosuchpreset'"},
      {"study quick --shard 2/2 --dry-run", "--shard '2/2'"},
      {"study quick --max-time soon --dry-run", "--max-time: 'soon' is not a duration; write e.g. 90s"},
      {"export " + (dir / "missing.sqlite") + " --csv", "no such store"},
      {"export " + (dir / "new.sqlite") + " --json",
       "has schema version 9, this formbench reads up to " + std::to_string(kSchemaVersion) + "; use a newer formbench"},
      {"merge " + (dir / "new.sqlite") + " -o " + (dir / "new.sqlite"), "is the input"},
  };
  for (const auto& [args, expected] : cases) {
    Result r = run(args);
    EXPECT_NE(r.code, 0) << args;
    EXPECT_NE(r.out.find(expected), std::string::npos) << args << "\n" << r.out;
    EXPECT_EQ(r.out.find('\n'), r.out.size() - 1) << "expected one line for " << args << "\n" << r.out;
  }
}

// formbench with an argument vector as given (words may hold spaces).
Result run_argv(std::vector<std::string> args) {
  args.insert(args.begin(), FORMBENCH_BIN);
  ChildResult r = run_child(args, 60);
  return {r.exit_code, r.err + r.out};
}

TEST(StudyCli, MeasureCommandKeepsQuotedSpacesAndRunsNoShell) {
  ScratchDir dir;
  const std::string spec = dir / "spec.toml", db = dir / "r.sqlite";
  write_file(spec, twelve_configuration_spec("killable"));
  std::filesystem::create_directories(dir / "my tools");
  std::filesystem::create_symlink(FAKE_MEASURE_BIN, dir / "my tools/fake measure");
  // Used to be split on every space: "'/.../my" ran, and every row failed.
  Result r = run_argv({"study", spec, "--db", db, "--measure-command", "'" + (dir / "my tools/fake measure") + "'"});
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(Store(db, false).count("ok"), 12);
  Result sub = run_argv({"study", spec, "--db", dir / "x.sqlite", "--measure-command", "fake $(touch pwned)"});
  EXPECT_EQ(sub.code, 2);
  EXPECT_NE(sub.out.find("command substitution is not allowed"), std::string::npos) << sub.out;
  EXPECT_FALSE(std::filesystem::exists("pwned"));
}

TEST(StudyCli, ConfigurationsABackendCannotRunAreRefusedWhenTheSpecIsLoaded) {
  ScratchDir dir;
  const std::string spec = dir / "spec.toml", db = dir / "r.sqlite";
  write_file(spec, twelve_configuration_spec("killable") + "isa = \"avx2\"\n");
  for (const char* extra : {"", "--dry-run"}) {
    std::vector<std::string> args = {"study", spec, "--db", db, "--measure-command", FAKE_MEASURE_BIN};
    if (*extra) args.push_back(extra);
    Result r = run_argv(args);
    EXPECT_EQ(r.code, 2) << r.out;
    EXPECT_NE(r.out.find(spec + ": group 'group1': pattern:standard depth=1 width=8 res=16 classes=1000 "
                                "backend=reference batch=1 threads=1 isa=avx2: backend 'reference' cannot cap its "
                                "instruction set"),
              std::string::npos)
        << r.out;
  }
  EXPECT_EQ(ok_rows(db), 0) << "nothing may be measured";
}

TEST(StudyCli, ConfigurationThatCannotFitIsSkippedWithTheReason) {
  ScratchDir dir;
  const std::string spec = dir / "spec.toml", db = dir / "r.sqlite";
  write_file(spec, R"(
[[group]]
patterns = ["standard"]
depth = 1
width = 1024
res = 1024
batch = 4096
backends = ["reference"]
threads = [1]
)");
  Result r = run_argv({"study", spec, "--db", db, "--measure-command", FAKE_MEASURE_BIN});
  EXPECT_EQ(r.code, 0) << r.out;
  Store s(db, false);
  EXPECT_EQ(s.count("skipped"), 1);
  Measurement m;
  s.for_each([&](const Measurement& x) { m = x; });
  EXPECT_NE(m.error.find("memory pre-flight: needs ~"), std::string::npos) << m.error;
  EXPECT_NE(m.error.find("(all activations "), std::string::npos) << m.error;  // the reference backend's policy
  EXPECT_NE(m.error.find("available (MemAvailable); lower batch, res or width"), std::string::npos) << m.error;
}

TEST(StudyCli, EstimateThatWouldOverflowIsRefusedNotNegative) {
  ScratchDir dir;
  const std::string spec = dir / "spec.toml";
  write_file(spec, "[[group]]\npatterns = [\"standard\"]\ndepth = 1\nwidth = 8192\nres = 4096\nbatch = 65536\n"
                   "backends = [\"reference\"]\n");
  Result dry = run_argv({"study", spec, "--dry-run", "--db", dir / "none.sqlite"});
  EXPECT_EQ(dry.code, 2) << dry.out;
  EXPECT_NE(dry.out.find("the MACs does not fit in 64 bits; lower batch, res, width or depth"), std::string::npos)
      << dry.out;
}

}  // namespace
}  // namespace fb::study
