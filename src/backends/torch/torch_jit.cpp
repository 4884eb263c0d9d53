// "torch-jit": LibTorch's own best effort. The Graph becomes a TorchScript
// module (generated source, exact weights as attributes), which LibTorch then
// freezes (constants inlined, conv-BN folded) and optimises for inference
// (oneDNN layouts and prepacked weights where it judges them profitable). At
// int8 the module is torch's quantised network written as TorchScript.
#include <torch/csrc/jit/api/module.h>
#include <torch/csrc/jit/ir/ir.h>
#include <torch/utils.h>

#include <fmt/core.h>

#include <chrono>
#include <map>
#include <optional>

#include "backends/torch/jit_steps.h"
#include "backends/torch/op_trace.h"
#include "backends/torch/quantized_script.h"
#include "backends/torch/torch_backend.h"
#include "backends/torch/torch_util.h"
#include "backends/torch/torchscript_source.h"
#include "common/error.h"

namespace fb {
namespace {

// A TorchScript module before `forward` is defined: its attributes (the
// weights, or int8's packed weights) registered, and the source to define.
struct Prepared {
  explicit Prepared(torch::jit::Module m) : module(std::move(m)) {}
  torch::jit::Module module;
  std::string forward;
  std::vector<ValueId> line_node;  // the node each source line computes
  int64_t params = 0;
  std::string summary;  // explain's first line; empty at fp32 and bf16
  CompiledFacts facts;
  at::ScalarType input_type = at::kFloat;
  torch::jit::ResolverPtr resolver;  // null: Module::define's own (torch.* only)
};

// fp32 or bf16: the generated source over the exact weights (bf16: weights
// as model.to() makes them).
Prepared float_module(const Graph& g, const Weights& w, at::ScalarType type) {
  torchscript::Source src = torchscript::write_forward(g);
  Prepared p(torch::jit::Module("FormbenchNet"));
  p.forward = src.forward;
  p.line_node = src.line_node;
  p.input_type = type;
  for (const auto& a : src.attributes) {
    at::Tensor t = torch_util::to_aten(w.at(a.node, a.index)).to(type);
    p.params += t.numel();
    if (a.buffer) p.module.register_buffer(a.name, t);
    else p.module.register_parameter(a.name, t, /*is_buffer=*/false);
  }
  return p;
}

// int8: the network torch runs at int8, written as TorchScript.
Prepared int8_module(const Graph& g, const Weights& w, const BackendOptions& o) {
  const torch_quant::Quantized q = torch_quant::quantize_network(g, w, o);
  torch_quant::QuantizedScript s = torch_quant::write_script(*q.net);
  Prepared p(std::move(s.module));
  p.forward = std::move(s.forward);
  p.line_node = std::move(s.line_node);
  p.params = q.params;
  p.summary = torch_quant::quantisation_summary(q);
  p.resolver = torch_quant::quantized_resolver();
  p.facts = q.facts;
  return p;
}

class JitExecutable final : public TorchExecutable {
 public:
  JitExecutable(const Graph& g, Prepared p, int threads)
      : graph_(g), line_node_(std::move(p.line_node)), source_(std::move(p.forward)), summary_(std::move(p.summary)),
        facts_(std::move(p.facts)), in_(g.input_shape()), out_(g.output_shape()), threads_(threads),
        type_(p.input_type), params_(p.params) {
    const auto start = std::chrono::steady_clock::now();
    torch::jit::Module m = std::move(p.module);
    try {
      m.define(source_, p.resolver);
    } catch (const c10::Error& e) {
      throw Error("torch-jit: TorchScript rejected the generated source:\n" + source_ + "\n" + e.what_without_backtrace());
    } catch (const std::exception& e) {  // the script compiler's ErrorReport
      throw Error("torch-jit: TorchScript rejected the generated source:\n" + source_ + "\n" + e.what());
    }
    m.eval();
    torch::NoGradGuard no_grad;
    torch::jit::Module frozen = torch::jit::freeze(m);
    module_ = torch::jit::optimize_for_inference(frozen);
    facts_.phases_ms.emplace_back(
        "define, freeze and optimize_for_inference",
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }

  void run(const float* input, float* output) override {
    torch_util::use_threads(threads_);
    torch::NoGradGuard no_grad;
    at::Tensor y = module_.forward({torch_util::wrap_input(input, in_, type_)}).toTensor();
    torch_util::copy_output(y, out_, output);
  }

  // Each step's ops timed by LibTorch's RecordFunction callbacks; the
  // TorchScript interpreter's own work between them is in no step.
  std::vector<double> run_profiled(const float* input, float* output) override {
    const JitStepsCache& s = discovered();
    torch_util::use_threads(threads_);
    torch::NoGradGuard no_grad;
    std::vector<torch_trace::OpEvent> events;
    at::Tensor y;
    {
      const auto start = std::chrono::steady_clock::now();
      torch_trace::OpTrace trace(torch_trace::Detail::TopLevel);
      y = module_.forward({torch_util::wrap_input(input, in_, type_)}).toTensor();
      events = trace.events();
      last_profiled_s_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    torch_util::copy_output(y, out_, output);
    bool same = events.size() == s.op_names.size();
    for (size_t i = 0; same && i < events.size(); ++i) same = events[i].name == s.op_names[i];
    if (!same)
      throw Error(fmt::format("torch-jit: this run of the frozen graph called {} ops, not the {} its steps were named "
                              "from; the TorchScript executor re-optimised the graph (profile it again)",
                              events.size(), s.op_names.size()));
    // Start to start: the oneDNN convolutions optimize_for_inference makes
    // (prim::mkldnn_convolution) run without the dispatcher, so only their
    // output's allocation is an event; what follows it until the next
    // step's first op is that op's work.
    std::vector<double> seconds;
    const auto& steps = s.steps.ops;
    for (size_t k = 0; k < steps.size(); ++k) {
      const double start = events[steps[k].front()].start_s;
      const double end = k + 1 < steps.size() ? events[steps[k + 1].front()].start_s : events[steps[k].back()].end_s;
      seconds.push_back(end - start);
    }
    return seconds;
  }

  const std::vector<StepRecord>& steps() const override { return discovered().steps.records; }
  std::optional<double> last_profiled_run_seconds() const override { return last_profiled_s_; }

  std::string step_timing() const override {
    return "A step is what runs from the start of the first op that one graph node's TorchScript lines call in the "
           "frozen, optimised graph (LibTorch's RecordFunction events) to the start of the next step's first op: ops "
           "the interpreter runs without the dispatcher (prim::mkldnn_convolution, whose only event is its output's "
           "allocation) and the interpreter's own work between ops are in the step before. Only the work before "
           "the first op and the input and output copies are in the end-to-end latency and in no step.";
  }

  std::string explain() const override {
    return summary_ + "TorchScript source:\n" + source_ + "\nafter freeze + optimize_for_inference:\n" +
           module_.get_method("forward").graph()->toString();
  }

  CompiledFacts compiled_facts() const override { return facts_; }

  int64_t parameter_count() const override { return params_; }

 private:
  struct JitStepsCache {
    torchscript::JitSteps steps;
    std::vector<std::string> op_names;  // the top-level ops of one run, in order
  };

  // Named on first use, after warm-up runs (the profiling executor
  // optimises the graph on its first runs): one traced forward on zeros
  // gives the top-level ops, their source lines and where their time goes.
  const JitStepsCache& discovered() const {
    if (cache_) return *cache_;
    torch_util::use_threads(threads_);
    torch::NoGradGuard no_grad;
    const at::Tensor zeros = at::zeros(in_.dims, type_);
    torch::jit::Module m = module_;  // a handle: forward is not const
    for (int i = 0; i < 3; ++i) m.forward({zeros});
    std::vector<torch_trace::OpEvent> events;
    {
      torch_trace::OpTrace trace(torch_trace::Detail::Full);
      m.forward({zeros});
      events = trace.events();
    }
    JitStepsCache c;
    const std::map<int64_t, std::string> kinds = node_kinds_by_line();
    std::vector<torchscript::TopOp> ops;
    for (size_t i = 0; i < events.size(); ++i)
      if (events[i].depth == 0) {
        // The optimised graph's own nodes on that line name the implementation
        // better than the events do (an allocation is all a prim:: op shows).
        auto k = kinds.find(events[i].line);
        ops.push_back({events[i].name, k != kinds.end() ? k->second : torch_trace::dominant_op(events, i), events[i].line});
        c.op_names.push_back(events[i].name);
      }
    c.steps = torchscript::map_jit_steps(graph_, ops, line_node_);
    cache_ = std::move(c);
    return *cache_;
  }

  // The compute nodes of the optimised graph by source line: "prim::mkldnn_convolution".
  std::map<int64_t, std::string> node_kinds_by_line() const {
    std::map<int64_t, std::string> out;
    for (const torch::jit::Node* n : module_.get_method("forward").graph()->nodes()) {
      const std::string kind = n->kind().toQualString();
      if (kind == "prim::Constant" || kind == "prim::ListConstruct" || kind == "prim::GetAttr") continue;
      const auto& range = n->sourceRange();
      if (!range.source()) continue;
      std::string& s = out[static_cast<int64_t>(range.source()->lineno_for_offset(range.start()))];
      if (s.find(kind) == std::string::npos) s += (s.empty() ? "" : " + ") + kind;
    }
    return out;
  }

  Graph graph_;
  std::vector<ValueId> line_node_;
  mutable std::optional<JitStepsCache> cache_;
  torch::jit::Module module_;
  std::string source_, summary_;
  CompiledFacts facts_;
  Shape in_, out_;
  int threads_;
  at::ScalarType type_;
  int64_t params_ = 0;
  std::optional<double> last_profiled_s_;
};

class TorchJitBackend final : public Backend {
 public:
  std::string name() const override { return "torch-jit"; }
  std::string summary() const override {
    return "LibTorch TorchScript after torch::jit::freeze + optimize_for_inference (BN folding, oneDNN)";
  }
  std::unique_ptr<Executable> compile(const Graph& g, const Weights& w, const BackendOptions& o) const override {
    check_options(o);
    torch_util::use_threads(o.threads);
    Prepared p = o.precision == Precision::int8 ? int8_module(g, w, o)
                                                : float_module(g, w, torch_util::scalar_type(o.precision));
    return std::make_unique<JitExecutable>(g, std::move(p), o.threads);
  }
  bool has_profiler() const override { return true; }
  Facts environment(const BackendOptions& o) const override { return torch_util::environment(o); }
  void check_options(const BackendOptions& o) const override {
    require_no_options(name(), o, {Precision::fp32, Precision::bf16, Precision::int8}, "");
  }
  MemoryEstimate estimate_memory(const GraphCost& c, const BackendOptions&) const override {
    return torch_util::estimate_memory(c);
  }
};

}  // namespace

std::unique_ptr<Backend> make_torch_jit_backend() { return std::make_unique<TorchJitBackend>(); }

}  // namespace fb
