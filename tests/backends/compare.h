#pragma once
// Comparing a backend's output with the reference: relative error
// max|got - ref| / max|ref|, and outputs that prove nothing (all zeros,
// NaN or infinity) fail instead of passing by accident.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "graph/tensor.h"

namespace fb::test {

inline void expect_close(const Tensor& got, const Tensor& ref, double rel_bound, const std::string& what) {
  ASSERT_EQ(got.shape, ref.shape) << what;
  double max_diff = 0, max_ref = 0;
  size_t non_finite = 0;
  for (size_t i = 0; i < ref.data.size(); ++i) {
    if (!std::isfinite(got.data[i]) || !std::isfinite(ref.data[i])) ++non_finite;
    max_diff = std::max(max_diff, std::abs(double(got.data[i]) - double(ref.data[i])));
    max_ref = std::max(max_ref, std::abs(double(ref.data[i])));
  }
  EXPECT_EQ(non_finite, 0u) << what << ": outputs contain NaN or infinity";
  EXPECT_GT(max_ref, 0.0) << what << ": the reference output is all zeros, so agreement proves nothing";
  EXPECT_LE(max_diff, rel_bound * max_ref) << what << ": relative error " << max_diff / std::max(max_ref, 1e-300)
                                           << " exceeds " << rel_bound << " (max |ref| = " << max_ref << ")";
}

}  // namespace fb::test
