#include "backends/onednn/compiler.h"

#include "backends/onednn/lower_conv.h"
#include "backends/onednn/lower_simple.h"
#include "backends/onednn/lower_step.h"
#include "backends/onednn/value_table.h"

namespace fb::onednn {

void lower_step(ValueTable& vt, const Step& s) {
  switch (s.op) {
    case OpKind::Input: break;
    case OpKind::Conv: lower_conv(vt, s); break;
    case OpKind::BatchNorm: lower_batch_norm(vt, s); break;
    case OpKind::Activation: lower_activation(vt, s); break;
    case OpKind::Add: lower_add(vt, s); break;
    case OpKind::Concat: lower_concat(vt, s); break;
    case OpKind::MaxPool:
    case OpKind::AvgPool:
    case OpKind::GlobalAvgPool: lower_pool(vt, s); break;
    case OpKind::Flatten: lower_flatten(vt, s); break;
    case OpKind::Linear: lower_linear(vt, s); break;
    case OpKind::Pad: lower_pad(vt, s); break;
    case OpKind::Slice: lower_slice(vt, s); break;
  }
}

std::unique_ptr<Program> compile_plan(const Plan& plan, const Shape& input_shape, const EngineOptions& options,
                                      int threads, TuneSession* tune) {
  auto prog = std::make_unique<Program>();
  prog->threads = threads;
  ValueTable vt(plan, input_shape, options, *prog, tune);
  for (size_t i = 1; i < plan.steps.size(); ++i) lower_step(vt, plan.steps[i]);
  vt.finish(plan.output);  // the network output goes to the caller's buffer in plain layout
  prog->footer = vt.footer(plan.notes);
  return prog;
}

}  // namespace fb::onednn
