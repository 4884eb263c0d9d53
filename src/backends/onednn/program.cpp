#include "backends/onednn/program.h"

#include <omp.h>

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

void Program::run(const float* input, float* output) {
  // OpenMP's thread count is per calling thread: set it where we run.
  omp_set_num_threads(threads);
  user_input.set_data_handle(const_cast<float*>(input));
  user_output.set_data_handle(output);
  for (auto& p : primitives) p.primitive.execute(stream, p.args);
  stream.wait();
}

}  // namespace fb::onednn
