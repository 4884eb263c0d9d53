#pragma once
// Interference guard. On a shared machine another busy process slows OpenMP
// inference by up to 40x, so every timed region records how much CPU time
// others used while it ran: (system-wide busy time from /proc/stat - this
// process's CPU time from getrusage) / (wall time x online CPUs).
#include <string>

namespace fb {

struct CpuSnapshot {
  double wall_s = 0;     // steady clock
  double system_busy_s = 0;  // all CPUs: user+nice+system+irq+softirq+steal
  double self_s = 0;     // this process, all threads: user+system
};

CpuSnapshot cpu_snapshot();

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

// The record's "interference" text: "quiet", "quiet after N retries", "noisy (retried N)".
std::string interference_label(bool quiet, int retries);

}  // namespace fb
