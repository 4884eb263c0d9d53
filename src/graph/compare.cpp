#include "graph/compare.h"

#include <fmt/core.h>

#include <cmath>

#include "common/error.h"

namespace fb {

Agreement compare(const Tensor& got, const Tensor& ref) {
  if (got.shape != ref.shape || got.data.size() != ref.data.size())
    throw UsageError("cannot compare outputs of shapes " + got.shape.str() + " and " + ref.shape.str());
  Agreement a;
  for (size_t i = 0; i < got.data.size(); ++i) {
    const double g = got.data[i], r = ref.data[i];
    if (!std::isfinite(g) || !std::isfinite(r)) {
      a.finite = false;
      continue;
    }
    const double d = std::abs(g - r);
    if (d > a.max_abs || a.worst < 0) a.max_abs = d, a.worst = static_cast<int64_t>(i);
    a.max_ref = std::max(a.max_ref, std::abs(r));
  }
  a.relative = a.max_ref > 0 ? a.max_abs / a.max_ref : a.max_abs;
  return a;
}

std::string Agreement::str() const {
  std::string s = fmt::format("max |a - b| = {:.3g} (element {}), max |b| = {:.4g}, relative error = {:.3g}", max_abs,
                              worst, max_ref, relative);
  if (!finite) s += "; NaN or infinity present, so agreement proves nothing";
  if (max_ref == 0) s += "; the reference is all zeros, so agreement proves nothing";
  return s;
}

}  // namespace fb
