#include "backends/op_steps.h"

#include <map>

namespace fb {
namespace {

std::string impl_of(const EngineOp& op) { return op.impl.empty() ? op.name : op.impl; }

// Another op joins a step: its implementation is named once.
void join(StepRecord& r, const EngineOp& op) {
  const std::string impl = impl_of(op);
  if (r.impl.find(impl) == std::string::npos) r.impl += " + " + impl;
}

}  // namespace

OpSteps map_op_steps(const Graph& g, const std::vector<EngineOp>& ops, const OpStepWords& words) {
  OpSteps out;
  ValueId last = -2;  // the node of the previous op's step; -2: none yet
  for (size_t i = 0; i < ops.size(); ++i) {
    const EngineOp& op = ops[i];
    if (op.node > 0 && static_cast<size_t>(op.node) < g.nodes.size()) {
      if (op.node == last) {  // another op of the same node: one step
        out.ops.back().push_back(i);
        join(out.records.back(), op);
        continue;
      }
      StepRecord r = node_step(g, op.node);
      r.impl = impl_of(op);
      out.records.push_back(std::move(r));
      last = op.node;
    } else if (!op.layout && last >= 0) {
      // An op the engine made of no node (the clamp of a fused ReLU6) works
      // on the previous step's output: part of that step.
      out.ops.back().push_back(i);
      join(out.records.back(), op);
      continue;
    } else {
      StepRecord r;
      r.kind = op.layout ? "reorder" : "op";
      r.impl = impl_of(op);
      r.detail = op.layout ? words.layout_detail : words.no_node_detail;
      out.records.push_back(std::move(r));
      last = -2;
    }
    out.ops.push_back({i});
  }
  // Nodes without an op join the step that computed the last of their
  // inputs (an Add fused into the conv that produced its second operand),
  // or, for one reading only the network's input, the first step computing
  // a node.
  std::map<ValueId, size_t> step_of;
  for (size_t s = 0; s < out.records.size(); ++s)
    for (const CoveredNode& c : out.records[s].covers) step_of.emplace(c.node, s);
  for (size_t i = 1; i < g.nodes.size(); ++i) {
    const auto id = static_cast<ValueId>(i);
    if (step_of.count(id)) continue;
    const Node& n = g.node(id);
    size_t s = out.records.size();
    for (ValueId in : n.inputs)
      if (auto it = step_of.find(in); it != step_of.end() && (s == out.records.size() || it->second > s)) s = it->second;
    if (s == out.records.size())
      for (size_t k = 0; k < out.records.size() && s == out.records.size(); ++k)
        if (!out.records[k].covers.empty()) s = k;
    if (s == out.records.size()) continue;  // no step computes any node: nothing to join
    out.records[s].covers.push_back({id, n.name, words.no_own_op});
    step_of.emplace(id, s);
  }
  attach_costs(out.records, g);
  for (StepRecord& r : out.records)
    if (r.kind == "op") r.op_group = "other";
  return out;
}

}  // namespace fb
