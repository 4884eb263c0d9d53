#pragma once
// An ONNX model as formbench's Graph IR with the file's own weights
// (docs/onnx.md). Supported: the operators torchvision-style CNN exports use
// at opsets 9-17; constant subgraphs (shape arithmetic) are folded. Anything
// else is a UsageError naming the node, its op type and what is supported,
// never a silently different function.
#include <string>

#include <onnx/onnx_pb.h>

#include "graph/ir.h"
#include "graph/weights.h"

namespace fb::onnx_io {

inline constexpr int64_t kMinOpset = 9, kMaxOpset = 17;

struct ImportedModel {
  Graph graph;      // at the file's batch (1 where the file's batch is symbolic)
  Weights weights;  // the file's own parameters, indexed like graph.nodes
  bool symbolic_batch = false;
};

ImportedModel import_model(const onnx::ModelProto& m, const std::string& name);

// The graph at another batch: every supported operator works per sample, so
// only the shapes change (UsageError if they overflow).
Graph rebatch(const Graph& g, int64_t batch);

}  // namespace fb::onnx_io
