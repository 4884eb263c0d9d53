#pragma once
// A model compiled for OpenCV's DNN module: its ONNX export read from memory
// by OpenCV's importer, on OpenCV's own CPU path. No OpenCV types here.
#include <memory>
#include <string>

#include "backends/backend.h"

namespace fb::opencv_engine {

// Reads, sets up and runs the network once (OpenCV allocates its blobs and
// packs its weights on the first forward, which is then not in a timed
// run). fb::Error naming OpenCV's version and its own message where OpenCV
// cannot import or run the model.
std::unique_ptr<Executable> compile(const Graph& g, const Weights& w, int threads);

// The same from a serialised ONNX model whose input and output have these
// shapes (the graph's): what compile() does after the export.
std::unique_ptr<Executable> compile_onnx(std::string onnx_bytes, const Shape& input, const Shape& output,
                                         int threads);

// cv::setNumThreads, process-wide (OpenCV's one TBB arena); only when the
// count differs, so a run() that calls it pays nothing.
void use_threads(int threads);

}  // namespace fb::opencv_engine
