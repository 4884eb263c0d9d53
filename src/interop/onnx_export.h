#pragma once
// Any formbench graph with its weights as an ONNX model (docs/onnx.md):
// opset 10, whose Clip takes its bounds as attributes and whose Pad takes
// attributes too, a form ONNX Runtime and OpenCV 4.6's importer both read.
// The result passes the ONNX checker.
#include <onnx/onnx_pb.h>

#include <string>
#include <vector>

#include "graph/ir.h"
#include "graph/weights.h"

namespace fb::onnx_io {

inline constexpr int64_t kExportOpset = 10;

onnx::ModelProto export_model(const Graph& g, const Weights& w);

// The name each graph node's ONNX node (and output) gets in the export, in
// node order: the node's own name, made unique with ".1", ".2", ... where
// the graph repeats one (nasnet_a_large names two ReLUs of a branch alike).
// What reads ONNX Runtime's names back (its profile) needs these, not the graph's.
std::vector<std::string> onnx_node_names(const Graph& g);

}  // namespace fb::onnx_io
