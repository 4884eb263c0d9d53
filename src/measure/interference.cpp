#include "measure/interference.h"

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <tuple>
#include <thread>

#include "common/error.h"

namespace fb {
namespace {

double seconds(const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; }

double online_cpus() { return static_cast<double>(std::max(1L, sysconf(_SC_NPROCESSORS_ONLN))); }

}  // namespace

double process_cpu_seconds(int pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(f, text)) return 0;
  // The command name (field 2) may hold spaces and parentheses: fields are
  // counted after its last ')'. utime and stime are fields 14 and 15.
  auto close = text.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream in(text.substr(close + 1));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int field_no = 3; field_no <= 13; ++field_no) in >> field;  // state .. cmajflt
  if (!(in >> utime >> stime)) return 0;
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

CpuSnapshot cpu_snapshot(int helper_pid) {
  CpuSnapshot s;
  s.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  std::ifstream stat("/proc/stat");
  std::string line;
  if (!std::getline(stat, line) || line.rfind("cpu ", 0) != 0) throw Error("cannot read the cpu line of /proc/stat");
  std::istringstream in(line.substr(4));
  unsigned long long user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
  in >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;  // guest is inside user
  double tick = static_cast<double>(sysconf(_SC_CLK_TCK));
  s.system_busy_s = static_cast<double>(user + nice + system + irq + softirq + steal) / tick;
  rusage self{};
  getrusage(RUSAGE_SELF, &self);  // all threads of this process
  s.self_s = seconds(self.ru_utime) + seconds(self.ru_stime);
  if (helper_pid > 0) s.self_s += process_cpu_seconds(helper_pid);
  return s;
}

double foreign_cpu_pct(const CpuSnapshot& a, const CpuSnapshot& b) {
  double wall = b.wall_s - a.wall_s;
  if (wall <= 0) return 0;
  double foreign = (b.system_busy_s - a.system_busy_s) - (b.self_s - a.self_s);
  return std::max(0.0, 100.0 * foreign / (wall * online_cpus()));
}

bool wait_for_quiet(const InterferencePolicy& p) {
  auto start = std::chrono::steady_clock::now();
  for (;;) {
    CpuSnapshot a = cpu_snapshot();
    std::this_thread::sleep_for(std::chrono::duration<double>(p.quiet_window_s));
    if (foreign_cpu_pct(a, cpu_snapshot()) < p.threshold_pct) return true;
    if (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() >= p.max_wait_s) return false;
  }
}

GuardedResult retry_while_noisy(const Attempt& attempt, const InterferencePolicy& p,
                                const std::function<bool()>& wait) {
  GuardedResult g;
  for (;;) {
    std::tie(g.summary, g.foreign_pct) = attempt();
    g.quiet = g.foreign_pct <= p.threshold_pct;
    if (g.quiet || g.retries >= p.max_retries) return g;
    ++g.retries;
    wait();
  }
}

std::string interference_label(bool quiet, int retries) {
  if (!quiet) return "noisy (retried " + std::to_string(retries) + ")";
  if (retries == 0) return "quiet";
  return "quiet after " + std::to_string(retries) + (retries == 1 ? " retry" : " retries");
}

}  // namespace fb
