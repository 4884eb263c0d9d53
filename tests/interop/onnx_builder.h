#pragma once
// Small ONNX models written in the tests through the ONNX protobuf API, one
// operator (or a few) at a time, for the importer's tests.
#include <onnx/onnx_pb.h>

#include <string>
#include <vector>

namespace fb::test {

class OnnxBuilder {
 public:
  // input_dims: a 0 is a symbolic dimension ("N").
  OnnxBuilder(int64_t opset, std::vector<int64_t> input_dims, const std::string& input = "x") {
    m_.set_ir_version(opset >= 15 ? 8 : opset >= 13 ? 7 : opset >= 11 ? 6 : opset == 10 ? 5 : 4);
    auto* o = m_.add_opset_import();
    o->set_domain("");
    o->set_version(opset);
    g()->set_name("test");
    auto* in = g()->add_input();
    in->set_name(input);
    auto* t = in->mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    for (int64_t d : input_dims) {
      auto* dim = t->mutable_shape()->add_dim();
      if (d == 0) dim->set_dim_param("N");
      else dim->set_dim_value(d);
    }
  }

  onnx::GraphProto* g() { return m_.mutable_graph(); }

  // A float initializer; values cycle through a deterministic pattern when
  // `values` is empty.
  std::string init(const std::string& name, std::vector<int64_t> dims, std::vector<float> values = {}) {
    auto* t = g()->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    int64_t n = 1;
    for (int64_t d : dims) t->add_dims(d), n *= d;
    for (int64_t i = 0; i < n; ++i)
      t->add_float_data(values.empty() ? 0.25f * static_cast<float>((i * 7 + 3) % 9) - 1.0f
                                       : values[static_cast<size_t>(i) % values.size()]);
    return name;
  }
  std::string ints(const std::string& name, std::vector<int64_t> values) {
    auto* t = g()->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::INT64);
    t->add_dims(static_cast<int64_t>(values.size()));
    for (int64_t v : values) t->add_int64_data(v);
    return name;
  }

  onnx::NodeProto& node(const std::string& op, std::vector<std::string> inputs, const std::string& output,
                        const std::string& name = "") {
    auto* n = g()->add_node();
    n->set_op_type(op);
    n->set_name(name.empty() ? output : name);
    for (const auto& i : inputs) n->add_input(i);
    n->add_output(output);
    return *n;
  }

  // The output's dims are left unknown; only its rank is given.
  onnx::ModelProto finish(const std::string& output, int rank = 4) {
    auto* o = g()->add_output();
    o->set_name(output);
    auto* t = o->mutable_type()->mutable_tensor_type();
    t->set_elem_type(onnx::TensorProto::FLOAT);
    for (int i = 0; i < rank; ++i) t->mutable_shape()->add_dim();
    return m_;
  }

 private:
  onnx::ModelProto m_;
};

inline void attr(onnx::NodeProto& n, const std::string& name, std::vector<int64_t> v) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t x : v) a->add_ints(x);
}
inline void attr(onnx::NodeProto& n, const std::string& name, int64_t v) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(v);
}
inline void attr_f(onnx::NodeProto& n, const std::string& name, float v) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::FLOAT);
  a->set_f(v);
}
inline void attr_s(onnx::NodeProto& n, const std::string& name, const std::string& v) {
  auto* a = n.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::STRING);
  a->set_s(v);
}

}  // namespace fb::test
