#include "backends/onednn/tuner.h"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <unordered_map>
#include <utility>
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

// Names a layout policy's program before it is compiled: the plan (which
// decides the primitives), the switches and the policy, so a cached time
// spares the compile too. The program also depends on its Winograd choices,
// and those are fixed by the cache as well: a program is timed only when
// every conv decision in it was timed or found (skipping one means the
// budget is spent, and then no program timing follows).
std::string policy_key(const Plan& p, const EngineOptions& eo) {
  return fmt::format("policy {} [{}] plan of {} steps {:016x}", layout_policy_name(eo.layout), eo.str(), p.steps.size(),
                     fnv1a(plan_signature(p)));
}

}  // namespace

// A candidate that alone costs more than the budget would never be timed;
// with a tuning cache, a compile that has spent nothing yet may time it, so
// a sweep pays for it once per machine and a compile without a cache never.
bool TuneSession::can_afford(double expected_cost_ms) const {
  if (spent_ms_ >= budget_ms_) return false;
  return spent_ms_ + expected_cost_ms <= budget_ms_ || (shared_ && spent_ms_ == 0);
}

std::optional<double> TuneSession::recall(const std::string& key) {
  if (auto it = ms_.find(key); it != ms_.end()) return it->second;
  if (!shared_) return std::nullopt;
  std::optional<double> found = shared_->find(prefix_ + " | " + key);
  if (found) {
    ++cached_;
    ms_[key] = *found;
  }
  return found;
}

std::optional<double> TuneSession::time(const std::string& key, const std::function<double()>& run,
                                        double expected_cost_ms) {
  if (std::optional<double> known = recall(key)) return known;
  if (!can_afford(expected_cost_ms)) {
    skip(key);
    return std::nullopt;
  }
  return time_now(key, run);
}

double TuneSession::time_now(const std::string& key, const std::function<double()>& run) {
  const auto t0 = Clock::now();
  const double ms = run();
  spent_ms_ += ms_since(t0);
  ++timed_;
  if (shared_) shared_->save(prefix_ + " | " + key, ms);
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

namespace {

// One layout policy's part in the decision: its time, where known, and its
// program, where compiled (a time found in the cache needs no program).
struct PolicyTry {
  EngineOptions::Layout layout;
  std::optional<double> ms;
  std::unique_ptr<Program> prog;
};

}  // namespace

// Reorders and kernels are priced together here, which a per-primitive rule
// cannot do. Ties go to the library's rule, and so does everything the
// budget left untimed: a policy is compiled only if compiling and timing it
// (expected to cost what the library program's compile and timing did)
// fits in what is left. Every program compiled after the first is tuning
// work and charged to the budget: one compile is what notune pays too.
std::unique_ptr<Program> compile_tuned(const Plan& p, const Shape& input_shape, const Shape& output_shape,
                                       const EngineOptions& eo, int threads, TuneSession& session,
                                       std::string& report) {
  std::optional<PolicyTry> best;
  // What the first policy's timing and the first compile cost: the estimate
  // for each further policy (judged once a program is compiled).
  double expected_compile_ms = 0, expected_timing_ms = 0;
  // Compiles under `layout`; the compile's own time, less the conv timings
  // inside it (charged already), is the session's to charge or not.
  auto compile = [&](EngineOptions::Layout layout) {
    EngineOptions with = eo;
    with.layout = layout;
    const auto t0 = Clock::now();
    const double timed_before = session.spent_ms();
    auto prog = compile_plan(p, input_shape, with, threads, &session);
    const double compile_ms = ms_since(t0) - (session.spent_ms() - timed_before);
    if (session.programs_compiled() == 0) expected_compile_ms = compile_ms;
    session.add_program(compile_ms);
    return prog;
  };
  report = "layout policy (timed whole programs):";
  for (auto layout : {EngineOptions::Layout::Library, EngineOptions::Layout::Blocked8, EngineOptions::Layout::Nhwc}) {
    const std::string name = layout_policy_name(layout);
    EngineOptions keyed = eo;
    keyed.layout = layout;
    const std::string key = policy_key(p, keyed);
    PolicyTry now{layout, session.recall(key), nullptr};
    if (!best && now.ms) expected_timing_ms = timing_cost_ms(*now.ms);
    if (now.ms) {
      report += fmt::format(" {} {:.3f} ms (cached);", name, *now.ms);
    } else {
      // The best so far came from the cache: it is the program kept unless
      // beaten, so it is the free compile and what this one's cost is judged by.
      if (best && !best->prog) best->prog = compile(best->layout);
      if (best && (!best->ms || !session.can_afford(expected_compile_ms + expected_timing_ms))) {
        session.skip(key);
        report += fmt::format(" {} not compiled (tuning budget spent);", name);
        continue;
      }
      now.prog = compile(layout);
      auto run = [&] { return time_program_ms(*now.prog, input_shape.numel(), output_shape.numel()); };
      // An alternative was afforded with its timing before it was compiled.
      now.ms = best ? session.time_now(key, run) : session.time(key, run);
      if (now.ms) report += fmt::format(" {} {:.3f} ms;", name, *now.ms);
      else report += fmt::format(" {} not timed (tuning budget spent);", name);
      if (!best && now.ms) expected_timing_ms = timing_cost_ms(*now.ms);
    }
    if (!best || (now.ms && (!best->ms || *now.ms < *best->ms * 0.98)))  // a 2% margin keeps the library's rule on noise
      best = std::move(now);
  }
  if (!best->prog) best->prog = compile(best->layout);
  const int compiled = session.programs_compiled();
  report += fmt::format(" chose {} ({} program{} compiled)\n{}", layout_policy_name(best->layout), compiled,
                        compiled == 1 ? "" : "s", session.summary());
  return std::move(best->prog);
}

}  // namespace fb::onednn
