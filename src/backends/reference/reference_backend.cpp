#include "backends/reference/reference_backend.h"

#include <algorithm>

#include "backends/reference/reference_ops.h"
#include "common/error.h"

namespace fb {
namespace {

class ReferenceExecutable final : public Executable {
 public:
  ReferenceExecutable(const Graph& g, const Weights& w) : g_(g), w_(w) {
    for (const Node& n : g_.nodes) values_.emplace_back(n.shape);
  }

  void run(const float* input, float* output) override {
    std::copy_n(input, values_[0].numel(), values_[0].ptr());
    for (size_t i = 1; i < g_.nodes.size(); ++i) compute(static_cast<ValueId>(i));
    const Tensor& out = values_[static_cast<size_t>(g_.output)];
    std::copy_n(out.ptr(), out.numel(), output);
  }

 private:
  const Tensor& in(const Node& n, size_t k) const { return values_[static_cast<size_t>(n.inputs[k])]; }
  const Tensor* optional_param(ValueId id, int index) const {
    const auto& p = w_.per_node[static_cast<size_t>(id)];
    return static_cast<size_t>(index) < p.size() ? &p[static_cast<size_t>(index)] : nullptr;
  }

  void compute(ValueId id) {
    const Node& n = g_.node(id);
    Tensor& out = values_[static_cast<size_t>(id)];
    switch (n.op) {
      case OpKind::Input: break;
      case OpKind::Conv:
        ref::conv(n.as<ConvAttrs>(), in(n, 0), w_.at(id, param::conv_weight), optional_param(id, param::conv_bias), out);
        break;
      case OpKind::BatchNorm:
        ref::batch_norm(n.as<BatchNormAttrs>(), in(n, 0), w_.at(id, param::bn_gamma), w_.at(id, param::bn_beta),
                        w_.at(id, param::bn_mean), w_.at(id, param::bn_var), out);
        break;
      case OpKind::Activation: ref::activation(n.as<ActivationAttrs>(), in(n, 0), out); break;
      case OpKind::Add: ref::add(in(n, 0), in(n, 1), out); break;
      case OpKind::Concat: {
        std::vector<const Tensor*> xs;
        for (size_t k = 0; k < n.inputs.size(); ++k) xs.push_back(&in(n, k));
        ref::concat(xs, out);
        break;
      }
      case OpKind::MaxPool: ref::max_pool(n.as<PoolAttrs>(), in(n, 0), out); break;
      case OpKind::AvgPool: ref::avg_pool(n.as<PoolAttrs>(), in(n, 0), out); break;
      case OpKind::GlobalAvgPool: ref::global_avg_pool(in(n, 0), out); break;
      case OpKind::Flatten: std::copy(in(n, 0).data.begin(), in(n, 0).data.end(), out.data.begin()); break;
      case OpKind::Linear:
        ref::linear(in(n, 0), w_.at(id, param::linear_weight), optional_param(id, param::linear_bias), out);
        break;
      case OpKind::Pad: ref::pad(n.as<PadAttrs>(), in(n, 0), out); break;
      case OpKind::Slice: ref::slice(n.as<SliceAttrs>(), in(n, 0), out); break;
    }
  }

  Graph g_;
  Weights w_;
  std::vector<Tensor> values_;
};

class ReferenceBackend final : public Backend {
 public:
  std::string name() const override { return "reference"; }
  std::string summary() const override { return "plain loops, fp32 with double accumulation: the ground truth"; }
  std::unique_ptr<Executable> compile(const Graph& g, const Weights& w, const BackendOptions& o) const override {
    require_no_options(name(), o);
    return std::make_unique<ReferenceExecutable>(g, w);
  }
  Facts environment(const BackendOptions&) const override { return {{"reference.threads", "1"}}; }
  void check_options(const BackendOptions& o) const override { require_no_options(name(), o); }
  // Keeps every value and its own copy of the weights (the caller holds the other).
  MemoryEstimate estimate_memory(const GraphCost& c, const BackendOptions&) const override {
    return sum_memory({{"all activations", c.total.activation_bytes, 1}, {"weights", c.total.weight_bytes, 2},
                       {"runtime", int64_t{64} << 20, 1}});
  }
};

}  // namespace

std::unique_ptr<Backend> make_reference_backend() { return std::make_unique<ReferenceBackend>(); }

}  // namespace fb
