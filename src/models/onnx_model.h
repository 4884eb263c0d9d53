#pragma once
// `onnx:PATH`: a model read from an ONNX file (interop/onnx_import.h), with
// the file's own weights. It has no knobs; the batch is formbench's batch.
#include <string>

#include "models/catalog.h"

namespace fb {

inline constexpr std::string_view kOnnxPrefix = "onnx:";
bool is_onnx_model(const std::string& name);
// Reads, checks and imports the file once per process; UsageError for a file
// formbench cannot import, naming what was wrong.
const ModelDef& onnx_model(const std::string& name);

}  // namespace fb
