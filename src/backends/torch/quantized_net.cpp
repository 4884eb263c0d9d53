#include "backends/torch/quantized_net.h"

#include <ATen/core/dispatch/Dispatcher.h>
#include <fmt/core.h>
#include <torch/utils.h>

#include <algorithm>
#include <chrono>
#include <cmath>

#include "backends/torch/graph_net.h"
#include "backends/torch/padding.h"
#include "backends/torch/torch_util.h"
#include "common/cpuinfo.h"
#include "common/error.h"

namespace fb::torch_quant {
namespace {

using torch_lowering::inner_pad;
using torch_lowering::pad_arg;
using torch_lowering::symmetric;
using Clock = std::chrono::steady_clock;

using ConvPrepackFn = ConvParams(at::Tensor, c10::optional<at::Tensor>, torch::List<int64_t>, torch::List<int64_t>,
                                 torch::List<int64_t>, int64_t);
using ConvFn = at::Tensor(at::Tensor, const ConvParams&, double, int64_t);
using LinearPrepackFn = LinearParams(at::Tensor, c10::optional<at::Tensor>);
using LinearFn = at::Tensor(at::Tensor, const LinearParams&, double, int64_t);
using AddFn = at::Tensor(at::Tensor, at::Tensor, double, int64_t);
using BatchNormFn = at::Tensor(at::Tensor, c10::optional<at::Tensor>, c10::optional<at::Tensor>, at::Tensor, at::Tensor,
                               double, double, int64_t);

// LibTorch's quantised ops, found through the dispatcher as
// torch.ops.quantized finds them (so the profiler sees them too).
struct QuantizedOps {
  c10::TypedOperatorHandle<ConvPrepackFn> conv_prepack;
  c10::TypedOperatorHandle<ConvFn> conv, conv_relu;
  c10::TypedOperatorHandle<LinearPrepackFn> linear_prepack;
  c10::TypedOperatorHandle<LinearFn> linear, linear_relu;
  c10::TypedOperatorHandle<AddFn> add, add_relu;
  c10::TypedOperatorHandle<BatchNormFn> batch_norm;
  c10::OperatorHandle cat;  // called boxed: its Tensor[] argument
};

c10::OperatorHandle find_op(const char* name, const char* overload = "") {
  auto op = c10::Dispatcher::singleton().findSchema({name, overload});
  if (!op)
    throw Error(fmt::format("this LibTorch has no {}{}{}: its quantised operators are not built in, so torch cannot "
                            "run precision=int8 here; int8 runs on onednn",
                            name, *overload ? "." : "", overload));
  return *op;
}

const QuantizedOps& quantized_ops() {
  static const QuantizedOps ops{
      find_op("quantized::conv2d_prepack").typed<ConvPrepackFn>(),
      find_op("quantized::conv2d", "new").typed<ConvFn>(),
      find_op("quantized::conv2d_relu", "new").typed<ConvFn>(),
      find_op("quantized::linear_prepack").typed<LinearPrepackFn>(),
      find_op("quantized::linear").typed<LinearFn>(),
      find_op("quantized::linear_relu").typed<LinearFn>(),
      find_op("quantized::add").typed<AddFn>(),
      find_op("quantized::add_relu").typed<AddFn>(),
      find_op("quantized::batch_norm2d").typed<BatchNormFn>(),
      find_op("quantized::cat"),
  };
  return ops;
}

// PyTorch's per-tensor affine quint8 parameters of an observed range
// (MinMaxObserver): the range widened to hold 0, 256 levels (128 when
// reduced), the zero point rounded into them.
QParams affine_qparams(const Range& r, bool reduce_range) {
  const double lo = std::min(0.0, static_cast<double>(r.min)), hi = std::max(0.0, static_cast<double>(r.max));
  const int64_t qmax = reduce_range ? 127 : 255;
  const double scale = std::max((hi - lo) / static_cast<double>(qmax), double{std::numeric_limits<float>::epsilon()});
  return {scale, std::clamp<int64_t>(-std::llround(lo / scale), 0, qmax)};
}

// Per output channel (dim 0), symmetric qint8 (PerChannelMinMaxObserver):
// scale max|w| / 127.5, zero point 0.
at::Tensor quantize_weight(const at::Tensor& w) {
  const at::Tensor amax = std::get<0>(w.abs().flatten(1).max(1));
  const at::Tensor scales = (amax / 127.5).clamp_min(std::numeric_limits<float>::epsilon()).to(at::kDouble);
  return at::quantize_per_channel(w, scales, at::zeros({w.size(0)}, at::kLong), 0, at::kQInt8);
}

// A quantised tensor padded with the stored integer `value`: its zero point
// pads with 0, 0 (quint8's lowest) pads a max pool as -inf would.
at::Tensor pad_quantized(const at::Tensor& q, const Padding& p, int64_t value) {
  const auto a = pad_arg(p);
  return at::_make_per_tensor_quantized_tensor(
      at::constant_pad_nd(q.int_repr(), {a[0], a[1], a[2], a[3]}, static_cast<double>(value)), q.q_scale(),
      q.q_zero_point());
}

torch::List<int64_t> pair(int64_t a, int64_t b) { return torch::List<int64_t>({a, b}); }

// The activation range reduced to 7 bits where the CPU lacks VNNI, as
// PyTorch's fbgemm and x86 qconfigs do.
bool cpu_has_vnni() {
  const auto flags = cpu_flags(read_cpuinfo());
  return flags.count("avx512_vnni") || flags.count("avx_vnni");
}

// The range of every node's fp32 output over `images` seeded batch-1
// inputs (the same images onednn calibrates on).
std::vector<Range> calibrate(GraphNet& net, int images) {
  if (images < 1) throw UsageError("int8 calibration needs at least one input");
  const Graph& g = net.graph();
  std::vector<Range> ranges(g.nodes.size());
  auto widen = [&](size_t node, const at::Tensor& value) {
    if (!value.defined()) return;
    ranges[node].min = std::min(ranges[node].min, value.min().item<float>());
    ranges[node].max = std::max(ranges[node].max, value.max().item<float>());
  };
  Shape one = g.input_shape();
  one.dims[0] = 1;
  for (int i = 0; i < images; ++i) {
    const Tensor in = make_input(one, kCalibrationSeed + static_cast<uint64_t>(i));
    const at::Tensor x = torch_util::wrap_input(in.ptr(), one);
    widen(0, x);
    net.forward_each(x, widen);
  }
  return ranges;
}

}  // namespace

QuantizedNet::QuantizedNet(const Graph& g, const Weights& w, const std::vector<Range>& ranges, bool reduce_range)
    : g_(g), last_use_(g.nodes.size(), -1) {
  input_q_ = affine_qparams(ranges[0], reduce_range);
  const auto consumers = g.consumers();
  // The node that alone reads v, or -1 (none, several, or the output).
  auto sole_reader = [&](ValueId v) {
    const auto& c = consumers[static_cast<size_t>(v)];
    return c.size() == 1 && v != g.output ? c[0] : ValueId{-1};
  };
  std::vector<bool> absorbed(g.nodes.size(), false);
  for (size_t i = 1; i < g.nodes.size(); ++i) {
    if (absorbed[i]) continue;
    const auto id = static_cast<ValueId>(i);
    const Node& n = g.nodes[i];
    QStep s;
    s.head = id;
    // What fuse_modules fuses: conv + BN (+ ReLU), linear + ReLU, add + ReLU.
    if (n.op == OpKind::Conv) {
      const ValueId r = sole_reader(id);
      if (r >= 0 && g.node(r).op == OpKind::BatchNorm) s.fused.push_back(r);
    }
    if (n.op == OpKind::Conv || n.op == OpKind::Linear || n.op == OpKind::Add) {
      const ValueId r = sole_reader(s.result());
      if (r >= 0 && g.node(r).op == OpKind::Activation && g.node(r).as<ActivationAttrs>().kind == ActKind::ReLU) {
        s.fused.push_back(r);
        s.relu = true;
      }
    }
    for (ValueId f : s.fused) absorbed[static_cast<size_t>(f)] = true;
    s.out = affine_qparams(ranges[static_cast<size_t>(s.result())], reduce_range);
    prepare(s, w);
    for (ValueId in : n.inputs) last_use_[static_cast<size_t>(in)] = static_cast<ValueId>(steps_.size());
    steps_.push_back(std::move(s));
  }
}

void QuantizedNet::prepare(QStep& s, const Weights& w) const {
  const QuantizedOps& ops = quantized_ops();
  const Node& n = g_.node(s.head);
  switch (n.op) {
    case OpKind::Conv: {
      const auto& a = n.as<ConvAttrs>();
      at::Tensor weight = torch_util::to_aten(w.at(s.head, param::conv_weight));
      at::Tensor bias = a.bias ? torch_util::to_aten(w.at(s.head, param::conv_bias)) : at::zeros({a.out_channels});
      if (!s.fused.empty() && g_.node(s.fused[0]).op == OpKind::BatchNorm) {
        // fuse_modules' fold, in fp32: w * gamma / sqrt(var + eps), (b - mean) * that + beta.
        const ValueId bn = s.fused[0];
        const at::Tensor k = torch_util::to_aten(w.at(bn, param::bn_gamma)) /
                             at::sqrt(torch_util::to_aten(w.at(bn, param::bn_var)) +
                                      g_.node(bn).as<BatchNormAttrs>().eps);
        weight = weight * k.view({-1, 1, 1, 1});
        bias = (bias - torch_util::to_aten(w.at(bn, param::bn_mean))) * k +
               torch_util::to_aten(w.at(bn, param::bn_beta));
      }
      if (!symmetric(a.pad)) s.pre_pad = a.pad;
      const auto pad = inner_pad(a.pad);
      s.conv = ops.conv_prepack.call(quantize_weight(weight), bias, pair(a.stride_h, a.stride_w),
                                     pair(pad[0], pad[1]), pair(a.dilation_h, a.dilation_w), a.groups);
      break;
    }
    case OpKind::Linear: {
      const at::Tensor weight = torch_util::to_aten(w.at(s.head, param::linear_weight));
      const at::Tensor bias = n.as<LinearAttrs>().bias ? torch_util::to_aten(w.at(s.head, param::linear_bias))
                                                       : at::zeros({weight.size(0)});
      s.linear = ops.linear_prepack.call(quantize_weight(weight), bias);
      break;
    }
    case OpKind::BatchNorm:
      s.gamma = torch_util::to_aten(w.at(s.head, param::bn_gamma));
      s.beta = torch_util::to_aten(w.at(s.head, param::bn_beta));
      s.mean = torch_util::to_aten(w.at(s.head, param::bn_mean));
      s.var = torch_util::to_aten(w.at(s.head, param::bn_var));
      break;
    case OpKind::AvgPool: {
      const auto& a = n.as<PoolAttrs>();
      s.in_fp32 = !symmetric(a.pad) && !a.count_include_pad;
      break;
    }
    default: break;
  }
}

at::Tensor QuantizedNet::compute(const QStep& s, const std::vector<at::Tensor>& v) const {
  const QuantizedOps& ops = quantized_ops();
  const Node& n = g_.node(s.head);
  const at::Tensor& x = v[static_cast<size_t>(n.inputs[0])];
  switch (n.op) {
    case OpKind::Input: break;
    case OpKind::Conv: {
      const at::Tensor in = s.pre_pad ? pad_quantized(x, *s.pre_pad, x.q_zero_point()) : x;
      return (s.relu ? ops.conv_relu : ops.conv).call(in, s.conv, s.out.scale, s.out.zero_point);
    }
    case OpKind::BatchNorm:
      return ops.batch_norm.call(x, s.gamma, s.beta, s.mean, s.var, n.as<BatchNormAttrs>().eps, s.out.scale,
                                 s.out.zero_point);
    case OpKind::Activation:
      return n.as<ActivationAttrs>().kind == ActKind::ReLU ? at::relu(x) : at::hardtanh(x, 0.0, 6.0);
    case OpKind::Add:
      return (s.relu ? ops.add_relu : ops.add)
          .call(x, v[static_cast<size_t>(n.inputs[1])], s.out.scale, s.out.zero_point);
    case OpKind::Concat: {
      c10::List<at::Tensor> xs;
      for (ValueId in : n.inputs) xs.push_back(v[static_cast<size_t>(in)]);
      torch::jit::Stack stack{c10::IValue(std::move(xs)), c10::IValue(int64_t{1}), c10::IValue(s.out.scale),
                              c10::IValue(s.out.zero_point)};
      ops.cat.callBoxed(&stack);
      return stack[0].toTensor();
    }
    case OpKind::MaxPool: {
      const auto& a = n.as<PoolAttrs>();
      const auto pad = inner_pad(a.pad);
      return at::max_pool2d(symmetric(a.pad) ? x : pad_quantized(x, a.pad, 0), {a.kernel_h, a.kernel_w},
                            {a.stride_h, a.stride_w}, {pad[0], pad[1]}, {1, 1});
    }
    case OpKind::AvgPool: {
      const auto& a = n.as<PoolAttrs>();
      if (s.in_fp32)
        return at::quantize_per_tensor(average_pool(a, x.dequantize()), s.out.scale, s.out.zero_point,
                                       at::kQUInt8);
      const auto pad = inner_pad(a.pad);
      return at::avg_pool2d(symmetric(a.pad) ? x : pad_quantized(x, a.pad, x.q_zero_point()),
                            {a.kernel_h, a.kernel_w}, {a.stride_h, a.stride_w}, {pad[0], pad[1]}, false,
                            a.count_include_pad);
    }
    case OpKind::GlobalAvgPool: return at::adaptive_avg_pool2d(x, {1, 1});
    case OpKind::Flatten: return x.flatten(1);
    case OpKind::Linear:
      return (s.relu ? ops.linear_relu : ops.linear).call(x, s.linear, s.out.scale, s.out.zero_point);
    case OpKind::Pad: return pad_quantized(x, n.as<PadAttrs>().pad, x.q_zero_point());
    case OpKind::Slice: {
      const auto& sl = n.as<SliceAttrs>();
      return x.narrow(2, sl.top, sl.height).narrow(3, sl.left, sl.width).contiguous();
    }
  }
  throw Error("torch int8: cannot lower node " + n.name);
}

Quantized quantize_network(const Graph& g, const Weights& w, const BackendOptions& o) {
  torch::NoGradGuard no_grad;
  Quantized q;
  q.images = o.calibration_inputs;
  q.reduce_range = !cpu_has_vnni();
  auto t = Clock::now();
  auto lap = [&](const char* phase) {
    const auto now = Clock::now();
    q.facts.phases_ms.emplace_back(phase, std::chrono::duration<double, std::milli>(now - t).count());
    t = now;
  };
  GraphNet fp32(g, w);
  q.params = fp32.parameter_count();
  lap("build the fp32 module");
  const std::vector<Range> ranges = calibrate(fp32, q.images);
  lap("calibration");
  q.net.emplace(g, w, ranges, q.reduce_range);
  lap("fuse, quantise and pack weights");
  return q;
}

std::string quantisation_summary(const Quantized& q) {
  return fmt::format(
      "precision int8: PyTorch's eager post-training static quantisation on LibTorch's quantised engine '{}', "
      "{} seeded calibration images (per-tensor affine quint8 activations from each tensor's min and max{}; "
      "per-output-channel symmetric qint8 weights; conv + BN + ReLU, linear + ReLU and add + ReLU fused)\n",
      c10::toString(at::globalContext().qEngine()), q.images,
      q.reduce_range ? ", in 7 bits: this CPU has no VNNI" : "");
}

std::string qtype(const QParams& q) { return fmt::format("nchw:quint8 (scale {:.3g}, zero point {})", q.scale, q.zero_point); }


}  // namespace fb::torch_quant
