#pragma once
// PyTorch's conv and pool take one padding per dimension (the same on both
// sides); asymmetric padding is written as an explicit pad first, as a
// PyTorch user would (nn.ZeroPad2d / F.pad).
#include <array>
#include <cstdint>
#include <vector>

#include "graph/ir.h"

namespace fb::torch_lowering {

inline bool symmetric(const Padding& p) { return p.top == p.bottom && p.left == p.right; }

// F.pad's order for the last two dimensions: left, right, top, bottom.
inline std::array<int64_t, 4> pad_arg(const Padding& p) { return {p.left, p.right, p.top, p.bottom}; }

// The padding the conv or pool itself takes: the symmetric one, or none when
// an explicit pad comes first.
inline std::vector<int64_t> inner_pad(const Padding& p) {
  return symmetric(p) ? std::vector<int64_t>{p.top, p.left} : std::vector<int64_t>{0, 0};
}

}  // namespace fb::torch_lowering
