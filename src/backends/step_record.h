#pragma once
// What a compiled program executes, one record per step (a primitive, a
// kernel, a reorder), in execution order: the graph nodes it computes, the
// implementation the library chose, layouts, shapes and the cost model's
// MACs and bytes. `explain` renders them; `profile` joins them with times.
#include <cstdint>
#include <string>
#include <vector>

#include "graph/ir.h"
#include "graph/shape.h"

namespace fb {

struct CoveredNode {
  ValueId node = -1;  // graph node id
  std::string name;
  // Empty for the node the step computes; else how it was absorbed into the
  // step ("BN folded", "eltwise post-op", "sum post-op, in place into x", ...).
  std::string how;
};

struct StepRecord {
  std::string kind;  // conv, batchnorm, eltwise, add, concat, pool, linear, reorder
  std::string impl;  // the implementation the library chose
  // The graph nodes computed here, fused ones included; empty for a layout,
  // weight or output reorder, which computes no node.
  std::vector<CoveredNode> covers;
  std::string detail;    // reorders: what moves from where to where, and for whom
  std::string post_ops;  // "relu+sum", "dw_k3s1p1+clip[0,6]"; empty when none
  std::string src_layout, weights_layout, dst_layout;  // format tags ("nChw16c"); empty where none
  Shape src_shape, dst_shape;
  // From the cost model (attach_costs): MACs of the covered nodes, and the
  // minimum traffic of the covered group run as one step; a reorder that
  // covers no node moves its source and destination bytes.
  int64_t macs = 0, bytes = 0;
  std::string op_group;  // conv 1x1, conv 3x3, conv other, depthwise, pooling, BN, eltwise, reorder, other
};

// A step that computes graph node `id` alone, as an op-by-op framework runs
// it: kind from the node's op, its input and output shapes, covering it.
StepRecord node_step(const Graph& g, ValueId id);

// Fills macs, bytes (where the step covers nodes) and op_group from `g`.
void attach_costs(std::vector<StepRecord>& steps, const Graph& g);

// The op kind a step is grouped under, from the first node it covers.
std::string op_group_of(const Graph& g, const StepRecord& r);

// explain's line(s) for step `index`: kind, implementation, layouts, shapes,
// post-ops, then the covered nodes and how each was absorbed.
std::string render_step(size_t index, const StepRecord& r);

}  // namespace fb
