#include <algorithm>

#include "backends/onednn/passes/merge.h"
#include "backends/onednn/passes/passes.h"

namespace fb::onednn {
namespace {

bool only_eltwise(const Step& s) {
  return std::all_of(s.post.begin(), s.post.end(), [](const PostOp& p) { return p.kind == PostOp::Kind::Eltwise; });
}

bool is_pointwise(const Step& s) {
  if (s.op != OpKind::Conv) return false;
  const auto& a = std::get<ConvAttrs>(s.attrs);
  return a.kernel_h == 1 && a.kernel_w == 1 && a.stride_h == 1 && a.stride_w == 1 && a.groups == 1 &&
         a.pad == Padding{};
}

// oneDNN 2.6 fuses exactly k3s1p1 and k3s2p1 depthwise convs.
bool is_fusable_depthwise(const Step& s) {
  if (s.op != OpKind::Conv) return false;
  const auto& a = std::get<ConvAttrs>(s.attrs);
  return a.kernel_h == 3 && a.kernel_w == 3 && a.stride_h == a.stride_w && (a.stride_h == 1 || a.stride_h == 2) &&
         a.pad == Padding::same(1) && a.dilation_h == 1 && a.dilation_w == 1 && a.groups == a.out_channels &&
         a.groups == s.params[0].shape[0] && s.params[0].shape[1] == 1;
}

}  // namespace

Plan fuse_depthwise(Plan p) {
  return merge_steps(std::move(p), [](Step& dw, Step* pw, const std::vector<int>& readers) {
    if (!is_fusable_depthwise(dw) || !is_pointwise(*pw) || !only_eltwise(*pw) || !only_eltwise(dw)) return false;
    if (readers[static_cast<size_t>(dw.inputs[0])] != 1) return false;
    PostOp d;
    d.kind = PostOp::Kind::Depthwise;
    d.dw = std::get<ConvAttrs>(dw.attrs);
    d.dw_weight = std::move(dw.params[0]);
    d.dw_bias = std::move(dw.params[1]);
    d.dw_in_shape = pw->shape;
    d.covers_from = pw->covers.size();
    for (PostOp& q : dw.post) q.covers_from += d.covers_from;  // dw's covers follow pw's
    pw->post.push_back(std::move(d));
    pw->post.insert(pw->post.end(), dw.post.begin(), dw.post.end());
    pw->out = dw.out;
    pw->shape = dw.shape;
    dw.covers[0].how = "depthwise post-op";
    pw->covers.insert(pw->covers.end(), dw.covers.begin(), dw.covers.end());
    return true;
  });
}

}  // namespace fb::onednn
