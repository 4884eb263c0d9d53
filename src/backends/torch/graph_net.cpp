#include "backends/torch/graph_net.h"

#include <torch/nn/functional/padding.h>
#include <torch/nn/functional/pooling.h>
#include <torch/utils.h>

#include <limits>
#include <string>

#include "backends/torch/padding.h"
#include "backends/torch/torch_util.h"
#include "common/error.h"

namespace fb {
namespace {

namespace F = torch::nn::functional;
using torch_lowering::inner_pad;
using torch_lowering::pad_arg;
using torch_lowering::symmetric;

torch::nn::Conv2d make_conv(const Graph& g, ValueId id, const Weights& w) {
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

torch::nn::BatchNorm2d make_bn(const Graph& g, ValueId id, const Weights& w) {
  const Node& n = g.node(id);
  torch::nn::BatchNorm2d m(torch::nn::BatchNorm2dOptions(n.shape.c()).eps(n.as<BatchNormAttrs>().eps));
  m->weight.copy_(torch_util::to_aten(w.at(id, param::bn_gamma)));
  m->bias.copy_(torch_util::to_aten(w.at(id, param::bn_beta)));
  m->running_mean.copy_(torch_util::to_aten(w.at(id, param::bn_mean)));
  m->running_var.copy_(torch_util::to_aten(w.at(id, param::bn_var)));
  return m;
}

torch::nn::Linear make_linear(const Graph& g, ValueId id, const Weights& w) {
  const Node& n = g.node(id);
  const bool bias = n.as<LinearAttrs>().bias;
  torch::nn::Linear m(torch::nn::LinearOptions(g.node(n.inputs[0]).shape[1], n.shape[1]).bias(bias));
  m->weight.copy_(torch_util::to_aten(w.at(id, param::linear_weight)));
  if (bias) m->bias.copy_(torch_util::to_aten(w.at(id, param::linear_bias)));
  return m;
}

}  // namespace

at::Tensor zero_pad(const at::Tensor& x, const Padding& p, double value) {
  auto a = pad_arg(p);
  return F::pad(x, F::PadFuncOptions({a[0], a[1], a[2], a[3]}).value(value));
}

at::Tensor average_pool(const PoolAttrs& a, const at::Tensor& x) {
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

GraphNet::GraphNet(const Graph& g, const Weights& w) : g_(g), last_use_(g.nodes.size(), -1) {
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

int64_t GraphNet::parameter_count() const {
  int64_t count = 0;
  for (const auto& p : named_parameters()) count += p.value().numel();
  for (const auto& b : named_buffers())
    if (b.key().find("num_batches_tracked") == std::string::npos) count += b.value().numel();
  return count;
}

at::Tensor GraphNet::compute(size_t i, const std::vector<at::Tensor>& v) {
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
    case OpKind::AvgPool: return average_pool(n.as<PoolAttrs>(), x);
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

}  // namespace fb
