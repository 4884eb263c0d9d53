#include "backends/onednn/onednn_backend.h"

#include <omp.h>
#include <oneapi/dnnl/dnnl.hpp>

#include <fmt/core.h>

#include "backends/onednn/compiler.h"
#include "backends/onednn/engine_options.h"
#include "backends/onednn/isa.h"
#include "backends/onednn/passes/passes.h"
#include "backends/onednn/tuner.h"

namespace fb {
namespace {

using namespace onednn;

class OnednnBackend final : public Backend {
 public:
  std::string name() const override { return "onednn"; }
  std::string summary() const override {
    return "formbench's graph compiler on oneDNN primitives (fold, fuse, blocked layouts, planned memory)";
  }

  std::unique_ptr<Executable> compile(const Graph& g, const Weights& w, const BackendOptions& o) const override {
    const EngineOptions eo = parse_engine_options(o.variant);
    apply_isa_cap(o.isa);  // before the first primitive of the process
    omp_set_num_threads(o.threads);
    Plan p = lower(g, w);
    if (eo.fold_bn) p = fold_batch_norm(std::move(p));
    if (eo.fuse_sum) p = fuse_sum(std::move(p));
    if (eo.fuse_act) p = fuse_activations(std::move(p));
    if (eo.fuse_dw) p = fuse_depthwise(std::move(p));
    std::string tuned;
    auto prog = eo.tune && eo.blocked ? compile_tuned(p, g.input_shape(), g.output_shape(), eo, o.threads, tuned) : compile_plan(p, g.input_shape(), eo, o.threads);
    prog->header = fmt::format("onednn{} plan for {} (input {}), isa {}, {} threads\n{}\n", eo.str().empty() ? "" : ":" + eo.str(),
                               g.name, g.input_shape().str(), effective_isa(), o.threads, tuned);
    attach_costs(prog->records, g);
    return prog;
  }

  bool has_profiler() const override { return true; }

  void check_options(const BackendOptions& o) const override {
    parse_engine_options(o.variant);
    check_isa_name(o.isa);
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
            {"onednn.runtime", "OpenMP"}};
  }
};

}  // namespace

std::unique_ptr<Backend> make_onednn_backend() { return std::make_unique<OnednnBackend>(); }

}  // namespace fb
