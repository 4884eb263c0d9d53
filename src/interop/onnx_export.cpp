#include "interop/onnx_export.h"

#include <set>

#include "common/error.h"
#include "interop/onnx_constant.h"
#include "interop/onnx_file.h"

namespace fb::onnx_io {

namespace {

// `base`, or base.1, base.2, ... : the first not in `used` (then it is).
std::string unique_name(std::set<std::string>& used, const std::string& base) {
  std::string name = base;
  for (int k = 1; !used.insert(name).second; ++k) name = base + "." + std::to_string(k);
  return name;
}

}  // namespace

std::vector<std::string> onnx_node_names(const Graph& g) {
  std::vector<std::string> names;
  std::set<std::string> used;
  for (const Node& n : g.nodes) names.push_back(unique_name(used, n.name.empty() ? "v" : n.name));
  return names;
}

namespace {

void set_ints(onnx::NodeProto& n, const std::string& name, std::vector<int64_t> v) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t x : v) a->add_ints(x);
}
void set_int(onnx::NodeProto& n, const std::string& name, int64_t v) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(v);
}
void set_float(onnx::NodeProto& n, const std::string& name, float v) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_f(v);
}
void set_string(onnx::NodeProto& n, const std::string& name, const std::string& v) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::STRING);
  a->set_s(v);
}

void set_shape(onnx::ValueInfoProto& v, const std::string& name, const Shape& s) {
  v.set_name(name);
  auto* t = v.mutable_type()->mutable_tensor_type();
  t->set_elem_type(onnx::TensorProto::FLOAT);
  for (int64_t d : s.dims) t->mutable_shape()->add_dim()->set_dim_value(d);
}

class Exporter {
 public:
  Exporter(const Graph& g, const Weights& w) : g_(g), w_(w) {}

  onnx::ModelProto run() {
    onnx::ModelProto m;
    m.set_ir_version(5);  // the IR version of opset 10
    m.set_producer_name("formbench");
    auto* opset = m.add_opset_import();
    opset->set_domain("");
    opset->set_version(kExportOpset);
    graph_ = m.mutable_graph();
    graph_->set_name(g_.name.empty() ? "formbench" : g_.name);
    if (w_.per_node.size() != g_.nodes.size()) throw Error("export: the weights do not match the graph");
    names_ = onnx_node_names(g_);
    used_.insert(names_.begin(), names_.end());
    set_shape(*graph_->add_input(), names_[0], g_.input_shape());
    for (size_t i = 1; i < g_.nodes.size(); ++i) node(static_cast<ValueId>(i));
    set_shape(*graph_->add_output(), names_.at(static_cast<size_t>(g_.output)), g_.output_shape());
    return m;
  }

 private:
  std::string unique(const std::string& base) {
    return unique_name(used_, base);
  }

  std::string initializer(ValueId id, const std::string& role, const Constant& c) {
    const std::string name = unique(names_[static_cast<size_t>(id)] + "." + role);
    *graph_->add_initializer() = to_proto(name, c);
    return name;
  }
  std::string param(ValueId id, int index, const std::string& role) {
    const Tensor& t = w_.at(id, index);
    return initializer(id, role, Constant{t.shape.dims, false, {}, t.data});
  }
  std::string ints(ValueId id, const std::string& role, std::vector<int64_t> v) {
    return initializer(id, role, Constant{{static_cast<int64_t>(v.size())}, true, v, {}});
  }

  onnx::NodeProto& add(ValueId id, const std::string& op, std::vector<std::string> inputs) {
    auto* n = graph_->add_node();
    n->set_name(names_[static_cast<size_t>(id)]);
    n->set_op_type(op);
    for (auto& in : inputs) n->add_input(in);
    n->add_output(names_[static_cast<size_t>(id)]);
    return *n;
  }
  const std::string& in(const Node& n, size_t i) const { return names_.at(static_cast<size_t>(n.inputs.at(i))); }

