// Cache simulation: geometry presets and checks, the callgrind output parser,
// and the point of it all: the counts are identical from run to run.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "common/error.h"
#include "measure/cache_sim.h"

namespace fb {
namespace {

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
  if (access("/usr/bin/valgrind", X_OK) != 0 && access("/usr/local/bin/valgrind", X_OK) != 0)
    GTEST_SKIP() << "valgrind is not installed (scripts/setup.sh installs it); cache simulation not tested";
  const std::string tiny =
      "pattern:dw_bottleneck depth=1 width=8 res=32 classes=10 backend=reference batch=1 threads=1 cache_sim=i5-7600k";
  CacheSimSetup s = cache_sim_setup("i5-7600k");
  nlohmann::json a = simulate_cache(FORMBENCH_BIN, tiny, s, {}, 300);
  nlohmann::json b = simulate_cache(FORMBENCH_BIN, tiny, s, {}, 300);
  for (const char* k : {"ll_misses", "d1_misses", "instructions"}) EXPECT_EQ(a[k], b[k]) << k;
  EXPECT_GT(a["instructions"].get<double>(), 1e5);
  EXPECT_GT(a["d1_misses"].get<double>(), 0);
  EXPECT_EQ(a["ll_geometry"], "6291456,12,64");
}

}  // namespace
}  // namespace fb
