#include "backends/onednn/tuner.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <unordered_map>
#include <vector>

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

}  // namespace fb::onednn
