#pragma once
#include <vector>

#include "graph/ir.h"

namespace fb {

// Output shape of `node` given its input shapes. Throws UsageError that names
// the node and says what is inconsistent ("conv3: 30 input channels not
// divisible by groups=8").
Shape infer_shape(const Node& node, const std::vector<Shape>& inputs);

// Output extent of a sliding window along one axis (floor mode).
int64_t window_out(int64_t in, int kernel, int stride, int pad_before, int pad_after, int dilation);

}  // namespace fb
