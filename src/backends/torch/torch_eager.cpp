// "torch": the Graph as a PyTorch user would write it in C++ (GraphNet: nn
// modules and functional ops, eval mode under NoGradGuard); at int8, the
// network PyTorch's eager post-training quantisation makes of it
// (torch_int8.h).
#include <torch/utils.h>

#include <optional>

#include "backends/torch/graph_net.h"
#include "backends/torch/op_trace.h"
#include "backends/torch/torch_backend.h"
#include "backends/torch/torch_int8.h"
#include "backends/torch/torch_util.h"
#include "common/error.h"

namespace fb {
namespace {

class EagerExecutable final : public TorchExecutable {
 public:
  EagerExecutable(const Graph& g, const Weights& w, int threads, at::ScalarType type)
      : net_(std::make_shared<GraphNet>(g, w)), in_(g.input_shape()), out_(g.output_shape()), threads_(threads),
        type_(type) {
    if (type_ != at::kFloat) net_->to(type_);  // as a PyTorch user writes model.to(torch.bfloat16)
  }

  void run(const float* input, float* output) override {
    torch_util::use_threads(threads_);
    torch::NoGradGuard no_grad;
    torch_util::copy_output(net_->forward(torch_util::wrap_input(input, in_, type_)), out_, output);
  }

  // One step per graph node but the input, in graph order: the node's op
  // (its module or functional call, an explicit pad with it) and the release
  // of the inputs it was the last to read.
  std::vector<double> run_profiled(const float* input, float* output) override {
    torch_util::use_threads(threads_);
    torch::NoGradGuard no_grad;
    const at::Tensor x = torch_util::wrap_input(input, in_, type_);
    torch_util::StepClock clock;
    const at::Tensor y = net_->forward_each(x, [&](size_t, const at::Tensor&) { clock.lap(); });
    torch_util::copy_output(y, out_, output);
    return std::move(clock).seconds();
  }

  // Named on first use: one forward on zeros under LibTorch's RecordFunction
  // callbacks says which ATen kernel each node's time goes to (the choice
  // depends on shapes, not values).
  const std::vector<StepRecord>& steps() const override {
    if (!steps_) steps_ = name_steps();
    return *steps_;
  }

  std::string step_timing() const override {
    return "A step is one graph node as eager LibTorch runs it: its module or functional call (dispatcher, output "
           "allocation, the kernel; an explicit pad for asymmetric padding) and the release of the inputs it was the "
           "last to read. The end-to-end latency also wraps the input and copies the output out; steps are timed on "
           "the steady clock between nodes, so nothing else is left out.";
  }

  int64_t parameter_count() const override { return net_->parameter_count(); }

 private:
  std::vector<StepRecord> name_steps() const {
    torch_util::use_threads(threads_);
    torch::NoGradGuard no_grad;
    const Graph& g = net_->graph();
    std::vector<size_t> ends;  // event count after each node
    std::vector<torch_trace::OpEvent> events;
    const at::Tensor zeros = at::zeros(in_.dims, type_);  // made before the trace: not the first node's op
    {
      torch_trace::OpTrace trace(torch_trace::Detail::Full);
      net_->forward_each(zeros, [&](size_t, const at::Tensor&) { ends.push_back(trace.size()); });
      events = trace.events();
    }
    std::vector<StepRecord> steps;
    size_t begin = 0;
    for (size_t i = 1; i < g.nodes.size(); ++i) {
      StepRecord r = node_step(g, static_cast<ValueId>(i));
      r.impl = torch_trace::longest_op(events, begin, ends[i - 1]);
      begin = ends[i - 1];
      steps.push_back(std::move(r));
    }
    attach_costs(steps, g);
    return steps;
  }

  std::shared_ptr<GraphNet> net_;
  Shape in_, out_;
  int threads_;
  at::ScalarType type_;
  mutable std::optional<std::vector<StepRecord>> steps_;
};

class TorchBackend final : public Backend {
 public:
  std::string name() const override { return "torch"; }
  std::string summary() const override { return "LibTorch eager: nn modules in eval mode, as a PyTorch user runs it"; }
  std::unique_ptr<Executable> compile(const Graph& g, const Weights& w, const BackendOptions& o) const override {
    check_options(o);
    torch_util::use_threads(o.threads);
    if (o.precision == Precision::int8) return make_int8_executable(g, w, o);
    return std::make_unique<EagerExecutable>(g, w, o.threads, torch_util::scalar_type(o.precision));
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

std::unique_ptr<Backend> make_torch_backend() { return std::make_unique<TorchBackend>(); }

}  // namespace fb
