// Hardware counters: where an event cannot be opened the counters say which
// one and why, and never pretend to have counted zeros.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <linux/perf_event.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "measure/counters.h"

namespace fb {
namespace {

TEST(Counters, UnavailablePmuGivesReasonNotZeros) {
  Counters c([](perf_event_attr&) { return -ENOENT; });
  EXPECT_FALSE(c.available());
  EXPECT_NE(c.reason().find("LLC references"), std::string::npos) << c.reason();
  EXPECT_NE(c.reason().find(std::strerror(ENOENT)), std::string::npos) << c.reason();
}

TEST(Counters, LaterEventFailingNamesItAndClosesTheOthers) {
  std::vector<int> opened;
  Counters c([&](perf_event_attr& attr) {
    if (attr.config == PERF_COUNT_HW_CPU_CYCLES) return -EACCES;
    EXPECT_EQ(attr.type, static_cast<uint32_t>(PERF_TYPE_HARDWARE));
    EXPECT_TRUE(attr.inherit);  // the backend's worker threads must count
    int fd = open("/dev/null", O_RDONLY);
    opened.push_back(fd);
    return fd;
  });
  EXPECT_FALSE(c.available());
  EXPECT_NE(c.reason().find("cycles"), std::string::npos) << c.reason();
  EXPECT_NE(c.reason().find(std::strerror(EACCES)), std::string::npos) << c.reason();
  ASSERT_EQ(opened.size(), 2u);
  for (int fd : opened) EXPECT_EQ(fcntl(fd, F_GETFD), -1) << "fd " << fd << " left open";
}

TEST(Counters, RealKernelEitherCountsOrExplains) {
  Counters c;
  if (!c.available()) {
    EXPECT_FALSE(c.reason().empty());
    GTEST_SKIP() << "no hardware PMU here: " << c.reason();
  }
  CounterValues a = c.read();
  volatile double x = 0;
  for (int i = 0; i < 1000000; ++i) x = x + i;
  CounterValues d = c.read() - a;
  EXPECT_GT(d.instructions, 1000000);
  EXPECT_GT(d.cycles, 0);
}

}  // namespace
}  // namespace fb
