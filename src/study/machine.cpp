#include "study/machine.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <fmt/core.h>
#include <fstream>
#include <sstream>

#include "study/grid.h"

namespace fb::study {
namespace {

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0) {
      auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(' ', colon + 1));
    }
  return "unknown";
}

int64_t mem_total() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  int64_t kb = 0;
  while (in >> key >> kb) {
    if (key == "MemTotal:") return kb * 1024;
    in.ignore(1 << 10, '\n');
  }
  return 0;
}

}  // namespace

std::string machine_id_of(const MachineInfo& m) {
  // Memory rounded to GiB: MemTotal moves by a few kB across kernel updates.
  return fmt::format("{:016x}", fnv1a(fmt::format("{}|{}|{}|{}", m.cpu_model, m.cores,
                                                 (m.memory_bytes + (1 << 29)) >> 30, m.kernel)));
}

MachineInfo this_machine() {
  MachineInfo m;
  m.cpu_model = cpu_model();
  m.cores = sysconf(_SC_NPROCESSORS_ONLN);
  m.memory_bytes = mem_total();
  utsname u{};
  if (uname(&u) == 0) {
    m.kernel = u.release;
    m.hostname = u.nodename;
  }
  m.id = machine_id_of(m);
  return m;
}

std::string utc_now() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:03d}Z", buf, ms);
}

}  // namespace fb::study
