#include "measure/measure.h"

#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>

#include "backends/backend.h"
#include "common/error.h"
#include "common/timestamp.h"
#include "graph/cost.h"
#include "graph/weights.h"
#include "interop/npy.h"
#include "measure/cache_sim.h"
#include "measure/counters.h"
#include "measure/environment.h"
#include "measure/machine_probe.h"
#include "measure/output_check.h"
#include "measure/precision_accuracy.h"
#include "measure/record.h"
#include "measure/step_profile.h"

namespace fb {
namespace {

using Clock = std::chrono::steady_clock;

struct Prepared {
  BackendChoice choice;
  Graph graph;
  Tensor input, output;
  std::unique_ptr<Executable> exe;
  double compile_ms = 0;  // the user's wait before the first inference
};

Prepared prepare(const MeasureConfig& c, const MeasurePolicy& p) {
  Prepared r;
  r.choice = choose_backend(c.backend, c.threads);
  r.choice.options.isa = c.isa;
  r.choice.options.precision = c.precision;
  if (c.calibration > 0) r.choice.options.calibration_inputs = c.calibration;
  r.choice.backend->check_options(r.choice.options);  // a precision the backend does not run is refused, not ignored
  r.choice.options.tuning_cache = p.tuning_cache;
  r.graph = c.model.build(c.batch);
  Weights w = c.model.weights(r.graph, p.seed);
  r.input = network_input(c.input, r.graph.input_shape(), p.seed + 1, "input");
  r.output = Tensor(r.graph.output_shape());
  const auto t0 = Clock::now();
  r.exe = r.choice.backend->compile(r.graph, w, r.choice.options);
  r.compile_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  return r;
}

LatencyStats ms_summary(const Summary& s) {
  auto ms = [](double x) { return x * 1e3; };
  LatencyStats l{s.n, ms(s.median), ms(s.mean), ms(s.min), ms(s.max), ms(s.p10), ms(s.p90), ms(s.stddev), s.cv,
                 ms(s.ci_low), ms(s.ci_high), s.target_met, {}};
  for (double x : s.samples) l.samples.push_back(ms(x));
  return l;
}

}  // namespace

Record measure(const MeasureConfig& c, const MeasurePolicy& p) {
  std::string descriptor = c.str();
  CacheSimSetup sim;
  if (!c.cache_sim.empty()) sim = cache_sim_setup(c.cache_sim);  // bad geometry fails before any work
  // Counters first: the backend's worker threads, started by compile, inherit them.
  Counters counters;
  Prepared run = prepare(c, p);

  CounterValues counted;
  CpuSnapshot guard_start;
  // An engine in a process of its own: its CPU time is this measurement's,
  // and its own clock is the latency (the copies across the boundary kept
  // out, but measured: outside_engine_ms).
  const int helper = run.exe->helper_pid();
  std::vector<double> outside_engine_s;
  auto sampler = [&] {
    CounterValues c0 = counters.read();
    auto t0 = Clock::now();
    run.exe->run(run.input.ptr(), run.output.ptr());
    auto t1 = Clock::now();
    counted += counters.read() - c0;
    const double wall = std::chrono::duration<double>(t1 - t0).count();
    const std::optional<double> engine = run.exe->last_engine_seconds();
    if (!engine) return wall;
    outside_engine_s.push_back(std::max(0.0, wall - *engine));
    return *engine;
  };
  auto on_warm = [&] {
    counted = {};
    outside_engine_s.clear();
    guard_start = cpu_snapshot(helper);
  };
  GuardedResult g = retry_while_noisy(
      [&] {
        Summary s = sample_until_stable(sampler, p.stats, on_warm);
        return std::pair{s, foreign_cpu_pct(guard_start, cpu_snapshot(helper))};
      },
      p.interference, [&] { return wait_for_quiet(p.interference); });
  const Summary& s = g.summary;

  GraphCost cost = cost_of(run.graph);
  // The record through its owner (measure/record.h); the environment, which
  // it keeps as measured but for the backend facts, goes in as JSON.
  MeasurementRecord t;
  t.descriptor = descriptor;
  t.status = "ok";
  t.latency_ms = ms_summary(s);
  t.per_image_ms = PerImageMs{s.median * 1e3 / c.batch, s.ci_low * 1e3 / c.batch, s.ci_high * 1e3 / c.batch};
  t.foreign_cpu_pct = g.foreign_pct;
  t.interference = interference_label(g.quiet, g.retries);
  t.cost = CostSection{static_cast<double>(cost.total.macs), static_cast<double>(cost.total.flops()),
                       static_cast<double>(cost.total.params), static_cast<double>(cost.total.min_bytes),
                       static_cast<double>(cost.peak_activation_bytes)};
  const std::optional<MachineLimits> limits = load_machine_limits(cpu_model(), c.threads);
  if (c.profile)  // after the timed runs, so the latency is the same as without a profile
    t.profile = profile_section(profile_steps(*run.exe, run.input, run.output, profile_policy(), limits, s));
  if (limits)
    t.roofline = roofline_of(static_cast<double>(cost.total.flops()), static_cast<double>(cost.total.min_bytes),
                             working_set_bytes(static_cast<double>(cost.total.weight_bytes),
                                               static_cast<double>(cost.peak_activation_bytes)),
                             s.median, *limits);
  CountersSection k{counters.available(), counters.available() ? "" : counters.reason(), {}, {}, {}, {}};
  if (k.available && helper != 0) {  // counts of an inherited child reach us only when it exits
    k.available = false;
    k.reason = "the engine computes in a process of its own, which this process's counters do not follow";
  }
  if (k.available) {
    const double n = s.n;
    k.llc_references = counted.llc_references / n;
    k.llc_misses = counted.llc_misses / n;
    k.cycles = counted.cycles / n;
    k.instructions = counted.instructions / n;
  }
  t.counters = k;
  if (!c.cache_sim.empty()) t.cache_sim = simulate_cache(self_exe(), descriptor, sim, c.env, p.cache_sim_timeout_s);
  if (!outside_engine_s.empty()) t.outside_engine_ms = summarize(outside_engine_s).median * 1e3;
  if (c.check) t.check = check_against_reference(c, run.choice, p.seed);
  if (c.precision != Precision::fp32) t.accuracy = accuracy_against_fp32(c, run.choice, p.seed);
  const CompiledFacts facts = run.exe->compiled_facts();
  t.compiled = CompiledSection{facts.winograd_convs, run.compile_ms, facts.phases_ms};
  t.backend_facts = run.choice.backend->environment(run.choice.options);
  t.json = {{"model", c.model.str()}, {"backend", run.choice.str()}, {"batch", c.batch}, {"threads", c.threads},
            {"environment", environment_json(run.choice)}, {"timestamp", utc_timestamp()}};
  return t;
}

void cache_sim_child(const MeasureConfig& c, const MeasurePolicy& p) {
  Prepared run = prepare(c, p);
  start_instrumentation();
  // Warm-up, simulated but not counted: it fills the simulated caches and
  // keeps first-touch and lazy set-up out of the counts.
  run.exe->run(run.input.ptr(), run.output.ptr());
  collect_only([&] {
    for (int i = 0; i < kCacheSimRuns; ++i) run.exe->run(run.input.ptr(), run.output.ptr());
  });
}

void reexec_with_config_env(const MeasureConfig& c) {
  bool differs = false;
  for (const auto& [k, v] : c.env) {
    const char* cur = std::getenv(k.c_str());
    if (!cur || v != cur) {
      differs = true;
      setenv(k.c_str(), v.c_str(), 1);
    }
  }
  if (!differs) return;
  std::ifstream f("/proc/self/cmdline", std::ios::binary);
  std::vector<std::string> args;
  std::string a;
  while (std::getline(f, a, '\0')) args.push_back(a);
  std::vector<char*> argv;
  for (auto& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);
  std::string exe = self_exe();
  execv(exe.c_str(), argv.data());
  throw Error("cannot re-execute " + exe + " with the configuration's environment");
}

}  // namespace fb
