#include "graph/cost.h"

#include <algorithm>

#include "common/checked.h"
#include "graph/weights.h"

namespace fb {

NodeCost& NodeCost::operator+=(const NodeCost& o) {
  macs = checked_add(macs, o.macs, "the total MACs");
  params = checked_add(params, o.params, "the total parameters");
  learnable_params = checked_add(learnable_params, o.learnable_params, "the total parameters");
  weight_bytes = checked_add(weight_bytes, o.weight_bytes, "the total weight bytes");
  activation_bytes = checked_add(activation_bytes, o.activation_bytes, "the total activation bytes");
  min_bytes = checked_add(min_bytes, o.min_bytes, "the total traffic bytes");
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
      const std::string what = "the MACs of " + n.name;
      return checked_mul(checked_mul(n.shape.numel(), in_c / a.groups, what), int64_t{a.kernel_h} * a.kernel_w, what);
    }
    case OpKind::Linear:
      return checked_mul(n.shape.numel(), g.node(n.inputs[0]).shape[1], "the MACs of " + n.name);
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
    checked_mul(nc.macs, 2, "the FLOPs of " + n.name);  // so that flops() never wraps
    for (const auto& p : param_specs(g, static_cast<ValueId>(i))) nc.params = checked_add(nc.params, p.shape.numel(), "the parameters of " + n.name);
    // BN's running mean and variance are half of its stored parameters.
    nc.learnable_params = n.op == OpKind::BatchNorm ? nc.params / 2 : nc.params;
    nc.weight_bytes = checked_mul(nc.params, kFloat, "the weight bytes of " + n.name);
    nc.activation_bytes = checked_mul(n.shape.numel(), kFloat, "the output bytes of " + n.name);
    if (n.op != OpKind::Input) {
      const std::string what = "the traffic bytes of " + n.name;
      nc.min_bytes = checked_add(nc.weight_bytes, nc.activation_bytes, what);
      for (ValueId in : n.inputs)
        nc.min_bytes = checked_add(nc.min_bytes, checked_mul(g.node(in).shape.numel(), kFloat, what), what);
    }
    c.total += nc;
    checked_mul(c.total.macs, 2, "the total FLOPs");
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
    live = checked_add(live, c.nodes[i].activation_bytes, "the peak live activation bytes");
    if (live > c.peak_activation_bytes) c.peak_activation_bytes = live;
    for (size_t d : dies_at[i]) live -= c.nodes[d].activation_bytes;
  }
  return c;
}

NodeCost group_cost(const Graph& g, const GraphCost& c, const std::vector<ValueId>& nodes) {
  constexpr int64_t kFloat = 4;
  auto member = [&](ValueId v) { return std::find(nodes.begin(), nodes.end(), v) != nodes.end(); };
  NodeCost sum;
  std::vector<ValueId> read;
  for (ValueId v : nodes) {
    const NodeCost& nc = c.nodes.at(static_cast<size_t>(v));
    sum.macs = checked_add(sum.macs, nc.macs, "the MACs of a fused step");
    sum.params = checked_add(sum.params, nc.params, "the parameters of a fused step");
    sum.learnable_params = checked_add(sum.learnable_params, nc.learnable_params, "the parameters of a fused step");
    sum.weight_bytes = checked_add(sum.weight_bytes, nc.weight_bytes, "the weight bytes of a fused step");
    for (ValueId in : g.node(v).inputs)
      if (!member(in) && std::find(read.begin(), read.end(), in) == read.end()) read.push_back(in);
  }
  sum.min_bytes = sum.weight_bytes;
  for (ValueId in : read)
    sum.min_bytes = checked_add(sum.min_bytes, checked_mul(g.node(in).shape.numel(), kFloat, "a fused step's traffic"),
                                "a fused step's traffic");
  for (ValueId v : nodes) {
    bool escapes = v == g.output;
    for (size_t i = 0; i < g.nodes.size() && !escapes; ++i)
      if (!member(static_cast<ValueId>(i)))
        for (ValueId in : g.nodes[i].inputs) escapes = escapes || in == v;
    if (!escapes) continue;
    const int64_t out = c.nodes.at(static_cast<size_t>(v)).activation_bytes;
    sum.activation_bytes = checked_add(sum.activation_bytes, out, "a fused step's output bytes");
    sum.min_bytes = checked_add(sum.min_bytes, out, "a fused step's traffic");
  }
  return sum;
}

}  // namespace fb
