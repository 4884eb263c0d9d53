#pragma once
// The native framework: LibTorch driven from C++. This header has no torch
// types, so nothing outside backends/torch/ pays for torch's headers.
#include <cstdint>
#include <memory>

#include "backends/backend.h"

namespace fb {

// "torch": eager LibTorch, the network as a PyTorch user writes it
// (nn modules and functional ops, eval mode, no autograd).
std::unique_ptr<Backend> make_torch_backend();

// "torch-jit": the same network as a TorchScript module, then LibTorch's own
// inference optimisation (torch::jit::freeze + optimize_for_inference).
std::unique_ptr<Backend> make_torch_jit_backend();

// What both torch backends compile to; tests check the module against the
// cost model through it.
class TorchExecutable : public Executable {
 public:
  // Parameters plus BN running statistics of the LibTorch module as built,
  // before any folding: equals the cost model's params.
  virtual int64_t parameter_count() const = 0;
};

}  // namespace fb
