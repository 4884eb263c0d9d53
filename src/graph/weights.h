#pragma once
// Parameters and inputs drawn deterministically from a seed, so that every
// backend receives bit-identical numbers. The generator is a counter-based
// hash (splitmix64), independent of the standard library, so the same seed
// gives the same bits with any compiler.
#include <cstdint>
#include <string>
#include <vector>

#include "graph/ir.h"
#include "graph/tensor.h"

namespace fb {

// Index of each parameter tensor within a node's list.
namespace param {
constexpr int conv_weight = 0;  // [out, in/groups, kh, kw]
constexpr int conv_bias = 1;    // [out], only when ConvAttrs::bias
constexpr int bn_gamma = 0;     // [C]
constexpr int bn_beta = 1;
constexpr int bn_mean = 2;
constexpr int bn_var = 3;
constexpr int linear_weight = 0;  // [out, in]
constexpr int linear_bias = 1;    // [out]
}  // namespace param

struct ParamSpec {
  std::string name;
  Shape shape;
};

// The parameter tensors a node owns, in `param` order. Empty for ops without
// parameters. This is the one definition of parameter shapes: the cost model
// counts it and Weights fills it.
std::vector<ParamSpec> param_specs(const Graph& g, ValueId node);

struct Weights {
  uint64_t seed = 0;
  std::vector<std::vector<Tensor>> per_node;  // per_node[node][param index]

  const Tensor& at(ValueId node, int index) const {
    return per_node.at(static_cast<size_t>(node)).at(static_cast<size_t>(index));
  }
};

// He-uniform conv and linear weights (variance 2/fan_in, so ReLU networks keep
// their activation scale through 50 layers), small biases, and non-trivial BN
// statistics. A BN that feeds a residual Add gets a smaller gamma (0.2..0.4) so
// that 50 residual blocks do not compound the activation scale.
Weights make_weights(const Graph& g, uint64_t seed);

// Network input uniform in [-1, 1).
Tensor make_input(const Shape& shape, uint64_t seed);

}  // namespace fb
