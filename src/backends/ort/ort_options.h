#pragma once
// What `ort[:VARIANT]` asks of ONNX Runtime: the variant is the session's
// graph optimisation level, the threads its intra-op thread count.
#include <string>

#include "backends/backend.h"

namespace fb {

struct OrtOptions {
  std::string graph_optimization = "all";  // disabled | basic | extended | all
  int intra_op_threads = 1;
  int inter_op_threads = 1;                // one graph node at a time...
  std::string execution_mode = "sequential";  // ...so the threads all work inside a node
};

// UsageError for a variant other than "", extended, basic, disabled (listing
// them) and for any isa= (ONNX Runtime has no instruction-set cap).
OrtOptions parse_ort_options(const BackendOptions& o);

}  // namespace fb
