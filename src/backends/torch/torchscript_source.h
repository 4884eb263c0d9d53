#pragma once
// Writes a Graph as TorchScript source (a `forward` method) whose tensors are
// module attributes. Torch-free on purpose: it is plain text generation, so it
// compiles fast and can be read in `formbench explain`.
#include <string>
#include <vector>

#include "graph/ir.h"

namespace fb::torchscript {

// One module attribute holding the weights' tensor (node, index).
struct Attribute {
  std::string name;  // valid TorchScript identifier, e.g. "n3_p0"
  ValueId node = 0;
  int index = 0;
  bool buffer = false;  // BN running statistics are buffers, not parameters
};

struct Source {
  std::string forward;  // "def forward(self, x: Tensor) -> Tensor: ..."
  std::vector<Attribute> attributes;
  // The graph node each line of `forward` computes (0-based, as TorchScript
  // counts a source's lines); -1 for the def and return lines. The profiler
  // maps an op back to its node through it.
  std::vector<ValueId> line_node;
};

Source write_forward(const Graph& g);

// The TorchScript lines of an fp32 average pool of `x` into `out`,
// asymmetric padding and count_include_pad=false included (the int8 writer
// uses it for the one pool that has no quantised form).
std::vector<std::string> avg_pool_lines(const std::string& out, const std::string& x, const PoolAttrs& a);

// "[1, 2]" and the F.pad list of a padding, in TorchScript syntax.
std::string int_pair(int64_t a, int64_t b);
std::string pad_list(const Padding& p);

}  // namespace fb::torchscript
