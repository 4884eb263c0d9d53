#pragma once
// Cost model: one walk over the graph. MACs count convolutions
// (out_elems x in_ch/groups x kh x kw) and linear layers (in x out) only, the
// convention of the study and of published model tables; FLOPs = 2 x MACs.
// Bytes assume fp32.
#include <cstdint>
#include <vector>

#include "graph/ir.h"

namespace fb {

struct NodeCost {
  int64_t macs = 0;
  int64_t params = 0;  // every stored parameter (BN: gamma, beta, mean, var)
  // Trainable parameters only (BN: gamma, beta; running statistics are
  // buffers), the convention of published model tables (torchvision, papers).
  int64_t learnable_params = 0;
  int64_t weight_bytes = 0;      // params x 4
  int64_t activation_bytes = 0;  // output tensor x 4
  // Minimum traffic: every input and weight read once, the output written once.
  int64_t min_bytes = 0;

  int64_t flops() const { return 2 * macs; }
  NodeCost& operator+=(const NodeCost& o);
};

struct GraphCost {
  std::vector<NodeCost> nodes;  // indexed like Graph::nodes
  NodeCost total;               // sums; total.min_bytes is the per-layer traffic sum
  // Largest sum of live activation bytes at any point of a topological run
  // without buffer reuse beyond liveness: the memory pre-flight's estimate.
  int64_t peak_activation_bytes = 0;

  // FLOPs per byte of minimum traffic, for the roofline.
  double arithmetic_intensity() const;
};

GraphCost cost_of(const Graph& g);

// The cost of `nodes` run as one fused step (a conv with its folded BN and
// post-ops): MACs and weights summed; traffic counts only inputs made outside
// the group and outputs read outside it (or the graph output), since the
// values passed inside a fused step never reach memory.
NodeCost group_cost(const Graph& g, const GraphCost& c, const std::vector<ValueId>& nodes);

}  // namespace fb
