#include "backends/onednn/plan.h"

#include <algorithm>

namespace fb::onednn {

bool Step::has_sum() const {
  return std::any_of(post.begin(), post.end(), [](const PostOp& p) { return p.kind == PostOp::Kind::Sum; });
}

bool Step::has_depthwise() const {
  return std::any_of(post.begin(), post.end(), [](const PostOp& p) { return p.kind == PostOp::Kind::Depthwise; });
}

std::vector<int> Plan::reader_count() const {
  std::vector<int> n(num_values, 0);
  for (const Step& s : steps) {
    for (ValueId v : s.inputs) ++n[static_cast<size_t>(v)];
    for (const PostOp& p : s.post)
      if (p.kind == PostOp::Kind::Sum) ++n[static_cast<size_t>(p.sum_operand)];
  }
  if (output >= 0) ++n[static_cast<size_t>(output)];
  return n;
}

std::vector<int> Plan::producers() const {
  std::vector<int> at(num_values, -1);
  for (size_t i = 0; i < steps.size(); ++i) at[static_cast<size_t>(steps[i].out)] = static_cast<int>(i);
  return at;
}

}  // namespace fb::onednn
