#include "measure/counters.h"

#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace fb {
namespace {

struct EventDef {
  const char* name;
  uint64_t config;
};
constexpr std::array<EventDef, 4> kEvents = {{{"LLC references", PERF_COUNT_HW_CACHE_REFERENCES},
                                              {"LLC misses", PERF_COUNT_HW_CACHE_MISSES},
                                              {"cycles", PERF_COUNT_HW_CPU_CYCLES},
                                              {"instructions", PERF_COUNT_HW_INSTRUCTIONS}}};

}  // namespace

CounterValues CounterValues::operator-(const CounterValues& o) const {
  return {llc_references - o.llc_references, llc_misses - o.llc_misses, cycles - o.cycles,
          instructions - o.instructions};
}

CounterValues& CounterValues::operator+=(const CounterValues& o) {
  llc_references += o.llc_references;
  llc_misses += o.llc_misses;
  cycles += o.cycles;
  instructions += o.instructions;
  return *this;
}

int open_perf_event(perf_event_attr& attr) {
  long fd = syscall(SYS_perf_event_open, &attr, 0 /*this process*/, -1 /*any cpu*/, -1, PERF_FLAG_FD_CLOEXEC);
  return fd < 0 ? -errno : static_cast<int>(fd);
}

Counters::Counters(const PerfOpener& opener) {
  for (size_t i = 0; i < kEvents.size(); ++i) {
    perf_event_attr attr{};
    attr.size = sizeof(attr);
    attr.type = PERF_TYPE_HARDWARE;
    attr.config = kEvents[i].config;
    attr.inherit = 1;         // threads started later (the backend's pool) count too
    attr.exclude_kernel = 1;  // allowed at perf_event_paranoid 2
    attr.exclude_hv = 1;
    int fd = opener(attr);
    if (fd < 0) {
      reason_ = std::string("perf_event_open(") + kEvents[i].name + "): " + std::strerror(-fd);
      for (int& f : fds_)
        if (f >= 0) close(f), f = -1;
      return;
    }
    fds_[i] = fd;
  }
  available_ = true;
}

Counters::~Counters() {
  for (int f : fds_)
    if (f >= 0) close(f);
}

CounterValues Counters::read() const {
  CounterValues v;
  if (!available_) return v;
  int64_t* out[4] = {&v.llc_references, &v.llc_misses, &v.cycles, &v.instructions};
  for (size_t i = 0; i < fds_.size(); ++i) {
    uint64_t x = 0;
    if (::read(fds_[i], &x, sizeof(x)) == static_cast<ssize_t>(sizeof(x))) *out[i] = static_cast<int64_t>(x);
  }
  return v;
}

}  // namespace fb
