#include "backends/onednn/passes/passes.h"

namespace fb::onednn {

Plan lower(const Graph& g, const Weights& w) {
  Plan p;
  p.output = g.output;
  p.num_values = g.nodes.size();
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    Step s;
    s.op = n.op;
    s.attrs = n.attrs;
    s.inputs = n.inputs;
    s.out = static_cast<ValueId>(i);
    s.shape = n.shape;
    s.covers = {{static_cast<ValueId>(i), n.name, ""}};
    if (i < w.per_node.size()) s.params = w.per_node[i];
    // Convs always carry a bias so folding and fusion have one shape to handle.
    if (n.op == OpKind::Conv && s.params.size() == 1) s.params.emplace_back(Shape{n.shape.c()});
    p.steps.push_back(std::move(s));
  }
  return p;
}

}  // namespace fb::onednn
