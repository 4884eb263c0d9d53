#include "backends/onednn/lower_simple.h"

#include <fmt/core.h>

#include <functional>

#include "backends/onednn/kernel_choice.h"
#include "common/error.h"

namespace fb::onednn {
namespace {

using dnnl::memory;
using Args = std::unordered_map<int, memory>;

// The one path of every non-conv kernel: `pd` (empty: oneDNN has none),
// its inputs at `srcs` (arg id, value) fetched in the kernel's layouts,
// then the constant arguments `consts` makes, the output defined in the
// kernel's layout. int8 (Scales): the sources fetched at `src` scale (0: each
// at its own), the output's scale `dst`.
struct Scales {
  float src = 0, dst = 1;
};

template <class PD, class Prim>
void emit(ValueTable& vt, const Step& s, const char* kind, const char* op_name, const PD& pd,
          const std::vector<std::pair<int, ValueId>>& srcs, const std::function<Args()>& consts = {},
          Scales scales = {}) {
  if (empty(pd)) throw Error(std::string("oneDNN has no ") + op_name + " for " + s.covers[0].name);
  Args args;
  for (const auto& [arg, v] : srcs)
    args[arg] = vt.fetch(v, pd.query_md(dnnl::query::exec_arg_md, arg), "for " + s.covers[0].name, scales.src);
  if (consts)
    for (auto& [arg, m] : consts()) args[arg] = m;
  vt.define(s.out, pd.dst_desc(), false, scales.dst);
  args[DNNL_ARG_DST] = vt.mem(s.out);
  StepRecord r;
  r.kind = kind;
  r.impl = pd.impl_info_str();
  r.covers = s.covers;
  r.post_ops = post_str(s.post);
  r.src_layout = layout_name(pd.query_md(dnnl::query::exec_arg_md, srcs.front().first));
  const md weights = pd.query_md(dnnl::query::exec_arg_md, DNNL_ARG_WEIGHTS);
  r.weights_layout = weights.get_size() > 0 ? layout_name(weights) : "";
  r.dst_layout = layout_name(pd.dst_desc());
  r.src_shape = vt.value(srcs.front().second).shape;
  r.dst_shape = s.shape;
  vt.add_primitive(Prim(pd), std::move(args), pd.scratchpad_desc(), std::move(r));
}

}  // namespace

void lower_batch_norm(ValueTable& vt, const Step& s) {
  using PD = dnnl::batch_normalization_forward::primitive_desc;
  const float eps = std::get<BatchNormAttrs>(s.attrs).eps;
  const auto flags = dnnl::normalization_flags::use_global_stats | dnnl::normalization_flags::use_scale |
                     dnnl::normalization_flags::use_shift;
  auto pd = pick<PD>(vt.follow(s.inputs[0]), [&](const md& src) {
    dnnl::batch_normalization_forward::desc d(dnnl::prop_kind::forward_inference, src, eps, flags);
    return PD(d, make_attr({}), vt.engine(), true);
  }, s.covers[0].name, vt.notes());
  emit<PD, dnnl::batch_normalization_forward>(vt, s, "batchnorm", "batch norm", pd, {{DNNL_ARG_SRC, s.inputs[0]}}, [&] {
    return Args{{DNNL_ARG_SCALE, vt.constant(s.params[0])},
                {DNNL_ARG_SHIFT, vt.constant(s.params[1])},
                {DNNL_ARG_MEAN, vt.constant(s.params[2])},
                {DNNL_ARG_VARIANCE, vt.constant(s.params[3])}};
  });
}

void lower_activation(ValueTable& vt, const Step& s) {
  using PD = dnnl::eltwise_forward::primitive_desc;
  const bool relu = std::get<ActivationAttrs>(s.attrs).kind == ActKind::ReLU;
  auto pd = pick<PD>(vt.follow(s.inputs[0]), [&](const md& src) {
    dnnl::eltwise_forward::desc d(dnnl::prop_kind::forward_inference,
                                  relu ? dnnl::algorithm::eltwise_relu : dnnl::algorithm::eltwise_clip, src, 0.0f,
                                  relu ? 0.0f : 6.0f);
    return PD(d, make_attr({}), vt.engine(), true);
  }, s.covers[0].name, vt.notes());
  emit<PD, dnnl::eltwise_forward>(vt, s, "eltwise", "eltwise", pd, {{DNNL_ARG_SRC, s.inputs[0]}});
}

void lower_add(ValueTable& vt, const Step& s) {
  using PD = dnnl::binary::primitive_desc;
  auto pd = pick<PD>(vt.follow(s.inputs[0]), [&](const md& src) {
    dnnl::binary::desc d(dnnl::algorithm::binary_add, src, src, src);
    return PD(d, make_attr(s.post), vt.engine(), true);
  }, s.covers[0].name, vt.notes());
  emit<PD, dnnl::binary>(vt, s, "add", "binary add", pd, {{DNNL_ARG_SRC_0, s.inputs[0]}, {DNNL_ARG_SRC_1, s.inputs[1]}});
}

// At int8, a concat of int8 inputs stays int8: each input requantised to the
// output's calibrated scale (a concat copies, it cannot rescale).
std::optional<Quant> int8_concat(const ValueTable& vt, const Step& s) {
  const std::optional<Quant> q = vt.quant(s.out);
  if (!q) return std::nullopt;
  for (ValueId v : s.inputs)
    if (!is_int8(vt.value(v).desc)) return std::nullopt;
  return q;
}

void lower_concat(ValueTable& vt, const Step& s) {
  using PD = dnnl::concat::primitive_desc;
  const std::optional<Quant> q = int8_concat(vt, s);
  const dt type = q ? q->type : vt.act_type();
  // Candidates: every input as it is (dst chosen by oneDNN), then all in one plain layout.
  std::vector<std::vector<md>> cands;
  std::vector<md> as_is;
  for (ValueId v : s.inputs) as_is.push_back(with_type(vt.value(v).desc, type));
  cands.push_back(as_is);
  for (tag t : {tag::nhwc, tag::nchw}) {
    std::vector<md> c;
    for (ValueId v : s.inputs) c.push_back(md_of(vt.value(v).shape, t, type));
    cands.push_back(c);
  }
  auto pd = pick<PD>(cands, [&](const std::vector<md>& srcs) {
    if (&srcs == &cands[0]) return PD(1, srcs, vt.engine(), make_attr({}));
    return PD(md_of(s.shape, tag_of(srcs[0]), srcs[0].data_type()), 1, srcs, vt.engine(), make_attr({}));
  }, s.covers[0].name, vt.notes());
  std::vector<std::pair<int, ValueId>> srcs;
  for (size_t i = 0; i < s.inputs.size(); ++i) srcs.emplace_back(DNNL_ARG_MULTIPLE_SRC + static_cast<int>(i), s.inputs[i]);
  emit<PD, dnnl::concat>(vt, s, "concat", "concat", pd, srcs, {}, q ? Scales{q->scale, q->scale} : Scales{});
}

void lower_pool(ValueTable& vt, const Step& s) {
  using PD = dnnl::pooling_forward::primitive_desc;
  const Shape in = vt.value(s.inputs[0]).shape;
  PoolAttrs a;
  dnnl::algorithm alg = dnnl::algorithm::pooling_avg_exclude_padding;
  if (s.op == OpKind::GlobalAvgPool) {
    a.kernel_h = a.stride_h = static_cast<int>(in.h());
    a.kernel_w = a.stride_w = static_cast<int>(in.w());
  } else {
    a = std::get<PoolAttrs>(s.attrs);
    if (s.op == OpKind::MaxPool) alg = dnnl::algorithm::pooling_max;
    else if (a.count_include_pad) alg = dnnl::algorithm::pooling_avg_include_padding;
  }
  // An int8 input stays int8 (pooling keeps the scale: a max or a mean of values in the same units).
  const Value& x = vt.value(s.inputs[0]);
  const bool keep_int8 = is_int8(x.desc);
  auto pd = pick<PD>(vt.follow(s.inputs[0], keep_int8 ? x.desc.data_type() : vt.act_type()), [&](const md& src) {
    dnnl::pooling_forward::desc d(dnnl::prop_kind::forward_inference, alg, src, same_layout(src, s.shape),
                                  {a.stride_h, a.stride_w}, {a.kernel_h, a.kernel_w}, {a.pad.top, a.pad.left},
                                  {a.pad.bottom, a.pad.right});
    return PD(d, make_attr({}), vt.engine(), true);
  }, s.covers[0].name, vt.notes());
  emit<PD, dnnl::pooling_forward>(vt, s, "pool", "pooling", pd, {{DNNL_ARG_SRC, s.inputs[0]}}, {},
                                  keep_int8 ? Scales{x.scale, x.scale} : Scales{});
}

// At int8, an int8 source with s8 weights (per output channel) and fp32
// logits out; fp32 where the source was never calibrated or oneDNN has no
// real int8 kernel.
void lower_linear(ValueTable& vt, const Step& s) {
  using PD = dnnl::inner_product_forward::primitive_desc;
  const Shape in = vt.value(s.inputs[0]).shape;
  const int64_t oc = s.shape[1];
  const md user_w({oc, in[1]}, dt::f32, tag::oi), bias({oc}, dt::f32, tag::x);
  auto make = [&](dt src, dt wei, dt dst, const QuantAttrs* q) {
    dnnl::inner_product_forward::desc d(dnnl::prop_kind::forward_inference, plain_md(in, src), md({oc, in[1]}, wei, tag::any),
                                        bias, plain_md(s.shape, dst));
    return PD(d, make_attr(s.post, dst, q), vt.engine(), true);
  };
  const Value& x = vt.value(s.inputs[0]);  // an int8 source is read as it is
  if (const std::optional<Quant> q = is_int8(x.desc) ? Quant{x.desc.data_type(), x.scale} : vt.quant(s.inputs[0])) {
    const std::vector<float> w = weight_scales(s.params[0]);
    QuantAttrs attrs;
    for (float ws : w) attrs.output_scales.push_back(1.0f / (q->scale * ws));  // back to fp32 logits
    PD pd;
    try {
      pd = make(q->type, dt::s8, dt::f32, &attrs);
    } catch (const dnnl::error&) {
    }
    if (!empty(pd) && !is_reference_impl(pd.impl_info_str()))
      return emit<PD, dnnl::inner_product_forward>(vt, s, "linear", "inner product", pd, {{DNNL_ARG_SRC, s.inputs[0]}}, [&] {
        return Args{{DNNL_ARG_WEIGHTS, vt.pack(s.params[0], user_w, pd.weights_desc(), w, 1)},
                    {DNNL_ARG_BIAS, vt.constant(accumulator_bias(s.params[1], q->scale, w))}};
      }, Scales{q->scale, 1});
    vt.notes().push_back(s.covers[0].name + ": runs in fp32 at int8 (" +
                         (empty(pd) ? std::string("oneDNN has no int8 inner product for it") : "only a reference int8 kernel") + ")");
  }
  const dt type = vt.act_type();
  PD pd = make(type, type, type, nullptr);
  emit<PD, dnnl::inner_product_forward>(vt, s, "linear", "inner product", pd, {{DNNL_ARG_SRC, s.inputs[0]}}, [&] {
    return Args{{DNNL_ARG_WEIGHTS, vt.pack(s.params[0], user_w, pd.weights_desc())}, {DNNL_ARG_BIAS, vt.constant(s.params[1])}};
  });
}

// Flatten = a reorder into plain row-major order; the result is (N, F).
void lower_flatten(ValueTable& vt, const Step& s) {
  const Value in = vt.value(s.inputs[0]);
  vt.define(s.out, plain_md(s.shape, in.desc.data_type()), false, in.scale);
  vt.add_reorder(vt.mem(s.inputs[0]), vt.mem_as(s.out, plain_md(in.shape, in.desc.data_type())),
                 vt.name(s.inputs[0]) + " " + layout_name(in.desc) + " -> " + s.shape.str() + " (" + s.covers[0].name + ")",
                 s.covers);
}

// Pad: the output buffer is pinned (never shared) and zeroed once; each run
// writes only its interior.
void lower_pad(ValueTable& vt, const Step& s) {
  const Value in = vt.value(s.inputs[0]);
  const auto& p = std::get<PadAttrs>(s.attrs).pad;
  const md out = same_layout(in.desc, s.shape);
  vt.define(s.out, out, true, in.scale);
  vt.add_reorder(vt.mem(s.inputs[0]), vt.mem_as(s.out, out.submemory_desc(dims_of(in.shape), {0, 0, p.top, p.left})),
                 vt.name(s.inputs[0]) + " into the interior of " + s.shape.str() + " (" + s.covers[0].name + ")", s.covers);
}

void lower_slice(ValueTable& vt, const Step& s) {
  const Value in = vt.value(s.inputs[0]);
  const auto& a = std::get<SliceAttrs>(s.attrs);
  md base = in.desc;
  int buffer = in.buffer;
  if (buffer == ValueTable::kUserInput) {  // the caller's buffer cannot be windowed: copy it in first
    const memory copy = vt.fetch(s.inputs[0], md_of(in.shape, tag::nhwc, vt.act_type()), "for " + s.covers[0].name);
    base = copy.get_desc();
    buffer = vt.buffer_of(copy);
  }
  const memory src = vt.bind(base.submemory_desc(dims_of(s.shape), {0, 0, a.top, a.left}), buffer);
  vt.define(s.out, same_layout(base, s.shape), false, buffer == in.buffer ? in.scale : 1.0f);
  vt.add_reorder(src, vt.mem(s.out), "window " + s.shape.str() + " of " + vt.name(s.inputs[0]) + " (" + s.covers[0].name + ")",
                 s.covers);
}

}  // namespace fb::onednn
