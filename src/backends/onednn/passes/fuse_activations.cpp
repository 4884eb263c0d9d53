#include "backends/onednn/passes/merge.h"
#include "backends/onednn/passes/passes.h"

namespace fb::onednn {

Plan fuse_activations(Plan p) {
  return merge_steps(std::move(p), [](Step& act, Step* prev, const std::vector<int>& readers) {
    if (act.op != OpKind::Activation) return false;
    const bool host = prev->op == OpKind::Conv || prev->op == OpKind::Add || prev->op == OpKind::Linear;
    if (!host || readers[static_cast<size_t>(act.inputs[0])] != 1 || prev->has_depthwise()) return false;
    PostOp e;
    e.kind = PostOp::Kind::Eltwise;
    e.act = std::get<ActivationAttrs>(act.attrs).kind;
    e.covers_from = prev->covers.size();
    prev->post.push_back(e);
    prev->out = act.out;
    prev->covers.push_back({act.covers[0].node, act.covers[0].name, "eltwise post-op"});
    return true;
  });
}

}  // namespace fb::onednn
