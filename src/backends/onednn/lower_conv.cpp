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
using ConvPD = dnnl::convolution_forward::primitive_desc;
// (src, dst) layout pair for one attempt at a convolution.
using Layouts = std::pair<md, md>;

// The arithmetic of one convolution: the types of its source, weights and
// destination, and at int8 the scales that carry the real values through.
struct ConvTypes {
  dt src = dt::f32, wei = dt::f32, dst = dt::f32;
  float src_scale = 1, dst_scale = 1, sum_scale = 1;
  std::vector<float> w_scales;  // int8: one per output channel; empty otherwise
  bool int8() const { return !w_scales.empty(); }
  // The primitive's int8 attributes: dst_scale / (src_scale * w_scale[oc]).
  QuantAttrs attrs() const {
    QuantAttrs q;
    for (float w : w_scales) q.output_scales.push_back(dst_scale / (src_scale * w));
    q.dst_scale = dst_scale;
    q.sum_scale = sum_scale;
    return q;
  }
};

// fp32 or bf16: every type the activation type.
ConvTypes float_types(const ValueTable& vt) {
  ConvTypes t;
  t.src = t.wei = t.dst = vt.act_type();
  return t;
}

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

ConvPD conv_pd(ValueTable& vt, const Step& s, Layouts t, const std::optional<md>& dst_fixed, const ConvTypes& types,
               dnnl::algorithm alg = dnnl::algorithm::convolution_direct) {
  const auto& a = std::get<ConvAttrs>(s.attrs);
  const Shape in = vt.value(s.inputs[0]).shape;
  const md& src = t.first;
  const md dst = dst_fixed ? *dst_fixed : t.second;
  const md wei(conv_weight_dims(a, in.c()), types.wei, tag::any);
  const md bias({a.out_channels}, dt::f32, tag::x);
  dnnl::convolution_forward::desc d(dnnl::prop_kind::forward_inference, alg, src, wei, bias, dst,
                                    {a.stride_h, a.stride_w},
                                    {a.dilation_h - 1, a.dilation_w - 1},  // oneDNN counts extra gaps
                                    {a.pad.top, a.pad.left}, {a.pad.bottom, a.pad.right});
  if (!types.int8()) return ConvPD(d, make_attr(s.post, types.dst), vt.engine(), true);
  const QuantAttrs q = types.attrs();
  return ConvPD(d, make_attr(s.post, types.dst, &q), vt.engine(), true);
}

// Blocked: first the producer's layout in (no reorder) and nChw16c out where
// the channels fill whole blocks (one layout end to end), then what oneDNN
// picks (`any`); then the plain layouts, for shapes whose blocked kernels
// are reference ones.
std::vector<Layouts> conv_layouts(const ValueTable& vt, const Step& s, const ConvTypes& types) {
  const EngineOptions& o = vt.options();
  const Value& x = vt.value(s.inputs[0]);
  const md own = with_type(x.desc, types.src);  // its layout in the conv's type (the network input arrives fp32)
  const Shape out = conv_out_shape(s);
  auto pair = [&](tag a, tag b) { return Layouts{md_of(x.shape, a, types.src), md_of(out, b, types.dst)}; };
  std::vector<Layouts> c;
  // int8 under the library policy: nhwc in and out (the branch below), the
  // layout oneDNN's int8 kernels take; its nChw16c ones are reference ones.
  if (o.blocked && o.layout == EngineOptions::Layout::Library && !types.int8()) {
    const tag in_tag = tag_of(own);
    const tag dst = out.c() % 16 == 0 ? tag::nChw16c : in_tag != tag::undef && in_tag != tag::nchw ? in_tag : tag::any;
    c.push_back({own, md_of(out, dst, types.dst)});
  } else if (o.blocked) {
    // A fixed policy: its layout in and out (the network input stays as it is).
    const tag t = o.layout == EngineOptions::Layout::Blocked8 ? tag::nChw8c : tag::nhwc;
    c.push_back({s.inputs[0] == 0 ? own : md_of(x.shape, t, types.src), md_of(out, t, types.dst)});
  }
  if (o.blocked) c.push_back(pair(tag::any, tag::any));
  c.push_back(pair(tag::nhwc, tag::nhwc));
  c.push_back(pair(tag::nchw, tag::nchw));
  return c;
}

void emit_conv(ValueTable& vt, const Step& s, const ConvPD& pd, ValueId sum_operand, const ConvTypes& types) {
  const auto& a = std::get<ConvAttrs>(s.attrs);
  const Shape in = vt.value(s.inputs[0]).shape;
  const md user_w(conv_weight_dims(a, in.c()), dt::f32, a.groups == 1 ? tag::oihw : tag::goihw);
  std::unordered_map<int, memory> args;
  args[DNNL_ARG_SRC] = vt.fetch(s.inputs[0], pd.src_desc(), "for " + s.covers[0].name, types.src_scale);
  if (types.int8()) {  // weights to s8 per output channel (groups: over g and oc/g), bias into the s32 sum's scale
    args[DNNL_ARG_WEIGHTS] = vt.pack(s.params[0], user_w, pd.weights_desc(), types.w_scales, a.groups == 1 ? 1 : 3);
    args[DNNL_ARG_BIAS] = vt.constant(accumulator_bias(s.params[1], types.src_scale, types.w_scales));
  } else {
    args[DNNL_ARG_WEIGHTS] = vt.pack(s.params[0], user_w, pd.weights_desc());
    args[DNNL_ARG_BIAS] = vt.constant(s.params[1]);
  }
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
    out.scale = types.int8() ? types.dst_scale : 1.0f;
    vt.produced(s.out);
  } else {
    vt.define(s.out, pd.dst_desc(), false, types.dst_scale);
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
      pd = conv_pd(vt, s, {md_of(in, tag::nChw16c, vt.act_type()), md_of(conv_out_shape(s), tag::nChw16c, vt.act_type())},
                   std::nullopt, float_types(vt));
    } catch (const dnnl::error&) {
    }
    if (empty(pd)) why = "oneDNN does not support this fusion here";
    else if (is_reference_impl(pd.impl_info_str())) why = "only a reference kernel (" + std::string(pd.impl_info_str()) + ")";
    else if (tag_of(pd.dst_desc()) != tag::nChw16c)
      why = "layout " + layout_name(pd.dst_desc()) + ", not nChw16c: the pair would run as two kernels";
    else return emit_conv(vt, s, pd, -1, float_types(vt));
  }
  vt.notes().push_back(s.covers[0].name + ": depthwise fusion rejected (" + why + ")");
  split_at(vt, s, PostOp::Kind::Depthwise);
}


