#include "backends/onednn/compiler.h"

#include <fmt/core.h>

#include <cstring>
#include <optional>
#include <set>
#include <unordered_map>

#include "backends/onednn/layout.h"
#include "backends/onednn/memory_plan.h"
#include "backends/onednn/tuner.h"
#include "common/error.h"

namespace fb::onednn {
namespace {

using dnnl::memory;
using dt = memory::data_type;
constexpr int kUserInput = -1;
constexpr int kScratch = -2;

struct Value {
  md desc;
  int buffer = -1;
  Shape shape;
};

template <class PD>
bool empty(const PD& pd) {
  return pd.get(true) == nullptr;
}

dnnl::primitive_attr make_attr(const std::vector<PostOp>& post) {
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);  // one shared scratch buffer, bound at compile time
  dnnl::post_ops po;
  for (const PostOp& p : post) {
    switch (p.kind) {
      case PostOp::Kind::Eltwise:
        if (p.act == ActKind::ReLU) po.append_eltwise(1.0f, dnnl::algorithm::eltwise_relu, 0.0f, 0.0f);
        else po.append_eltwise(1.0f, dnnl::algorithm::eltwise_clip, 0.0f, 6.0f);
        break;
      case PostOp::Kind::Sum: po.append_sum(1.0f); break;
      case PostOp::Kind::Depthwise:
        po.append_dw(dt::f32, dt::f32, dt::f32, 3, p.dw.stride_h, 1, 0, {1.0f});
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

std::string covers_str(const std::vector<std::string>& covers) {
  std::string s;
  for (const auto& c : covers) s += (s.empty() ? "" : ", ") + c;
  return s;
}

memory::dims conv_weight_dims(const ConvAttrs& a, int64_t in_channels) {
  if (a.groups == 1) return {a.out_channels, in_channels, a.kernel_h, a.kernel_w};
  return {a.groups, a.out_channels / a.groups, in_channels / a.groups, a.kernel_h, a.kernel_w};
}

// Splits a step's covers at the first entry containing `marker`.
std::pair<std::vector<std::string>, std::vector<std::string>> split_covers(const std::vector<std::string>& c,
                                                                          const std::string& marker) {
  size_t k = 0;
  while (k < c.size() && c[k].find(marker) == std::string::npos) ++k;
  return {{c.begin(), c.begin() + static_cast<std::ptrdiff_t>(k)}, {c.begin() + static_cast<std::ptrdiff_t>(k), c.end()}};
}

class Compiler {
 public:
  Compiler(const Plan& plan, const Shape& input_shape, const EngineOptions& o, Program& prog, TuneCache* tune)
      : plan_(plan), o_(o), prog_(prog), eng_(prog.engine), tune_(tune) {
    vals_.resize(plan.num_values);
    for (const Step& s : plan.steps) vals_[static_cast<size_t>(s.out)].shape = s.shape;
    const md user_in = plain_md(input_shape);
    vals_[0] = {user_in, kUserInput, input_shape};
    prog_.user_input = memory(user_in, eng_, DNNL_MEMORY_NONE);
    buffer_of_[prog_.user_input.get()] = kUserInput;
  }

  void compile() {
    for (size_t i = 1; i < plan_.steps.size(); ++i) compile_step(plan_.steps[i]);
    // The network output goes to the caller's buffer in plain layout.
    const Value out = vals_[static_cast<size_t>(plan_.output)];
    prog_.user_output = memory(plain_md(out.shape), eng_, DNNL_MEMORY_NONE);
    add_reorder(mem(plan_.output), prog_.user_output, "output " + name(plan_.output) + " -> caller");
    bind_memory();
  }

 private:
  // ---- values, buffers and bindings ----
  int cur() const { return static_cast<int>(prog_.primitives.size()); }
  std::string name(ValueId v) const {
    for (const Step& s : plan_.steps)
      if (s.out == v) return s.covers.back().substr(0, s.covers.back().find(' '));
    return v == 0 ? "input" : "t" + std::to_string(v);
  }
  ValueId new_value(const Shape& s) {
    vals_.push_back({md(), -1, s});
    return static_cast<ValueId>(vals_.size() - 1);
  }
  void define(ValueId v, const md& d, bool pinned = false) {
    Value& x = vals_[static_cast<size_t>(v)];
    x.desc = d;
    x.buffer = static_cast<int>(buffers_.size());
    buffers_.push_back({d.get_size(), cur(), cur(), pinned});
  }
  memory bind(const md& d, int buffer) {
    memory m(d, eng_, DNNL_MEMORY_NONE);
    buffer_of_[m.get()] = buffer;
    bindings_.push_back({m, buffer});
    return m;
  }
  memory mem(ValueId v) { return mem_as(v, vals_[static_cast<size_t>(v)].desc); }
  memory mem_as(ValueId v, const md& d) {
    const Value& x = vals_[static_cast<size_t>(v)];
    if (x.buffer == kUserInput && d == x.desc) return prog_.user_input;
    if (x.buffer == kUserInput) throw Error("internal: the network input cannot be reinterpreted in place");
    return bind(d, x.buffer);
  }
  // Value v in layout `want`, reordering once per (value, layout).
  memory fetch(ValueId v, const md& want, const std::string& why) {
    if (vals_[static_cast<size_t>(v)].desc == want) return mem(v);
    for (const auto& [src, d, t] : reordered_)
      if (src == v && d == want) return mem(t);
    const ValueId t = new_value(vals_[static_cast<size_t>(v)].shape);
    define(t, want);
    add_reorder(mem(v), mem(t), name(v) + " " + layout_name(vals_[static_cast<size_t>(v)].desc) + " -> " +
                                    layout_name(want) + " (" + why + ")");
    reordered_.push_back({v, want, t});
    return mem(t);
  }

  void add_primitive(dnnl::primitive p, std::unordered_map<int, memory> args, const md& scratch,
                     const std::string& line) {
    const int idx = cur();
    for (const auto& [k, m] : args) {
      auto it = buffer_of_.find(m.get());
      if (it != buffer_of_.end() && it->second >= 0) {
        auto& b = buffers_[static_cast<size_t>(it->second)];
        b.last = std::max(b.last, idx);
        b.first = std::min(b.first, idx);
      }
    }
    if (scratch.get_size() > 0) {
      args[DNNL_ARG_SCRATCHPAD] = bind(scratch, kScratch);
      scratch_bytes_ = std::max(scratch_bytes_, scratch.get_size());
    }
    prog_.primitives.push_back({std::move(p), std::move(args)});
    lines_ += fmt::format("{:>4}  {}\n", idx, line);
  }
  void add_reorder(memory src, memory dst, const std::string& what) {
    dnnl::primitive_attr attr;
    attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
    dnnl::reorder::primitive_desc pd(eng_, src.get_desc(), eng_, dst.get_desc(), attr);
    ++reorders_;
    add_primitive(dnnl::reorder(pd), {{DNNL_ARG_FROM, src}, {DNNL_ARG_TO, dst}}, pd.scratchpad_desc(),
                  fmt::format("reorder   {:<18} {}", pd.impl_info_str(), what));
  }

  // ---- constants ----
  // Weights in the kernel's layout: reordered once now, or (noprepack) on every run.
  memory pack(const Tensor& t, const md& user, const md& want) {
    memory src(user, eng_);
    std::memcpy(src.get_data_handle(), t.ptr(), user.get_size());
    constant_bytes_ += want.get_size();
    prog_.constants.push_back(src);
    if (user == want) return src;
    memory dst(want, eng_);
    prog_.constants.push_back(dst);
    if (o_.prepack) {
      dnnl::reorder(src, dst).execute(prog_.stream, src, dst);
      prog_.stream.wait();
    } else {
      add_reorder(src, dst, "weights, every run (noprepack)");
    }
    return dst;
  }
  memory constant(const Tensor& t) { return pack(t, md_of(t.shape, tag::x), md_of(t.shape, tag::x)); }

  // Layout candidates for ops that follow their input: its own, then plain ones.
  std::vector<md> follow(ValueId v) const {
    const Value& x = vals_[static_cast<size_t>(v)];
    std::vector<md> c{x.desc};
    if (x.shape.rank() == 4)
      for (tag t : {tag::nhwc, tag::nchw})
        if (!(md_of(x.shape, t) == x.desc)) c.push_back(md_of(x.shape, t));
    return c;
  }

  // First candidate whose kernel is not a reference one; failing that, the
  // first that exists, with a note.
  template <class PD, class Cand, class Make>
  PD pick(const std::vector<Cand>& cands, Make make, const std::string& what) {
    PD fallback;
    std::string tried;
    for (const Cand& c : cands) {
      PD pd;
      try {
        pd = make(c);
      } catch (const dnnl::error&) {
        continue;
      }
      if (empty(pd)) continue;
      const std::string impl = pd.impl_info_str();
      if (!is_reference_impl(impl)) {
        if (!tried.empty()) notes_.push_back(what + ": layout changed to avoid reference kernels (" + tried + ")");
        return pd;
      }
      tried += (tried.empty() ? "" : ", ") + impl;
      if (empty(fallback)) fallback = pd;
    }
    if (!empty(fallback)) notes_.push_back(what + ": only a reference kernel exists (" + tried + ")");
    return fallback;
  }

  // ---- ops ----
  void compile_step(const Step& s) {
    switch (s.op) {
      case OpKind::Input: break;
      case OpKind::Conv: compile_conv(s); break;
      case OpKind::BatchNorm: compile_bn(s); break;
      case OpKind::Activation: compile_act(s); break;
      case OpKind::Add: compile_add(s); break;
      case OpKind::Concat: compile_concat(s); break;
      case OpKind::MaxPool:
      case OpKind::AvgPool:
      case OpKind::GlobalAvgPool: compile_pool(s); break;
      case OpKind::Flatten: compile_flatten(s); break;
      case OpKind::Linear: compile_linear(s); break;
      case OpKind::Pad: compile_pad(s); break;
      case OpKind::Slice: compile_slice(s); break;
    }
  }

  using ConvPD = dnnl::convolution_forward::primitive_desc;

  // (src, dst) layout pair for one attempt at a convolution.
  using Layouts = std::pair<md, md>;

  // Conv output shape before any depthwise post-op (the 1x1's own output).
  static Shape conv_out_shape(const Step& s) {
    for (const PostOp& p : s.post)
      if (p.kind == PostOp::Kind::Depthwise) return p.dw_in_shape;
    return s.shape;
  }

  ConvPD conv_pd(const Step& s, Layouts t, const std::optional<md>& dst_fixed,
                 dnnl::algorithm alg = dnnl::algorithm::convolution_direct) {
    const auto& a = std::get<ConvAttrs>(s.attrs);
    const Shape in = vals_[static_cast<size_t>(s.inputs[0])].shape;
    const md& src = t.first;
    const md dst = dst_fixed ? *dst_fixed : t.second;
    const md wei(conv_weight_dims(a, in.c()), dt::f32, tag::any);
    const md bias({a.out_channels}, dt::f32, tag::x);
    dnnl::convolution_forward::desc d(dnnl::prop_kind::forward_inference, alg, src,
                                      wei, bias, dst, {a.stride_h, a.stride_w},
                                      {a.dilation_h - 1, a.dilation_w - 1},  // oneDNN counts extra gaps
                                      {a.pad.top, a.pad.left}, {a.pad.bottom, a.pad.right});
    return ConvPD(d, make_attr(s.post), eng_, true);
  }

  // Blocked: first the producer's layout in (no reorder) and nChw16c out where
  // the channels fill whole blocks (one layout end to end), then what oneDNN
  // picks (`any`); then the plain layouts, for shapes whose blocked kernels
  // are reference ones.
  std::vector<Layouts> conv_layouts(const Step& s) const {
    const Value& x = vals_[static_cast<size_t>(s.inputs[0])];
    const Shape out = conv_out_shape(s);
    auto pair = [&](tag a, tag b) { return Layouts{md_of(x.shape, a), md_of(out, b)}; };
    std::vector<Layouts> c;
    if (o_.blocked && o_.layout == EngineOptions::Layout::Library) {
      const tag in_tag = tag_of(x.desc);
      const tag dst = out.c() % 16 == 0 ? tag::nChw16c : in_tag != tag::undef && in_tag != tag::nchw ? in_tag : tag::any;
      c.push_back({x.desc, md_of(out, dst)});
    } else if (o_.blocked) {
      // A fixed policy: its layout in and out (the network input stays as it is).
      const tag t = o_.layout == EngineOptions::Layout::Blocked8 ? tag::nChw8c : tag::nhwc;
      c.push_back({s.inputs[0] == 0 ? x.desc : md_of(x.shape, t), md_of(out, t)});
    }
    if (o_.blocked) c.push_back(pair(tag::any, tag::any));
    c.push_back(pair(tag::nhwc, tag::nhwc));
    c.push_back(pair(tag::nchw, tag::nchw));
    return c;
  }

  void compile_conv(const Step& s) {
    if (s.has_depthwise()) return compile_conv_dw(s);
    std::optional<md> dst_fixed;
    ValueId sum_operand = -1;
    for (const PostOp& p : s.post)
      if (p.kind == PostOp::Kind::Sum) sum_operand = p.sum_operand;
    if (sum_operand >= 0) dst_fixed = vals_[static_cast<size_t>(sum_operand)].desc;
    auto pd = pick<ConvPD>(conv_layouts(s), [&](Layouts t) { return conv_pd(s, t, dst_fixed); }, s.covers[0]);
    if (sum_operand >= 0 && (empty(pd) || is_reference_impl(pd.impl_info_str()))) {
      notes_.push_back(s.covers[0] + ": sum post-op rejected (no real kernel writes " +
                       layout_name(*dst_fixed) + "); separate Add");
      return split_at(s, PostOp::Kind::Sum);
    }
    if (empty(pd)) throw Error("oneDNN has no convolution for " + s.covers[0]);
    if (tune_) pd = maybe_winograd(s, pd, dst_fixed);
    emit_conv(s, pd, sum_operand);
  }

  // Winograd is a candidate for 3x3 stride-1 dense convs in the layouts the
  // direct kernel got: timed against it (once per distinct problem), kept if faster.
  ConvPD maybe_winograd(const Step& s, const ConvPD& direct, const std::optional<md>& dst_fixed) {
    const auto& a = std::get<ConvAttrs>(s.attrs);
    if (a.kernel_h != 3 || a.kernel_w != 3 || a.stride_h != 1 || a.stride_w != 1 || a.groups != 1 ||
        a.dilation_h != 1 || a.dilation_w != 1)
      return direct;
    ConvPD wino;
    try {
      wino = conv_pd(s, {direct.src_desc(), direct.dst_desc()}, dst_fixed, dnnl::algorithm::convolution_winograd);
    } catch (const dnnl::error&) {
      return direct;
    }
    if (empty(wino) || is_reference_impl(wino.impl_info_str())) return direct;
    const Shape in = vals_[static_cast<size_t>(s.inputs[0])].shape;
    const std::string key = fmt::format("{} {} -> {} {} {} {} {}", in.str(), layout_name(direct.src_desc()),
                                        s.shape.str(), layout_name(direct.dst_desc()), a.out_channels,
                                        fmt::format("p{}{}{}{}", a.pad.top, a.pad.left, a.pad.bottom, a.pad.right),
                                        post_str(s.post));
    const std::vector<int> conv_args{DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_BIAS, DNNL_ARG_DST, DNNL_ARG_SCRATCHPAD};
    auto timed = [&](const ConvPD& pd, const std::string& k) {
      auto it = tune_->ms.find(k);
      if (it != tune_->ms.end()) return it->second;
      const double ms = time_primitive_ms(dnnl::convolution_forward(pd), pd, conv_args, eng_, prog_.stream);
      return tune_->ms[k] = ms;
    };
    const bool seen = !noted_.insert(key).second;
    const double t_direct = timed(direct, "direct " + key), t_wino = timed(wino, "winograd " + key);
    const bool win = t_wino < t_direct;
    if (!seen)
      tune_notes_.push_back(fmt::format("{} ({}): {} {:.3f} ms vs {} {:.3f} ms -> {}", s.covers[0], key,
                                        direct.impl_info_str(), t_direct, wino.impl_info_str(), t_wino,
                                        win ? "winograd" : "direct"));
    if (win) ++prog_.winograd_convs;
    return win ? wino : direct;
  }

  void emit_conv(const Step& s, const ConvPD& pd, ValueId sum_operand) {
    const auto& a = std::get<ConvAttrs>(s.attrs);
    const Shape in = vals_[static_cast<size_t>(s.inputs[0])].shape;
    const md user_w(conv_weight_dims(a, in.c()), dt::f32, a.groups == 1 ? tag::oihw : tag::goihw);
    std::unordered_map<int, memory> args;
    args[DNNL_ARG_SRC] = fetch(s.inputs[0], pd.src_desc(), "for " + s.covers[0]);
    args[DNNL_ARG_WEIGHTS] = pack(s.params[0], user_w, pd.weights_desc());
    args[DNNL_ARG_BIAS] = constant(s.params[1]);
    for (const PostOp& p : s.post) {
      if (p.kind != PostOp::Kind::Depthwise) continue;
      const md dw_user({p.dw.groups, 1, 1, 3, 3}, dt::f32, tag::goihw);
      args[DNNL_ARG_ATTR_POST_OP_DW | DNNL_ARG_WEIGHTS] =
          pack(p.dw_weight, dw_user, pd.query_md(dnnl::query::exec_arg_md, DNNL_ARG_ATTR_POST_OP_DW | DNNL_ARG_WEIGHTS));
      args[DNNL_ARG_ATTR_POST_OP_DW | DNNL_ARG_BIAS] = constant(p.dw_bias);
    }
    if (sum_operand >= 0) {
      // In place: the conv accumulates into the operand's buffer, which now holds s.out.
      args[DNNL_ARG_DST] = mem(sum_operand);
      Value& out = vals_[static_cast<size_t>(s.out)];
      out.desc = vals_[static_cast<size_t>(sum_operand)].desc;
      out.buffer = vals_[static_cast<size_t>(sum_operand)].buffer;
    } else {
      define(s.out, pd.dst_desc());
      args[DNNL_ARG_DST] = mem(s.out);
    }
    const std::string post = post_str(s.post);
    add_primitive(dnnl::convolution_forward(pd), std::move(args), pd.scratchpad_desc(),
                  fmt::format("conv      {:<18} src {} {}  wei {}  dst {} {}{}\n        covers: {}", pd.impl_info_str(),
                              layout_name(pd.src_desc()), in.str(), layout_name(pd.weights_desc()),
                              layout_name(pd.dst_desc()), s.shape.str(), post.empty() ? "" : "  post-ops: " + post,
                              covers_str(s.covers)));
  }

  // 1x1 + depthwise: kept only when oneDNN runs it as one blocked kernel.
  void compile_conv_dw(const Step& s) {
    std::string why;
    if (!o_.blocked) {
      why = "plain layouts: oneDNN has a real fused kernel only in nChw16c";
    } else if (o_.layout != EngineOptions::Layout::Library) {
      why = std::string("layout policy ") + layout_policy_name(o_.layout) + ": a real fused kernel exists only in nChw16c";
    } else {
      ConvPD pd;
      try {
        const Shape in = vals_[static_cast<size_t>(s.inputs[0])].shape;
        pd = conv_pd(s, {md_of(in, tag::nChw16c), md_of(conv_out_shape(s), tag::nChw16c)}, std::nullopt);
      } catch (const dnnl::error&) {
      }
      if (empty(pd)) why = "oneDNN does not support this fusion here";
      else if (is_reference_impl(pd.impl_info_str())) why = "only a reference kernel (" + std::string(pd.impl_info_str()) + ")";
      else if (layout_name(pd.dst_desc()) != "nChw16c")
        why = "layout " + layout_name(pd.dst_desc()) + ", not nChw16c: the pair would run as two kernels";
      else return emit_conv(s, pd, -1);
    }
    notes_.push_back(s.covers[0] + ": depthwise fusion rejected (" + why + ")");
    split_at(s, PostOp::Kind::Depthwise);
  }

  // Undoes one fusion: the step before the post-op `kind`, then the rest as
  // its own step (a depthwise conv or a binary Add) on a new value.
  void split_at(const Step& s, PostOp::Kind kind) {
    size_t k = 0;
    while (s.post[k].kind != kind) ++k;
    const PostOp& p = s.post[k];
    auto [first_covers, rest_covers] =
        split_covers(s.covers, kind == PostOp::Kind::Sum ? "(sum post-op" : "(depthwise post-op)");
    Step head = s;
    head.post.assign(s.post.begin(), s.post.begin() + static_cast<std::ptrdiff_t>(k));
    head.covers = first_covers;
    head.shape = kind == PostOp::Kind::Depthwise ? p.dw_in_shape : s.shape;
    head.out = new_value(head.shape);
    Step tail;
    tail.out = s.out;
    tail.shape = s.shape;
    tail.covers = rest_covers;
    tail.post.assign(s.post.begin() + static_cast<std::ptrdiff_t>(k) + 1, s.post.end());
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
    compile_step(head);
    compile_step(tail);
  }

  void compile_bn(const Step& s) {
    using PD = dnnl::batch_normalization_forward::primitive_desc;
    const float eps = std::get<BatchNormAttrs>(s.attrs).eps;
    const auto flags = dnnl::normalization_flags::use_global_stats | dnnl::normalization_flags::use_scale |
                       dnnl::normalization_flags::use_shift;
    auto pd = pick<PD>(follow(s.inputs[0]), [&](const md& src) {
      dnnl::batch_normalization_forward::desc d(dnnl::prop_kind::forward_inference, src, eps, flags);
      return PD(d, make_attr({}), eng_, true);
    }, s.covers[0]);
    if (empty(pd)) throw Error("oneDNN has no batch norm for " + s.covers[0]);
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC, fetch(s.inputs[0], pd.src_desc(), "for " + s.covers[0])},
                                         {DNNL_ARG_SCALE, constant(s.params[0])},
                                         {DNNL_ARG_SHIFT, constant(s.params[1])},
                                         {DNNL_ARG_MEAN, constant(s.params[2])},
                                         {DNNL_ARG_VARIANCE, constant(s.params[3])}};
    define(s.out, pd.dst_desc());
    args[DNNL_ARG_DST] = mem(s.out);
    add_primitive(dnnl::batch_normalization_forward(pd), std::move(args), pd.scratchpad_desc(),
                  simple_line("batchnorm", pd.impl_info_str(), pd.dst_desc(), s));
  }

  std::string simple_line(const char* kind, const std::string& impl, const md& layout, const Step& s) const {
    const std::string post = post_str(s.post);
    return fmt::format("{:<9} {:<18} {} {}{}\n        covers: {}", kind, impl, layout_name(layout), s.shape.str(),
                       post.empty() ? "" : "  post-ops: " + post, covers_str(s.covers));
  }

  void compile_act(const Step& s) {
    using PD = dnnl::eltwise_forward::primitive_desc;
    const bool relu = std::get<ActivationAttrs>(s.attrs).kind == ActKind::ReLU;
    auto pd = pick<PD>(follow(s.inputs[0]), [&](const md& src) {
      dnnl::eltwise_forward::desc d(dnnl::prop_kind::forward_inference,
                                    relu ? dnnl::algorithm::eltwise_relu : dnnl::algorithm::eltwise_clip, src, 0.0f,
                                    relu ? 0.0f : 6.0f);
      return PD(d, make_attr({}), eng_, true);
    }, s.covers[0]);
    if (empty(pd)) throw Error("oneDNN has no eltwise for " + s.covers[0]);
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC, fetch(s.inputs[0], pd.src_desc(), "for " + s.covers[0])}};
    define(s.out, pd.dst_desc());
    args[DNNL_ARG_DST] = mem(s.out);
    add_primitive(dnnl::eltwise_forward(pd), std::move(args), pd.scratchpad_desc(),
                  simple_line("eltwise", pd.impl_info_str(), pd.dst_desc(), s));
  }

