// "torch": the Graph as a PyTorch user would write it in C++: an nn::Module
// with Conv2d / BatchNorm2d / Linear submodules holding the exact weights,
// functional ops for the rest, eval mode under NoGradGuard.
#include <ATen/ATen.h>  // first: torch/nn/functional/padding.h is not self-contained
#include <torch/nn/functional/padding.h>
#include <torch/nn/functional/pooling.h>
#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/utils.h>

#include <chrono>
#include <optional>

#include "backends/torch/op_trace.h"
#include "backends/torch/padding.h"
#include "backends/torch/torch_backend.h"
#include "backends/torch/torch_util.h"
#include "common/error.h"

namespace fb {
namespace {

namespace F = torch::nn::functional;
using torch_lowering::pad_arg;
using torch_lowering::symmetric;

at::Tensor zero_pad(const at::Tensor& x, const Padding& p, double value = 0.0) {
  auto a = pad_arg(p);
  return F::pad(x, F::PadFuncOptions({a[0], a[1], a[2], a[3]}).value(value));
}
std::vector<int64_t> inner_pad(const Padding& p) {
  return symmetric(p) ? std::vector<int64_t>{p.top, p.left} : std::vector<int64_t>{0, 0};
}

class GraphNet : public torch::nn::Module {
 public:
  GraphNet(const Graph& g, const Weights& w) : g_(g), last_use_(g.nodes.size(), -1) {
    torch::NoGradGuard no_grad;
    conv_.resize(g.nodes.size(), nullptr);
    bn_.resize(g.nodes.size(), nullptr);
    fc_.resize(g.nodes.size(), nullptr);
    for (size_t i = 0; i < g.nodes.size(); ++i) {
      const Node& n = g.nodes[i];
      const auto id = static_cast<ValueId>(i);
      for (ValueId in : n.inputs) last_use_[static_cast<size_t>(in)] = id;
      const std::string name = "n" + std::to_string(i);
      if (n.op == OpKind::Conv) conv_[i] = register_module(name, make_conv(g, id, w));
      if (n.op == OpKind::BatchNorm) bn_[i] = register_module(name, make_bn(g, id, w));
      if (n.op == OpKind::Linear) fc_[i] = register_module(name, make_linear(g, id, w));
    }
    last_use_[static_cast<size_t>(g.output)] = static_cast<ValueId>(g.nodes.size());
    eval();
  }

  at::Tensor forward(const at::Tensor& input) { return forward_each(input, [](size_t) {}); }

  // `after_node(i)` is called once node i is computed and the inputs it was
  // the last to read are released. A template, so that forward()'s empty
  // callback compiles away: run() pays nothing for the profiler's hook.
  template <class AfterNode>
  at::Tensor forward_each(const at::Tensor& input, AfterNode&& after_node) {
    std::vector<at::Tensor> v(g_.nodes.size());
    v[0] = input;
    for (size_t i = 1; i < g_.nodes.size(); ++i) {
      v[i] = compute(i, v);
      // Drop what no later node reads, as Python's reference counting would.
      for (ValueId in : g_.nodes[i].inputs)
        if (last_use_[static_cast<size_t>(in)] == static_cast<ValueId>(i)) v[static_cast<size_t>(in)].reset();
      after_node(i);
    }
    return v[static_cast<size_t>(g_.output)];
  }

  const Graph& graph() const { return g_; }

 private:
  static torch::nn::Conv2d make_conv(const Graph& g, ValueId id, const Weights& w) {
    const Node& n = g.node(id);
    const auto& a = n.as<ConvAttrs>();
    auto pad = inner_pad(a.pad);
    torch::nn::Conv2d m(torch::nn::Conv2dOptions(g.node(n.inputs[0]).shape.c(), a.out_channels,
                                                 {a.kernel_h, a.kernel_w})
                            .stride({a.stride_h, a.stride_w})
                            .padding(torch::ExpandingArray<2>({pad[0], pad[1]}))
                            .dilation({a.dilation_h, a.dilation_w})
                            .groups(a.groups)
                            .bias(a.bias));
    m->weight.copy_(torch_util::to_aten(w.at(id, param::conv_weight)));
    if (a.bias) m->bias.copy_(torch_util::to_aten(w.at(id, param::conv_bias)));
    return m;
  }
  static torch::nn::BatchNorm2d make_bn(const Graph& g, ValueId id, const Weights& w) {
    const Node& n = g.node(id);
    torch::nn::BatchNorm2d m(torch::nn::BatchNorm2dOptions(n.shape.c()).eps(n.as<BatchNormAttrs>().eps));
    m->weight.copy_(torch_util::to_aten(w.at(id, param::bn_gamma)));
    m->bias.copy_(torch_util::to_aten(w.at(id, param::bn_beta)));
    m->running_mean.copy_(torch_util::to_aten(w.at(id, param::bn_mean)));
    m->running_var.copy_(torch_util::to_aten(w.at(id, param::bn_var)));
    return m;
  }
  static torch::nn::Linear make_linear(const Graph& g, ValueId id, const Weights& w) {
    const Node& n = g.node(id);
    const bool bias = n.as<LinearAttrs>().bias;
    torch::nn::Linear m(torch::nn::LinearOptions(g.node(n.inputs[0]).shape[1], n.shape[1]).bias(bias));
    m->weight.copy_(torch_util::to_aten(w.at(id, param::linear_weight)));
    if (bias) m->bias.copy_(torch_util::to_aten(w.at(id, param::linear_bias)));
    return m;
  }

