#pragma once
// Activation memory planning: every buffer has a lifetime [first, last] in
// primitive order; buffers whose lifetimes do not overlap share bytes of one
// arena (greedy, largest first). Pinned buffers (zero-bordered pads) get
// bytes of their own.
#include <cstddef>
#include <vector>

namespace fb::onednn {

struct BufferUse {
  size_t bytes = 0;
  int first = 0, last = 0;  // primitive indices of first write and last read
  bool pinned = false;
};

struct MemoryPlan {
  std::vector<size_t> offsets;  // per buffer, into the arena
  size_t arena_bytes = 0;       // with reuse (or without, when reuse is off)
  size_t unshared_bytes = 0;    // sum of all buffers: the cost without reuse
};

MemoryPlan plan_memory(const std::vector<BufferUse>& buffers, bool reuse);

}  // namespace fb::onednn
