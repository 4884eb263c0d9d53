#include "backends/ort/model_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "common/error.h"
#include "interop/onnx_export.h"

namespace fb {

TemporaryModelFile::TemporaryModelFile(const Graph& g, const Weights& w) {
  const onnx::ModelProto model = onnx_io::export_model(g, w);
  nodes_ = model.graph().node_size();
  const char* dir = std::getenv("TMPDIR");
  path_ = std::string(dir && *dir ? dir : "/tmp") + "/formbench-ort-XXXXXX.onnx";
  const int fd = mkostemps(path_.data(), 5, O_CLOEXEC);
  if (fd < 0) throw Error("ort: cannot create a temporary ONNX file " + path_ + ": " + std::strerror(errno));
  present_ = true;
  // Straight to the file: no second in-memory copy of the weights.
  errno = 0;
  const bool written = model.SerializeToFileDescriptor(fd);
  const int write_errno = errno;
  const bool closed = close(fd) == 0;
  if (!written || !closed) {
    remove();
    throw Error("ort: cannot write the model to " + path_ + ": " +
                (write_errno ? std::strerror(write_errno) : "the ONNX serialiser failed"));
  }
  bytes_ = static_cast<int64_t>(model.ByteSizeLong());
}

void TemporaryModelFile::remove() {
  if (!present_) return;
  unlink(path_.c_str());
  present_ = false;
}

}  // namespace fb
