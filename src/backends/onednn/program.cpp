#include "backends/onednn/program.h"

#include <omp.h>

#include <chrono>
#include <cstring>

#include "common/error.h"

namespace fb::onednn {

AlignedBytes allocate_aligned(size_t bytes) {
  const size_t n = (bytes + 63) / 64 * 64 + 64;
  void* p = std::aligned_alloc(64, n);
  if (!p) throw Error("out of memory allocating " + std::to_string(n) + " bytes for the oneDNN arena");
  std::memset(p, 0, n);
  return AlignedBytes(static_cast<std::byte*>(p));
}

void Program::bind(const float* input, float* output) {
  // OpenMP's thread count is per calling thread: set it where we run.
  omp_set_num_threads(threads);
  user_input.set_data_handle(const_cast<float*>(input));
  user_output.set_data_handle(output);
}

void Program::run(const float* input, float* output) {
  bind(input, output);
  for (auto& p : primitives) p.primitive.execute(stream, p.args);
  stream.wait();
}

std::vector<double> Program::run_profiled(const float* input, float* output) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  bind(input, output);
  std::vector<double> seconds;
  seconds.reserve(primitives.size());
  for (auto& p : primitives) {
    const auto t0 = Clock::now();
    p.primitive.execute(stream, p.args);
    stream.wait();
    seconds.push_back(std::chrono::duration<double>(Clock::now() - t0).count());
  }
  last_profiled_s = std::chrono::duration<double>(Clock::now() - start).count();
  return seconds;
}

std::string Program::step_timing() const {
  return "A step is one oneDNN primitive, executed and then waited for. The difference is per-step overhead of the "
         "profiling mode (a wait and two clock reads per step, no overlap between steps), not work of the network.";
}

std::string Program::explain() const {
  std::string s = header;
  for (size_t i = 0; i < records.size(); ++i) s += render_step(i, records[i]);
  return s + "\n" + footer;
}

}  // namespace fb::onednn
