#include "graph/builder.h"

#include "common/error.h"
#include "graph/shape_inference.h"

namespace fb {

ConvSpec conv(int out_channels, int kernel) {
  ConvSpec s;
  s.a.out_channels = out_channels;
  s.a.kernel_h = s.a.kernel_w = kernel;
  return s;
}

ConvAttrs ConvSpec::resolve() const {
  ConvAttrs r = a;
  if (!explicit_pad) {
    int ph = a.dilation_h * (a.kernel_h - 1) / 2;
    int pw = a.dilation_w * (a.kernel_w - 1) / 2;
    r.pad = {ph, pw, ph, pw};
  }
  return r;
}

GraphBuilder::GraphBuilder(std::string name, Shape input) {
  g_.name = std::move(name);
  if (input.rank() != 4) throw UsageError(g_.name + ": network input must be NCHW, got " + input.str());
  for (int64_t d : input.dims)
    if (d < 1) throw UsageError(g_.name + ": input shape " + input.str() + " has an empty dimension");
  Node in;
  in.name = "input";
  in.op = OpKind::Input;
  in.attrs = InputAttrs{};
  in.shape = std::move(input);
  g_.nodes.push_back(std::move(in));
}

std::string GraphBuilder::qualified(const std::string& name) const {
  std::string q;
  for (const auto& s : scopes_) q += s + ".";
  q += name;
  return q;
}

ValueId GraphBuilder::append(OpKind op, OpAttrs attrs, std::vector<ValueId> inputs, const std::string& name) {
  Node n;
  n.name = qualified(name);
  n.op = op;
  n.attrs = std::move(attrs);
  n.inputs = std::move(inputs);
  std::vector<Shape> in_shapes;
  for (ValueId v : n.inputs) in_shapes.push_back(shape(v));
  n.shape = infer_shape(n, in_shapes);
  g_.nodes.push_back(std::move(n));
  return static_cast<ValueId>(g_.nodes.size() - 1);
}

ValueId GraphBuilder::conv(ValueId x, const ConvSpec& spec, const std::string& name) {
  return append(OpKind::Conv, spec.resolve(), {x}, name);
}
ValueId GraphBuilder::batch_norm(ValueId x, const std::string& name) {
  return append(OpKind::BatchNorm, BatchNormAttrs{bn_eps_}, {x}, name);
}
ValueId GraphBuilder::activation(ValueId x, ActKind kind, const std::string& name) {
  return append(OpKind::Activation, ActivationAttrs{kind}, {x}, name.empty() ? std::string(act_name(kind)) : name);
}
ValueId GraphBuilder::add(ValueId a, ValueId b, const std::string& name) {
  return append(OpKind::Add, AddAttrs{}, {a, b}, name);
}
ValueId GraphBuilder::concat(const std::vector<ValueId>& xs, const std::string& name) {
  return append(OpKind::Concat, ConcatAttrs{}, xs, name);
}
ValueId GraphBuilder::max_pool(ValueId x, int kernel, int stride, int pad, const std::string& name) {
  PoolAttrs a{kernel, kernel, stride, stride, Padding::same(pad), true};
  return append(OpKind::MaxPool, a, {x}, name);
}
ValueId GraphBuilder::avg_pool(ValueId x, int kernel, int stride, int pad, bool count_include_pad,
                               const std::string& name) {
  PoolAttrs a{kernel, kernel, stride, stride, Padding::same(pad), count_include_pad};
  return append(OpKind::AvgPool, a, {x}, name);
}
ValueId GraphBuilder::global_avg_pool(ValueId x, const std::string& name) {
  return append(OpKind::GlobalAvgPool, GlobalPoolAttrs{}, {x}, name);
}
ValueId GraphBuilder::flatten(ValueId x, const std::string& name) {
  return append(OpKind::Flatten, FlattenAttrs{}, {x}, name);
}
ValueId GraphBuilder::linear(ValueId x, int out_features, const std::string& name) {
  return append(OpKind::Linear, LinearAttrs{out_features, true}, {x}, name);
}
ValueId GraphBuilder::pad(ValueId x, Padding p, const std::string& name) {
  return append(OpKind::Pad, PadAttrs{p}, {x}, name);
}
ValueId GraphBuilder::slice(ValueId x, int top, int left, int height, int width, const std::string& name) {
  return append(OpKind::Slice, SliceAttrs{top, left, height, width}, {x}, name);
}

ValueId GraphBuilder::conv_bn_act(ValueId x, const ConvSpec& spec, std::optional<ActKind> act,
                                  const std::string& name) {
  NameScope scope(*this, name);
  ValueId y = batch_norm(conv(x, spec, "conv"), "bn");
  return act ? activation(y, *act) : y;
}

Graph GraphBuilder::finish(ValueId output) {
  g_.output = output;
  Graph out = std::move(g_);
  g_ = Graph{};
  return out;
}

}  // namespace fb
