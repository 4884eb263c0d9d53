#include "graph/weights.h"

#include <cmath>

namespace fb {
namespace {

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// One independent stream per (seed, node, tensor): editing one layer never
// changes the numbers drawn for another.
class Stream {
 public:
  Stream(uint64_t seed, uint64_t node, uint64_t tensor) {
    state_ = seed;
    uint64_t mix = splitmix64(state_) ^ (node * 0x100000001b3ULL) ^ (tensor << 48);
    state_ = mix;
  }
  // Uniform in [lo, hi), 24 random mantissa bits.
  float uniform(float lo, float hi) {
    float u = static_cast<float>(splitmix64(state_) >> 40) * (1.0f / 16777216.0f);
    return lo + (hi - lo) * u;
  }
  void fill(Tensor& t, float lo, float hi) {
    for (float& v : t.data) v = uniform(lo, hi);
  }

 private:
  uint64_t state_;
};

bool feeds_residual_add(const Graph& g, const std::vector<std::vector<ValueId>>& users, ValueId v) {
  const auto& u = users[static_cast<size_t>(v)];
  return u.size() == 1 && g.node(u[0]).op == OpKind::Add;
}

}  // namespace

std::vector<ParamSpec> param_specs(const Graph& g, ValueId id) {
  const Node& n = g.node(id);
  switch (n.op) {
    case OpKind::Conv: {
      const auto& a = n.as<ConvAttrs>();
      int64_t in_c = g.node(n.inputs[0]).shape.c();
      std::vector<ParamSpec> p{{"weight", Shape{a.out_channels, in_c / a.groups, a.kernel_h, a.kernel_w}}};
      if (a.bias) p.push_back({"bias", Shape{a.out_channels}});
      return p;
    }
    case OpKind::BatchNorm: {
      int64_t c = n.shape.c();
      return {{"gamma", Shape{c}}, {"beta", Shape{c}}, {"mean", Shape{c}}, {"var", Shape{c}}};
    }
    case OpKind::Linear: {
      const auto& a = n.as<LinearAttrs>();
      int64_t in_f = g.node(n.inputs[0]).shape[1];
      std::vector<ParamSpec> p{{"weight", Shape{a.out_features, in_f}}};
      if (a.bias) p.push_back({"bias", Shape{a.out_features}});
      return p;
    }
    default:
      return {};
  }
}

Weights make_weights(const Graph& g, uint64_t seed) {
  Weights w;
  w.seed = seed;
  w.per_node.resize(g.nodes.size());
  auto users = g.consumers();
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    auto specs = param_specs(g, static_cast<ValueId>(i));
    auto& tensors = w.per_node[i];
    for (size_t t = 0; t < specs.size(); ++t) {
      tensors.emplace_back(specs[t].shape);
      Stream rng(seed, i, t);
      Tensor& out = tensors.back();
      if (n.op == OpKind::Conv || n.op == OpKind::Linear) {
        if (t == 0) {
          const Shape& s = specs[t].shape;
          double fan_in = static_cast<double>(s.numel() / s[0]);
          // Conv feeds ReLU-like ops: variance 2/fan_in. The classifier: 1/fan_in.
          double var = (n.op == OpKind::Conv ? 2.0 : 1.0) / fan_in;
          float bound = static_cast<float>(std::sqrt(3.0 * var));
          rng.fill(out, -bound, bound);
        } else {
          rng.fill(out, -0.05f, 0.05f);
        }
      } else if (n.op == OpKind::BatchNorm) {
        bool residual = feeds_residual_add(g, users, static_cast<ValueId>(i));
        switch (static_cast<int>(t)) {
          case param::bn_gamma: rng.fill(out, residual ? 0.2f : 0.8f, residual ? 0.4f : 1.2f); break;
          case param::bn_beta: rng.fill(out, -0.1f, 0.1f); break;
          case param::bn_mean: rng.fill(out, -0.1f, 0.1f); break;
          case param::bn_var: rng.fill(out, 0.8f, 1.2f); break;
        }
      }
    }
  }
  return w;
}

Tensor make_input(const Shape& shape, uint64_t seed) {
  Tensor t(shape);
  Stream rng(seed, ~0ULL, 0);
  rng.fill(t, -1.0f, 1.0f);
  return t;
}

}  // namespace fb
