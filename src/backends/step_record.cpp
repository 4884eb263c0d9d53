#include "backends/step_record.h"

#include <fmt/core.h>

#include "graph/cost.h"

namespace fb {

std::string op_group_of(const Graph& g, const StepRecord& r) {
  if (r.covers.empty()) return "reorder";
  const Node& n = g.node(r.covers.front().node);
  switch (n.op) {
    case OpKind::Conv: {
      const auto& a = n.as<ConvAttrs>();
      const int64_t in_c = g.node(n.inputs[0]).shape.c();
      if (a.groups > 1 && a.groups == a.out_channels && a.groups == in_c) return "depthwise";
      if (a.kernel_h == 1 && a.kernel_w == 1) return "conv 1x1";
      if (a.kernel_h == 3 && a.kernel_w == 3) return "conv 3x3";
      return "conv other";
    }
    case OpKind::BatchNorm: return "BN";
    case OpKind::Activation:
    case OpKind::Add: return "eltwise";
    case OpKind::MaxPool:
    case OpKind::AvgPool:
    case OpKind::GlobalAvgPool: return "pooling";
    default: return "other";
  }
}

StepRecord node_step(const Graph& g, ValueId id) {
  const Node& n = g.node(id);
  StepRecord r;
  switch (n.op) {
    case OpKind::Conv: r.kind = "conv"; break;
    case OpKind::BatchNorm: r.kind = "batchnorm"; break;
    case OpKind::Activation: r.kind = "eltwise"; break;
    case OpKind::Add: r.kind = "add"; break;
    case OpKind::Concat: r.kind = "concat"; break;
    case OpKind::MaxPool:
    case OpKind::AvgPool:
    case OpKind::GlobalAvgPool: r.kind = "pool"; break;
    case OpKind::Linear: r.kind = "linear"; break;
    case OpKind::Flatten: r.kind = "flatten"; break;
    case OpKind::Pad: r.kind = "pad"; break;
    case OpKind::Slice: r.kind = "slice"; break;
    case OpKind::Input: r.kind = "input"; break;
  }
  r.covers.push_back({id, n.name, ""});
  if (!n.inputs.empty()) r.src_shape = g.node(n.inputs[0]).shape;
  r.dst_shape = n.shape;
  return r;
}

void attach_costs(std::vector<StepRecord>& steps, const Graph& g) {
  const GraphCost cost = cost_of(g);
  for (StepRecord& r : steps) {
    r.op_group = op_group_of(g, r);
    if (r.covers.empty()) continue;
    std::vector<ValueId> nodes;
    for (const CoveredNode& c : r.covers) nodes.push_back(c.node);
    const NodeCost c = group_cost(g, cost, nodes);
    r.macs = c.macs;
    r.bytes = c.min_bytes;
  }
}

std::string render_step(size_t index, const StepRecord& r) {
  if (r.kind == "reorder") return fmt::format("{:>4}  reorder   {:<18} {}\n", index, r.impl, r.detail);
  std::string covers;
  for (const CoveredNode& c : r.covers) covers += (covers.empty() ? "" : ", ") + c.name + (c.how.empty() ? "" : " (" + c.how + ")");
  const std::string post = r.post_ops.empty() ? "" : "  post-ops: " + r.post_ops;
  if (r.kind == "conv")
    return fmt::format("{:>4}  conv      {:<18} src {} {}  wei {}  dst {} {}{}\n        covers: {}\n", index, r.impl,
                       r.src_layout, r.src_shape.str(), r.weights_layout, r.dst_layout, r.dst_shape.str(), post, covers);
  return fmt::format("{:>4}  {:<9} {:<18} {} {}{}\n        covers: {}\n", index, r.kind, r.impl, r.dst_layout,
                     r.dst_shape.str(), post, covers);
}

}  // namespace fb
