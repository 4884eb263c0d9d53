#include "study/machine.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <fmt/core.h>
#include <fstream>
#include <set>
#include <sstream>

#include "common/cpuinfo.h"
#include "study/grid.h"

namespace fb::study {

std::string cpu_identity(const std::string& cpuinfo) {
  std::string name = cpuinfo_value(cpuinfo, "model name");
  if (name.empty()) name = "unknown";
  const std::string family = cpuinfo_value(cpuinfo, "cpu family"), model = cpuinfo_value(cpuinfo, "model"),
                    stepping = cpuinfo_value(cpuinfo, "stepping");
  std::string widest;
  const std::set<std::string> has = cpu_flags(cpuinfo);
  for (const char* isa : {"avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_tile"})
    if (has.count(isa)) widest = isa;
  if (family.empty() && widest.empty()) return name;
  std::string id = name + " (";
  if (!family.empty()) id += "family " + family + " model " + model + " stepping " + stepping;
  if (!widest.empty()) id += (family.empty() ? "" : ", ") + widest;
  return id + ")";
}

namespace {

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
  m.cpu_model = cpu_identity(read_cpuinfo());
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
