#include "common/precision.h"

#include "common/error.h"

namespace fb {

const char* precision_name(Precision p) {
  switch (p) {
    case Precision::fp32: return "fp32";
    case Precision::bf16: return "bf16";
    case Precision::int8: return "int8";
  }
  return "?";
}

const std::vector<Precision>& all_precisions() {
  static const std::vector<Precision> all = {Precision::fp32, Precision::bf16, Precision::int8};
  return all;
}

Precision parse_precision(const std::string& name) {
  for (Precision p : all_precisions())
    if (name == precision_name(p)) return p;
  throw UsageError("unknown precision '" + name + "'; precisions: fp32 (the default), bf16, int8");
}

int element_bytes(Precision p) { return p == Precision::fp32 ? 4 : p == Precision::bf16 ? 2 : 1; }

}  // namespace fb
