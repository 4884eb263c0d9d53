#include "backends/onednn/memory_plan.h"

#include <algorithm>
#include <numeric>

namespace fb::onednn {
namespace {

constexpr size_t kAlign = 64;  // a cache line: what oneDNN kernels prefer
size_t aligned(size_t n) { return (n + kAlign - 1) / kAlign * kAlign; }

}  // namespace

MemoryPlan plan_memory(const std::vector<BufferUse>& buffers, bool reuse) {
  MemoryPlan p;
  p.offsets.assign(buffers.size(), 0);
  for (const auto& b : buffers) p.unshared_bytes += aligned(b.bytes);

  std::vector<size_t> order(buffers.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return buffers[a].bytes > buffers[b].bytes; });

  std::vector<size_t> placed;
  for (size_t i : order) {
    const BufferUse& b = buffers[i];
    if (!reuse || b.pinned) continue;
    // Placed buffers alive at the same time, by offset; take the first gap that fits.
    std::vector<size_t> live;
    for (size_t j : placed)
      if (buffers[j].first <= b.last && b.first <= buffers[j].last) live.push_back(j);
    std::sort(live.begin(), live.end(), [&](size_t x, size_t y) { return p.offsets[x] < p.offsets[y]; });
    size_t offset = 0;
    for (size_t j : live) {
      if (p.offsets[j] >= offset + aligned(b.bytes)) break;
      offset = std::max(offset, p.offsets[j] + aligned(buffers[j].bytes));
    }
    p.offsets[i] = offset;
    p.arena_bytes = std::max(p.arena_bytes, offset + aligned(b.bytes));
    placed.push_back(i);
  }
  // Unshared buffers (pinned ones, or all of them without reuse) follow.
  for (size_t i = 0; i < buffers.size(); ++i) {
    if (reuse && !buffers[i].pinned) continue;
    p.offsets[i] = p.arena_bytes;
    p.arena_bytes += aligned(buffers[i].bytes);
  }
  return p;
}

}  // namespace fb::onednn
