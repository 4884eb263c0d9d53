#include <cmath>

#include "backends/onednn/passes/merge.h"
#include "backends/onednn/passes/passes.h"

namespace fb::onednn {

Plan fold_batch_norm(Plan p) {
  std::vector<std::string> notes;
  p = merge_steps(std::move(p), [&](Step& bn, Step* conv, const std::vector<int>& readers) {
    if (bn.op != OpKind::BatchNorm) return false;
    const ValueId x = bn.inputs[0];
    if (conv->op != OpKind::Conv || !conv->post.empty() || readers[static_cast<size_t>(x)] != 1) {
      notes.push_back(bn.covers[0].name + ": BN not folded (its input is not a conv read only by it)");
      return false;
    }
    const float eps = std::get<BatchNormAttrs>(bn.attrs).eps;
    Tensor& wt = conv->params[0];
    Tensor& bias = conv->params[1];
    const int64_t oc = bias.numel(), per_oc = wt.numel() / oc;
    for (int64_t o = 0; o < oc; ++o) {
      const auto i = static_cast<size_t>(o);
      const float scale = bn.params[0].data[i] / std::sqrt(bn.params[3].data[i] + eps);
      for (int64_t k = 0; k < per_oc; ++k) wt.data[static_cast<size_t>(o * per_oc + k)] *= scale;
      bias.data[i] = (bias.data[i] - bn.params[2].data[i]) * scale + bn.params[1].data[i];
    }
    conv->out = bn.out;
    conv->covers.push_back({bn.covers[0].node, bn.covers[0].name, "BN folded"});
    return true;
  });
  p.notes.insert(p.notes.end(), notes.begin(), notes.end());
  return p;
}

}  // namespace fb::onednn
