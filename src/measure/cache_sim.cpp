#include "measure/cache_sim.h"

#include <sys/mman.h>
#include <unistd.h>
#include <valgrind/callgrind.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "common/error.h"
#include "common/process.h"
#include "common/utf8.h"
#include "measure/environment.h"
#include "models/descriptor.h"

namespace fb {
namespace {

bool power_of_two(int64_t x) { return x > 0 && (x & (x - 1)) == 0; }

void check(const CacheGeometry& g, const std::string& what) {
  if (g.size_bytes <= 0 || g.assoc <= 0 || g.line_bytes < 16 || !power_of_two(g.line_bytes))
    throw UsageError(what + " cache " + g.str() + ": size and associativity must be positive, line a power of two >= 16");
  int64_t way_bytes = static_cast<int64_t>(g.assoc) * g.line_bytes;
  if (g.size_bytes % way_bytes != 0 || !power_of_two(g.size_bytes / way_bytes))
    throw UsageError(what + " cache " + g.str() + ": callgrind needs size / (assoc x line) to be a power of two");
}

CacheGeometry host_level(int level, const std::string& type) {
  for (const auto& c : host_caches())
    if (c.level == level && c.type == type) return {c.size_bytes, c.ways, c.line_bytes};
  throw Error("no L" + std::to_string(level) + " " + type + " cache in /sys/devices/system/cpu/cpu0/cache");
}

CacheGeometry host_llc() {
  CacheLevel best;
  for (const auto& c : host_caches())
    if (c.type != "Instruction" && c.level > best.level) best = c;
  if (best.level == 0) throw Error("no cache levels in /sys/devices/system/cpu/cpu0/cache");
  return {best.size_bytes, best.ways, best.line_bytes};
}

}  // namespace

std::string CacheGeometry::str() const {
  return std::to_string(size_bytes) + "," + std::to_string(assoc) + "," + std::to_string(line_bytes);
}

CacheSimSetup cache_sim_setup(const std::string& spec) {
  CacheSimSetup s;
  s.name = spec;
  if (spec == "i5-7600k") {
    // Intel ARK: 6 MB Intel Smart Cache; Kaby Lake client L3 slices are
    // 1.5 MB, 12-way, 64 B lines. L1d and L1i: 32 KiB, 8-way.
    s.ll = {6 << 20, 12, 64};
    s.d1 = {32 << 10, 8, 64};
    s.i1 = {32 << 10, 8, 64};
    s.source = "Intel ARK Core i5-7600K: 6 MB L3 (12-way, 64 B lines); the study's text says 4 MB";
  } else {
    s.d1 = host_level(1, "Data");
    s.i1 = host_level(1, "Instruction");
    if (spec == "host") {
      s.ll = host_llc();
      s.source = "host, /sys/devices/system/cpu/cpu0/cache";
    } else {
      std::vector<long long> v;
      std::stringstream in(spec);
      std::string part;
      while (std::getline(in, part, ',')) v.push_back(parse_integer(part, "cache_sim"));
      if (v.size() != 3)
        throw UsageError("cache_sim='" + spec + "': use host, i5-7600k or SIZE,ASSOC,LINE in bytes (e.g. 6291456,12,64)");
      s.ll = {v[0], static_cast<int>(v[1]), static_cast<int>(v[2])};
      s.source = "given explicitly";
    }
  }
  check(s.ll, "LL");
  check(s.d1, "D1");
  check(s.i1, "I1");
  return s;
}

std::vector<std::string> valgrind_args(const CacheSimSetup& s, const std::string& out_file) {
  // --vgdb=no: no gdbserver, so no FIFOs in the temp folder that a killed valgrind would leave behind.
  // --instr-atstart=no: loading the libraries, building the model and
  // initialising its weights run uninstrumented (several times faster; they
  // were most of a small network's simulation time); the child turns
  // instrumentation on before its warm-up run (start_instrumentation).
  return {"--tool=callgrind", "--vgdb=no", "--cache-sim=yes", "--instr-atstart=no", "--collect-atstart=no", "--LL=" + s.ll.str(), "--D1=" + s.d1.str(),
          "--I1=" + s.i1.str(), "--callgrind-out-file=" + out_file};
}

std::map<std::string, int64_t> parse_callgrind_totals(const std::string& path) {
  std::ifstream f(path);
  if (!f) throw Error("cannot read callgrind output " + path);
  std::vector<std::string> names;
  std::map<std::string, int64_t> totals;
  std::string line;
  while (std::getline(f, line)) {
    std::istringstream in(line);
    std::string tag;
    in >> tag;
    if (tag == "events:") {
      std::string n;
      while (in >> n) names.push_back(n);
    } else if (tag == "totals:" || tag == "summary:") {
      int64_t x = 0;
      for (size_t i = 0; i < names.size() && in >> x; ++i) totals[names[i]] = x;
    }
  }
  if (names.empty() || totals.empty()) throw Error("no events/totals in callgrind output " + path);
  for (const auto& n : names) totals.try_emplace(n, 0);  // trailing zero events may be omitted
  return totals;
}

bool running_on_valgrind() { return RUNNING_ON_VALGRIND != 0; }

void start_instrumentation() { CALLGRIND_START_INSTRUMENTATION; }

void collect_only(const std::function<void()>& fn) {
  CALLGRIND_ZERO_STATS;
  CALLGRIND_TOGGLE_COLLECT;
  fn();
  CALLGRIND_TOGGLE_COLLECT;
}

CacheSimSection simulate_cache(const std::string& exe, const std::string& descriptor, const CacheSimSetup& s,
                               const EnvVars& env, double timeout_s) {
  std::string valgrind;
  for (const char* p : {"/usr/bin/valgrind", "/usr/local/bin/valgrind"})
    if (access(p, X_OK) == 0) valgrind = p;
  if (valgrind.empty()) throw Error("cache simulation needs valgrind (apt-get install valgrind)");
  // callgrind writes into a memory file with no name, reached through
  // /proc/self/fd (valgrind inherits the descriptor): nothing is left behind
  // however this process ends, where a temporary folder stayed when it was killed.
  const int fd = memfd_create("formbench-callgrind-out", 0);
  if (fd < 0) throw Error(std::string("cannot create a memory file for callgrind output: ") + std::strerror(errno));
  const std::string out_file = "/proc/self/fd/" + std::to_string(fd);
  std::vector<std::string> argv = {valgrind};
  for (auto& a : valgrind_args(s, out_file)) argv.push_back(a);
  for (auto a : {exe, std::string("measure"), std::string("--cache-sim-child"), std::string("--"), descriptor})
    argv.push_back(a);
  // valgrind cannot execute AVX-512: keep oneDNN (and others) on their AVX2 paths.
  auto child_env = env;
  child_env.emplace_back("ONEDNN_MAX_CPU_ISA", "AVX2");
  child_env.emplace_back("DNNL_MAX_CPU_ISA", "AVX2");
  std::map<std::string, int64_t> t;
  try {
    ChildResult r = run_child(argv, child_env, timeout_s);
    if (!r.exited_cleanly()) throw Error("valgrind child " + r.describe() + ": " + text_tail(r.err, 1500));
    t = parse_callgrind_totals(out_file);
  } catch (...) {
    close(fd);
    throw;
  }
  close(fd);
  auto per = [&](int64_t x) { return static_cast<double>(x) / kCacheSimRuns; };
  CacheSimSection c;
  c.ll_misses = per(t["DLmr"] + t["DLmw"] + t["ILmr"]);
  c.ll_data_misses = per(t["DLmr"] + t["DLmw"]);
  c.d1_misses = per(t["D1mr"] + t["D1mw"]);
  c.instructions = per(t["Ir"]);
  c.data_reads = per(t["Dr"]);
  c.data_writes = per(t["Dw"]);
  c.ll_geometry = s.ll.str();
  c.d1_geometry = s.d1.str();
  c.i1_geometry = s.i1.str();
  c.preset = s.name;
  c.source = s.source;
  c.collected_runs = kCacheSimRuns;
  c.note = "callgrind cache model, per inference (one run of the whole batch); valgrind executes no AVX-512, so "
           "libraries ran their AVX2 (or older) paths under simulation (ONEDNN_MAX_CPU_ISA=AVX2)";
  return c;
}

}  // namespace fb
