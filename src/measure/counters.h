#pragma once
// Hardware counters through perf_event_open: LLC references and misses,
// cycles, instructions, counted for this process and the threads it starts
// after opening (so open before the backend builds its thread pool). Where
// the kernel exposes no PMU (typical in a VM) the counters say so and why;
// they never report zeros for "unknown".
#include <array>
#include <cstdint>
#include <functional>
#include <string>

struct perf_event_attr;

namespace fb {

struct CounterValues {
  int64_t llc_references = 0, llc_misses = 0, cycles = 0, instructions = 0;
  CounterValues operator-(const CounterValues& o) const;
  CounterValues& operator+=(const CounterValues& o);
};

// Opens one event; returns a file descriptor or -errno. Replaceable for tests.
using PerfOpener = std::function<int(perf_event_attr&)>;
int open_perf_event(perf_event_attr& attr);

class Counters {
 public:
  explicit Counters(const PerfOpener& opener = open_perf_event);
  ~Counters();
  Counters(const Counters&) = delete;
  Counters& operator=(const Counters&) = delete;

  bool available() const { return available_; }
  const std::string& reason() const { return reason_; }  // why not, when not available
  // Current totals; zeros when unavailable (callers check available()).
  CounterValues read() const;

 private:
  std::array<int, 4> fds_{-1, -1, -1, -1};
  bool available_ = false;
  std::string reason_;
};

}  // namespace fb
