#pragma once
// The ONNX export in the form OpenCV 4.6 reads as the same function.
//
// OpenCV 4.6's importer ignores AveragePool's count_include_pad: it counts
// the padding in every average pool of a model whose producer_name is
// "pytorch" and in none of any other model's (onnx_importer.cpp,
// parseAveragePool). Read as exported, Inception-v3's padded 3x3 average
// pools (PyTorch's default, padding counted) divide by the real pixels only,
// and its output is wrong without any error.
#include <onnx/onnx_pb.h>

namespace fb::opencv_engine {

// Where padded average pools count their padding and none excludes it, the
// producer becomes "pytorch" (OpenCV's path for PyTorch's own exports: the
// same layers, nothing added). Where both kinds are present, each counting
// pool's padding becomes an explicit zero Pad before it (opset 10's Pad).
// Other models are left as they are.
void adapt_for_opencv(onnx::ModelProto& m);

}  // namespace fb::opencv_engine