  void node(ValueId id) {
    const Node& n = g_.node(id);
    switch (n.op) {
      case OpKind::Input:
        throw Error("export: a second Input node at " + n.name);
      case OpKind::Conv: {
        const auto& a = n.as<ConvAttrs>();
        std::vector<std::string> inputs{in(n, 0), param(id, param::conv_weight, "weight")};
        if (a.bias) inputs.push_back(param(id, param::conv_bias, "bias"));
        auto& c = add(id, "Conv", inputs);
        set_ints(c, "kernel_shape", {a.kernel_h, a.kernel_w});
        set_ints(c, "strides", {a.stride_h, a.stride_w});
        set_ints(c, "pads", {a.pad.top, a.pad.left, a.pad.bottom, a.pad.right});
        set_ints(c, "dilations", {a.dilation_h, a.dilation_w});
        set_int(c, "group", a.groups);
        return;
      }
      case OpKind::BatchNorm: {
        auto& b = add(id, "BatchNormalization",
                      {in(n, 0), param(id, param::bn_gamma, "gamma"), param(id, param::bn_beta, "beta"),
                       param(id, param::bn_mean, "mean"), param(id, param::bn_var, "var")});
        set_float(b, "epsilon", n.as<BatchNormAttrs>().eps);
        return;
      }
      case OpKind::Activation:
        if (n.as<ActivationAttrs>().kind == ActKind::ReLU) {
          add(id, "Relu", {in(n, 0)});
        } else {
          auto& c = add(id, "Clip", {in(n, 0)});  // bounds as attributes: opset 10's Clip
          set_float(c, "min", 0);
          set_float(c, "max", 6);
        }
        return;
      case OpKind::Add:
        add(id, "Add", {in(n, 0), in(n, 1)});
        return;
      case OpKind::Concat: {
        std::vector<std::string> inputs;
        for (size_t i = 0; i < n.inputs.size(); ++i) inputs.push_back(in(n, i));
        set_int(add(id, "Concat", inputs), "axis", 1);
        return;
      }
      case OpKind::MaxPool:
      case OpKind::AvgPool: {
        const auto& a = n.as<PoolAttrs>();
        auto& p = add(id, n.op == OpKind::MaxPool ? "MaxPool" : "AveragePool", {in(n, 0)});
        set_ints(p, "kernel_shape", {a.kernel_h, a.kernel_w});
        set_ints(p, "strides", {a.stride_h, a.stride_w});
        set_ints(p, "pads", {a.pad.top, a.pad.left, a.pad.bottom, a.pad.right});
        if (n.op == OpKind::AvgPool) set_int(p, "count_include_pad", a.count_include_pad ? 1 : 0);
        return;
      }
      case OpKind::GlobalAvgPool:
        add(id, "GlobalAveragePool", {in(n, 0)});
        return;
      case OpKind::Flatten:
        set_int(add(id, "Flatten", {in(n, 0)}), "axis", 1);
        return;
      case OpKind::Linear: {
        std::vector<std::string> inputs{in(n, 0), param(id, param::linear_weight, "weight")};
        if (n.as<LinearAttrs>().bias) inputs.push_back(param(id, param::linear_bias, "bias"));
        set_int(add(id, "Gemm", inputs), "transB", 1);
        return;
      }
      case OpKind::Pad: {
        const auto& p = n.as<PadAttrs>().pad;
        auto& pad = add(id, "Pad", {in(n, 0)});  // opset 10's Pad: pads as an attribute
        set_string(pad, "mode", "constant");
        set_ints(pad, "pads", {0, 0, p.top, p.left, 0, 0, p.bottom, p.right});
        set_float(pad, "value", 0);
        return;
      }
      case OpKind::Slice: {
        const auto& s = n.as<SliceAttrs>();
        add(id, "Slice",
            {in(n, 0), ints(id, "starts", {s.top, s.left}), ints(id, "ends", {s.top + s.height, s.left + s.width}),
             ints(id, "axes", {2, 3})});
        return;
      }
    }
    throw Error("export: node " + n.name + " has an unknown op");
  }

  const Graph& g_;
  const Weights& w_;
  onnx::GraphProto* graph_ = nullptr;
  std::vector<std::string> names_;
  std::set<std::string> used_;
};

}  // namespace

onnx::ModelProto export_model(const Graph& g, const Weights& w) {
  onnx::ModelProto m = Exporter(g, w).run();
  check_model(m, "the exported model " + g.name);
  return m;
}

}  // namespace fb::onnx_io
