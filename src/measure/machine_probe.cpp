#include "measure/machine_probe.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

#include <dnnl.hpp>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/timestamp.h"
#include "measure/environment.h"
#include "measure/interference.h"
#include "measure/statistics.h"

namespace fb {
namespace {

double now_s() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

// Best of repeated sgemms of n x n x n: large enough that packing is noise.
double probe_peak_gflops() {
  const int n = 2048;
  std::vector<float> a(size_t(n) * n, 0.5f), b(size_t(n) * n, 0.25f), c(size_t(n) * n, 0.0f);
  double best = 0, start = now_s();
  for (int rep = 0; rep < 40 && (rep < 3 || now_s() - start < 2.0); ++rep) {
    double t0 = now_s();
    if (dnnl::sgemm('N', 'N', n, n, n, 1.0f, a.data(), n, b.data(), n, 0.0f, c.data(), n) != dnnl::status::success)
      throw Error("oneDNN sgemm failed in the machine probe");
    best = std::max(best, 2.0 * n * n * n / (now_s() - t0) / 1e9);
  }
  return best;
}

// STREAM-style triad a = b + s c on doubles, counting 3 x 8 bytes per element
// (no write-allocate traffic), best of repeats.
double probe_bandwidth_gbs(int threads) {
  int64_t llc = 0;
  for (const auto& c : host_caches()) llc = std::max(llc, c.size_bytes);
  size_t n = static_cast<size_t>(std::max<int64_t>(8 * llc, int64_t(64) << 20) / 8);
  std::vector<double> a(n), b(n, 1.0), c(n, 2.0);
  double best = 0;
  for (int rep = 0; rep < 6; ++rep) {
    double t0 = now_s();
#pragma omp parallel for num_threads(threads) schedule(static)
    for (size_t i = 0; i < n; ++i) a[i] = b[i] + 3.0 * c[i];
    best = std::max(best, 3.0 * 8.0 * static_cast<double>(n) / (now_s() - t0) / 1e9);
  }
  if (a[n / 2] != 7.0) throw Error("bandwidth probe computed a wrong triad");
  return best;
}

// Read bandwidth: 64-byte vectors, one clone per ISA so the loads are as wide
// as the CPU's (the build targets baseline x86-64), eight accumulators so that
// loads, not the latency of the chains of adds, bound the loop.
using Vec16 = float __attribute__((vector_size(64)));
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define FB_WIDEST_LOADS __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define FB_WIDEST_LOADS
#endif

FB_WIDEST_LOADS float sum_passes(const float* data, size_t bytes, int64_t passes) {
  const Vec16* v = reinterpret_cast<const Vec16*>(data);
  const size_t n = bytes / sizeof(Vec16);
  Vec16 a0{}, a1{}, a2{}, a3{}, a4{}, a5{}, a6{}, a7{};
  for (int64_t k = 0; k < passes; ++k)
    for (size_t i = 0; i < n; i += 8) {
      a0 += v[i], a1 += v[i + 1], a2 += v[i + 2], a3 += v[i + 3];
      a4 += v[i + 4], a5 += v[i + 5], a6 += v[i + 6], a7 += v[i + 7];
    }
  const Vec16 s = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
  float t = 0;
  for (int i = 0; i < 16; ++i) t += s[i];
  return t;
}

struct FreeDelete {
  void operator()(float* p) const { std::free(p); }
};

nlohmann::json to_json(const MachineLimits& m) {
  nlohmann::json levels = nlohmann::json::array();
  for (const auto& l : m.levels) levels.push_back(to_json(l));
  return {{"cpu_model", m.cpu_model}, {"threads", m.threads},     {"peak_gflops", m.peak_gflops},
          {"bandwidth_gbs", m.bandwidth_gbs}, {"timestamp", m.timestamp}, {"method", m.method},
          {"levels", levels}};
}

nlohmann::json read_cache() {
  std::ifstream f(machine_cache_path());
  if (!f) return nlohmann::json::object();
  try {
    return nlohmann::json::parse(f);
  } catch (const nlohmann::json::exception&) {
    return nlohmann::json::object();  // a damaged cache is re-probed, not fatal
  }
}

}  // namespace

std::vector<LevelProbe> plan_level_probes(const std::vector<CacheLevel>& caches, int threads) {
  if (threads < 1) throw UsageError("threads must be at least 1");
  static constexpr int64_t kChunk = 8 * sizeof(Vec16);  // what one step of the read loop takes
  const auto round_down = [](int64_t b) { return std::max(kChunk, b / kChunk * kChunk); };
  std::vector<CacheLevel> data;
  for (const auto& c : caches)
    if (c.type != "Instruction" && c.size_bytes > 0 &&
        std::none_of(data.begin(), data.end(), [&](const CacheLevel& d) { return d.level == c.level; }))
      data.push_back(c);
  std::sort(data.begin(), data.end(), [](const CacheLevel& a, const CacheLevel& b) { return a.level < b.level; });
  std::vector<LevelProbe> out;
  int64_t llc = 0;
  for (const auto& c : data) {
    const int64_t sharing = std::max(1, c.sharing_cpus);
    const int64_t together = std::min<int64_t>(threads, sharing);  // threads in one instance, at most
    const int64_t instances = (threads + sharing - 1) / sharing;   // instances the threads can spread over
    LevelProbe p;
    p.roof.name = "L" + std::to_string(c.level) + (c.type == "Data" ? "d" : "");
    p.roof.size_bytes = c.size_bytes;
    p.roof.capacity_bytes = c.size_bytes * instances;
    p.buffer_bytes_per_thread = round_down(c.size_bytes / 2 / together);
    out.push_back(p);
    llc = c.size_bytes;
  }
  LevelProbe dram;
  dram.roof.name = "DRAM";
  dram.buffer_bytes_per_thread = round_down(std::max<int64_t>(8 * llc, int64_t(64) << 20) / threads);
  out.push_back(dram);
  return out;
}

ReadBandwidth probe_read_bandwidth(int64_t bytes_per_thread, int threads, const InterferencePolicy& quiet) {
  if (threads < 1 || bytes_per_thread < 512 || bytes_per_thread % 512)
    throw Error("read-bandwidth probe: bad buffer size " + std::to_string(bytes_per_thread));
  const size_t bytes = static_cast<size_t>(bytes_per_thread);
  std::vector<std::unique_ptr<float, FreeDelete>> buffers(static_cast<size_t>(threads));
  std::vector<float> sink(static_cast<size_t>(threads) * 16);  // a slot per thread, a cache line apart
  bool allocated = true;
#pragma omp parallel num_threads(threads)
  {
    // Each buffer is allocated and first touched by the thread that reads it.
    const auto t = static_cast<size_t>(omp_get_thread_num());
    float* p = static_cast<float*>(std::aligned_alloc(64, bytes));
    if (p) std::fill(p, p + bytes / sizeof(float), 1.0f);
    else allocated = false;
    buffers[t].reset(p);
  }
  if (!allocated) throw Error("read-bandwidth probe: cannot allocate " + std::to_string(bytes) + " bytes per thread");
  // Each sample reads at least 64 MiB per thread and lasts at least 5 ms (the
  // fastest of three, so a descheduled thread does not shorten it), so the
  // team's start and join are noise.
  int64_t passes = std::max<int64_t>(1, (int64_t(64) << 20) / bytes_per_thread);
  auto sample = [&] {
    const double t0 = now_s();
#pragma omp parallel num_threads(threads)
    {
      const auto t = static_cast<size_t>(omp_get_thread_num());
      sink[t * 16] += sum_passes(buffers[t].get(), bytes, passes);
    }
    return now_s() - t0;
  };
  while (std::min({sample(), sample(), sample()}) < 5e-3 && passes < (int64_t(1) << 40)) passes *= 2;
  // The measurement policy of every timed run: warm-up until settled, then
  // samples until the median's CI is within 2 % (at least 11, or 2 s), the
  // whole retried while other processes use the CPU.
  StatsPolicy stats;
  stats.min_runs = 11;
  stats.min_time_s = 0.1;
  stats.budget_s = 2.0;
  GuardedResult g = retry_while_noisy(
      [&] {
        CpuSnapshot a = cpu_snapshot();
        Summary s = sample_until_stable(sample, stats);
        return std::pair{s, foreign_cpu_pct(a, cpu_snapshot())};
      },
      quiet, [&] { return wait_for_quiet(quiet); });
  for (float s : sink)
    if (!std::isfinite(s)) throw Error("read-bandwidth probe summed a non-finite value");
  const double total = static_cast<double>(bytes) * threads * static_cast<double>(passes);
  return {total / g.summary.median / 1e9, g.foreign_pct, g.quiet};
}

MachineLimits probe_machine(int threads) {
  if (threads < 1) throw UsageError("threads must be at least 1");
  omp_set_num_threads(threads);
  MachineLimits m;
  m.cpu_model = cpu_model();
  m.threads = threads;
  m.peak_gflops = probe_peak_gflops();
  m.bandwidth_gbs = probe_bandwidth_gbs(threads);
  for (auto& p : plan_level_probes(host_caches(), threads)) {
    const ReadBandwidth r = probe_read_bandwidth(p.buffer_bytes_per_thread, threads);
    p.roof.bandwidth_gbs = r.gbs;
    m.levels.push_back(p.roof);
    if (!r.quiet) m.noisy.push_back(p.roof.name + " (" + std::to_string(std::lround(r.foreign_cpu_pct)) + " % foreign CPU)");
  }
  m.timestamp = utc_timestamp();
  m.method = "peak: best of oneDNN sgemm 2048^3 (FLOPs = 2 MNK), the engine's own GEMM; bandwidth: best triad "
             "a=b+s*c over 3 arrays of max(8 x LLC, 64 MiB), 24 B per element; levels: median of timed reads (sums, "
             "the measurement policy: warm-up, >= 11 samples, CI of the median within 2 %, retried while others use "
             "the CPU) of a buffer per thread filling half of each sysfs cache level, max(8 x LLC, 64 MiB) for DRAM";
  return m;
}

std::string machine_cache_path() {
  if (const char* p = std::getenv("FORMBENCH_MACHINE_FILE")) return p;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/formbench/machine.json";
  const char* home = std::getenv("HOME");
  return std::string(home ? home : "/tmp") + "/.cache/formbench/machine.json";
}

void store_machine_limits(const MachineLimits& m) {
  nlohmann::json cache = read_cache();
  cache[m.cpu_model + " / threads=" + std::to_string(m.threads)] = to_json(m);
  std::filesystem::path path = machine_cache_path();
  std::filesystem::create_directories(path.parent_path());
  write_file_atomically(path, cache.dump(2) + "\n");
}

std::optional<MachineLimits> load_machine_limits(const std::string& cpu_model, int threads) {
  nlohmann::json cache = read_cache();
  auto it = cache.find(cpu_model + " / threads=" + std::to_string(threads));
  if (it == cache.end()) return std::nullopt;
  MachineLimits m;
  m.cpu_model = it->value("cpu_model", "");
  m.threads = it->value("threads", 0);
  m.peak_gflops = it->value("peak_gflops", 0.0);
  m.bandwidth_gbs = it->value("bandwidth_gbs", 0.0);
  m.timestamp = it->value("timestamp", "");
  m.method = it->value("method", "");
  // A cache written before levels were probed, or damaged: no levels, so
  // records fall back to the triad roof until `formbench machine` runs again.
  try {
    if (it->contains("levels") && (*it)["levels"].is_array())
      for (const auto& l : (*it)["levels"]) m.levels.push_back(memory_roof_from_json(l));
  } catch (const UsageError&) {
    m.levels.clear();
  }
  return m;
}

RooflineSection roofline_of(double flops, double min_bytes, double working_set_bytes, double seconds,
                            const MachineLimits& m) {
  RooflineSection r;
  r.achieved_gflops = seconds > 0 ? flops / seconds / 1e9 : 0;
  r.intensity = min_bytes > 0 ? flops / min_bytes : 0;
  r.peak_gflops = m.peak_gflops;
  r.bandwidth_gbs = m.bandwidth_gbs;
  r.working_set_bytes = working_set_bytes;
  double bandwidth = m.bandwidth_gbs;
  if (!m.levels.empty()) {
    const MemoryRoof& roof = m.levels[roof_for(working_set_bytes, m.levels)];
    r.level = roof.name;
    bandwidth = roof.bandwidth_gbs;
    r.levels = m.levels;
  }
  const double bound = std::min(m.peak_gflops, *r.intensity * bandwidth);
  r.level_bandwidth_gbs = bandwidth;
  r.bound_gflops = bound;
  r.pct_of_peak = m.peak_gflops > 0 ? 100.0 * *r.achieved_gflops / m.peak_gflops : 0;
  r.pct_of_bound = bound > 0 ? 100.0 * *r.achieved_gflops / bound : 0;
  r.machine_probed = m.timestamp;
  return r;
}

}  // namespace fb
