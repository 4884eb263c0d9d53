#pragma once
// The graph passes of the onednn engine: plain functions, each switchable
// by an EngineOptions field. Order matters: lower, dedupe_activations,
// fold_bn, fuse_sum, fuse_activations, fuse_depthwise (see docs/engine.md).
#include "backends/onednn/plan.h"
#include "graph/ir.h"
#include "graph/weights.h"

namespace fb::onednn {

// One Step per graph node, parameters copied; conv bias made explicit.
Plan lower(const Graph& g, const Weights& w);

// The same ReLU or ReLU6 of the same value, written more than once (a DARTS
// cell applies one to a state on every edge that reads it): computed once,
// its readers reading the first. What ONNX Runtime's common subexpression
// elimination does for these.
Plan dedupe_activations(Plan p);

// BatchNorm whose input is a conv read only by it: scale the conv's weights
// and fold the shift into its bias.
Plan fold_batch_norm(Plan p);

// Add(x, conv(...)) where the conv output is read only by the Add and x has
// no reader after the conv: the conv accumulates into x's buffer (sum post-op).
Plan fuse_sum(Plan p);

// ReLU / ReLU6 after a conv, an Add or a Linear read only by it: eltwise post-op.
Plan fuse_activations(Plan p);

// 1x1 conv followed by a 3x3 depthwise (stride 1 or 2, pad 1) read only by
// it: a depthwise post-op. Only a candidate: the compiler keeps it only if
// oneDNN runs it as one real kernel (see compiler.cpp) and notes why not.
Plan fuse_depthwise(Plan p);

}  // namespace fb::onednn
