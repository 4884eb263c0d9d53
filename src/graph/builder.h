#pragma once
// Writes networks readably: each call appends a node, infers its shape at once
// (so an impossible layer fails where it is written) and returns its value.
//
//   GraphBuilder b("tiny", Shape{1, 3, 32, 32});
//   auto x = b.conv_bn_act(b.input(), conv(16, 3).stride(2), ActKind::ReLU);
//   x = b.linear(b.flatten(b.global_avg_pool(x)), 10);
//   Graph g = b.finish(x);
#include <optional>
#include <string>
#include <vector>

#include "graph/ir.h"

namespace fb {

// Fluent description of a convolution; padding defaults to "same" for odd
// kernels at stride 1 (dilation included).
struct ConvSpec {
  ConvAttrs a;
  bool explicit_pad = false;

  ConvSpec& kernel(int kh, int kw) { a.kernel_h = kh; a.kernel_w = kw; return *this; }
  ConvSpec& stride(int s) { a.stride_h = a.stride_w = s; return *this; }
  ConvSpec& pad(int p) { a.pad = Padding::same(p); explicit_pad = true; return *this; }
  ConvSpec& pad(Padding p) { a.pad = p; explicit_pad = true; return *this; }
  ConvSpec& dilation(int d) { a.dilation_h = a.dilation_w = d; return *this; }
  ConvSpec& groups(int g) { a.groups = g; return *this; }
  ConvSpec& bias(bool b = true) { a.bias = b; return *this; }
  ConvAttrs resolve() const;
};
ConvSpec conv(int out_channels, int kernel);

class GraphBuilder {
 public:
  GraphBuilder(std::string name, Shape input);

  ValueId input() const { return 0; }
  const Shape& shape(ValueId v) const { return g_.node(v).shape; }
  int64_t channels(ValueId v) const { return shape(v).c(); }

  // Names of new nodes get the current scope as a prefix ("block3.conv").
  void push_scope(const std::string& s) { scopes_.push_back(s); }
  void pop_scope() { scopes_.pop_back(); }
  // Epsilon of every BatchNorm appended from now on (1e-5 unless a network's
  // definition says otherwise, e.g. 1e-3 in Inception-v3 and NASNet).
  void set_batch_norm_eps(float eps) { bn_eps_ = eps; }

  ValueId conv(ValueId x, const ConvSpec& spec, const std::string& name = "conv");
  ValueId batch_norm(ValueId x, const std::string& name = "bn");
  ValueId activation(ValueId x, ActKind kind, const std::string& name = "");
  ValueId relu(ValueId x) { return activation(x, ActKind::ReLU); }
  ValueId relu6(ValueId x) { return activation(x, ActKind::ReLU6); }
  ValueId add(ValueId a, ValueId b, const std::string& name = "add");
  ValueId concat(const std::vector<ValueId>& xs, const std::string& name = "concat");
  ValueId max_pool(ValueId x, int kernel, int stride, int pad, const std::string& name = "maxpool");
  ValueId avg_pool(ValueId x, int kernel, int stride, int pad, bool count_include_pad,
                   const std::string& name = "avgpool");
  ValueId global_avg_pool(ValueId x, const std::string& name = "gap");
  ValueId flatten(ValueId x, const std::string& name = "flatten");
  ValueId linear(ValueId x, int out_features, const std::string& name = "fc");
  ValueId pad(ValueId x, Padding p, const std::string& name = "pad");
  ValueId slice(ValueId x, int top, int left, int height, int width, const std::string& name = "crop");

  // conv -> BN -> optional activation, the unit every design pattern is made of.
  ValueId conv_bn_act(ValueId x, const ConvSpec& spec, std::optional<ActKind> act,
                      const std::string& name = "conv");

  Graph finish(ValueId output);

 private:
  ValueId append(OpKind op, OpAttrs attrs, std::vector<ValueId> inputs, const std::string& name);
  std::string qualified(const std::string& name) const;

  Graph g_;
  std::vector<std::string> scopes_;
  float bn_eps_ = 1e-5f;
};

// RAII scope for GraphBuilder names.
class NameScope {
 public:
  NameScope(GraphBuilder& b, const std::string& s) : b_(b) { b_.push_scope(s); }
  ~NameScope() { b_.pop_scope(); }
  NameScope(const NameScope&) = delete;
  NameScope& operator=(const NameScope&) = delete;

 private:
  GraphBuilder& b_;
};

}  // namespace fb
