#pragma once
// Checked int64 arithmetic for sizes and costs (elements, bytes, MACs): an
// overflow is bad input (a batch or width too large to describe), reported
// as a UsageError naming `what`, never a wrapped negative number.
#include <cstdint>
#include <string>

#include "common/error.h"

namespace fb {

[[noreturn]] inline void throw_overflow(const std::string& what) {
  throw UsageError(what + " does not fit in 64 bits; lower batch, res, width or depth");
}

inline int64_t checked_mul(int64_t a, int64_t b, const std::string& what) {
  int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) throw_overflow(what);
  return r;
}

inline int64_t checked_add(int64_t a, int64_t b, const std::string& what) {
  int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) throw_overflow(what);
  return r;
}

}  // namespace fb
