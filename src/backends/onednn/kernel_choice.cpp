#include "backends/onednn/kernel_choice.h"

#include <fmt/core.h>

namespace fb::onednn {

dnnl::primitive_attr make_attr(const std::vector<PostOp>& post, dnnl::memory::data_type act_type, const QuantAttrs* q) {
  using dt = dnnl::memory::data_type;
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);  // one shared scratch buffer, bound at compile time
  // oneDNN 2.x: dst = post_ops(output_scale * (s32 sum + bias)), so the post-ops see the destination's units.
  if (q && !q->output_scales.empty()) attr.set_output_scales(1 << 1, q->output_scales);  // per channel (dim 1)
  const float units = q ? q->dst_scale : 1.0f;
  dnnl::post_ops po;
  for (const PostOp& p : post) {
    switch (p.kind) {
      case PostOp::Kind::Eltwise:
        if (p.act == ActKind::ReLU) po.append_eltwise(1.0f, dnnl::algorithm::eltwise_relu, 0.0f, 0.0f);
        else po.append_eltwise(1.0f, dnnl::algorithm::eltwise_clip, 0.0f, 6.0f * units);
        break;
      case PostOp::Kind::Sum: po.append_sum(q ? q->sum_scale : 1.0f); break;
      case PostOp::Kind::Depthwise:
        // Weights and output in the activation type; bias fp32, as oneDNN keeps it at every precision.
        po.append_dw(act_type, dt::f32, act_type, 3, p.dw.stride_h, 1, 0, {1.0f});
        break;
    }
  }
  attr.set_post_ops(po);
  return attr;
}

std::string post_str(const std::vector<PostOp>& post) {
  std::string s;
  for (const PostOp& p : post) {
    s += s.empty() ? "" : "+";
    if (p.kind == PostOp::Kind::Eltwise) s += p.act == ActKind::ReLU ? "relu" : "clip[0,6]";
    else if (p.kind == PostOp::Kind::Sum) s += "sum";
    else s += fmt::format("dw_k3s{}p1", p.dw.stride_h);
  }
  return s;
}

}  // namespace fb::onednn
