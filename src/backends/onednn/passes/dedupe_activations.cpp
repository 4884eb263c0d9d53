#include <map>
#include <utility>

#include "backends/onednn/passes/passes.h"

namespace fb::onednn {

Plan dedupe_activations(Plan p) {
  std::map<std::pair<ValueId, ActKind>, size_t> first;  // (input, kind) -> index in `kept`
  std::map<ValueId, ValueId> same_as;                   // a dropped step's value -> the kept one's
  auto renamed = [&](ValueId v) {
    const auto it = same_as.find(v);
    return it == same_as.end() ? v : it->second;
  };
  std::vector<Step> kept;
  for (Step& s : p.steps) {
    for (ValueId& in : s.inputs) in = renamed(in);
    for (PostOp& post : s.post)
      if (post.kind == PostOp::Kind::Sum) post.sum_operand = renamed(post.sum_operand);
    if (s.op == OpKind::Activation && s.post.empty()) {
      const auto key = std::make_pair(s.inputs[0], std::get<ActivationAttrs>(s.attrs).kind);
      if (const auto it = first.find(key); it != first.end()) {
        Step& original = kept[it->second];
        same_as[s.out] = original.out;
        for (const CoveredNode& c : s.covers)
          original.covers.push_back({c.node, c.name, "the same activation of the same input as " +
                                                         original.covers[0].name + ": computed once"});
        continue;
      }
      first.emplace(key, kept.size());
    }
    kept.push_back(std::move(s));
  }
  p.steps = std::move(kept);
  p.output = renamed(p.output);
  return p;
}

}  // namespace fb::onednn
