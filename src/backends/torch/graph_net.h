#pragma once
// The Graph as a PyTorch user writes it in C++: an nn::Module with Conv2d /
// BatchNorm2d / Linear submodules holding the exact weights, functional ops
// for the rest, eval mode. The eager backend runs it at fp32 and bf16; the
// int8 one calibrates on it. Internal to backends/torch/ (it has torch types).
#include <ATen/ATen.h>  // first: torch/nn/functional/padding.h is not self-contained
#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>

#include <vector>

#include "graph/ir.h"
#include "graph/weights.h"

namespace fb {

// F.pad with `value` for formbench's padding (explicit, any side).
at::Tensor zero_pad(const at::Tensor& x, const Padding& p, double value = 0.0);
// F.avg_pool2d for formbench's pool, asymmetric padding and
// count_include_pad=false included.
at::Tensor average_pool(const PoolAttrs& a, const at::Tensor& x);

class GraphNet : public torch::nn::Module {
 public:
  GraphNet(const Graph& g, const Weights& w);

  at::Tensor forward(const at::Tensor& input) { return forward_each(input, [](size_t, const at::Tensor&) {}); }

  // `after_node(i, value)` is called once node i is computed and the inputs
  // it was the last to read are released. A template, so that forward()'s
  // empty callback compiles away: run() pays nothing for the profiler's hook.
  template <class AfterNode>
  at::Tensor forward_each(const at::Tensor& input, AfterNode&& after_node) {
    std::vector<at::Tensor> v(g_.nodes.size());
    v[0] = input;
    for (size_t i = 1; i < g_.nodes.size(); ++i) {
      v[i] = compute(i, v);
      // Drop what no later node reads, as Python's reference counting would.
      for (ValueId in : g_.nodes[i].inputs)
        if (last_use_[static_cast<size_t>(in)] == static_cast<ValueId>(i)) v[static_cast<size_t>(in)].reset();
      after_node(i, v[i]);
    }
    return v[static_cast<size_t>(g_.output)];
  }

  const Graph& graph() const { return g_; }
  // Parameters plus BN running statistics, as built (before any folding):
  // what the cost model counts.
  int64_t parameter_count() const;

 private:
  at::Tensor compute(size_t i, const std::vector<at::Tensor>& v);

  Graph g_;
  std::vector<ValueId> last_use_;
  std::vector<torch::nn::Conv2d> conv_;
  std::vector<torch::nn::BatchNorm2d> bn_;
  std::vector<torch::nn::Linear> fc_;
};

}  // namespace fb
