#pragma once
// The graph and its weights as a private temporary ONNX file for ONNX
// Runtime to load: created with mkstemp under $TMPDIR (or /tmp), mode 0600,
// and removed by remove() or the destructor, whichever comes first.
#include <string>

#include "graph/ir.h"
#include "graph/weights.h"

namespace fb {

class TemporaryModelFile {
 public:
  // Error naming the file if it cannot be written (a full disk).
  TemporaryModelFile(const Graph& g, const Weights& w);
  ~TemporaryModelFile() { remove(); }
  TemporaryModelFile(const TemporaryModelFile&) = delete;
  TemporaryModelFile& operator=(const TemporaryModelFile&) = delete;

  const std::string& path() const { return path_; }
  int64_t bytes() const { return bytes_; }
  int nodes() const { return nodes_; }
  void remove();

 private:
  std::string path_;
  bool present_ = false;
  int64_t bytes_ = 0;
  int nodes_ = 0;
};

}  // namespace fb
