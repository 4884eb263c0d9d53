// Per-image latency of the onednn engine and LibTorch eager (`torch`) on each design pattern (width 32,
// res 224, depth 20 and 50, batch 1 and 8), next to the engine with its
// optimisations off (nofuse,plain,noprepack) as a within-engine baseline and
// the fixed layout rule without timed candidates (notune).
// Run under the CPU lock on a quiet machine:
//   flock /tmp/formbench-cpu.lock build/release/bench/onednn_bench --threads 2
// Google Benchmark flags (--benchmark_filter=...) pass through.
#include <benchmark/benchmark.h>

#include <cstring>
#include <exception>
#include <string>

#include "backends/backend.h"
#include "graph/weights.h"
#include "models/patterns.h"

namespace {

int g_threads = 2;

void run_config(benchmark::State& state, fb::Pattern p, int depth, int batch, const std::string& backend) {
  fb::PatternConfig cfg;
  cfg.pattern = p;
  cfg.depth = depth;
  cfg.width = 32;
  cfg.res = 224;
  const fb::Graph g = fb::build_pattern(cfg, batch);
  fb::BackendChoice choice;
  try {  // torch is optional in the build
    choice = fb::choose_backend(backend, g_threads);
  } catch (const std::exception& e) {
    state.SkipWithError(e.what());
    return;
  }
  auto exe = choice.backend->compile(g, fb::make_weights(g, 1), choice.options);
  const fb::Tensor in = fb::make_input(g.input_shape(), 2);
  fb::Tensor out(g.output_shape());
  exe->run(in.ptr(), out.ptr());  // warm-up
  for (auto _ : state) exe->run(in.ptr(), out.ptr());
  state.counters["ms_per_img"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * batch * 1e-3, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["threads"] = g_threads;
  for (const auto& [k, v] : choice.backend->environment(choice.options))
    if (k == "onednn.isa") state.SetLabel(v);
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], "--threads") == 0) g_threads = std::stoi(argv[i + 1]);
  const fb::Pattern patterns[] = {fb::Pattern::Standard,    fb::Pattern::Factorized,   fb::Pattern::Bottleneck,
                                  fb::Pattern::DwSeparable, fb::Pattern::DwBottleneck, fb::Pattern::Grouped};
  for (const char* backend : {"onednn", "onednn:notune", "torch", "onednn:nodwfuse", "onednn:nofuse,plain,noprepack"})
    for (fb::Pattern p : patterns)
      for (int depth : {20, 50})
        for (int batch : {1, 8}) {
          if (std::string(backend) == "onednn:nodwfuse" && p != fb::Pattern::DwBottleneck) continue;
          const std::string name = fb::pattern_name(p) + "/depth:" + std::to_string(depth) + "/batch:" +
                                   std::to_string(batch) + "/" + backend;
          benchmark::RegisterBenchmark(name.c_str(), run_config, p, depth, batch, std::string(backend))
              ->Unit(benchmark::kMillisecond)
              ->MinTime(0.3)
              ->UseRealTime();
        }
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
}
