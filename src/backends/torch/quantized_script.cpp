#include "backends/torch/quantized_script.h"

#include <fmt/core.h>
#include <fmt/format.h>
#include <torch/csrc/jit/frontend/sugared_value.h>

#include "backends/torch/padding.h"
#include "backends/torch/torchscript_source.h"
#include "common/error.h"

namespace fb::torch_quant {
namespace {

using torchscript::int_pair;
using torchscript::pad_list;

std::string v(ValueId id) { return "v" + std::to_string(id); }
// Scales exactly as the eager network uses them (17 significant digits).
std::string qargs(const QParams& q) { return fmt::format("{:.17g}, {}", q.scale, q.zero_point); }
// TorchScript takes a dtype as its ScalarType number (torch.quint8 is not a
// value there).
std::string quint8() { return std::to_string(static_cast<int>(at::kQUInt8)); }

class ScriptWriter {
 public:
  explicit ScriptWriter(const QuantizedNet& net) : net_(net), g_(net.graph()) {}

  QuantizedScript write() {
    line("def forward(self, x: Tensor) -> Tensor:");
    line(fmt::format("v0 = torch.quantize_per_tensor(x, {}, {})", qargs(net_.input_qparams()), quint8()));
    for (const QStep& s : net_.steps()) step(s);
    current_ = -1;
    line(fmt::format("return torch.dequantize({})", v(g_.output)));
    return std::move(out_);
  }

 private:
  void line(const std::string& s) {
    out_.forward += (out_.forward.empty() ? "" : "    ") + s + "\n";
    out_.line_node.push_back(current_);
  }
  std::string attribute(const std::string& name, const c10::IValue& value) {
    out_.module.register_attribute(name, value.type(), value);
    return "self." + name;
  }
  // `x` with its stored integers padded by `p` with `fill` (an expression).
  static std::string pad_expr(const std::string& x, const Padding& p, const std::string& fill) {
    return fmt::format("torch._make_per_tensor_quantized_tensor(torch.constant_pad_nd({0}.int_repr(), {1}, {2}), "
                       "{0}.q_scale(), {0}.q_zero_point())",
                       x, pad_list(p), fill);
  }
  // `x`, first padded where `p` is asymmetric (the op takes symmetric padding only).
  std::string padded(const std::string& x, const Padding& p, const std::string& fill) {
    if (torch_lowering::symmetric(p)) return x;
    line(x + "_pad = " + pad_expr(x, p, fill));
    return x + "_pad";
  }
  static std::string zero_point_of(const std::string& x) { return x + ".q_zero_point()"; }

