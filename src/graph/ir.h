#pragma once
// formbench's IR: a Graph is a list of nodes in topological order. Every node
// produces exactly one value, and a value is named by the index of the node
// that produces it, so "value id" and "node id" are the same number.
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "graph/shape.h"

namespace fb {

using ValueId = int;

enum class OpKind {
  Input,
  Conv,
  BatchNorm,
  Activation,
  Add,
  Concat,
  MaxPool,
  AvgPool,
  GlobalAvgPool,
  Flatten,
  Linear,
  Pad,
  Slice,
};
std::string_view op_name(OpKind op);

// Padding per side, in pixels.
struct Padding {
  int top = 0, left = 0, bottom = 0, right = 0;
  static Padding same(int p) { return {p, p, p, p}; }
  bool operator==(const Padding&) const = default;
};

struct InputAttrs {
  bool operator==(const InputAttrs&) const = default;
};

struct ConvAttrs {
  int out_channels = 0;
  int kernel_h = 1, kernel_w = 1;
  int stride_h = 1, stride_w = 1;
  Padding pad;
  int dilation_h = 1, dilation_w = 1;
  int groups = 1;
  bool bias = false;
  bool operator==(const ConvAttrs&) const = default;
};

// Inference-form batch norm: y = gamma * (x - mean) / sqrt(var + eps) + beta.
struct BatchNormAttrs {
  float eps = 1e-5f;
  bool operator==(const BatchNormAttrs&) const = default;
};

enum class ActKind { ReLU, ReLU6 };
std::string_view act_name(ActKind a);
struct ActivationAttrs {
  ActKind kind = ActKind::ReLU;
  bool operator==(const ActivationAttrs&) const = default;
};

struct AddAttrs {
  bool operator==(const AddAttrs&) const = default;
};
struct ConcatAttrs {  // always along channels
  bool operator==(const ConcatAttrs&) const = default;
};

struct PoolAttrs {
  int kernel_h = 1, kernel_w = 1;
  int stride_h = 1, stride_w = 1;
  Padding pad;
  // AvgPool only: whether zero padding counts in the divisor.
  bool count_include_pad = true;
  bool operator==(const PoolAttrs&) const = default;
};

struct GlobalPoolAttrs {
  bool operator==(const GlobalPoolAttrs&) const = default;
};
struct FlattenAttrs {
  bool operator==(const FlattenAttrs&) const = default;
};

struct LinearAttrs {
  int out_features = 0;
  bool bias = true;
  bool operator==(const LinearAttrs&) const = default;
};

// Constant zero padding of the spatial dimensions.
struct PadAttrs {
  Padding pad;
  bool operator==(const PadAttrs&) const = default;
};

// Spatial crop: keeps rows [top, top+height) and columns [left, left+width).
struct SliceAttrs {
  int top = 0, left = 0, height = 0, width = 0;
  bool operator==(const SliceAttrs&) const = default;
};

using OpAttrs = std::variant<InputAttrs, ConvAttrs, BatchNormAttrs, ActivationAttrs, AddAttrs,
                             ConcatAttrs, PoolAttrs, GlobalPoolAttrs, FlattenAttrs, LinearAttrs,
                             PadAttrs, SliceAttrs>;

struct Node {
  std::string name;
  OpKind op = OpKind::Input;
  OpAttrs attrs;
  std::vector<ValueId> inputs;
  Shape shape;  // inferred output shape

  template <class A>
  const A& as() const { return std::get<A>(attrs); }
};

struct Graph {
  std::string name;
  std::vector<Node> nodes;  // nodes[0] is the Input node
  ValueId output = -1;

  const Node& node(ValueId v) const { return nodes.at(static_cast<size_t>(v)); }
  const Shape& input_shape() const { return nodes.at(0).shape; }
  const Shape& output_shape() const { return node(output).shape; }
  // Node ids that read each value, for passes that need def-use chains.
  std::vector<std::vector<ValueId>> consumers() const;
};

// Checks topological order and recomputes every node's shape; throws
// UsageError naming the node on the first inconsistency.
void validate(Graph& g);

}  // namespace fb
