#include "backends/onednn/onednn_backend.h"

#include <omp.h>
#include <oneapi/dnnl/dnnl.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <chrono>

#include "backends/onednn/compiler.h"
#include "backends/onednn/engine_options.h"
#include "backends/onednn/isa.h"
#include "backends/onednn/passes/passes.h"
#include "backends/onednn/quantize.h"
#include "backends/onednn/tuner.h"

namespace fb {
namespace {

using namespace onednn;

// compile()'s time by phase: each lap is the time since the previous one.
class PhaseClock {
 public:
  // `minus_ms`: time inside this lap that is reported as a phase of its own.
  void lap(const std::string& name, double minus_ms = 0) {
    const auto now = std::chrono::steady_clock::now();
    add(name, std::max(0.0, std::chrono::duration<double, std::milli>(now - last_).count() - minus_ms));
    last_ = now;
  }
  void add(const std::string& name, double ms) { phases_.emplace_back(name, ms); }
  const std::vector<std::pair<std::string, double>>& phases() const { return phases_; }
  // "compile 812.4 ms: lower 3.1, fold_batch_norm 0.4, ..., tuning 640.2\n"
  std::string str() const {
    double total = 0;
    std::string parts;
    for (const auto& [name, ms] : phases_) {
      total += ms;
      parts += fmt::format("{}{} {:.1f}", parts.empty() ? "" : ", ", name, ms);
    }
    return fmt::format("compile {:.1f} ms: {}\n", total, parts);
  }

 private:
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
  std::vector<std::pair<std::string, double>> phases_;
};

class OnednnBackend final : public Backend {
 public:
  std::string name() const override { return "onednn"; }
  std::string summary() const override {
    return "formbench's graph compiler on oneDNN primitives (fold, fuse, blocked layouts, planned memory)";
  }

  std::unique_ptr<Executable> compile(const Graph& g, const Weights& w, const BackendOptions& o) const override {
    check_options(o);
    EngineOptions eo = parse_engine_options(o.variant);
    eo.precision = o.precision;
    apply_isa_cap(o.isa);  // before the first primitive of the process
    require_precision_kernels(o.precision);  // now that the ISA is fixed
    omp_set_num_threads(o.threads);
    PhaseClock clock;
    Plan p = lower(g, w);
    clock.lap("lower");
    auto pass = [&](bool on, const char* name, Plan (*run)(Plan)) {
      if (!on) return;
      p = run(std::move(p));
      clock.lap(name);
    };
    pass(eo.dedupe, "dedupe_activations", dedupe_activations);
    pass(eo.fold_bn, "fold_batch_norm", fold_batch_norm);
    pass(eo.fuse_sum, "fuse_sum", fuse_sum);
    pass(eo.fuse_act, "fuse_activations", fuse_activations);
    // int8: a fused 1x1 + depthwise pair's intermediate would need a scale of
    // its own, and no step output carries it; the pair runs as two int8 convs.
    pass(eo.fuse_dw && o.precision != Precision::int8, "fuse_depthwise", fuse_depthwise);
    Calibration calibration;
    if (o.precision == Precision::int8) {
      calibration = calibrate_plan(p, g.input_shape(), g.output_shape(), eo, o.threads, o.calibration_inputs);
      eo.calibration = &calibration;
      p.notes.push_back(fmt::format("int8: activation scales from the largest |x| of each tensor over {} seeded "
                                    "calibration images (symmetric; u8 where a tensor never went below zero)",
                                    calibration.images));
      if (eo.fuse_dw) p.notes.push_back("int8: 1x1 + depthwise fusion off (its intermediate would need a scale of its own)");
      clock.lap("calibration");
    }
    std::string tuned;
    const bool tune = eo.tune && eo.blocked;
    TuneSession session(o.tuning_cache.get(), tuning_key_prefix(o.threads, o.precision),
                        o.tuning_budget_ms.value_or(kTuningBudgetMs));
    auto prog = tune ? compile_tuned(p, g.input_shape(), g.output_shape(), eo, o.threads, session, tuned)
                     : compile_plan(p, g.input_shape(), eo, o.threads);
    clock.lap("primitives and weights", session.spent_ms());
    if (tune) clock.add("tuning", session.spent_ms());
    prog->tuning = {session.timed(), session.cached(), session.skipped(), session.programs_compiled()};
    prog->compile_phases_ms = clock.phases();
    prog->header = fmt::format("onednn{} plan for {} (input {}), isa {}, precision {}, {} threads\n{}{}\n",
                               eo.str().empty() ? "" : ":" + eo.str(), g.name, g.input_shape().str(), effective_isa(),
                               precision_kernels(o.precision), o.threads, clock.str(), tuned);
    attach_costs(prog->records, g);
    return prog;
  }

  bool has_profiler() const override { return true; }

  void check_options(const BackendOptions& o) const override {
    parse_engine_options(o.variant);
    check_isa_name(o.isa);
    check_precision_cap(o.precision, o.isa);
  }

  // Planned: peak live activations plus as much again for reorder scratch
  // and layout copies; noplan keeps every activation. Weights: the caller's,
  // the packed and the BN-folded copy.
  MemoryEstimate estimate_memory(const GraphCost& c, const BackendOptions& o) const override {
    const EngineOptions eo = parse_engine_options(o.variant);
    if (!eo.plan_memory)
      return sum_memory({{"all activations (noplan)", c.total.activation_bytes, 1},
                         {"reorder scratch", c.peak_activation_bytes, 1}, {"weights", c.total.weight_bytes, 3},
                         {"runtime", int64_t{256} << 20, 1}});
    return sum_memory({{"peak live activations + reorder scratch", c.peak_activation_bytes, 2},
                       {"weights", c.total.weight_bytes, 3}, {"runtime", int64_t{256} << 20, 1}});
  }

  Facts environment(const BackendOptions& o) const override {
    apply_isa_cap(o.isa);
    const dnnl_version_t* v = dnnl_version();
    return {{"onednn.version", fmt::format("{}.{}.{} ({})", v->major, v->minor, v->patch, v->hash)},
            {"onednn.isa", effective_isa()},
            {"onednn.isa_cap", o.isa.empty() ? "none" : o.isa},
            {"onednn.threads", std::to_string(o.threads)},
            {"onednn.precision", precision_kernels(o.precision)},
            {"onednn.runtime", "OpenMP"}};
  }
};

}  // namespace

std::unique_ptr<Backend> make_onednn_backend() { return std::make_unique<OnednnBackend>(); }

}  // namespace fb
