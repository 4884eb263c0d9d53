#pragma once
// The one loop every fusion pass shares: walk the steps in order and let
// `try_merge` absorb a step into an earlier one (returning true), which is
// then dropped. Keeps the value -> step map current as steps grow.
#include <functional>

#include "backends/onednn/plan.h"

namespace fb::onednn {

// try_merge(step, producer_of_input0 or nullptr, readers): merge `step` into
// the producer and return true, or leave both alone and return false.
using MergeFn = std::function<bool(Step& step, Step* producer, const std::vector<int>& readers)>;
Plan merge_steps(Plan p, const MergeFn& try_merge);

}  // namespace fb::onednn
