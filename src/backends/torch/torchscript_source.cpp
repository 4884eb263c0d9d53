#include "backends/torch/torchscript_source.h"

#include <fmt/core.h>
#include <fmt/format.h>

#include "backends/torch/padding.h"
#include "common/error.h"
#include "graph/weights.h"

namespace fb::torchscript {
namespace {

std::string v(ValueId id) { return "v" + std::to_string(id); }

class Writer {
 public:
  explicit Writer(const Graph& g) : g_(g) {}

  Source write() {
    line("def forward(self, v0: Tensor) -> Tensor:");
    for (size_t i = 1; i < g_.nodes.size(); ++i) node(static_cast<ValueId>(i));
    current_ = -1;
    line("return " + v(g_.output));
    return std::move(src_);
  }

 private:
  void line(const std::string& s) {
    src_.forward += (src_.forward.empty() ? "" : "    ") + s + "\n";
    src_.line_node.push_back(current_);
  }
  std::string attr(ValueId id, int index, bool buffer = false) {
    std::string name = fmt::format("n{}_p{}", id, index);
    src_.attributes.push_back({name, id, index, buffer});
    return "self." + name;
  }
  // The input of node `n`, explicitly padded with `fill` when `p` is asymmetric.
  std::string padded_input(const Node& n, const Padding& p, const std::string& fill) {
    std::string x = v(n.inputs[0]);
    if (torch_lowering::symmetric(p)) return x;
    line(fmt::format("{}_pad = torch.constant_pad_nd({}, {}, {})", x, x, pad_list(p), fill));
    return x + "_pad";
  }
  // Padding argument of the conv/pool itself: zero once padded explicitly.
  static std::string inner_pad(const Padding& p) {
    return torch_lowering::symmetric(p) ? int_pair(p.top, p.left) : int_pair(0, 0);
  }

  void node(ValueId id) {
    current_ = id;
    const Node& n = g_.node(id);
    const std::string out = v(id) + " = ";
    switch (n.op) {
      case OpKind::Input: throw Error("TorchScript writer: a second Input node at " + n.name);
      case OpKind::Conv: {
        const auto& a = n.as<ConvAttrs>();
        std::string x = padded_input(n, a.pad, "0.0");
        std::string w = attr(id, param::conv_weight);
        std::string b = a.bias ? attr(id, param::conv_bias) : "None";
        line(out + fmt::format("torch.conv2d({}, {}, {}, {}, {}, {}, {})", x, w, b, int_pair(a.stride_h, a.stride_w),
                               inner_pad(a.pad), int_pair(a.dilation_h, a.dilation_w), a.groups));
        break;
      }
      case OpKind::BatchNorm: {
        std::string gamma = attr(id, param::bn_gamma), beta = attr(id, param::bn_beta);
        std::string mean = attr(id, param::bn_mean, true), var = attr(id, param::bn_var, true);
        line(out + fmt::format("torch.batch_norm({}, {}, {}, {}, {}, False, 0.1, {:#.9g}, True)", v(n.inputs[0]),
                               gamma, beta, mean, var, n.as<BatchNormAttrs>().eps));
        break;
      }
      case OpKind::Activation: activation(id, n); break;
      case OpKind::Add: line(out + v(n.inputs[0]) + " + " + v(n.inputs[1])); break;
      case OpKind::Concat: {
        std::vector<std::string> xs;
        for (ValueId in : n.inputs) xs.push_back(v(in));
        line(out + fmt::format("torch.cat([{}], 1)", fmt::join(xs, ", ")));
        break;
      }
      case OpKind::MaxPool: {
        const auto& a = n.as<PoolAttrs>();
        std::string x = padded_input(n, a.pad, "float(\"-inf\")");
        line(out + fmt::format("torch.max_pool2d({}, {}, {}, {}, [1, 1], False)", x, int_pair(a.kernel_h, a.kernel_w),
                               int_pair(a.stride_h, a.stride_w), inner_pad(a.pad)));
        break;
      }
      case OpKind::AvgPool: avg_pool(id, n); break;
      case OpKind::GlobalAvgPool: line(out + fmt::format("torch.adaptive_avg_pool2d({}, [1, 1])", v(n.inputs[0]))); break;
      case OpKind::Flatten: line(out + fmt::format("torch.flatten({}, 1)", v(n.inputs[0]))); break;
      case OpKind::Linear: {
        std::string w = attr(id, param::linear_weight);
        std::string b = n.as<LinearAttrs>().bias ? attr(id, param::linear_bias) : "None";
        line(out + fmt::format("torch.linear({}, {}, {})", v(n.inputs[0]), w, b));
        break;
      }
      case OpKind::Pad:
        line(out + fmt::format("torch.constant_pad_nd({}, {}, 0.0)", v(n.inputs[0]), pad_list(n.as<PadAttrs>().pad)));
        break;
      case OpKind::Slice: {
        const auto& s = n.as<SliceAttrs>();
        line(out + fmt::format("{}[:, :, {}:{}, {}:{}]", v(n.inputs[0]), s.top, s.top + s.height, s.left,
                               s.left + s.width));
        break;
      }
    }
  }

