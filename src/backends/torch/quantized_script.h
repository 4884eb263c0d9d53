#pragma once
// torch-jit at precision=int8: the quantised network (quantized_net.h) as a
// TorchScript module, as torch.jit.script of a converted model gives it:
// torch.ops.quantized.* calls (`quantized.*` here) whose packed weights are module attributes,
// then frozen like every torch-jit module. Internal to backends/torch/.
#include <torch/csrc/jit/api/module.h>
#include <torch/csrc/jit/frontend/resolver.h>

#include <string>
#include <vector>

#include "backends/torch/quantized_net.h"

namespace fb::torch_quant {

struct QuantizedScript {
  torch::jit::Module module;  // the attributes registered; forward not yet defined
  std::string forward;        // its source
  // The graph node each line of `forward` computes (jit_steps.h); -1 for the
  // def, the input's quantise, the output's dequantise and the return.
  std::vector<ValueId> line_node;
};

QuantizedScript write_script(const QuantizedNet& net);

// What the source's names mean: `torch` the ATen builtins (as Module::define
// knows them), `quantized` LibTorch's quantised operators (quantized::*).
torch::jit::ResolverPtr quantized_resolver();

}  // namespace fb::torch_quant
