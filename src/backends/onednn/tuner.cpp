#include "backends/onednn/tuner.h"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <unordered_map>
#include <vector>

#include "backends/onednn/compiler.h"
#include "backends/onednn/isa.h"
#include "backends/onednn/kernel_choice.h"
#include "backends/onednn/value_table.h"

namespace fb::onednn {
namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

// A run slower than this gets a single timed repeat, which bounds the cost of tuning.
constexpr double kSlowRunMs = 50.0;

// Warm-up once, then the minimum of up to `reps` runs.
template <class F>
double min_ms(F run, int reps = 3) {
  auto t0 = Clock::now();
  run();
  if (ms_since(t0) > kSlowRunMs) reps = 1;
  double best = 1e300;
  for (int i = 0; i < reps; ++i) {
    t0 = Clock::now();
    run();
    best = std::min(best, ms_since(t0));
  }
  return best;
}

// What min_ms costs for a candidate that runs in about `ms`: the warm-up and its repeats.
double timing_cost_ms(double ms) { return ms * (ms > kSlowRunMs ? 2 : 4); }

// FNV-1a, 64 bits: a stable hash (std::hash may differ between builds) of a program's signature.
uint64_t fnv1a(const std::string& s) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

// Names a compiled program by everything that decides its speed: each step's
// kernel, layouts, shapes and post-ops (the rendered records), the switches
// and the policy. Two programs with one key execute the same primitives.
std::string program_key(const Program& prog, const EngineOptions& eo) {
  std::string sig;
  for (size_t i = 0; i < prog.records.size(); ++i) sig += render_step(i, prog.records[i]);
  return fmt::format("program {} [{}] {} steps {:016x}", layout_policy_name(eo.layout), eo.str(),
                     prog.records.size(), fnv1a(sig));
}

}  // namespace

bool TuneSession::can_afford(double expected_cost_ms) const {
  return spent_ms_ < budget_ms_ && spent_ms_ + expected_cost_ms <= budget_ms_;
}

std::optional<double> TuneSession::time(const std::string& key, const std::function<double()>& run,
                                        double expected_cost_ms) {
  if (auto it = ms_.find(key); it != ms_.end()) return it->second;
  const std::string full = prefix_ + " | " + key;
  if (shared_)
    if (std::optional<double> found = shared_->find(full)) {
      ++cached_;
      return ms_[key] = *found;
    }
  if (!can_afford(expected_cost_ms)) {
    skip(key);
    return std::nullopt;
  }
  const auto t0 = Clock::now();
  const double ms = run();
  spent_ms_ += ms_since(t0);
  ++timed_;
  if (shared_) shared_->save(full, ms);
  return ms_[key] = ms;
}

std::string TuneSession::summary() const {
  auto n = [](int k) { return fmt::format("{} candidate{}", k, k == 1 ? "" : "s"); };
  return fmt::format("tuning: {} timed in {:.1f} ms (budget {:.0f} ms), {} {}, {} not timed{}\n", n(timed_), spent_ms_,
                     budget_ms_, cached_, shared_ ? "found in the tuning cache" : "cached (no tuning cache given)",
                     skipped(), skipped() ? " because the budget was spent (the library's rule kept for those)" : "");
}

std::string tuning_key_prefix(int threads, Precision precision) {
  const dnnl_version_t* v = dnnl_version();
  // fp32 keys keep their form, so a store's tuning table stays valid.
  return fmt::format("onednn {}.{}.{} ({}) isa={} threads={}{}", v->major, v->minor, v->patch, v->hash, effective_isa(),
                     threads, precision == Precision::fp32 ? "" : std::string(" precision=") + precision_name(precision));
}

double time_primitive_ms(const dnnl::primitive& p, const dnnl::primitive_desc_base& pd, const std::vector<int>& args_of,
                         dnnl::engine& eng, dnnl::stream& s) {
  std::unordered_map<int, dnnl::memory> args;
  std::vector<AlignedBytes> owned;
  for (int a : args_of) {
    const dnnl::memory::desc d = pd.query_md(dnnl::query::exec_arg_md, a);
    if (d.get_size() == 0) continue;
    owned.push_back(allocate_aligned(d.get_size()));
    args[a] = dnnl::memory(d, eng, owned.back().get());
  }
  return min_ms([&] {
    p.execute(s, args);
    s.wait();
  });
}

double time_program_ms(Program& prog, size_t input_floats, size_t output_floats) {
  std::vector<float> in(input_floats, 0.5f), out(output_floats);
  return min_ms([&] { prog.run(in.data(), out.data()); });
}

