#include "backends/ort/ort_options.h"

#include "common/error.h"

namespace fb {

OrtOptions parse_ort_options(const BackendOptions& o) {
  require_precision("ort", o, {Precision::fp32},
                    "formbench gives it the fp32 ONNX export; its int8 needs a model quantised by its Python "
                    "tooling, and its CPU provider has no bf16 convolutions");
  if (!o.isa.empty())
    throw UsageError("backend 'ort' cannot cap its instruction set (got isa=" + o.isa +
                     "): ONNX Runtime picks its kernels for the machine at run time and has no setting to limit "
                     "them; only onednn takes isa=");
  OrtOptions r;
  r.intra_op_threads = o.threads;
  // "all" is the default and has one name only, so one configuration has one descriptor.
  if (o.variant.empty()) r.graph_optimization = "all";
  else if (o.variant == "extended" || o.variant == "basic" || o.variant == "disabled") r.graph_optimization = o.variant;
  else
    throw UsageError("unknown ort variant '" + o.variant +
                     "'; the variant is ONNX Runtime's graph optimisation level: ort (all optimisations, the "
                     "default), ort:extended, ort:basic, ort:disabled");
  return r;
}

}  // namespace fb
