#pragma once
// The steps of an engine that runs a graph op by op and names what it ran
// (torch-jit's frozen TorchScript, ONNX Runtime's executor): the top-level
// ops of one run, each with the graph node it came from, grouped into step
// records. Torch-free, ORT-free bookkeeping.
#include <string>
#include <vector>

#include "backends/step_record.h"
#include "graph/ir.h"

namespace fb {

struct EngineOp {
  std::string name;     // "aten::conv2d", "FusedConv"
  std::string impl;     // a better name for the implementation, if the engine has one; else `name`
  ValueId node = -1;    // the graph node it computes; -1 for none
  bool layout = false;  // a layout conversion the engine inserted
};

// How the engine's own additions read in `explain` and `profile`.
struct OpStepWords {
  std::string layout_detail;   // a layout conversion's detail
  std::string no_node_detail;  // an op of no graph node (and no layout conversion)
  std::string no_own_op;       // how a graph node with no op of its own is covered
};

struct OpSteps {
  std::vector<StepRecord> records;
  std::vector<std::vector<size_t>> ops;  // for each record, the indices of the ops it sums
};

// Consecutive ops of one node form one step (an explicit pad and its conv);
// an op of no node joins the step before it, unless it is a layout
// conversion, a step of its own that covers no node. Every node but the
// input is covered: those without an op join the step that computed the
// last of their inputs.
OpSteps map_op_steps(const Graph& g, const std::vector<EngineOp>& ops, const OpStepWords& words);

}  // namespace fb
