// Foreign CPU arithmetic: what others used, as a share of the whole machine.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

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

// An engine in a process of its own: its CPU time is the measurement's, so
// a snapshot given its pid counts it as self, not as foreign.
TEST(Interference, AHelperProcesssCpuCountsAsOurOwn) {
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    volatile double x = 0;
    for (;;) x = x + 1;
  }
  CpuSnapshot with_a = cpu_snapshot(child), without_a = cpu_snapshot();
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  CpuSnapshot with_b = cpu_snapshot(child), without_b = cpu_snapshot();
  const double helper_s = process_cpu_seconds(child);
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  EXPECT_GT(helper_s, 0.2);  // it spun for 0.6 s
  EXPECT_GT(with_b.self_s - with_a.self_s, 0.2);
  EXPECT_LT(without_b.self_s - without_a.self_s, 0.1);  // this process slept
  EXPECT_LT(foreign_cpu_pct(with_a, with_b), foreign_cpu_pct(without_a, without_b));
  EXPECT_EQ(process_cpu_seconds(child), 0);  // gone: counts nothing
}

TEST(Interference, RetriesWhileNoisyThenKeepsTheQuietAttempt) {
  InterferencePolicy p;  // threshold 5 %, 3 retries
  std::vector<double> foreign = {20, 12, 1};
  size_t attempts = 0;
  int waits = 0;
  GuardedResult g = retry_while_noisy(
      [&] {
        Summary s;
        s.n = static_cast<int>(attempts);
        return std::pair{s, foreign[attempts++]};
      },
      p, [&] { return ++waits, true; });
  EXPECT_TRUE(g.quiet);
  EXPECT_EQ(g.retries, 2);
  EXPECT_EQ(waits, 2);
  EXPECT_EQ(g.summary.n, 2);  // the third, quiet attempt
  EXPECT_DOUBLE_EQ(g.foreign_pct, 1);
  EXPECT_EQ(interference_label(g.quiet, g.retries), "quiet after 2 retries");
}

TEST(Interference, GivesUpAfterMaxRetriesAndSaysNoisy) {
  InterferencePolicy p;
  p.max_retries = 2;
  int attempts = 0;
  GuardedResult g = retry_while_noisy([&] { return ++attempts, std::pair{Summary{}, 30.0}; }, p, [] { return false; });
  EXPECT_FALSE(g.quiet);
  EXPECT_EQ(attempts, 3);
  EXPECT_EQ(interference_label(g.quiet, g.retries), "noisy (retried 2)");
}

TEST(Interference, Labels) {
  EXPECT_EQ(interference_label(true, 0), "quiet");
  EXPECT_EQ(interference_label(true, 1), "quiet after 1 retry");
  EXPECT_EQ(interference_label(false, 3), "noisy (retried 3)");
}

}  // namespace
}  // namespace fb
