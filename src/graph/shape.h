#pragma once
// Tensor shapes: NCHW for feature maps, (N, F) after Flatten.
#include <cstdint>
#include <string>
#include <vector>

namespace fb {

struct Shape {
  std::vector<int64_t> dims;

  Shape() = default;
  Shape(std::initializer_list<int64_t> d) : dims(d) {}
  explicit Shape(std::vector<int64_t> d) : dims(std::move(d)) {}

  int rank() const { return static_cast<int>(dims.size()); }
  int64_t operator[](int i) const { return dims.at(static_cast<size_t>(i)); }
  int64_t numel() const;  // UsageError if the count overflows int64
  // Feature-map accessors; valid only for rank 4.
  int64_t n() const { return dims.at(0); }
  int64_t c() const { return dims.at(1); }
  int64_t h() const { return dims.at(2); }
  int64_t w() const { return dims.at(3); }

  std::string str() const;  // "1x32x112x112"
  bool operator==(const Shape&) const = default;
};

}  // namespace fb
