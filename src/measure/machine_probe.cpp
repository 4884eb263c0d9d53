#include "measure/machine_probe.h"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

#include <dnnl.hpp>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/timestamp.h"
#include "measure/environment.h"

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

nlohmann::json to_json(const MachineLimits& m) {
  return {{"cpu_model", m.cpu_model}, {"threads", m.threads}, {"peak_gflops", m.peak_gflops},
          {"bandwidth_gbs", m.bandwidth_gbs}, {"timestamp", m.timestamp}, {"method", m.method}};
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

MachineLimits probe_machine(int threads) {
  if (threads < 1) throw UsageError("threads must be at least 1");
  omp_set_num_threads(threads);
  MachineLimits m;
  m.cpu_model = cpu_model();
  m.threads = threads;
  m.peak_gflops = probe_peak_gflops();
  m.bandwidth_gbs = probe_bandwidth_gbs(threads);
  m.timestamp = utc_timestamp();
  m.method = "peak: best of oneDNN sgemm 2048^3 (FLOPs = 2 MNK); bandwidth: best triad a=b+s*c over 3 arrays of "
             "max(8 x LLC, 64 MiB), 24 B per element";
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
  return m;
}

nlohmann::json roofline_json(double flops, double min_bytes, double seconds, const MachineLimits& m) {
  double achieved = seconds > 0 ? flops / seconds / 1e9 : 0;
  double intensity = min_bytes > 0 ? flops / min_bytes : 0;
  double bound = std::min(m.peak_gflops, intensity * m.bandwidth_gbs);
  return {{"achieved_gflops", achieved},
          {"peak_gflops", m.peak_gflops},
          {"bandwidth_gbs", m.bandwidth_gbs},
          {"intensity", intensity},
          {"bound_gflops", bound},
          {"pct_of_peak", m.peak_gflops > 0 ? 100.0 * achieved / m.peak_gflops : 0},
          {"pct_of_bound", bound > 0 ? 100.0 * achieved / bound : 0},
          {"machine_probed", m.timestamp}};
}

}  // namespace fb
