#include "backends/torch/torch_int8.h"

#include <fmt/core.h>
#include <torch/utils.h>

#include <optional>

#include "backends/torch/op_trace.h"
#include "backends/torch/quantized_net.h"
#include "backends/torch/torch_util.h"

namespace fb {
namespace {

using namespace torch_quant;

std::string how_fused(const Graph& g, const QStep& s, ValueId node) {
  if (g.node(node).op == OpKind::BatchNorm) return "BN folded into the weights, as fuse_modules does";
  const OpKind head = g.node(s.head).op;
  const char* op = head == OpKind::Conv ? "conv2d_relu" : head == OpKind::Linear ? "linear_relu" : "add_relu";
  return fmt::format("ReLU fused: quantized::{}", op);
}

class Int8Executable final : public TorchExecutable {
 public:
  Int8Executable(const Graph& g, const Weights& w, const BackendOptions& o)
      : q_(quantize_network(g, w, o)), net_(&*q_.net), in_(g.input_shape()), out_(g.output_shape()),
        threads_(o.threads) {}

  void run(const float* input, float* output) override {
    torch_util::use_threads(threads_);
    torch::NoGradGuard no_grad;
    torch_util::copy_output(net_->forward(torch_util::wrap_input(input, in_)), out_, output);
  }

  std::vector<double> run_profiled(const float* input, float* output) override {
    torch_util::use_threads(threads_);
    torch::NoGradGuard no_grad;
    const at::Tensor x = torch_util::wrap_input(input, in_);
    torch_util::StepClock clock;
    const at::Tensor y = net_->forward_each(x, [&](size_t) { clock.lap(); });
    torch_util::copy_output(y, out_, output);
    return std::move(clock).seconds();
  }

  const std::vector<StepRecord>& steps() const override {
    if (!steps_) steps_ = name_steps();
    return *steps_;
  }

  std::string step_timing() const override {
    return "A step is one quantised op as LibTorch runs it (a fused conv with its folded BN and ReLU is one), with "
           "the release of the inputs it was the last to read; the first step quantises the fp32 input, the last "
           "dequantises the output. The end-to-end latency also wraps the input and copies the output out; steps "
           "are timed on the steady clock between ops, so nothing else is left out.";
  }

  std::string explain() const override {
    std::string text = quantisation_summary(q_);
    const auto& records = steps();
    for (size_t i = 0; i < records.size(); ++i) text += render_step(i, records[i]);
    return text;
  }

  CompiledFacts compiled_facts() const override { return q_.facts; }
  int64_t parameter_count() const override { return q_.params; }

 private:
  // Named on first use: one forward on zeros under LibTorch's RecordFunction
  // callbacks says which op each step's time goes to.
  std::vector<StepRecord> name_steps() const {
    torch_util::use_threads(threads_);
    torch::NoGradGuard no_grad;
    const Graph& g = net_->graph();
    std::vector<size_t> ends;  // event count after each step
    std::vector<torch_trace::OpEvent> events;
    const at::Tensor zeros = at::zeros(in_.dims);  // made before the trace: not the first step's op
    {
      torch_trace::OpTrace trace(torch_trace::Detail::Full);
      net_->forward_each(zeros, [&](size_t) { ends.push_back(trace.size()); });
      events = trace.events();
    }
    std::vector<StepRecord> steps;
    StepRecord quantise;
    quantise.kind = "reorder";
    quantise.impl = torch_trace::longest_op(events, 0, ends[0]);
    quantise.detail = "quantise the fp32 input to " + qtype(net_->input_qparams());
    quantise.src_shape = quantise.dst_shape = in_;
    quantise.bytes = in_.numel() * 5;  // fp32 read, u8 written
    steps.push_back(std::move(quantise));
    for (size_t k = 0; k < net_->steps().size(); ++k) {
      const QStep& s = net_->steps()[k];
      StepRecord r = node_step(g, s.head);
      for (ValueId f : s.fused) r.covers.push_back({f, g.node(f).name, how_fused(g, s, f)});
      r.dst_shape = g.node(s.result()).shape;
      r.impl = torch_trace::longest_op(events, ends[k], ends[k + 1]);
      if (s.in_fp32) r.impl += " in fp32 (no quantised form)";
      if (s.relu) r.post_ops = "relu";
      r.src_layout = "nchw:quint8";
      r.dst_layout = qtype(s.out);
      if (s.conv || s.linear) r.weights_layout = "qint8 per output channel";
      steps.push_back(std::move(r));
    }
    StepRecord dequantise;
    dequantise.kind = "reorder";
    dequantise.impl = torch_trace::longest_op(events, ends[ends.size() - 2], ends.back());
    dequantise.detail = "dequantise the output to fp32";
    dequantise.src_shape = dequantise.dst_shape = out_;
    dequantise.bytes = out_.numel() * 5;
    steps.push_back(std::move(dequantise));
    attach_costs(steps, g);
    return steps;
  }

  Quantized q_;
  const QuantizedNet* net_;
  Shape in_, out_;
  int threads_;
  mutable std::optional<std::vector<StepRecord>> steps_;
};

}  // namespace

std::unique_ptr<TorchExecutable> make_int8_executable(const Graph& g, const Weights& w, const BackendOptions& o) {
  return std::make_unique<Int8Executable>(g, w, o);
}

}  // namespace fb
