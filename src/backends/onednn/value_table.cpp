#include "backends/onednn/value_table.h"

#include <fmt/core.h>

#include <cstring>

#include "common/error.h"

namespace fb::onednn {

using dnnl::memory;

ValueTable::ValueTable(const Plan& plan, const Shape& input_shape, const EngineOptions& o, Program& prog,
                       TuneSession* tune)
    : plan_(plan), o_(o), prog_(prog), tune_(tune) {
  vals_.resize(plan.num_values);
  for (const Step& s : plan.steps) vals_[static_cast<size_t>(s.out)].shape = s.shape;
  const md user_in = plain_md(input_shape);
  vals_[0] = {user_in, kUserInput, input_shape};
  prog_.user_input = memory(user_in, prog_.engine, DNNL_MEMORY_NONE);
  buffer_of_[prog_.user_input.get()] = kUserInput;
}

std::string ValueTable::name(ValueId v) const {
  for (const Step& s : plan_.steps)
    if (s.out == v) return s.covers.back().name;
  return v == 0 ? "input" : "t" + std::to_string(v);
}

ValueId ValueTable::new_value(const Shape& s) {
  vals_.push_back({md(), -1, s});
  return static_cast<ValueId>(vals_.size() - 1);
}

void ValueTable::define(ValueId v, const md& d, bool pinned, float scale) {
  Value& x = value(v);
  x.desc = d;
  x.buffer = static_cast<int>(buffers_.size());
  x.scale = is_int8(d) ? scale : 1.0f;
  buffers_.push_back({d.get_size(), cur(), cur(), pinned});
  produced(v);
}

void ValueTable::produced(ValueId v) {
  if (o_.observe && v > 0 && static_cast<size_t>(v) < plan_.num_values)
    produced_.emplace_back(static_cast<size_t>(cur()), v);
}

memory ValueTable::bind(const md& d, int buffer) {
  memory m(d, prog_.engine, DNNL_MEMORY_NONE);
  buffer_of_[m.get()] = buffer;
  bindings_.push_back({m, buffer});
  return m;
}

memory ValueTable::mem_as(ValueId v, const md& d) {
  const Value& x = value(v);
  if (x.buffer == kUserInput && d == x.desc) return prog_.user_input;
  if (x.buffer == kUserInput) throw Error("internal: the network input cannot be reinterpreted in place");
  return bind(d, x.buffer);
}

memory ValueTable::fetch(ValueId v, const md& want, const std::string& why, float want_scale) {
  if (!is_int8(want)) want_scale = 1;
  else if (want_scale == 0) want_scale = value(v).scale;
  if (value(v).desc == want && value(v).scale == want_scale) return mem(v);
  for (const auto& [src, d, scale, t] : reordered_)
    if (src == v && d == want && scale == want_scale) return mem(t);
  const ValueId t = new_value(value(v).shape);
  define(t, want, false, want_scale);
  const float factor = want_scale / value(v).scale;
  std::string what = name(v) + " " + layout_name(value(v).desc) + " -> " + layout_name(want);
  if (factor != 1) what += fmt::format(" x{:.4g}", factor);
  add_reorder(mem(v), mem(t), what + " (" + why + ")", {}, factor);
  reordered_.push_back({v, want, want_scale, t});
  return mem(t);
}

std::optional<ValueRange> ValueTable::range(ValueId v) const {
  if (o_.precision != Precision::int8 || !o_.calibration) return std::nullopt;
  auto it = o_.calibration->ranges.find(v);
  if (it == o_.calibration->ranges.end()) return std::nullopt;
  return it->second;
}

std::optional<Quant> ValueTable::quant(ValueId v) const {
  const std::optional<ValueRange> r = range(v);
  return r ? std::optional<Quant>(quant_for(*r)) : std::nullopt;
}

dt ValueTable::act_type() const { return o_.precision == Precision::bf16 ? dt::bf16 : dt::f32; }

std::vector<md> ValueTable::follow(ValueId v, dt type) const {
  const Value& x = value(v);
  const md own = x.desc.data_type() == type ? x.desc : with_type(x.desc, type);
  std::vector<md> c{own};
  if (x.shape.rank() == 4)
    for (tag t : {tag::nhwc, tag::nchw})
      if (!(md_of(x.shape, t, type) == own)) c.push_back(md_of(x.shape, t, type));
  return c;
}

memory ValueTable::pack(const Tensor& t, const md& user, const md& want, const std::vector<float>& scales, int mask) {
  memory src(user, prog_.engine);
  std::memcpy(src.get_data_handle(), t.ptr(), user.get_size());
  constant_bytes_ += want.get_size();
  prog_.constants.push_back(src);
  if (user == want) return src;
  memory dst(want, prog_.engine);
  prog_.constants.push_back(dst);
  dnnl::primitive_attr attr;
  if (!scales.empty()) attr.set_output_scales(mask, scales);
  if (o_.prepack) {
    dnnl::reorder(dnnl::reorder::primitive_desc(src, dst, attr)).execute(prog_.stream, src, dst);
    prog_.stream.wait();
  } else {
    if (!scales.empty()) throw Error("internal: per-channel weight scales are applied at compile time only");
    add_reorder(src, dst, "weights, every run (noprepack)");
  }
  return dst;
}

memory ValueTable::constant(const Tensor& t) { return pack(t, md_of(t.shape, tag::x), md_of(t.shape, tag::x)); }

void ValueTable::add_primitive(dnnl::primitive p, std::unordered_map<int, memory> args, const md& scratch,
                               StepRecord r) {
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
  prog_.records.push_back(std::move(r));
}

void ValueTable::add_reorder(memory src, memory dst, const std::string& what, const std::vector<CoveredNode>& covers,
                             float scale) {
  dnnl::primitive_attr attr;
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  if (scale != 1) attr.set_output_scales(0, {scale});
  dnnl::reorder::primitive_desc pd(prog_.engine, src.get_desc(), prog_.engine, dst.get_desc(), attr);
  ++reorders_;
  StepRecord r;
  r.kind = "reorder";
  r.impl = pd.impl_info_str();
  r.covers = covers;
  r.detail = what;
  r.src_layout = layout_name(src.get_desc());
  r.dst_layout = layout_name(dst.get_desc());
  r.src_shape = Shape(src.get_desc().dims());
  r.dst_shape = Shape(dst.get_desc().dims());
  r.bytes = static_cast<int64_t>(src.get_desc().get_size() + dst.get_desc().get_size());  // read once, written once
  add_primitive(dnnl::reorder(pd), {{DNNL_ARG_FROM, src}, {DNNL_ARG_TO, dst}}, pd.scratchpad_desc(), std::move(r));
}

void ValueTable::finish(ValueId output) {
  const Value out = value(output);
  prog_.user_output = memory(plain_md(out.shape), prog_.engine, DNNL_MEMORY_NONE);
  add_reorder(mem(output), prog_.user_output, "output " + name(output) + " -> caller", {}, 1.0f / out.scale);
  for (const auto& [after, v] : produced_) prog_.observed.push_back({after, v, mem(v)});
  bind_memory();
}

void ValueTable::bind_memory() {
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

std::string ValueTable::footer(const std::vector<std::string>& pass_notes) const {
  std::string s = summary_;
  if (!tune_notes_.empty()) s += "Timed candidates (per distinct problem):\n";
  for (const auto& n : tune_notes_) s += "  " + n + "\n";
  std::vector<std::string> all = pass_notes;
  all.insert(all.end(), notes_.begin(), notes_.end());
  if (!all.empty()) s += "Not fused or changed, and why:\n";
  for (const auto& n : all) s += "  " + n + "\n";
  return s;
}

}  // namespace fb::onednn