// At int8, this conv's types and scales, or why it runs in fp32: an input
// or output the calibration never saw (a fusion undone at compile time), or
// a fused sum whose operand is u8 while the result can be negative (in
// place, the result takes the operand's type).
std::optional<ConvTypes> int8_types(const ValueTable& vt, const Step& s, ValueId sum_operand, std::string& why) {
  // An int8 source is read as it is (u8 or s8 alike), so no reorder requantises it.
  const Value& x = vt.value(s.inputs[0]);
  const std::optional<Quant> in = is_int8(x.desc) ? Quant{x.desc.data_type(), x.scale} : vt.quant(s.inputs[0]);
  const std::optional<ValueRange> out = vt.range(s.out);
  if (!in || !out) {
    why = "no calibrated range for its " + std::string(in ? "output" : "input");
    return std::nullopt;
  }
  ConvTypes t;
  t.src = in->type;
  t.src_scale = in->scale;
  t.wei = dt::s8;
  t.w_scales = weight_scales(s.params[0]);
  t.dst = quant_for(*out).type;
  if (sum_operand >= 0) {
    const Value& operand = vt.value(sum_operand);
    t.dst = operand.desc.data_type();
    if (t.dst == dt::u8 && out->min < 0) {
      why = "its in-place sum would write a signed result into the u8 operand";
      return std::nullopt;
    }
    if (t.dst != dt::u8 && t.dst != dt::s8) {
      why = "its sum operand is not int8";
      return std::nullopt;
    }
  }
  t.dst_scale = scale_for(t.dst, out->max_abs);
  if (sum_operand >= 0) t.sum_scale = t.dst_scale / vt.value(sum_operand).scale;
  return t;
}

}  // namespace

void lower_conv(ValueTable& vt, const Step& s) {
  if (s.has_depthwise()) return lower_conv_dw(vt, s);
  std::optional<md> dst_fixed;
  ValueId sum_operand = -1;
  for (const PostOp& p : s.post)
    if (p.kind == PostOp::Kind::Sum) sum_operand = p.sum_operand;
  if (sum_operand >= 0) dst_fixed = vt.value(sum_operand).desc;
  ConvTypes types = float_types(vt);
  ConvPD pd;
  if (vt.options().precision == Precision::int8) {
    std::string why;
    if (std::optional<ConvTypes> q = int8_types(vt, s, sum_operand, why)) {
      pd = pick<ConvPD>(conv_layouts(vt, s, *q), [&](Layouts t) { return conv_pd(vt, s, t, dst_fixed, *q); },
                        s.covers[0].name, vt.notes());
      if (!empty(pd) && !is_reference_impl(pd.impl_info_str())) types = *q;
      else why = empty(pd) ? "oneDNN has no int8 kernel for it" : "only a reference int8 kernel";
    }
    if (!types.int8()) {
      vt.notes().push_back(s.covers[0].name + ": runs in fp32 at int8 (" + why + ")");
      pd = ConvPD();
      if (sum_operand >= 0 && dst_fixed->data_type() != dt::f32) {
        vt.notes().push_back(s.covers[0].name + ": sum post-op rejected (an fp32 conv cannot add into an int8 operand); "
                             "separate Add");
        return split_at(vt, s, PostOp::Kind::Sum);
      }
    }
  }
  if (empty(pd))
    pd = pick<ConvPD>(conv_layouts(vt, s, types), [&](Layouts t) { return conv_pd(vt, s, t, dst_fixed, types); },
                      s.covers[0].name, vt.notes());
  if (sum_operand >= 0 && (empty(pd) || is_reference_impl(pd.impl_info_str()))) {
    vt.notes().push_back(s.covers[0].name + ": sum post-op rejected (no real kernel writes " + layout_name(*dst_fixed) +
                         "); separate Add");
    return split_at(vt, s, PostOp::Kind::Sum);
  }
  if (empty(pd)) throw Error("oneDNN has no convolution for " + s.covers[0].name);
  // Winograd exists for fp32 only in oneDNN 2.6.
  if (vt.tune() && vt.options().precision == Precision::fp32)
    pd = tune_conv_algorithm(vt, s, pd, [&] {
      return conv_pd(vt, s, {pd.src_desc(), pd.dst_desc()}, dst_fixed, types, dnnl::algorithm::convolution_winograd);
    });
  emit_conv(vt, s, pd, sum_operand, types);
}

}  // namespace fb::onednn
