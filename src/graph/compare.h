#pragma once
// The one comparison of two outputs formbench uses everywhere (run --check,
// compare, the tests): relative error = max|got - ref| / max|ref|. Outputs
// that prove nothing (a NaN or infinity, an all-zero reference) never pass.
#include <cstdint>
#include <string>

#include "graph/tensor.h"

namespace fb {

// fp32 through tens of layers against the double-accumulating reference.
inline constexpr double kAgreementBound = 1e-4;

struct Agreement {
  double max_abs = 0;     // max |got - ref|
  int64_t worst = -1;     // flat index of max_abs
  double max_ref = 0;     // max |ref|
  double relative = 0;    // max_abs / max_ref (max_abs when max_ref is 0)
  bool finite = true;     // no NaN or infinity in either
  bool passes(double bound = kAgreementBound) const { return finite && max_ref > 0 && relative <= bound; }
  // "max |a - b| = ..., max |b| = ..., relative error = ..." and why it proves nothing, if so.
  std::string str() const;
};

// UsageError if the shapes differ.
Agreement compare(const Tensor& got, const Tensor& ref);

}  // namespace fb
