#pragma once
// A dense fp32 tensor in row-major (NCHW / OIHW) order. Used for weights,
// network inputs and outputs; backends convert to their own layouts.
#include <vector>

#include "graph/shape.h"

namespace fb {

struct Tensor {
  Shape shape;
  std::vector<float> data;

  Tensor() = default;
  explicit Tensor(Shape s) : shape(std::move(s)), data(static_cast<size_t>(shape.numel()), 0.0f) {}
  float* ptr() { return data.data(); }
  const float* ptr() const { return data.data(); }
  int64_t numel() const { return static_cast<int64_t>(data.size()); }
};

}  // namespace fb
