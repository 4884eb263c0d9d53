#pragma once
// Lowering of every step that is not a convolution. Kernel ops (batch norm,
// eltwise, add, concat, pooling, linear) go through one helper: pick a
// kernel among layout candidates, fetch the inputs in its layouts, define
// the output, emit. Flatten, pad and slice are reorders into views.
#include "backends/onednn/plan.h"
#include "backends/onednn/value_table.h"

namespace fb::onednn {

void lower_batch_norm(ValueTable& vt, const Step& s);
void lower_activation(ValueTable& vt, const Step& s);
void lower_add(ValueTable& vt, const Step& s);
void lower_concat(ValueTable& vt, const Step& s);
void lower_pool(ValueTable& vt, const Step& s);
void lower_linear(ValueTable& vt, const Step& s);
void lower_flatten(ValueTable& vt, const Step& s);
void lower_pad(ValueTable& vt, const Step& s);
void lower_slice(ValueTable& vt, const Step& s);

}  // namespace fb::onednn
