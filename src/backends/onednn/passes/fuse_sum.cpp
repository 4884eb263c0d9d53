#include "backends/onednn/passes/passes.h"

namespace fb::onednn {
namespace {

// Why `conv` (at step c) may not accumulate into x for the Add at step a;
// empty when it may.
std::string sum_blocker(const Plan& p, const std::vector<int>& readers, const std::vector<int>& prod, int c, int a,
                        ValueId x) {
  const Step& conv = p.steps[static_cast<size_t>(c)];
  if (conv.op != OpKind::Conv) return "the other operand is not a conv";
  if (!conv.post.empty()) return "the conv already has post-ops";
  if (readers[static_cast<size_t>(conv.out)] != 1) return "the conv output has other readers";
  if (x == 0) return "the operand is the network input, which is not ours to overwrite";
  if (x == p.output) return "the operand is the network output";
  const int px = prod[static_cast<size_t>(x)];
  if (px < 0 || px > c) return "the operand is computed after the conv";
  if (p.steps[static_cast<size_t>(px)].op == OpKind::Pad) return "the operand is a padded buffer whose border must stay zero";
  if (conv.inputs[0] == x) return "the conv reads the operand it would overwrite";
  for (size_t i = static_cast<size_t>(c) + 1; i < p.steps.size(); ++i) {
    if (static_cast<int>(i) == a) continue;
    for (ValueId v : p.steps[i].inputs)
      if (v == x) return "the operand is read again later by " + p.steps[i].covers[0].name;
  }
  return {};
}

}  // namespace

Plan fuse_sum(Plan p) {
  for (size_t a = 0; a < p.steps.size(); ++a) {
    if (p.steps[a].op != OpKind::Add) continue;
    const auto readers = p.reader_count();
    const auto prod = p.producers();
    const Step& add = p.steps[a];
    std::string why;
    for (int k = 1; k >= 0; --k) {  // prefer accumulating into the first operand (the skip path)
      const ValueId y = add.inputs[static_cast<size_t>(k)], x = add.inputs[static_cast<size_t>(1 - k)];
      const int c = prod[static_cast<size_t>(y)];
      std::string blocker = c < 0 ? "no producer" : sum_blocker(p, readers, prod, c, static_cast<int>(a), x);
      if (!blocker.empty()) {
        if (why.empty()) why = blocker;
        continue;
      }
      Step& conv = p.steps[static_cast<size_t>(c)];
      PostOp sum;
      sum.kind = PostOp::Kind::Sum;
      sum.sum_operand = x;
      sum.covers_from = conv.covers.size();
      conv.post.push_back(sum);
      conv.out = add.out;
      conv.covers.push_back({add.covers[0].node, add.covers[0].name,
                             "sum post-op, in place into " + p.steps[static_cast<size_t>(prod[static_cast<size_t>(x)])].covers[0].name});
      p.steps.erase(p.steps.begin() + static_cast<std::ptrdiff_t>(a));
      --a;
      why.clear();
      break;
    }
    if (!why.empty()) p.notes.push_back(p.steps[a].covers[0].name + ": Add not fused as sum (" + why + ")");
  }
  return p;
}

}  // namespace fb::onednn
