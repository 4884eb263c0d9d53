#pragma once
// What the eager and the TorchScript backend share: tensor conversion at the
// edges, the thread setting and the environment facts. Internal to
// backends/torch/ (it has torch types).
#include <ATen/ATen.h>

#include <chrono>
#include <utility>
#include <vector>

#include "backends/backend.h"
#include "graph/tensor.h"

namespace fb::torch_util {

// An owning copy of a formbench tensor (weights are copied, never aliased).
at::Tensor to_aten(const Tensor& t);
// A non-owning view of the caller's input buffer (fp32), or at another
// precision a converted copy.
at::Tensor wrap_input(const float* data, const Shape& shape, at::ScalarType type = at::kFloat);
// Copies a result into the caller's buffer; Error if its shape is not `shape`.
void copy_output(const at::Tensor& y, const Shape& shape, float* out);

// The tensor type fp32 or bf16 runs in: kFloat or kBFloat16. Both torch
// backends run bf16 as a PyTorch user does with .to(torch.bfloat16): the
// module and the input converted. int8 is a network of its own
// (quantized_net.h), run eagerly or as TorchScript.
at::ScalarType scalar_type(Precision p);

// The seconds between consecutive lap() calls, the first from construction:
// what an op-by-op profiled forward calls after each step.
class StepClock {
 public:
  void lap() {
    const auto now = std::chrono::steady_clock::now();
    seconds_.push_back(std::chrono::duration<double>(now - last_).count());
    last_ = now;
  }
  std::vector<double> seconds() && { return std::move(seconds_); }

 private:
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
  std::vector<double> seconds_;
};

// LibTorch defaults to one intra-op thread here; every executable sets its
// own count before it runs (the setting is process-wide).
void use_threads(int threads);

// Both torch backends: peak live activations x2 (the caching allocator keeps
// freed blocks for reuse), the caller's weights and the module's copy, and
// the library's own footprint.
MemoryEstimate estimate_memory(const GraphCost& c);

// Version, BLAS actually loaded, oneDNN, threads, allocator settings.
Facts environment(const BackendOptions& opts);

}  // namespace fb::torch_util
