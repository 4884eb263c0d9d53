#include "graph/shape.h"

#include "common/error.h"

namespace fb {

int64_t Shape::numel() const {
  int64_t n = 1;
  for (int64_t d : dims)
    if (__builtin_mul_overflow(n, d, &n))
      throw UsageError("a " + str() + " tensor has more elements than fit in 64 bits; lower batch, res or width");
  return n;
}

std::string Shape::str() const {
  std::string s;
  for (size_t i = 0; i < dims.size(); ++i) {
    if (i) s += 'x';
    s += std::to_string(dims[i]);
  }
  return s;
}

}  // namespace fb
