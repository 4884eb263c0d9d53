#include "backends/onednn/passes/merge.h"

namespace fb::onednn {

Plan merge_steps(Plan p, const MergeFn& try_merge) {
  const std::vector<int> readers = p.reader_count();
  std::vector<Step> out;
  std::vector<int> where(p.num_values, -1);  // value -> index in `out`
  for (Step& s : p.steps) {
    Step* producer = nullptr;
    if (!s.inputs.empty() && where[static_cast<size_t>(s.inputs[0])] >= 0)
      producer = &out[static_cast<size_t>(where[static_cast<size_t>(s.inputs[0])])];
    if (producer && try_merge(s, producer, readers)) {
      where[static_cast<size_t>(producer->out)] = where[static_cast<size_t>(s.inputs[0])];
      continue;
    }
    where[static_cast<size_t>(s.out)] = static_cast<int>(out.size());
    out.push_back(std::move(s));
  }
  p.steps = std::move(out);
  return p;
}

}  // namespace fb::onednn
