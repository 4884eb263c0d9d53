#pragma once
// One comparison for every fast path against the reference backend:
// relative error = max|got - ref| / max|ref|. A result that is all zero or
// has a NaN (in either tensor) fails, so a broken kernel cannot pass by
// producing nothing.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "graph/tensor.h"

namespace fb::test {

inline void expect_close(const Tensor& got, const Tensor& ref, double rel_bound, const std::string& what) {
  ASSERT_EQ(got.shape, ref.shape) << what;
  double max_ref = 0, max_got = 0, max_diff = 0;
  for (size_t i = 0; i < ref.data.size(); ++i) {
    const double r = ref.data[i], g = got.data[i];
    ASSERT_FALSE(std::isnan(r) || std::isnan(g)) << what << ": NaN at element " << i;
    max_ref = std::max(max_ref, std::abs(r));
    max_got = std::max(max_got, std::abs(g));
    max_diff = std::max(max_diff, std::abs(r - g));
  }
  ASSERT_GT(max_ref, 0.0) << what << ": the reference output is all zero";
  ASSERT_GT(max_got, 0.0) << what << ": the output is all zero";
  EXPECT_LE(max_diff / max_ref, rel_bound) << what << ": max |diff| " << max_diff << ", max |ref| " << max_ref;
}

}  // namespace fb::test