using ConvPD = dnnl::convolution_forward::primitive_desc;

ConvPD tune_conv_algorithm(ValueTable& vt, const Step& s, const ConvPD& direct, const std::function<ConvPD()>& winograd) {
  const auto& a = std::get<ConvAttrs>(s.attrs);
  if (a.kernel_h != 3 || a.kernel_w != 3 || a.stride_h != 1 || a.stride_w != 1 || a.groups != 1 ||
      a.dilation_h != 1 || a.dilation_w != 1)
    return direct;
  ConvPD wino;
  try {
    wino = winograd();
  } catch (const dnnl::error&) {
    return direct;
  }
  if (empty(wino) || is_reference_impl(wino.impl_info_str())) return direct;
  const Shape in = vt.value(s.inputs[0]).shape;
  const std::string key = fmt::format("{} {} -> {} {} {} {} {}", in.str(), layout_name(direct.src_desc()),
                                      s.shape.str(), layout_name(direct.dst_desc()), a.out_channels,
                                      fmt::format("p{}{}{}{}", a.pad.top, a.pad.left, a.pad.bottom, a.pad.right),
                                      post_str(s.post));
  const std::vector<int> conv_args{DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_BIAS, DNNL_ARG_DST, DNNL_ARG_SCRATCHPAD};
  TuneSession& session = *vt.tune();
  auto timed = [&](const ConvPD& pd, const std::string& k) {
    return session.time(
        k, [&] { return time_primitive_ms(dnnl::convolution_forward(pd), pd, conv_args, vt.engine(), vt.program().stream); });
  };
  const bool first = vt.first_time(key);
  const std::optional<double> t_direct = timed(direct, "direct " + key), t_wino = timed(wino, "winograd " + key);
  const bool win = t_direct && t_wino && *t_wino < *t_direct;
  auto shown = [](const std::optional<double>& t) { return t ? fmt::format("{:.3f} ms", *t) : std::string("not timed"); };
  if (first)
    vt.tune_notes().push_back(fmt::format("{} ({}): {} {} vs {} {} -> {}", s.covers[0].name, key,
                                          direct.impl_info_str(), shown(t_direct), wino.impl_info_str(), shown(t_wino),
                                          win ? "winograd" : t_direct && t_wino ? "direct" : "direct (tuning budget spent)"));
  if (win) ++vt.program().winograd_convs;
  return win ? wino : direct;
}

// Reorders and kernels are priced together here, which a per-primitive rule
// cannot do. Ties go to the library's rule, and so does everything the
// budget left untimed: a policy is compiled only if timing it (expected to
// cost what the library program's timing did) fits in what is left.
std::unique_ptr<Program> compile_tuned(const Plan& p, const Shape& input_shape, const Shape& output_shape,
                                       EngineOptions eo, int threads, TuneSession& session, std::string& report) {
  std::unique_ptr<Program> best;
  std::optional<double> best_ms;
  double expected_cost_ms = 0;
  std::string chosen;
  report = "layout policy (timed whole programs):";
  for (auto layout : {EngineOptions::Layout::Library, EngineOptions::Layout::Blocked8, EngineOptions::Layout::Nhwc}) {
    eo.layout = layout;
    const std::string name = layout_policy_name(layout);
    if (best && (!best_ms || !session.can_afford(expected_cost_ms))) {
      session.skip("program " + name);
      report += fmt::format(" {} not compiled (tuning budget spent);", name);
      continue;
    }
    auto prog = compile_plan(p, input_shape, eo, threads, &session);
    const int cached_before = session.cached();
    const std::optional<double> ms = session.time(
        program_key(*prog, eo), [&] { return time_program_ms(*prog, input_shape.numel(), output_shape.numel()); },
        expected_cost_ms);
    if (!ms) report += fmt::format(" {} not timed (tuning budget spent);", name);
    else report += fmt::format(" {} {:.3f} ms{};", name, *ms, session.cached() > cached_before ? " (cached)" : "");
    if (!best) expected_cost_ms = ms ? timing_cost_ms(*ms) : 0;
    if (!best || (ms && *ms < *best_ms * 0.98)) {  // a 2% margin keeps the library's rule on noise
      best = std::move(prog);
      best_ms = ms;
      chosen = name;
    }
  }
  report += " chose " + chosen + "\n" + session.summary();
  return best;
}

}  // namespace fb::onednn
