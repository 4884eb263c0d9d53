#include "backends/onednn/tuner.h"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <unordered_map>
#include <vector>

#include "backends/onednn/compiler.h"
#include "backends/onednn/kernel_choice.h"
#include "backends/onednn/value_table.h"

namespace fb::onednn {
namespace {

using Clock = std::chrono::steady_clock;

// Warm-up once, then the minimum of up to `reps` runs; a slow first run
// (over 50 ms) gets a single timed repeat, which bounds the cost of tuning.
template <class F>
double min_ms(F run, int reps = 3) {
  auto t0 = Clock::now();
  run();
  const double first = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  if (first > 50.0) reps = 1;
  double best = 1e300;
  for (int i = 0; i < reps; ++i) {
    t0 = Clock::now();
    run();
    best = std::min(best, std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  return best;
}

}  // namespace

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
  TuneCache& cache = *vt.tune();
  auto timed = [&](const ConvPD& pd, const std::string& k) {
    auto it = cache.ms.find(k);
    if (it != cache.ms.end()) return it->second;
    const auto t0 = Clock::now();
    const double ms =
        time_primitive_ms(dnnl::convolution_forward(pd), pd, conv_args, vt.engine(), vt.program().stream);
    cache.spent_ms += std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    return cache.ms[k] = ms;
  };
  const bool first = vt.first_time(key);
  const double t_direct = timed(direct, "direct " + key), t_wino = timed(wino, "winograd " + key);
  const bool win = t_wino < t_direct;
  if (first)
    vt.tune_notes().push_back(fmt::format("{} ({}): {} {:.3f} ms vs {} {:.3f} ms -> {}", s.covers[0].name, key,
                                          direct.impl_info_str(), t_direct, wino.impl_info_str(), t_wino,
                                          win ? "winograd" : "direct"));
  if (win) ++vt.program().winograd_convs;
  return win ? wino : direct;
}

// Reorders and kernels are priced together here, which a per-primitive rule
// cannot do. Ties go to the library's rule.
std::unique_ptr<Program> compile_tuned(const Plan& p, const Shape& input_shape, const Shape& output_shape,
                                       EngineOptions eo, int threads, std::string& report, double& tuning_ms) {
  TuneCache cache;
  std::unique_ptr<Program> best;
  double best_ms = 0;
  std::string chosen;
  report = "layout policy (timed whole programs):";
  for (auto layout : {EngineOptions::Layout::Library, EngineOptions::Layout::Blocked8, EngineOptions::Layout::Nhwc}) {
    eo.layout = layout;
    auto prog = compile_plan(p, input_shape, eo, threads, &cache);
    const auto t0 = Clock::now();
    const double ms = time_program_ms(*prog, input_shape.numel(), output_shape.numel());
    cache.spent_ms += std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    report += fmt::format(" {} {:.3f} ms;", layout_policy_name(layout), ms);
    if (!best || ms < best_ms * 0.98) {  // a 2% margin keeps the library's rule on noise
      best = std::move(prog);
      best_ms = ms;
      chosen = layout_policy_name(layout);
    }
  }
  report += " chose " + chosen + "\n";
  tuning_ms = cache.spent_ms;
  return best;
}

}  // namespace fb::onednn