  at::Tensor compute(size_t i, const std::vector<at::Tensor>& v) {
    const Node& n = g_.nodes[i];
    const at::Tensor& x = v[static_cast<size_t>(n.inputs[0])];
    switch (n.op) {
      case OpKind::Input: break;
      case OpKind::Conv: {
        const Padding& p = n.as<ConvAttrs>().pad;
        return conv_[i]->forward(symmetric(p) ? x : zero_pad(x, p));
      }
      case OpKind::BatchNorm: return bn_[i]->forward(x);
      case OpKind::Activation:
        return n.as<ActivationAttrs>().kind == ActKind::ReLU ? F::relu(x) : F::relu6(x);
      case OpKind::Add: return x + v[static_cast<size_t>(n.inputs[1])];
      case OpKind::Concat: {
        std::vector<at::Tensor> xs;
        for (ValueId in : n.inputs) xs.push_back(v[static_cast<size_t>(in)]);
        return torch::cat(xs, 1);
      }
      case OpKind::MaxPool: {
        const auto& a = n.as<PoolAttrs>();
        at::Tensor xp = symmetric(a.pad) ? x : zero_pad(x, a.pad, -std::numeric_limits<double>::infinity());
        return F::max_pool2d(xp, F::MaxPool2dFuncOptions({a.kernel_h, a.kernel_w})
                                     .stride({a.stride_h, a.stride_w})
                                     .padding(torch::ExpandingArray<2>({inner_pad(a.pad)[0], inner_pad(a.pad)[1]})));
      }
      case OpKind::AvgPool: return avg_pool(n.as<PoolAttrs>(), x);
      case OpKind::GlobalAvgPool: return F::adaptive_avg_pool2d(x, F::AdaptiveAvgPool2dFuncOptions(1));
      case OpKind::Flatten: return x.flatten(1);
      case OpKind::Linear: return fc_[i]->forward(x);
      case OpKind::Pad: return zero_pad(x, n.as<PadAttrs>().pad);
      case OpKind::Slice: {
        const auto& s = n.as<SliceAttrs>();
        return x.narrow(2, s.top, s.height).narrow(3, s.left, s.width);
      }
    }
    throw Error("torch backend: cannot lower node " + n.name);
  }

  static at::Tensor avg_pool(const PoolAttrs& a, const at::Tensor& x) {
    auto opts = F::AvgPool2dFuncOptions({a.kernel_h, a.kernel_w}).stride({a.stride_h, a.stride_w});
    if (symmetric(a.pad))
      return F::avg_pool2d(x, opts.padding(torch::ExpandingArray<2>({a.pad.top, a.pad.left}))
                                  .count_include_pad(a.count_include_pad));
    // Asymmetric: pool the zero-padded input; without count_include_pad,
    // divide by the pooled mask of real pixels.
    at::Tensor sum = F::avg_pool2d(zero_pad(x, a.pad), opts);
    if (a.count_include_pad) return sum;
    return sum / F::avg_pool2d(zero_pad(torch::ones_like(x), a.pad), opts);
  }

  Graph g_;
  std::vector<ValueId> last_use_;
  std::vector<torch::nn::Conv2d> conv_;
  std::vector<torch::nn::BatchNorm2d> bn_;
  std::vector<torch::nn::Linear> fc_;
};

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
    using Clock = std::chrono::steady_clock;
    torch_util::use_threads(threads_);
    torch::NoGradGuard no_grad;
    std::vector<double> seconds;
    seconds.reserve(net_->graph().nodes.size());
    const at::Tensor x = torch_util::wrap_input(input, in_, type_);
    auto t = Clock::now();
    const at::Tensor y = net_->forward_each(x, [&](size_t) {
      const auto now = Clock::now();
      seconds.push_back(std::chrono::duration<double>(now - t).count());
      t = now;
    });
    torch_util::copy_output(y, out_, output);
    return seconds;
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

  int64_t parameter_count() const override {
    int64_t count = 0;
    for (const auto& p : net_->named_parameters()) count += p.value().numel();
    for (const auto& b : net_->named_buffers())
      if (b.key().find("num_batches_tracked") == std::string::npos) count += b.value().numel();
    return count;
  }

 private:
  std::vector<StepRecord> name_steps() const {
    torch_util::use_threads(threads_);
    torch::NoGradGuard no_grad;
    const Graph& g = net_->graph();
    std::vector<size_t> ends;  // event count after each node
    std::vector<torch_trace::OpEvent> events;
    {
      torch_trace::OpTrace trace(torch_trace::Detail::Full);
      net_->forward_each(at::zeros(in_.dims, type_), [&](size_t) { ends.push_back(trace.size()); });
      events = trace.events();
    }
    std::vector<StepRecord> steps;
    size_t begin = 0;
    for (size_t i = 1; i < g.nodes.size(); ++i) {
      StepRecord r = node_step(g, static_cast<ValueId>(i));
      // The longest top-level op of the node, followed to where its time goes.
      std::optional<size_t> longest;
      for (size_t e = begin; e < ends[i - 1]; ++e)
        if (events[e].depth == 0 &&
            (!longest || events[e].end_s - events[e].start_s > events[*longest].end_s - events[*longest].start_s))
          longest = e;
      r.impl = longest ? torch_trace::dominant_op(events, *longest) : "(no ATen op)";
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
    torch_util::check_precision(name(), o);
    torch_util::use_threads(o.threads);
    return std::make_unique<EagerExecutable>(g, w, o.threads, torch_util::scalar_type(o.precision));
  }
  bool has_profiler() const override { return true; }
  Facts environment(const BackendOptions& o) const override { return torch_util::environment(o); }
  void check_options(const BackendOptions& o) const override { torch_util::check_precision(name(), o); }
  MemoryEstimate estimate_memory(const GraphCost& c, const BackendOptions&) const override {
    return torch_util::estimate_memory(c);
  }
};

}  // namespace

std::unique_ptr<Backend> make_torch_backend() { return std::make_unique<TorchBackend>(); }

}  // namespace fb
