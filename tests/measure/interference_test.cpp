// Foreign CPU arithmetic: what others used, as a share of the whole machine.
#include <gtest/gtest.h>

#include <unistd.h>

#include "measure/interference.h"

namespace fb {
namespace {

TEST(Interference, ForeignShareOfMachine) {
  double cpus = static_cast<double>(sysconf(_SC_NPROCESSORS_ONLN));
  CpuSnapshot a{100.0, 500.0, 10.0};
  CpuSnapshot b{102.0, 503.0, 12.0};  // 3 s busy in 2 s wall, 2 s of it ours
  EXPECT_NEAR(foreign_cpu_pct(a, b), 100.0 * 1.0 / (2.0 * cpus), 1e-9);
  CpuSnapshot c{102.0, 501.0, 12.0};  // tick rounding may show less busy than ours
  EXPECT_EQ(foreign_cpu_pct(a, c), 0.0);
}

TEST(Interference, SnapshotsMove) {
  CpuSnapshot a = cpu_snapshot();
  volatile double x = 0;
  for (int i = 0; i < 20000000; ++i) x = x + i;
  CpuSnapshot b = cpu_snapshot();
  EXPECT_GT(b.wall_s, a.wall_s);
  EXPECT_GT(b.self_s, a.self_s);
  EXPECT_GE(b.system_busy_s, a.system_busy_s);
  EXPECT_GE(foreign_cpu_pct(a, b), 0.0);
}

TEST(Interference, Labels) {
  EXPECT_EQ(interference_label(true, 0), "quiet");
  EXPECT_EQ(interference_label(true, 1), "quiet after 1 retry");
  EXPECT_EQ(interference_label(false, 3), "noisy (retried 3)");
}

}  // namespace
}  // namespace fb
