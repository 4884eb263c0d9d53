// Cache simulation: geometry presets and checks, the callgrind output parser,
// and the point of it all: the counts are identical from run to run.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "common/error.h"
#include "measure/cache_sim.h"

namespace fb {
namespace {

bool has_valgrind() { return access("/usr/bin/valgrind", X_OK) == 0 || access("/usr/local/bin/valgrind", X_OK) == 0; }


TEST(CacheSim, Presets) {
  CacheSimSetup i5 = cache_sim_setup("i5-7600k");
  EXPECT_EQ(i5.ll.str(), "6291456,12,64");
  EXPECT_EQ(i5.d1.str(), "32768,8,64");
  CacheSimSetup given = cache_sim_setup("4194304,16,64");
  EXPECT_EQ(given.ll.str(), "4194304,16,64");
  CacheSimSetup host = cache_sim_setup("host");
  EXPECT_GT(host.ll.size_bytes, host.d1.size_bytes);
  auto args = valgrind_args(i5, "/tmp/x.out");
  for (const char* want : {"--tool=callgrind", "--cache-sim=yes", "--collect-atstart=no", "--LL=6291456,12,64"})
    EXPECT_NE(std::find(args.begin(), args.end(), want), args.end()) << want;
}

TEST(CacheSim, BadGeometriesAreUsageErrors) {
  for (const char* bad : {"huge", "1,2", "6291456,12,63", "6291456,10,64", "0,8,64"})
    EXPECT_THROW(cache_sim_setup(bad), UsageError) << bad;
}

TEST(CacheSim, ParsesCallgrindTotals) {
  std::string path = testing::TempDir() + "/fb_callgrind_test.out";
  std::ofstream(path) << "# callgrind format\nversion: 1\nevents: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw\n"
                         "fn=(1) main\n3 10 2 1\n"
                         "totals: 1000 400 200 5 30 20 4 7 3\n";
  auto t = parse_callgrind_totals(path);
  EXPECT_EQ(t["Ir"], 1000);
  EXPECT_EQ(t["D1mr"], 30);
  EXPECT_EQ(t["DLmw"], 3);
  std::remove(path.c_str());
}

TEST(CacheSim, TwoRunsGiveIdenticalCounts) {
  if (!has_valgrind())
    GTEST_SKIP() << "valgrind is not installed (scripts/setup.sh installs it); cache simulation not tested";
  const std::string tiny =
      "pattern:dw_bottleneck depth=1 width=8 res=32 classes=10 backend=reference batch=1 threads=1 cache_sim=i5-7600k";
  CacheSimSetup s = cache_sim_setup("i5-7600k");
  CacheSimSection a = simulate_cache(FORMBENCH_BIN, tiny, s, {}, 300);
  CacheSimSection b = simulate_cache(FORMBENCH_BIN, tiny, s, {}, 300);
  EXPECT_EQ(a.ll_misses, b.ll_misses);
  EXPECT_EQ(a.d1_misses, b.d1_misses);
  EXPECT_EQ(a.instructions, b.instructions);
  EXPECT_GT(a.instructions.value_or(0), 1e5);
  EXPECT_GT(a.d1_misses.value_or(0), 0);
  EXPECT_EQ(a.ll_geometry, "6291456,12,64");
}

// Paths in `dir` whose name starts with `prefix`.
std::set<std::string> entries(const std::filesystem::path& dir, const std::string& prefix) {
  std::set<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().filename().string().rfind(prefix, 0) == 0) out.insert(e.path().string());
  return out;
}

// True when some process has `parent` as its parent (the simulation's valgrind).
bool has_child(pid_t parent) {
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    std::ifstream stat(e.path() / "stat");
    std::string text;
    if (!std::getline(stat, text)) continue;
    auto close = text.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(text.substr(close + 2));
    char state;
    pid_t ppid = 0;
    if (rest >> state >> ppid && ppid == parent) return true;
  }
  return false;
}

// The measuring process killed in the middle of its cache simulation, as a
// sweep's timeout kills it (SIGKILL to its process group), used to leave its
// /tmp/formbench-cachesim-* folder behind.
TEST(CacheSim, KilledMidSimulationLeavesNoTemporaries) {
  if (!has_valgrind()) GTEST_SKIP() << "valgrind is not installed (scripts/setup.sh installs it)";
  std::string tmpl = (std::filesystem::temp_directory_path() / "fb-cachesim-kill-XXXXXX").string();
  ASSERT_TRUE(mkdtemp(tmpl.data()));
  const std::filesystem::path tmpdir = tmpl;
  const auto before = entries("/tmp", "formbench-cachesim-");
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    setpgid(0, 0);
    setenv("TMPDIR", tmpdir.c_str(), 1);
    freopen("/dev/null", "w", stdout);
    freopen("/dev/null", "w", stderr);
    execl(FORMBENCH_BIN, FORMBENCH_BIN, "measure", "--min-runs", "3", "--min-time", "0", "--max-warmup", "3", "--budget",
          "1", "--max-retries", "0", "--",
          "pattern:dw_bottleneck depth=1 width=8 res=32 classes=10 backend=reference batch=1 threads=1 "
          "cache_sim=i5-7600k",
          static_cast<char*>(nullptr));
    _exit(127);
  }
  setpgid(pid, pid);
  bool simulating = false;
  for (auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
       !simulating && std::chrono::steady_clock::now() < deadline;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    simulating = has_child(pid);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // valgrind is under way
  kill(-pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // valgrind dies with its parent
  EXPECT_TRUE(simulating) << "the simulation never started";
  EXPECT_TRUE(WIFSIGNALED(status)) << "the measurement ended before it could be killed";
  EXPECT_EQ(entries("/tmp", "formbench-cachesim-"), before) << "a temporary folder was left behind";
  EXPECT_TRUE(std::filesystem::is_empty(tmpdir)) << "something was left in TMPDIR";
  std::filesystem::remove_all(tmpdir);
}

}  // namespace
}  // namespace fb