  void step(const QStep& s) {
    current_ = s.head;
    const Node& n = g_.node(s.head);
    const std::string x = v(n.inputs[0]), out = v(s.result()) + " = ";
    const std::string relu = s.relu ? "_relu" : "";
    switch (n.op) {
      case OpKind::Input: throw Error("TorchScript int8 writer: a second Input node at " + n.name);
      case OpKind::Conv: {
        const std::string in = padded(x, n.as<ConvAttrs>().pad, zero_point_of(x));
        const std::string w = attribute(fmt::format("n{}_packed", s.head), c10::IValue(s.conv));
        line(out + fmt::format("quantized.conv2d{}({}, {}, {})", relu, in, w, qargs(s.out)));
        break;
      }
      case OpKind::Linear: {
        const std::string w = attribute(fmt::format("n{}_packed", s.head), c10::IValue(s.linear));
        line(out + fmt::format("quantized.linear{}({}, {}, {})", relu, x, w, qargs(s.out)));
        break;
      }
      case OpKind::BatchNorm: {
        std::vector<std::string> p;
        int k = 0;
        for (const at::Tensor& t : {s.gamma, s.beta, s.mean, s.var})
          p.push_back(attribute(fmt::format("n{}_p{}", s.head, k++), c10::IValue(t)));
        line(out + fmt::format("quantized.batch_norm2d({}, {}, {:#.9g}, {})", x, fmt::join(p, ", "),
                               n.as<BatchNormAttrs>().eps, qargs(s.out)));
        break;
      }
      case OpKind::Activation:
        line(out + (n.as<ActivationAttrs>().kind == ActKind::ReLU ? "torch.relu(" + x + ")"
                                                                  : "torch.hardtanh(" + x + ", 0.0, 6.0)"));
        break;
      case OpKind::Add:
        line(out + fmt::format("quantized.add{}({}, {}, {})", relu, x, v(n.inputs[1]), qargs(s.out)));
        break;
      case OpKind::Concat: {
        std::vector<std::string> xs;
        for (ValueId in : n.inputs) xs.push_back(v(in));
        line(out + fmt::format("quantized.cat([{}], 1, {})", fmt::join(xs, ", "), qargs(s.out)));
        break;
      }
      case OpKind::MaxPool: {
        const auto& a = n.as<PoolAttrs>();
        const auto pad = torch_lowering::inner_pad(a.pad);
        line(out + fmt::format("torch.max_pool2d({}, {}, {}, {}, [1, 1], False)", padded(x, a.pad, "0"),
                               int_pair(a.kernel_h, a.kernel_w), int_pair(a.stride_h, a.stride_w),
                               int_pair(pad[0], pad[1])));
        break;
      }
      case OpKind::AvgPool: avg_pool(s, n); break;
      case OpKind::GlobalAvgPool: line(out + fmt::format("torch.adaptive_avg_pool2d({}, [1, 1])", x)); break;
      case OpKind::Flatten: line(out + fmt::format("torch.flatten({}, 1)", x)); break;
      case OpKind::Pad: line(out + pad_expr(x, n.as<PadAttrs>().pad, zero_point_of(x))); break;
      case OpKind::Slice: {
        const auto& sl = n.as<SliceAttrs>();
        line(out + fmt::format("{}[:, :, {}:{}, {}:{}].contiguous()", x, sl.top, sl.top + sl.height, sl.left,
                               sl.left + sl.width));
        break;
      }
    }
  }

  void avg_pool(const QStep& s, const Node& n) {
    const auto& a = n.as<PoolAttrs>();
    const std::string x = v(n.inputs[0]), out = v(s.result());
    if (s.in_fp32) {  // no quantised form: in fp32 between a dequantise and a quantise
      line(fmt::format("{}_f = torch.dequantize({})", x, x));
      for (const std::string& l : torchscript::avg_pool_lines(out + "_f", x + "_f", a)) line(l);
      line(fmt::format("{} = torch.quantize_per_tensor({}_f, {}, {})", out, out, qargs(s.out), quint8()));
      return;
    }
    const auto pad = torch_lowering::inner_pad(a.pad);
    line(fmt::format("{} = torch.avg_pool2d({}, {}, {}, {}, False, {}, None)", out,
                     padded(x, a.pad, zero_point_of(x)), int_pair(a.kernel_h, a.kernel_w),
                     int_pair(a.stride_h, a.stride_w), int_pair(pad[0], pad[1]),
                     a.count_include_pad ? "True" : "False"));
  }

  const QuantizedNet& net_;
  const Graph& g_;
  QuantizedScript out_{torch::jit::Module("FormbenchInt8Net"), {}, {}};
  ValueId current_ = -1;  // the node whose lines are being written
};

}  // namespace

QuantizedScript write_script(const QuantizedNet& net) { return ScriptWriter(net).write(); }

namespace {

struct QuantizedResolver : torch::jit::Resolver {
  std::shared_ptr<torch::jit::SugaredValue> resolveValue(const std::string& name, torch::jit::GraphFunction&,
                                                         const torch::jit::SourceRange&) override {
    if (name == "torch") return std::make_shared<torch::jit::BuiltinModule>("aten");
    if (name == "quantized") return std::make_shared<torch::jit::BuiltinModule>("quantized");
    return nullptr;
  }
};

}  // namespace

torch::jit::ResolverPtr quantized_resolver() { return std::make_shared<QuantizedResolver>(); }

}  // namespace fb::torch_quant
