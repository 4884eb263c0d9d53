// Roofline arithmetic and the machine-limits cache file.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "measure/machine_probe.h"

namespace fb {
namespace {

TEST(Roofline, BoundIsMinOfPeakAndBandwidthTimesIntensity) {
  MachineLimits m;
  m.peak_gflops = 500;
  m.bandwidth_gbs = 20;
  // 10 GFLOP over 1 GB in 0.1 s: intensity 10, bound min(500, 200) = 200.
  RooflineSection r = roofline_of(10e9, 1e9, 1e6, 0.1, m);
  EXPECT_DOUBLE_EQ(*r.achieved_gflops, 100);
  EXPECT_DOUBLE_EQ(*r.intensity, 10);
  EXPECT_DOUBLE_EQ(*r.bound_gflops, 200);
  EXPECT_DOUBLE_EQ(*r.pct_of_peak, 20);
  RooflineSection compute_bound = roofline_of(10e9, 1e7, 1e6, 0.1, m);  // intensity 1000
  EXPECT_DOUBLE_EQ(*compute_bound.bound_gflops, 500);
  EXPECT_TRUE(r.level.empty());  // levels never probed: the triad roof
  EXPECT_DOUBLE_EQ(*r.level_bandwidth_gbs, 20);
}

TEST(Roofline, BoundUsesTheLevelTheWorkingSetFitsIn) {
  MachineLimits m;
  m.peak_gflops = 500;
  m.bandwidth_gbs = 20;
  m.levels = {{"L2", 1 << 20, 2 << 20, 150}, {"DRAM", 0, 0, 25}};
  RooflineSection in_l2 = roofline_of(10e9, 1e9, 1 << 20, 0.1, m);  // intensity 10
  EXPECT_EQ(in_l2.level, "L2");
  EXPECT_DOUBLE_EQ(*in_l2.bound_gflops, 500);  // min(500, 10 x 150)
  EXPECT_DOUBLE_EQ(*in_l2.working_set_bytes, 1 << 20);
  RooflineSection in_dram = roofline_of(10e9, 1e9, 3 << 20, 0.1, m);
  EXPECT_EQ(in_dram.level, "DRAM");
  EXPECT_DOUBLE_EQ(*in_dram.bound_gflops, 250);
  EXPECT_EQ(in_dram.levels.size(), 2u);
}

void write(const std::filesystem::path& p, const std::string& text) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p) << text << "\n";
}

// A fake sysfs cache folder shaped like a 4-core SMT-2 part: L1d and L2 per
// core (two CPUs each), L3 shared by all eight.
std::filesystem::path fake_sysfs() {
  auto root = std::filesystem::path(testing::TempDir()) / "fb_fake_sysfs" / "cache";
  std::filesystem::remove_all(root);
  const char* levels[][4] = {{"1", "Data", "48K", "0,4"}, {"1", "Instruction", "32K", "0,4"},
                             {"2", "Unified", "2048K", "0,4"}, {"3", "Unified", "32768K", "0-7"}};
  for (int i = 0; i < 4; ++i) {
    auto dir = root / ("index" + std::to_string(i));
    write(dir / "level", levels[i][0]);
    write(dir / "type", levels[i][1]);
    write(dir / "size", levels[i][2]);
    write(dir / "shared_cpu_list", levels[i][3]);
    write(dir / "ways_of_associativity", "12");
    write(dir / "coherency_line_size", "64");
  }
  return root;
}

