#include "measure/environment.h"

#include <sys/utsname.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "common/cpuinfo.h"
#include "measure/revision.h"

namespace fb {
namespace {

std::string read_line(const std::string& path) {
  std::ifstream f(path);
  std::string s;
  std::getline(f, s);
  return s;
}

// "32768K" -> 33554432
int64_t parse_size(const std::string& s) {
  if (s.empty()) return 0;
  int64_t v = std::atoll(s.c_str());
  switch (s.back()) {
    case 'K': return v << 10;
    case 'M': return v << 20;
    case 'G': return v << 30;
    default: return v;
  }
}

// The vector ISA flags that decide which kernels libraries pick.
std::vector<std::string> isa_flags() {
  static const std::set<std::string> wanted = {"sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw",
                                               "avx512vl", "avx512dq", "avx512_vnni", "avx512_bf16", "amx_tile"};
  std::vector<std::string> out;
  for (const std::string& f : cpu_flags(read_cpuinfo()))
    if (wanted.count(f)) out.push_back(f);
  return out;
}

// Shared libraries mapped into this process whose name says they do BLAS.
std::vector<std::string> blas_loaded() {
  std::ifstream maps("/proc/self/maps");
  std::set<std::string> libs;
  std::string line;
  while (std::getline(maps, line)) {
    auto slash = line.find('/');
    if (slash == std::string::npos) continue;
    std::string path = line.substr(slash);
    std::string base = path.substr(path.rfind('/') + 1);
    for (const char* tag : {"libblas", "libopenblas", "libmkl", "libcblas", "libblis"})
      if (base.rfind(tag, 0) == 0) libs.insert(path);
  }
  return {libs.begin(), libs.end()};
}

}  // namespace

std::string cpu_model() { return cpuinfo_value(read_cpuinfo(), "model name"); }

int count_cpu_list(const std::string& list) {
  int n = 0;
  std::istringstream in(list);
  std::string range;
  while (std::getline(in, range, ',')) {
    int lo = 0, hi = 0;
    char dash = 0;
    std::istringstream r(range);
    if (!(r >> lo)) return 1;
    if (r >> dash) {
      if (dash != '-' || !(r >> hi) || hi < lo || hi - lo > 1 << 20) return 1;
    } else {
      hi = lo;
    }
    n += hi - lo + 1;
  }
  return n > 0 ? n : 1;
}

std::vector<CacheLevel> host_caches(const std::string& root) {
  std::vector<CacheLevel> out;
  for (int i = 0;; ++i) {
    std::string dir = root + "/index" + std::to_string(i) + "/";
    std::string level = read_line(dir + "level");
    if (level.empty()) break;
    CacheLevel c;
    c.level = std::atoi(level.c_str());
    c.type = read_line(dir + "type");
    c.size_bytes = parse_size(read_line(dir + "size"));
    c.ways = std::atoi(read_line(dir + "ways_of_associativity").c_str());
    c.line_bytes = std::atoi(read_line(dir + "coherency_line_size").c_str());
    c.sharing_cpus = count_cpu_list(read_line(dir + "shared_cpu_list"));
    out.push_back(c);
  }
  return out;
}

std::string formbench_revision() { return kFormbenchRevision; }

nlohmann::json environment_json(const BackendChoice& choice) {
  nlohmann::json caches = nlohmann::json::array();
  for (const auto& c : host_caches())
    caches.push_back({{"level", c.level}, {"type", c.type}, {"size_bytes", c.size_bytes}, {"ways", c.ways},
                      {"line_bytes", c.line_bytes}});
  utsname u{};
  uname(&u);
  nlohmann::json alloc = nlohmann::json::object();
  for (const char* name : {"GLIBC_TUNABLES", "MALLOC_ARENA_MAX", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_",
                           "MALLOC_TOP_PAD_", "LD_PRELOAD", "OMP_NUM_THREADS", "OMP_PROC_BIND", "OMP_PLACES",
                           "KMP_AFFINITY", "ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA"})
    if (const char* v = std::getenv(name)) alloc[name] = v;
  return {{"cpu_model", cpu_model()},
          {"cores_online", sysconf(_SC_NPROCESSORS_ONLN)},
          {"caches", caches},
          {"isa_flags", isa_flags()},
          {"isa_cap", choice.options.isa.empty() ? "none" : choice.options.isa},
          {"threads", choice.options.threads},
          {"precision", precision_name(choice.options.precision)},
          {"backend", choice.str()},
          {"blas_loaded", blas_loaded()},
          {"env", alloc},
          {"kernel", std::string(u.sysname) + " " + u.release + " " + u.machine},
          {"hostname", u.nodename},
          {"formbench_revision", formbench_revision()}};
}

}  // namespace fb
