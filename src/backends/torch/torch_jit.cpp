// "torch-jit": LibTorch's own best effort. The Graph becomes a TorchScript
// module (generated source, exact weights as attributes), which LibTorch then
// freezes (constants inlined, conv-BN folded) and optimises for inference
// (oneDNN layouts and prepacked weights where it judges them profitable).
#include <torch/csrc/jit/api/module.h>
#include <torch/csrc/jit/ir/ir.h>
#include <torch/utils.h>

#include <fmt/core.h>

#include <map>
#include <optional>

#include "backends/torch/jit_steps.h"
#include "backends/torch/op_trace.h"
#include "backends/torch/torch_backend.h"
#include "backends/torch/torch_util.h"
#include "backends/torch/torchscript_source.h"
#include "common/error.h"

namespace fb {
namespace {

class JitExecutable final : public TorchExecutable {
 public:
  JitExecutable(const Graph& g, const Weights& w, int threads, at::ScalarType type)
      : graph_(g), in_(g.input_shape()), out_(g.output_shape()), threads_(threads), type_(type) {
    torchscript::Source src = torchscript::write_forward(g);
    line_node_ = src.line_node;
    torch::jit::Module m("FormbenchNet");
    for (const auto& a : src.attributes) {
      at::Tensor t = torch_util::to_aten(w.at(a.node, a.index)).to(type_);  // bf16: weights as model.to() makes them
      params_ += t.numel();
      if (a.buffer) m.register_buffer(a.name, t);
      else m.register_parameter(a.name, t, /*is_buffer=*/false);
    }
    source_ = src.forward;
    try {
      m.define(source_);
    } catch (const c10::Error& e) {
      throw Error("torch-jit: TorchScript rejected the generated source:\n" + source_ + "\n" + e.what_without_backtrace());
    }
    m.eval();
    torch::NoGradGuard no_grad;
    torch::jit::Module frozen = torch::jit::freeze(m);
    module_ = torch::jit::optimize_for_inference(frozen);
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
      torch_trace::OpTrace trace(torch_trace::Detail::TopLevel);
      y = module_.forward({torch_util::wrap_input(input, in_, type_)}).toTensor();
      events = trace.events();
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

  std::string step_timing() const override {
    return "A step is what runs from the start of the first op that one graph node's TorchScript lines call in the "
           "frozen, optimised graph (LibTorch's RecordFunction events) to the start of the next step's first op: ops "
           "the interpreter runs without the dispatcher (prim::mkldnn_convolution, whose only event is its output's "
           "allocation) and the interpreter's own work between ops are in the step before. Only the work before "
           "the first op and the input and output copies are in the end-to-end latency and in no step.";
  }

  std::string explain() const override {
    return "TorchScript source:\n" + source_ + "\nafter freeze + optimize_for_inference:\n" +
           module_.get_method("forward").graph()->toString();
  }

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
  std::string source_;
  Shape in_, out_;
  int threads_;
  at::ScalarType type_;
  int64_t params_ = 0;
};

class TorchJitBackend final : public Backend {
 public:
  std::string name() const override { return "torch-jit"; }
  std::string summary() const override {
    return "LibTorch TorchScript after torch::jit::freeze + optimize_for_inference (BN folding, oneDNN)";
  }
  std::unique_ptr<Executable> compile(const Graph& g, const Weights& w, const BackendOptions& o) const override {
    torch_util::check_precision(name(), o);
    torch_util::use_threads(o.threads);
    return std::make_unique<JitExecutable>(g, w, o.threads, torch_util::scalar_type(o.precision));
  }
  bool has_profiler() const override { return true; }
  Facts environment(const BackendOptions& o) const override { return torch_util::environment(o); }
  void check_options(const BackendOptions& o) const override { torch_util::check_precision(name(), o); }
  MemoryEstimate estimate_memory(const GraphCost& c, const BackendOptions&) const override {
    return torch_util::estimate_memory(c);
  }
};

}  // namespace

std::unique_ptr<Backend> make_torch_jit_backend() { return std::make_unique<TorchJitBackend>(); }

}  // namespace fb