  void compile_add(const Step& s) {
    using PD = dnnl::binary::primitive_desc;
    auto pd = pick<PD>(follow(s.inputs[0]), [&](const md& src) {
      dnnl::binary::desc d(dnnl::algorithm::binary_add, src, src, src);
      return PD(d, make_attr(s.post), eng_, true);
    }, s.covers[0]);
    if (empty(pd)) throw Error("oneDNN has no binary add for " + s.covers[0]);
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC_0, fetch(s.inputs[0], pd.src_desc(0), "for " + s.covers[0])},
                                         {DNNL_ARG_SRC_1, fetch(s.inputs[1], pd.src_desc(1), "for " + s.covers[0])}};
    define(s.out, pd.dst_desc());
    args[DNNL_ARG_DST] = mem(s.out);
    add_primitive(dnnl::binary(pd), std::move(args), pd.scratchpad_desc(),
                  simple_line("add", pd.impl_info_str(), pd.dst_desc(), s));
  }

  void compile_concat(const Step& s) {
    using PD = dnnl::concat::primitive_desc;
    // Candidates: every input as it is (dst chosen by oneDNN), then all in one plain layout.
    std::vector<std::vector<md>> cands;
    std::vector<md> as_is;
    for (ValueId v : s.inputs) as_is.push_back(vals_[static_cast<size_t>(v)].desc);
    cands.push_back(as_is);
    for (tag t : {tag::nhwc, tag::nchw}) {
      std::vector<md> c;
      for (ValueId v : s.inputs) c.push_back(md_of(vals_[static_cast<size_t>(v)].shape, t));
      cands.push_back(c);
    }
    auto pd = pick<PD>(cands, [&](const std::vector<md>& srcs) {
      if (&srcs == &cands[0]) return PD(1, srcs, eng_, make_attr({}));
      return PD(md_of(s.shape, tag_of(srcs[0])), 1, srcs, eng_, make_attr({}));
    }, s.covers[0]);
    if (empty(pd)) throw Error("oneDNN has no concat for " + s.covers[0]);
    std::unordered_map<int, memory> args;
    for (size_t i = 0; i < s.inputs.size(); ++i)
      args[DNNL_ARG_MULTIPLE_SRC + static_cast<int>(i)] =
          fetch(s.inputs[i], pd.src_desc(static_cast<int>(i)), "for " + s.covers[0]);
    define(s.out, pd.dst_desc());
    args[DNNL_ARG_DST] = mem(s.out);
    add_primitive(dnnl::concat(pd), std::move(args), pd.scratchpad_desc(),
                  simple_line("concat", pd.impl_info_str(), pd.dst_desc(), s));
  }

  void compile_pool(const Step& s) {
    using PD = dnnl::pooling_forward::primitive_desc;
    const Shape in = vals_[static_cast<size_t>(s.inputs[0])].shape;
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
    auto pd = pick<PD>(follow(s.inputs[0]), [&](const md& src) {
      dnnl::pooling_forward::desc d(dnnl::prop_kind::forward_inference, alg, src, same_layout(src, s.shape),
                                    {a.stride_h, a.stride_w}, {a.kernel_h, a.kernel_w}, {a.pad.top, a.pad.left},
                                    {a.pad.bottom, a.pad.right});
      return PD(d, make_attr({}), eng_, true);
    }, s.covers[0]);
    if (empty(pd)) throw Error("oneDNN has no pooling for " + s.covers[0]);
    std::unordered_map<int, memory> args{{DNNL_ARG_SRC, fetch(s.inputs[0], pd.src_desc(), "for " + s.covers[0])}};
    define(s.out, pd.dst_desc());
    args[DNNL_ARG_DST] = mem(s.out);
    add_primitive(dnnl::pooling_forward(pd), std::move(args), pd.scratchpad_desc(),
                  simple_line("pool", pd.impl_info_str(), pd.dst_desc(), s));
  }

  // Flatten = a reorder into plain row-major order; the result is (N, F).
  void compile_flatten(const Step& s) {
    const Value in = vals_[static_cast<size_t>(s.inputs[0])];
    define(s.out, plain_md(s.shape));
    add_reorder(mem(s.inputs[0]), mem_as(s.out, plain_md(in.shape)),
                name(s.inputs[0]) + " " + layout_name(in.desc) + " -> " + s.shape.str() + " (" + s.covers[0] + ")");
  }

  void compile_linear(const Step& s) {
    using PD = dnnl::inner_product_forward::primitive_desc;
    const Shape in = vals_[static_cast<size_t>(s.inputs[0])].shape;
    const int64_t oc = s.shape[1];
    const md wei({oc, in[1]}, dt::f32, tag::any), bias({oc}, dt::f32, tag::x);
    dnnl::inner_product_forward::desc d(dnnl::prop_kind::forward_inference, plain_md(in), wei, bias,
                                        plain_md(s.shape));
    PD pd(d, make_attr(s.post), eng_);
    std::unordered_map<int, memory> args{
        {DNNL_ARG_SRC, fetch(s.inputs[0], pd.src_desc(), "for " + s.covers[0])},
        {DNNL_ARG_WEIGHTS, pack(s.params[0], md({oc, in[1]}, dt::f32, tag::oi), pd.weights_desc())},
        {DNNL_ARG_BIAS, constant(s.params[1])}};
    define(s.out, pd.dst_desc());
    args[DNNL_ARG_DST] = mem(s.out);
    add_primitive(dnnl::inner_product_forward(pd), std::move(args), pd.scratchpad_desc(),
                  simple_line("linear", pd.impl_info_str(), pd.dst_desc(), s));
  }

  // Pad: the output buffer is pinned (never shared) and zeroed once; each run
  // writes only its interior.
  void compile_pad(const Step& s) {
    const Value in = vals_[static_cast<size_t>(s.inputs[0])];
    const auto& p = std::get<PadAttrs>(s.attrs).pad;
    const md out = same_layout(in.desc, s.shape);
    define(s.out, out, true);
    add_reorder(mem(s.inputs[0]), mem_as(s.out, out.submemory_desc(dims_of(in.shape), {0, 0, p.top, p.left})),
                name(s.inputs[0]) + " into the interior of " + s.shape.str() + " (" + s.covers[0] + ")");
  }

  void compile_slice(const Step& s) {
    const Value in = vals_[static_cast<size_t>(s.inputs[0])];
    const auto& a = std::get<SliceAttrs>(s.attrs);
    md base = in.desc;
    int buffer = in.buffer;
    if (buffer == kUserInput) {  // the caller's buffer cannot be windowed: copy it in first
      const memory copy = fetch(s.inputs[0], md_of(in.shape, tag::nhwc), "for " + s.covers[0]);
      base = copy.get_desc();
      buffer = buffer_of_[copy.get()];
    }
    const memory src = bind(base.submemory_desc(dims_of(s.shape), {0, 0, a.top, a.left}), buffer);
    define(s.out, same_layout(base, s.shape));
    add_reorder(src, mem(s.out), "window " + s.shape.str() + " of " + name(s.inputs[0]) + " (" + s.covers[0] + ")");
  }

  // ---- memory ----
  void bind_memory() {
    const MemoryPlan mp = plan_memory(buffers_, o_.plan_memory);
    prog_.arena = allocate_aligned(mp.arena_bytes);
    prog_.scratch = allocate_aligned(scratch_bytes_);
    for (auto& [m, b] : bindings_)
      m.set_data_handle(b == kScratch ? prog_.scratch.get() : prog_.arena.get() + mp.offsets[static_cast<size_t>(b)]);
    summary_ = fmt::format(
        "{} primitives ({} reorders). Activation memory: {:.2f} MB planned{} ({:.2f} MB without reuse); "
        "scratch {:.2f} MB; weights {:.2f} MB.\n",
        prog_.primitives.size(), reorders_, mp.arena_bytes / 1e6, o_.plan_memory ? " with reuse" : ", no reuse",
        mp.unshared_bytes / 1e6, scratch_bytes_ / 1e6, constant_bytes_ / 1e6);
  }

 public:
  std::string explain(const std::vector<std::string>& pass_notes) const {
    std::string s = lines_ + "\n" + summary_;
    if (!tune_notes_.empty()) s += "Timed candidates (per distinct problem):\n";
    for (const auto& n : tune_notes_) s += "  " + n + "\n";
    std::vector<std::string> all = pass_notes;
    all.insert(all.end(), notes_.begin(), notes_.end());
    if (!all.empty()) s += "Not fused or changed, and why:\n";
    for (const auto& n : all) s += "  " + n + "\n";
    return s;
  }

 private:
  struct Reordered {
    ValueId src;
    md desc;
    ValueId tmp;
  };
  struct Binding {
    memory mem;
    int buffer;
  };

  const Plan& plan_;
  EngineOptions o_;
  Program& prog_;
  dnnl::engine& eng_;
  std::vector<Value> vals_;
  std::vector<BufferUse> buffers_;
  std::vector<Binding> bindings_;
  std::unordered_map<dnnl_memory_t, int> buffer_of_;
  std::vector<Reordered> reordered_;
  TuneCache* tune_;
  std::vector<std::string> notes_, tune_notes_;
  std::set<std::string> noted_;
  std::string lines_, summary_;
  size_t scratch_bytes_ = 0, constant_bytes_ = 0;
  int reorders_ = 0;
};

}  // namespace

std::unique_ptr<Program> compile_plan(const Plan& plan, const Shape& input_shape, const EngineOptions& options,
                                      int threads, TuneCache* tune) {
  auto prog = std::make_unique<Program>();
  prog->threads = threads;
  Compiler c(plan, input_shape, options, *prog, tune);
  c.compile();
  prog->explain_ = c.explain(plan.notes);
  return prog;
}

}  // namespace fb::onednn
