#include "graph/ir.h"

#include "common/error.h"
#include "graph/shape_inference.h"

namespace fb {

std::string_view op_name(OpKind op) {
  switch (op) {
    case OpKind::Input: return "Input";
    case OpKind::Conv: return "Conv";
    case OpKind::BatchNorm: return "BatchNorm";
    case OpKind::Activation: return "Activation";
    case OpKind::Add: return "Add";
    case OpKind::Concat: return "Concat";
    case OpKind::MaxPool: return "MaxPool";
    case OpKind::AvgPool: return "AvgPool";
    case OpKind::GlobalAvgPool: return "GlobalAvgPool";
    case OpKind::Flatten: return "Flatten";
    case OpKind::Linear: return "Linear";
    case OpKind::Pad: return "Pad";
    case OpKind::Slice: return "Slice";
  }
  return "?";
}

std::string_view act_name(ActKind a) {
  switch (a) {
    case ActKind::ReLU: return "relu";
    case ActKind::ReLU6: return "relu6";
  }
  return "?";
}

std::vector<std::vector<ValueId>> Graph::consumers() const {
  std::vector<std::vector<ValueId>> users(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i)
    for (ValueId in : nodes[i].inputs) users.at(static_cast<size_t>(in)).push_back(static_cast<ValueId>(i));
  return users;
}

void validate(Graph& g) {
  if (g.nodes.empty() || g.nodes[0].op != OpKind::Input)
    throw UsageError("graph '" + g.name + "': the first node must be the Input");
  for (size_t i = 1; i < g.nodes.size(); ++i) {
    Node& n = g.nodes[i];
    for (ValueId in : n.inputs)
      if (in < 0 || static_cast<size_t>(in) >= i)
        throw UsageError("graph '" + g.name + "', node " + n.name +
                         ": input " + std::to_string(in) + " is not an earlier node");
    std::vector<Shape> ins;
    for (ValueId in : n.inputs) ins.push_back(g.nodes[static_cast<size_t>(in)].shape);
    n.shape = infer_shape(n, ins);
  }
  if (g.output < 0 || static_cast<size_t>(g.output) >= g.nodes.size())
    throw UsageError("graph '" + g.name + "': output is not set");
}

}  // namespace fb
