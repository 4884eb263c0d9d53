#include "backends/torch/jit_steps.h"

namespace fb::torchscript {
namespace {

bool is_layout_op(const std::string& name) {
  for (const char* s : {"to_dense", "to_mkldnn", "reorder", "contiguous", "copy_", "_to_copy"})
    if (name.find(s) != std::string::npos) return true;
  return false;
}

}  // namespace

JitSteps map_jit_steps(const Graph& g, const std::vector<TopOp>& ops, const std::vector<ValueId>& line_node) {
  std::vector<EngineOp> engine_ops;
  for (const TopOp& op : ops) {
    EngineOp e{op.name, op.impl, -1, is_layout_op(op.name)};
    if (op.line >= 0 && static_cast<size_t>(op.line) < line_node.size()) e.node = line_node[static_cast<size_t>(op.line)];
    engine_ops.push_back(std::move(e));
  }
  OpSteps steps = map_op_steps(g, engine_ops,
                               {"layout conversion inserted by optimize_for_inference",
                                "an op of no graph node's source line", kNoOwnOp});
  return {std::move(steps.records), std::move(steps.ops)};
}

}  // namespace fb::torchscript
