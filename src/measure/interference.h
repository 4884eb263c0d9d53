#pragma once
// Interference guard. On a shared machine another busy process slows OpenMP
// inference by up to 40x, so every timed region records how much CPU time
// others used while it ran: (system-wide busy time from /proc/stat - this
// process's CPU time from getrusage) / (wall time x online CPUs).
#include <functional>
#include <string>
#include <utility>

#include "measure/statistics.h"

namespace fb {

struct CpuSnapshot {
  double wall_s = 0;     // steady clock
  double system_busy_s = 0;  // all CPUs: user+nice+system+irq+softirq+steal
  double self_s = 0;     // this process, all threads: user+system (+ the helper's)
};

// helper_pid: a process doing this measurement's work (an engine run out of
// process, Executable::helper_pid), whose CPU time counts as this process's
// own; 0 = none. A helper that has gone counts nothing.
CpuSnapshot cpu_snapshot(int helper_pid = 0);

// A process's CPU time (user+system, all threads) from /proc/PID/stat; 0 when
// it cannot be read (the process has ended).
double process_cpu_seconds(int pid);

// Percent of the machine's capacity used by other processes between a and b,
// clamped at 0. /proc/stat counts in clock ticks (10 ms), so short windows
// are coarse; the timed region is at least StatsPolicy::min_time_s.
double foreign_cpu_pct(const CpuSnapshot& a, const CpuSnapshot& b);

struct InterferencePolicy {
  double threshold_pct = 5.0;  // above this a measurement is retried
  int max_retries = 3;
  double quiet_window_s = 0.5;  // how long the machine must be quiet before a retry
  double max_wait_s = 20.0;     // per retry, waiting for quiet
};

// Idles in windows of quiet_window_s until one has foreign CPU below the
// threshold, or max_wait_s passes. Returns whether it became quiet.
bool wait_for_quiet(const InterferencePolicy& p);

struct GuardedResult {
  Summary summary;
  double foreign_pct = 0;  // of the attempt kept
  int retries = 0;
  bool quiet = false;
};

// Runs `attempt` (a measurement returning its summary and foreign CPU %);
// while that is above the threshold, waits via `wait` and retries, at most
// max_retries times. The last attempt is kept either way.
using Attempt = std::function<std::pair<Summary, double>()>;
GuardedResult retry_while_noisy(const Attempt& attempt, const InterferencePolicy& p,
                                const std::function<bool()>& wait);

// The record's "interference" text: "quiet", "quiet after N retries", "noisy (retried N)".
std::string interference_label(bool quiet, int retries);

}  // namespace fb
