#include "backends/onednn/lower_conv.h"

#include <fmt/core.h>

#include <optional>

#include "backends/onednn/kernel_choice.h"
#include "backends/onednn/lower_step.h"
#include "backends/onednn/tuner.h"
#include "common/error.h"

namespace fb::onednn {
namespace {

using dnnl::memory;
using dt = memory::data_type;
using ConvPD = dnnl::convolution_forward::primitive_desc;
// (src, dst) layout pair for one attempt at a convolution.
using Layouts = std::pair<md, md>;

memory::dims conv_weight_dims(const ConvAttrs& a, int64_t in_channels) {
  if (a.groups == 1) return {a.out_channels, in_channels, a.kernel_h, a.kernel_w};
  return {a.groups, a.out_channels / a.groups, in_channels / a.groups, a.kernel_h, a.kernel_w};
}

// Conv output shape before any depthwise post-op (the 1x1's own output).
Shape conv_out_shape(const Step& s) {
  for (const PostOp& p : s.post)
    if (p.kind == PostOp::Kind::Depthwise) return p.dw_in_shape;
  return s.shape;
}

ConvPD conv_pd(ValueTable& vt, const Step& s, Layouts t, const std::optional<md>& dst_fixed,
               dnnl::algorithm alg = dnnl::algorithm::convolution_direct) {
  const auto& a = std::get<ConvAttrs>(s.attrs);
  const Shape in = vt.value(s.inputs[0]).shape;
  const md& src = t.first;
  const md dst = dst_fixed ? *dst_fixed : t.second;
  const md wei(conv_weight_dims(a, in.c()), dt::f32, tag::any);
  const md bias({a.out_channels}, dt::f32, tag::x);
  dnnl::convolution_forward::desc d(dnnl::prop_kind::forward_inference, alg, src, wei, bias, dst,
                                    {a.stride_h, a.stride_w},
                                    {a.dilation_h - 1, a.dilation_w - 1},  // oneDNN counts extra gaps
                                    {a.pad.top, a.pad.left}, {a.pad.bottom, a.pad.right});
  return ConvPD(d, make_attr(s.post), vt.engine(), true);
}

// Blocked: first the producer's layout in (no reorder) and nChw16c out where
// the channels fill whole blocks (one layout end to end), then what oneDNN
// picks (`any`); then the plain layouts, for shapes whose blocked kernels
// are reference ones.
std::vector<Layouts> conv_layouts(const ValueTable& vt, const Step& s) {
  const EngineOptions& o = vt.options();
  const Value& x = vt.value(s.inputs[0]);
  const Shape out = conv_out_shape(s);
  auto pair = [&](tag a, tag b) { return Layouts{md_of(x.shape, a), md_of(out, b)}; };
  std::vector<Layouts> c;
  if (o.blocked && o.layout == EngineOptions::Layout::Library) {
    const tag in_tag = tag_of(x.desc);
    const tag dst = out.c() % 16 == 0 ? tag::nChw16c : in_tag != tag::undef && in_tag != tag::nchw ? in_tag : tag::any;
    c.push_back({x.desc, md_of(out, dst)});
  } else if (o.blocked) {
    // A fixed policy: its layout in and out (the network input stays as it is).
    const tag t = o.layout == EngineOptions::Layout::Blocked8 ? tag::nChw8c : tag::nhwc;
    c.push_back({s.inputs[0] == 0 ? x.desc : md_of(x.shape, t), md_of(out, t)});
  }
  if (o.blocked) c.push_back(pair(tag::any, tag::any));
  c.push_back(pair(tag::nhwc, tag::nhwc));
  c.push_back(pair(tag::nchw, tag::nchw));
  return c;
}

void emit_conv(ValueTable& vt, const Step& s, const ConvPD& pd, ValueId sum_operand) {
  const auto& a = std::get<ConvAttrs>(s.attrs);
  const Shape in = vt.value(s.inputs[0]).shape;
  const md user_w(conv_weight_dims(a, in.c()), dt::f32, a.groups == 1 ? tag::oihw : tag::goihw);
  std::unordered_map<int, memory> args;
  args[DNNL_ARG_SRC] = vt.fetch(s.inputs[0], pd.src_desc(), "for " + s.covers[0].name);
  args[DNNL_ARG_WEIGHTS] = vt.pack(s.params[0], user_w, pd.weights_desc());
  args[DNNL_ARG_BIAS] = vt.constant(s.params[1]);
  for (const PostOp& p : s.post) {
    if (p.kind != PostOp::Kind::Depthwise) continue;
    const md dw_user({p.dw.groups, 1, 1, 3, 3}, dt::f32, tag::goihw);
    args[DNNL_ARG_ATTR_POST_OP_DW | DNNL_ARG_WEIGHTS] =
        vt.pack(p.dw_weight, dw_user, pd.query_md(dnnl::query::exec_arg_md, DNNL_ARG_ATTR_POST_OP_DW | DNNL_ARG_WEIGHTS));
    args[DNNL_ARG_ATTR_POST_OP_DW | DNNL_ARG_BIAS] = vt.constant(p.dw_bias);
  }
  if (sum_operand >= 0) {
    // In place: the conv accumulates into the operand's buffer, which now holds s.out.
    args[DNNL_ARG_DST] = vt.mem(sum_operand);
    Value& out = vt.value(s.out);
    out.desc = vt.value(sum_operand).desc;
    out.buffer = vt.value(sum_operand).buffer;
  } else {
    vt.define(s.out, pd.dst_desc());
    args[DNNL_ARG_DST] = vt.mem(s.out);
  }
  StepRecord r;
  r.kind = "conv";
  r.impl = pd.impl_info_str();
  r.covers = s.covers;
  r.post_ops = post_str(s.post);
  r.src_layout = layout_name(pd.src_desc());
  r.weights_layout = layout_name(pd.weights_desc());
  r.dst_layout = layout_name(pd.dst_desc());
  r.src_shape = in;
  r.dst_shape = s.shape;
  vt.add_primitive(dnnl::convolution_forward(pd), std::move(args), pd.scratchpad_desc(), std::move(r));
}

// Undoes one fusion: the step before the post-op `kind`, then the rest as
// its own step (a depthwise conv or a binary Add) on a new value. The
// post-op knows where its nodes start in `covers` (PostOp::covers_from).
void split_at(ValueTable& vt, const Step& s, PostOp::Kind kind) {
  size_t k = 0;
  while (s.post[k].kind != kind) ++k;
  const PostOp& p = s.post[k];
  const auto at = static_cast<std::ptrdiff_t>(p.covers_from);
  Step head = s;
  head.post.assign(s.post.begin(), s.post.begin() + static_cast<std::ptrdiff_t>(k));
  head.covers.assign(s.covers.begin(), s.covers.begin() + at);
  head.shape = kind == PostOp::Kind::Depthwise ? p.dw_in_shape : s.shape;
  head.out = vt.new_value(head.shape);
  Step tail;
  tail.out = s.out;
  tail.shape = s.shape;
  tail.covers.assign(s.covers.begin() + at, s.covers.end());
  tail.covers.front().how.clear();  // no longer absorbed: the tail's own node
  tail.post.assign(s.post.begin() + static_cast<std::ptrdiff_t>(k) + 1, s.post.end());
  for (PostOp& q : tail.post) q.covers_from -= p.covers_from;
  if (kind == PostOp::Kind::Depthwise) {
    tail.op = OpKind::Conv;
    tail.attrs = p.dw;
    tail.inputs = {head.out};
    tail.params = {p.dw_weight, p.dw_bias};
  } else {
    tail.op = OpKind::Add;
    tail.attrs = AddAttrs{};
    tail.inputs = {p.sum_operand, head.out};
  }
  lower_step(vt, head);
  lower_step(vt, tail);
}

// 1x1 + depthwise: kept only when oneDNN runs it as one blocked kernel.
void lower_conv_dw(ValueTable& vt, const Step& s) {
  const EngineOptions& o = vt.options();
  std::string why;
  if (!o.blocked) {
    why = "plain layouts: oneDNN has a real fused kernel only in nChw16c";
  } else if (o.layout != EngineOptions::Layout::Library) {
    why = std::string("layout policy ") + layout_policy_name(o.layout) + ": a real fused kernel exists only in nChw16c";
  } else {
    ConvPD pd;
    try {
      const Shape in = vt.value(s.inputs[0]).shape;
      pd = conv_pd(vt, s, {md_of(in, tag::nChw16c), md_of(conv_out_shape(s), tag::nChw16c)}, std::nullopt);
    } catch (const dnnl::error&) {
    }
    if (empty(pd)) why = "oneDNN does not support this fusion here";
    else if (is_reference_impl(pd.impl_info_str())) why = "only a reference kernel (" + std::string(pd.impl_info_str()) + ")";
    else if (layout_name(pd.dst_desc()) != "nChw16c")
      why = "layout " + layout_name(pd.dst_desc()) + ", not nChw16c: the pair would run as two kernels";
    else return emit_conv(vt, s, pd, -1);
  }
  vt.notes().push_back(s.covers[0].name + ": depthwise fusion rejected (" + why + ")");
  split_at(vt, s, PostOp::Kind::Depthwise);
}

}  // namespace

void lower_conv(ValueTable& vt, const Step& s) {
  if (s.has_depthwise()) return lower_conv_dw(vt, s);
  std::optional<md> dst_fixed;
  ValueId sum_operand = -1;
  for (const PostOp& p : s.post)
    if (p.kind == PostOp::Kind::Sum) sum_operand = p.sum_operand;
  if (sum_operand >= 0) dst_fixed = vt.value(sum_operand).desc;
  auto pd = pick<ConvPD>(conv_layouts(vt, s), [&](Layouts t) { return conv_pd(vt, s, t, dst_fixed); }, s.covers[0].name,
                         vt.notes());
  if (sum_operand >= 0 && (empty(pd) || is_reference_impl(pd.impl_info_str()))) {
    vt.notes().push_back(s.covers[0].name + ": sum post-op rejected (no real kernel writes " + layout_name(*dst_fixed) +
                         "); separate Add");
    return split_at(vt, s, PostOp::Kind::Sum);
  }
  if (empty(pd)) throw Error("oneDNN has no convolution for " + s.covers[0].name);
  if (vt.tune())
    pd = tune_conv_algorithm(vt, s, pd, [&] {
      return conv_pd(vt, s, {pd.src_desc(), pd.dst_desc()}, dst_fixed, dnnl::algorithm::convolution_winograd);
    });
  emit_conv(vt, s, pd, sum_operand);
}

}  // namespace fb::onednn
