#pragma once
// check=1: does the measured backend compute the same function as the
// reference backend? The plain-loop reference takes minutes on a full-size
// network, so the check runs the same model at a 32x32 input (or the
// smallest its architecture allows, if larger; batch 1, the measurement's
// seeds), where it takes seconds, and keeps the error with the row
// (record.h CheckSection).
#include "backends/backend.h"
#include "measure/config.h"
#include "measure/record.h"

namespace fb {

// fp32 through up to ~150 layers with different summation orders: backends
// agree to ~1e-5 relative; 1e-3 leaves room without hiding a wrong layer (one
// of those moves the output by far more). The zoo tests use the same bound.
inline constexpr double kCheckBound = 1e-3;
// At a reduced precision the rounding is the point, and the bound is what it
// costs through a network (tests/backends/precision_test.cpp explains both):
// bf16 keeps 8 significant bits, int8 ~1/255 of each tensor's range.
inline constexpr double kBf16CheckBound = 3e-2, kInt8CheckBound = 1.5e-1;
double check_bound(Precision p);

// A backend that cannot run the checked model gives a section with its
// error, not an exception: the timing already stands.
CheckSection check_against_reference(const MeasureConfig& c, const BackendChoice& choice, uint64_t seed);

}  // namespace fb
