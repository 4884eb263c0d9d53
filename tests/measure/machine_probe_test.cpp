// Roofline arithmetic and the machine-limits cache file.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "measure/machine_probe.h"

namespace fb {
namespace {

TEST(Roofline, BoundIsMinOfPeakAndBandwidthTimesIntensity) {
  MachineLimits m;
  m.peak_gflops = 500;
  m.bandwidth_gbs = 20;
  // 10 GFLOP over 1 GB in 0.1 s: intensity 10, bound min(500, 200) = 200.
  auto r = roofline_json(10e9, 1e9, 0.1, m);
  EXPECT_DOUBLE_EQ(r["achieved_gflops"].get<double>(), 100);
  EXPECT_DOUBLE_EQ(r["intensity"].get<double>(), 10);
  EXPECT_DOUBLE_EQ(r["bound_gflops"].get<double>(), 200);
  EXPECT_DOUBLE_EQ(r["pct_of_peak"].get<double>(), 20);
  auto compute_bound = roofline_json(10e9, 1e7, 0.1, m);  // intensity 1000
  EXPECT_DOUBLE_EQ(compute_bound["bound_gflops"].get<double>(), 500);
}

TEST(MachineCache, StoresAndLoadsByCpuAndThreads) {
  std::string path = testing::TempDir() + "/fb_machine_test/machine.json";
  std::filesystem::remove_all(std::filesystem::path(path).parent_path());
  setenv("FORMBENCH_MACHINE_FILE", path.c_str(), 1);
  EXPECT_FALSE(load_machine_limits("Test CPU", 2));
  MachineLimits m;
  m.cpu_model = "Test CPU";
  m.threads = 2;
  m.peak_gflops = 537;
  m.bandwidth_gbs = 30;
  store_machine_limits(m);
  m.threads = 1;
  m.peak_gflops = 270;
  store_machine_limits(m);
  auto two = load_machine_limits("Test CPU", 2);
  ASSERT_TRUE(two);
  EXPECT_DOUBLE_EQ(two->peak_gflops, 537);
  EXPECT_DOUBLE_EQ(load_machine_limits("Test CPU", 1)->peak_gflops, 270);
  EXPECT_FALSE(load_machine_limits("Other CPU", 2));
  unsetenv("FORMBENCH_MACHINE_FILE");
  std::filesystem::remove_all(std::filesystem::path(path).parent_path());
}

}  // namespace
}  // namespace fb
