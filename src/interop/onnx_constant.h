#pragma once
// Constant tensors of an ONNX graph (initializers, Constant nodes, folded
// shape arithmetic): integers (any ONNX integer or bool type, as int64) or
// reals (float or double, as float). Exporters emit small constant subgraphs
// (Shape -> Gather -> Concat -> Reshape ... for a pad); fold() evaluates them.
#include <cstdint>
#include <string>
#include <vector>

#include <onnx/onnx_pb.h>

#include "graph/shape.h"

namespace fb::onnx_io {

struct Constant {
  std::vector<int64_t> dims;
  bool integer = false;
  std::vector<int64_t> ints;   // when integer
  std::vector<float> reals;    // otherwise

  int64_t numel() const { return integer ? static_cast<int64_t>(ints.size()) : static_cast<int64_t>(reals.size()); }
  double at(int64_t i) const { return integer ? static_cast<double>(ints.at(i)) : reals.at(i); }
  std::string str() const;  // "int64[2, 3]"
};

// UsageError naming `what` for an unsupported data type, external data, a
// negative dimension, an element count that overflows or does not match the
// data.
Constant from_proto(const onnx::TensorProto& t, const std::string& what);
onnx::TensorProto to_proto(const std::string& name, const Constant& c);

// The element count of `dims`, checked (negative or overflowing: UsageError).
int64_t element_count(const std::vector<int64_t>& dims, const std::string& what);

// Ops fold() can evaluate on constant inputs.
bool foldable(const std::string& op_type);
// Evaluates one node whose inputs are all constant (an absent optional input
// is nullptr). `what` names the node in messages. Shape is handled by the
// importer (its input is an activation of known shape).
Constant fold(const onnx::NodeProto& node, const std::vector<const Constant*>& inputs, const std::string& what);

// Attribute accessors with defaults; UsageError for a wrong attribute type.
const onnx::AttributeProto* find_attr(const onnx::NodeProto& n, const std::string& name);
int64_t attr_int(const onnx::NodeProto& n, const std::string& name, int64_t fallback, const std::string& what);
float attr_float(const onnx::NodeProto& n, const std::string& name, float fallback, const std::string& what);
std::vector<int64_t> attr_ints(const onnx::NodeProto& n, const std::string& name, const std::string& what);
std::string attr_string(const onnx::NodeProto& n, const std::string& name, const std::string& fallback,
                        const std::string& what);

}  // namespace fb::onnx_io
