#pragma once
// The dispatch from a plan step to its lowering (compiler.cpp); the conv
// lowering calls it back for the two halves of a fusion it undoes.
#include "backends/onednn/plan.h"
#include "backends/onednn/value_table.h"

namespace fb::onednn {

void lower_step(ValueTable& vt, const Step& s);

}  // namespace fb::onednn
