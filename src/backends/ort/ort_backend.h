#pragma once
// "ort": ONNX Runtime (the npm package onnxruntime-node, CPU execution
// provider), the engine most users deploy a CNN with, run out of process:
// each compiled executable is one runner process (runner/ort_runner.js)
// holding one session on the graph's ONNX export (docs/backends.md).
#include <memory>

#include "backends/backend.h"

namespace fb {

std::unique_ptr<Backend> make_ort_backend();

}  // namespace fb
