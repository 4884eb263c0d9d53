#pragma once
// Any formbench graph with its weights as an ONNX model (docs/onnx.md):
// opset 10, whose Clip takes its bounds as attributes and whose Pad takes
// attributes too, a form ONNX Runtime and OpenCV 4.6's importer both read.
// The result passes the ONNX checker.
#include <onnx/onnx_pb.h>

#include "graph/ir.h"
#include "graph/weights.h"

namespace fb::onnx_io {

inline constexpr int64_t kExportOpset = 10;

onnx::ModelProto export_model(const Graph& g, const Weights& w);

}  // namespace fb::onnx_io
