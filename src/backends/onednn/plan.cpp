#include "backends/onednn/plan.h"

#include <fmt/core.h>

#include <algorithm>
#include <type_traits>

namespace fb::onednn {

bool Step::has_sum() const {
  return std::any_of(post.begin(), post.end(), [](const PostOp& p) { return p.kind == PostOp::Kind::Sum; });
}

bool Step::has_depthwise() const {
  return std::any_of(post.begin(), post.end(), [](const PostOp& p) { return p.kind == PostOp::Kind::Depthwise; });
}

std::vector<int> Plan::reader_count() const {
  std::vector<int> n(num_values, 0);
  for (const Step& s : steps) {
    for (ValueId v : s.inputs) ++n[static_cast<size_t>(v)];
    for (const PostOp& p : s.post)
      if (p.kind == PostOp::Kind::Sum) ++n[static_cast<size_t>(p.sum_operand)];
  }
  if (output >= 0) ++n[static_cast<size_t>(output)];
  return n;
}

std::vector<int> Plan::producers() const {
  std::vector<int> at(num_values, -1);
  for (size_t i = 0; i < steps.size(); ++i) at[static_cast<size_t>(steps[i].out)] = static_cast<int>(i);
  return at;
}

namespace {

std::string padding_str(const Padding& p) { return fmt::format("p{},{},{},{}", p.top, p.left, p.bottom, p.right); }

std::string conv_str(const ConvAttrs& a) {
  return fmt::format("k{}x{} s{}x{} {} d{}x{} g{} o{}{}", a.kernel_h, a.kernel_w, a.stride_h, a.stride_w,
                     padding_str(a.pad), a.dilation_h, a.dilation_w, a.groups, a.out_channels, a.bias ? " b" : "");
}

std::string attrs_str(const OpAttrs& attrs) {
  return std::visit(
      [](const auto& a) -> std::string {
        using A = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<A, ConvAttrs>) return conv_str(a);
        else if constexpr (std::is_same_v<A, PoolAttrs>)
          return fmt::format("k{}x{} s{}x{} {}{}", a.kernel_h, a.kernel_w, a.stride_h, a.stride_w, padding_str(a.pad),
                             a.count_include_pad ? " incl" : "");
        else if constexpr (std::is_same_v<A, ActivationAttrs>) return std::string(act_name(a.kind));
        else if constexpr (std::is_same_v<A, LinearAttrs>) return fmt::format("o{}{}", a.out_features, a.bias ? " b" : "");
        else if constexpr (std::is_same_v<A, PadAttrs>) return padding_str(a.pad);
        else if constexpr (std::is_same_v<A, SliceAttrs>)
          return fmt::format("{},{} {}x{}", a.top, a.left, a.height, a.width);
        else return "";  // the rest have no attribute that changes the work
      },
      attrs);
}

std::string post_op_str(const PostOp& p) {
  switch (p.kind) {
    case PostOp::Kind::Eltwise: return fmt::format(" +{}", act_name(p.act));
    case PostOp::Kind::Sum: return fmt::format(" +sum %{}", p.sum_operand);
    case PostOp::Kind::Depthwise: return fmt::format(" +dw({} from {})", conv_str(p.dw), p.dw_in_shape.str());
  }
  return "";
}

}  // namespace

std::string plan_signature(const Plan& p) {
  std::string sig;
  for (const Step& s : p.steps) {
    sig += fmt::format("%{} = {} {} (", s.out, op_name(s.op), attrs_str(s.attrs));
    for (ValueId v : s.inputs) sig += fmt::format(" %{}", v);
    sig += fmt::format(" ) {}", s.shape.str());
    for (const PostOp& post : s.post) sig += post_op_str(post);
    sig += "\n";
  }
  return sig + fmt::format("out %{}\n", p.output);
}

}  // namespace fb::onednn
