#include "interop/onnx_file.h"

#include <onnx/checker.h>

#include <fstream>
#include <sstream>
#include <sys/stat.h>

#include "common/atomic_file.h"
#include "common/error.h"

namespace fb::onnx_io {

onnx::ModelProto parse_model(std::string_view bytes, const std::string& what) {
  if (static_cast<int64_t>(bytes.size()) > kMaxOnnxBytes)
    throw UsageError(what + ": " + std::to_string(bytes.size()) + " bytes is beyond the 2 GiB an ONNX file can hold");
  onnx::ModelProto m;
  if (!m.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    throw UsageError(what + ": not an ONNX model (the protobuf does not parse; truncated or another kind of file?)");
  if (!m.has_graph()) throw UsageError(what + ": the ONNX model has no graph");
  return m;
}

void check_model(const onnx::ModelProto& m, const std::string& what) {
  try {
    onnx::checker::check_model(m);
  } catch (const std::exception& e) {
    throw UsageError(what + ": the ONNX checker refuses the model: " + e.what());
  }
}

onnx::ModelProto read_model(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw UsageError("ONNX file '" + path + "' does not exist or cannot be read");
  if (!S_ISREG(st.st_mode)) throw UsageError("ONNX file '" + path + "' is not a regular file");
  if (st.st_size > kMaxOnnxBytes)
    throw UsageError("ONNX file '" + path + "' is " + std::to_string(st.st_size) +
                     " bytes, beyond the 2 GiB an ONNX file can hold");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError("ONNX file '" + path + "' cannot be opened");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) throw Error("ONNX file '" + path + "': read failed");
  const std::string what = "ONNX file '" + path + "'";
  onnx::ModelProto m = parse_model(bytes.str(), what);
  check_model(m, what);
  return m;
}

void write_model(const onnx::ModelProto& m, const std::string& path, const std::vector<std::string>& inputs) {
  std::string bytes;
  if (!m.SerializeToString(&bytes)) throw Error("cannot serialise the ONNX model for '" + path + "'");
  write_file_atomically(path, bytes, {inputs.begin(), inputs.end()});
}

}  // namespace fb::onnx_io
