#include "backends/torch/jit_steps.h"

#include <map>

namespace fb::torchscript {
namespace {

bool is_layout_op(const std::string& name) {
  for (const char* s : {"to_dense", "to_mkldnn", "reorder", "contiguous", "copy_", "_to_copy"})
    if (name.find(s) != std::string::npos) return true;
  return false;
}

std::string impl_of(const TopOp& op) { return op.impl.empty() ? op.name : op.impl; }

// Another op joins a step: its implementation is named once.
void join(StepRecord& r, const TopOp& op) {
  const std::string impl = impl_of(op);
  if (r.impl.find(impl) == std::string::npos) r.impl += " + " + impl;
}

}  // namespace

JitSteps map_jit_steps(const Graph& g, const std::vector<TopOp>& ops, const std::vector<ValueId>& line_node) {
  JitSteps out;
  ValueId last = -2;  // the node of the previous op's step; -2: none yet
  for (size_t i = 0; i < ops.size(); ++i) {
    const TopOp& op = ops[i];
    ValueId node = -1;
    if (op.line >= 0 && static_cast<size_t>(op.line) < line_node.size()) node = line_node[static_cast<size_t>(op.line)];
    if (node > 0 && static_cast<size_t>(node) < g.nodes.size()) {
      if (node == last) {  // another op of the same node: one step
        out.ops.back().push_back(i);
        join(out.records.back(), op);
        continue;
      }
      StepRecord r = node_step(g, node);
      r.impl = impl_of(op);
      out.records.push_back(std::move(r));
      last = node;
    } else if (!is_layout_op(op.name) && last >= 0) {
      // An op the optimiser made without a source range (the clamp of a
      // fused ReLU6) works on the previous step's output: part of that step.
      out.ops.back().push_back(i);
      join(out.records.back(), op);
      continue;
    } else {
      StepRecord r;
      r.kind = is_layout_op(op.name) ? "reorder" : "op";
      r.impl = impl_of(op);
      r.detail = is_layout_op(op.name) ? "layout conversion inserted by optimize_for_inference"
                                       : "an op of no graph node's source line";
      out.records.push_back(std::move(r));
      last = -2;
    }
    out.ops.push_back({i});
  }
  // Nodes without an op join the step that computes their first input (or,
  // for one reading the network's input, the first step computing a node).
  std::map<ValueId, size_t> step_of;
  for (size_t s = 0; s < out.records.size(); ++s)
    for (const CoveredNode& c : out.records[s].covers) step_of.emplace(c.node, s);
  for (size_t i = 1; i < g.nodes.size(); ++i) {
    const auto id = static_cast<ValueId>(i);
    if (step_of.count(id)) continue;
    const Node& n = g.node(id);
    size_t s = out.records.size();
    if (!n.inputs.empty())
      if (auto it = step_of.find(n.inputs[0]); it != step_of.end()) s = it->second;
    if (s == out.records.size())
      for (size_t k = 0; k < out.records.size() && s == out.records.size(); ++k)
        if (!out.records[k].covers.empty()) s = k;
    if (s == out.records.size()) continue;  // no step computes any node: nothing to join
    out.records[s].covers.push_back({id, n.name, kNoOwnOp});
    step_of.emplace(id, s);
  }
  attach_costs(out.records, g);
  for (StepRecord& r : out.records)
    if (r.kind == "op") r.op_group = "other";
  return out;
}

}  // namespace fb::torchscript
