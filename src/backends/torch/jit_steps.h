#pragma once
// torch-jit's steps: the top-level ops one run of the frozen TorchScript
// graph executes, mapped back to graph nodes through the generated source's
// lines. Torch-free (plain bookkeeping), so it compiles fast.
#include <cstdint>
#include <string>
#include <vector>

#include "backends/op_steps.h"
#include "backends/step_record.h"
#include "graph/ir.h"

namespace fb::torchscript {

struct TopOp {
  std::string name;  // "aten::conv2d"
  std::string impl;  // the optimised graph's nodes on its line, else where its time goes (op_trace.h dominant_op)
  int64_t line = -1;  // source line it came from; -1 unknown
};

// How a node with no op of its own is covered: by the step that computes its
// input (freeze folds BN into the conv, optimize_for_inference fuses ReLU),
// or, when an op the profiler cannot see ran it, the time is between steps.
inline constexpr const char* kNoOwnOp =
    "no op of its own: folded or fused by freeze/optimize_for_inference, or run by an op the profiler does not see";

struct JitSteps {
  std::vector<StepRecord> records;
  std::vector<std::vector<size_t>> ops;  // for each record, the indices of the top-level ops it sums
};

// map_op_steps (backends/op_steps.h) on the ops' nodes by source line: an
// op from no node's line joins the step before it unless it is a layout
// conversion the optimiser inserted.
JitSteps map_jit_steps(const Graph& g, const std::vector<TopOp>& ops, const std::vector<ValueId>& line_node);

}  // namespace fb::torchscript
