#pragma once
// One comparison for every fast path against the reference backend:
// relative error = max|got - ref| / max|ref|. Outputs that prove nothing (a
// NaN or infinity anywhere, an all-zero result or reference) fail fatally, so
// a broken kernel cannot pass by producing nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "graph/tensor.h"

namespace fb::test {

inline void expect_close(const Tensor& got, const Tensor& ref, double rel_bound, const std::string& what) {
  ASSERT_EQ(got.shape, ref.shape) << what;
  double max_ref = 0, max_got = 0, max_diff = 0;
  for (size_t i = 0; i < ref.data.size(); ++i) {
    const double r = ref.data[i], g = got.data[i];
    ASSERT_TRUE(std::isfinite(r) && std::isfinite(g)) << what << ": NaN or infinity at element " << i;
    max_ref = std::max(max_ref, std::abs(r));
    max_got = std::max(max_got, std::abs(g));
    max_diff = std::max(max_diff, std::abs(r - g));
  }
  ASSERT_GT(max_ref, 0.0) << what << ": the reference output is all zero, so agreement proves nothing";
  ASSERT_GT(max_got, 0.0) << what << ": the output is all zero";
  EXPECT_LE(max_diff, rel_bound * max_ref) << what << ": relative error " << max_diff / max_ref << " exceeds "
                                           << rel_bound << " (max |diff| " << max_diff << ", max |ref| " << max_ref << ")";
}

}  // namespace fb::test