  void activation(ValueId id, const Node& n) {
    const std::string x = v(n.inputs[0]), out = v(id) + " = ";
    if (n.as<ActivationAttrs>().kind == ActKind::ReLU) return line(out + "torch.relu(" + x + ")");
    // F.relu6 is hardtanh(0, 6). LibTorch 1.13's oneDNN hardtanh
    // (prim::MKLDNNHardTanh, from optimize_for_inference) returns garbage
    // when the channel count is not a multiple of 16 (the blocked layout's
    // padding); the same function as relu + clamp_max is computed correctly.
    if (n.shape.c() % 16 == 0) return line(out + "torch.hardtanh(" + x + ", 0.0, 6.0)");
    line(out + "torch.clamp_max(torch.relu(" + x + "), 6.0)  # not hardtanh: LibTorch 1.13 bug, see docs/backends.md");
  }

  void avg_pool(ValueId id, const Node& n) {
    for (const std::string& l : avg_pool_lines(v(id), v(n.inputs[0]), n.as<PoolAttrs>())) line(l);
  }

  const Graph& g_;
  Source src_;
  ValueId current_ = -1;  // the node whose lines are being written
};

}  // namespace

Source write_forward(const Graph& g) { return Writer(g).write(); }

std::string int_pair(int64_t a, int64_t b) { return fmt::format("[{}, {}]", a, b); }
std::string pad_list(const Padding& p) { return fmt::format("[{}]", fmt::join(torch_lowering::pad_arg(p), ", ")); }

std::vector<std::string> avg_pool_lines(const std::string& out, const std::string& x, const PoolAttrs& a) {
  const std::string k = int_pair(a.kernel_h, a.kernel_w), s = int_pair(a.stride_h, a.stride_w);
  if (torch_lowering::symmetric(a.pad))
    return {fmt::format("{} = torch.avg_pool2d({}, {}, {}, {}, False, {}, None)", out, x, k, s,
                        int_pair(a.pad.top, a.pad.left), a.count_include_pad ? "True" : "False")};
  // Asymmetric: pool the zero-padded input; without count_include_pad,
  // divide by the pooled mask of real pixels (the ratio of two means).
  std::vector<std::string> lines = {
      fmt::format("{}_pad = torch.constant_pad_nd({}, {}, 0.0)", x, x, pad_list(a.pad)),
      fmt::format("{} = torch.avg_pool2d({}_pad, {}, {}, [0, 0], False, True, None)", out, x, k, s)};
  if (a.count_include_pad) return lines;
  lines.push_back(fmt::format("{}_mask = torch.constant_pad_nd(torch.ones_like({}), {}, 0.0)", out, x, pad_list(a.pad)));
  lines.push_back(fmt::format("{} = {} / torch.avg_pool2d({}_mask, {}, {}, [0, 0], False, True, None)", out, out, out, k, s));
  return lines;
}

}  // namespace fb::torchscript
