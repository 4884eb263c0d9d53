#pragma once
// ONNX model files through the ONNX project's own protobuf definitions and
// checker (Debian's libonnx-dev): read whole, parsed, checked; written whole
// or not at all.
#include <string>
#include <string_view>
#include <vector>

#include <onnx/onnx_pb.h>

namespace fb::onnx_io {

// The largest file formbench reads: protobuf's own limit for one message.
inline constexpr int64_t kMaxOnnxBytes = int64_t{2} * 1024 * 1024 * 1024 - 1;

// UsageError naming the file for a missing or unreadable path, a path that is
// not a regular file, a file beyond kMaxOnnxBytes, bytes that are not an ONNX
// model, or a model the ONNX checker refuses.
onnx::ModelProto read_model(const std::string& path);
// The same for bytes already in memory; `what` names them in messages.
onnx::ModelProto parse_model(std::string_view bytes, const std::string& what);
// The ONNX checker; UsageError with its message, prefixed by `what`.
void check_model(const onnx::ModelProto& m, const std::string& what);
// Serialises `m` to `path` whole or not at all (common/atomic_file.h); never
// over one of `inputs`.
void write_model(const onnx::ModelProto& m, const std::string& path, const std::vector<std::string>& inputs = {});

}  // namespace fb::onnx_io
