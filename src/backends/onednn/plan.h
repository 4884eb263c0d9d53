#pragma once
// The plan the passes transform: one Step per future primitive, in execution
// order. A Step starts as one graph node; passes merge neighbours into it
// (folded BN, post-ops). Values keep their graph ids: a Step produces the
// value of the last node it covers, so consumers never need renaming.
#include <string>
#include <vector>

#include "backends/step_record.h"
#include "graph/ir.h"
#include "graph/tensor.h"

namespace fb::onednn {

struct PostOp {
  enum class Kind { Eltwise, Sum, Depthwise } kind = Kind::Eltwise;
  ActKind act = ActKind::ReLU;  // Eltwise
  ValueId sum_operand = -1;     // Sum: accumulate into this value's buffer
  ConvAttrs dw;                 // Depthwise: the fused 3x3 conv
  Tensor dw_weight, dw_bias;
  Shape dw_in_shape;  // the 1x1 conv's output, no longer materialised
  // Index in the host step's `covers` of the first node this post-op
  // absorbed: where the compiler cuts when it undoes the fusion.
  size_t covers_from = 0;
};

struct Step {
  OpKind op = OpKind::Input;
  OpAttrs attrs;
  std::vector<ValueId> inputs;
  ValueId out = -1;
  Shape shape;                      // of `out`
  std::vector<CoveredNode> covers;  // the graph nodes, with how each was absorbed
  std::vector<Tensor> params;       // Conv: weight, bias (always, zeros if none); BN: gamma, beta, mean, var;
                                    // Linear: weight, bias
  std::vector<PostOp> post;

  bool has_sum() const;
  bool has_depthwise() const;
};

struct Plan {
  std::vector<Step> steps;  // steps[0] is the Input
  ValueId output = -1;
  size_t num_values = 0;  // graph values; ids stay graph ids
  std::vector<std::string> notes;  // fusions considered and rejected, with why

  // Number of readers of each value (the graph output counts as one).
  std::vector<int> reader_count() const;
  // Index of the step producing each value, -1 for values fused away.
  std::vector<int> producers() const;
};

// Everything in a plan that decides the work its program does, as text: each
// step's op, attributes, operands, output shape and post-ops (not the weight
// values, which change no kernel). Two plans with one signature compile,
// under one policy and one set of tuning decisions, to the same primitives.
std::string plan_signature(const Plan& p);

}  // namespace fb::onednn
