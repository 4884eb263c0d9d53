#pragma once
// Lowering of convolution steps: layout candidates, the kernel choice, the
// sum and depthwise post-ops (undone, with a note, where oneDNN has no real
// kernel for them), weight packing and the in-place residual.
#include "backends/onednn/plan.h"
#include "backends/onednn/value_table.h"

namespace fb::onednn {

void lower_conv(ValueTable& vt, const Step& s);

}  // namespace fb::onednn