TEST(MachineProbe, ReadsCacheLevelsFromAFakeSysfsTree) {
  auto caches = host_caches(fake_sysfs().string());
  ASSERT_EQ(caches.size(), 4u);
  EXPECT_EQ(caches[0].size_bytes, 48 << 10);
  EXPECT_EQ(caches[0].sharing_cpus, 2);
  EXPECT_EQ(caches[3].size_bytes, 32 << 20);
  EXPECT_EQ(caches[3].sharing_cpus, 8);
  EXPECT_EQ(caches[3].ways, 12);

  auto plan = plan_level_probes(caches, 4);
  ASSERT_EQ(plan.size(), 4u);  // the instruction cache is not probed
  const char* names[] = {"L1d", "L2", "L3", "DRAM"};
  const int64_t buffers[] = {12 << 10, 512 << 10, 4 << 20, 64 << 20};   // half a level over the threads in one instance
  const int64_t capacities[] = {96 << 10, 4 << 20, 32 << 20, 0};      // two cores' L1d and L2, one L3
  for (size_t i = 0; i < plan.size(); ++i) {
    EXPECT_EQ(plan[i].roof.name, names[i]);
    EXPECT_EQ(plan[i].buffer_bytes_per_thread, buffers[i]) << names[i];
    EXPECT_EQ(plan[i].roof.capacity_bytes, capacities[i]) << names[i];
  }
  EXPECT_EQ(plan_level_probes(caches, 1)[0].buffer_bytes_per_thread, 24 << 10);
  EXPECT_EQ(plan_level_probes({}, 2).size(), 1u);  // no sysfs caches: DRAM only
}

TEST(MachineProbe, CountsSysfsCpuLists) {
  EXPECT_EQ(count_cpu_list("0"), 1);
  EXPECT_EQ(count_cpu_list("0-1"), 2);
  EXPECT_EQ(count_cpu_list("0-3,8,10-11"), 7);
  EXPECT_EQ(count_cpu_list(""), 1);
  EXPECT_EQ(count_cpu_list("garbage"), 1);
  EXPECT_EQ(count_cpu_list("3-1"), 1);
}

// On whatever machine runs the test: the levels sysfs names, growing, each
// with a positive finite read bandwidth, the first cache faster than DRAM.
TEST(MachineProbe, ProbesEveryLevelOfThisMachine) {
  auto plan = plan_level_probes(host_caches(), 1);
  ASSERT_GE(plan.size(), 1u);
  EXPECT_EQ(plan.back().roof.name, "DRAM");
  std::vector<double> gbs;
  for (size_t i = 0; i < plan.size(); ++i) {
    if (i + 1 < plan.size()) {
      EXPECT_EQ(plan[i].roof.name[0], 'L');
      if (i) {
        EXPECT_GT(plan[i].roof.capacity_bytes, plan[i - 1].roof.capacity_bytes);
      }
      EXPECT_LE(plan[i].buffer_bytes_per_thread, plan[i].roof.size_bytes);
    }
    if (i) {
      EXPECT_GT(plan[i].buffer_bytes_per_thread, plan[i - 1].buffer_bytes_per_thread);
    }
    InterferencePolicy brief;  // the guard on, its waits short: a test, not a reference figure
    brief.max_wait_s = 2;
    gbs.push_back(probe_read_bandwidth(plan[i].buffer_bytes_per_thread, 1, brief).gbs);
    EXPECT_TRUE(std::isfinite(gbs.back()) && gbs.back() > 0) << plan[i].roof.name;
  }
  if (plan.size() > 1) {
    EXPECT_GT(gbs.front(), gbs.back()) << "the first cache level should read faster than DRAM";
  }
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
  m.levels = {{"L1d", 32768, 32768, 300}, {"DRAM", 0, 0, 25}};
  store_machine_limits(m);
  m.threads = 1;
  m.peak_gflops = 270;
  store_machine_limits(m);
  auto two = load_machine_limits("Test CPU", 2);
  ASSERT_TRUE(two);
  EXPECT_DOUBLE_EQ(two->peak_gflops, 537);
  ASSERT_EQ(two->levels.size(), 2u);
  EXPECT_EQ(two->levels[0].name, "L1d");
  EXPECT_DOUBLE_EQ(two->levels[1].bandwidth_gbs, 25);
  EXPECT_DOUBLE_EQ(load_machine_limits("Test CPU", 1)->peak_gflops, 270);
  EXPECT_FALSE(load_machine_limits("Other CPU", 2));
  unsetenv("FORMBENCH_MACHINE_FILE");
  std::filesystem::remove_all(std::filesystem::path(path).parent_path());
}

}  // namespace
}  // namespace fb
