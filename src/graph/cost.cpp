#include "graph/cost.h"

#include "graph/weights.h"

namespace fb {

NodeCost& NodeCost::operator+=(const NodeCost& o) {
  macs += o.macs;
  params += o.params;
  learnable_params += o.learnable_params;
  weight_bytes += o.weight_bytes;
  activation_bytes += o.activation_bytes;
  min_bytes += o.min_bytes;
  return *this;
}

double GraphCost::arithmetic_intensity() const {
  return total.min_bytes > 0 ? static_cast<double>(total.flops()) / static_cast<double>(total.min_bytes) : 0.0;
}

namespace {

int64_t macs_of(const Graph& g, const Node& n) {
  switch (n.op) {
    case OpKind::Conv: {
      const auto& a = n.as<ConvAttrs>();
      int64_t in_c = g.node(n.inputs[0]).shape.c();
      return n.shape.numel() * (in_c / a.groups) * a.kernel_h * a.kernel_w;
    }
    case OpKind::Linear:
      return n.shape.numel() * g.node(n.inputs[0]).shape[1];
    default:
      return 0;
  }
}

}  // namespace

GraphCost cost_of(const Graph& g) {
  constexpr int64_t kFloat = 4;
  GraphCost c;
  c.nodes.resize(g.nodes.size());
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    NodeCost& nc = c.nodes[i];
    nc.macs = macs_of(g, n);
    for (const auto& p : param_specs(g, static_cast<ValueId>(i))) nc.params += p.shape.numel();
    // BN's running mean and variance are half of its stored parameters.
    nc.learnable_params = n.op == OpKind::BatchNorm ? nc.params / 2 : nc.params;
    nc.weight_bytes = nc.params * kFloat;
    nc.activation_bytes = n.shape.numel() * kFloat;
    if (n.op != OpKind::Input) {
      nc.min_bytes = nc.weight_bytes + nc.activation_bytes;
      for (ValueId in : n.inputs) nc.min_bytes += g.node(in).shape.numel() * kFloat;
    }
    c.total += nc;
  }

  // Liveness: a value is live from its definition to its last use.
  std::vector<size_t> last_use(g.nodes.size());
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    last_use[i] = i;
    for (ValueId in : g.nodes[i].inputs) last_use[static_cast<size_t>(in)] = i;
  }
  last_use[static_cast<size_t>(g.output)] = g.nodes.size();
  int64_t live = 0;
  std::vector<std::vector<size_t>> dies_at(g.nodes.size() + 1);
  for (size_t i = 0; i < g.nodes.size(); ++i) dies_at[last_use[i]].push_back(i);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    live += c.nodes[i].activation_bytes;
    if (live > c.peak_activation_bytes) c.peak_activation_bytes = live;
    for (size_t d : dies_at[i]) live -= c.nodes[d].activation_bytes;
  }
  return c;
}

}  // namespace fb
