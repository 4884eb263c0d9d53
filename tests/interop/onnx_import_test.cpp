// The ONNX importer, one operator at a time on small models written through
// the ONNX protobuf API: the graph it makes (ops, attributes, shapes,
// weights), values computed by hand where the mapping is not one-to-one, and
// the message of every refusal.
#include <gtest/gtest.h>

#include <cmath>

#include "backends/backend.h"
#include "common/error.h"
#include "interop/onnx_file.h"
#include "interop/onnx_import.h"
#include "tests/interop/onnx_builder.h"

namespace fb {
namespace {

using test::attr;
using test::attr_f;
using test::attr_s;
using test::OnnxBuilder;

onnx_io::ImportedModel imported(const onnx::ModelProto& m) {
  onnx_io::check_model(m, "test model");  // the tests' own files are valid ONNX
  return onnx_io::import_model(m, "test");
}

std::string import_error(const onnx::ModelProto& m) {
  try {
    onnx_io::import_model(m, "test");
  } catch (const UsageError& e) {
    return e.what();
  }
  return "(no error)";
}

Tensor run_reference(const onnx_io::ImportedModel& im, const Tensor& input) {
  return run_once(choose_backend("reference", 1), im.graph, im.weights, input);
}

Tensor iota_input(const Shape& s) {
  Tensor t(s);
  for (size_t i = 0; i < t.data.size(); ++i) t.data[i] = 0.1f * static_cast<float>(static_cast<int>(i % 17) - 8);
  return t;
}

TEST(OnnxImport, ConvWithGroupsDilationAsymmetricPadsAndBias) {
  OnnxBuilder b(13, {1, 4, 9, 9});
  auto& c = b.node("Conv", {"x", b.init("w", {6, 2, 3, 3}), b.init("b", {6})}, "y");
  attr(c, "group", 2);
  attr(c, "dilations", {2, 1});
  attr(c, "pads", {0, 1, 2, 0});
  attr(c, "strides", {1, 2});
  const auto im = imported(b.finish("y"));
  ASSERT_EQ(im.graph.nodes.size(), 2u);
  const Node& n = im.graph.node(1);
  ASSERT_EQ(n.op, OpKind::Conv);
  const auto& a = n.as<ConvAttrs>();
  EXPECT_EQ(a.groups, 2);
  EXPECT_EQ(a.dilation_h, 2);
  EXPECT_EQ(a.dilation_w, 1);
  EXPECT_EQ(a.pad, (Padding{0, 1, 2, 0}));
  EXPECT_EQ(a.stride_w, 2);
  EXPECT_TRUE(a.bias);
  EXPECT_EQ(n.shape, (Shape{1, 6, 7, 4}));  // rows (9 + 2 - 5) / 1 + 1, columns (9 + 1 - 3) / 2 + 1
  EXPECT_EQ(im.weights.at(1, param::conv_weight).shape, (Shape{6, 2, 3, 3}));
  EXPECT_FLOAT_EQ(im.weights.at(1, param::conv_bias).data[5], 0.25f * ((5 * 7 + 3) % 9) - 1.0f);
}

TEST(OnnxImport, ConvAutoPadFollowsTheOnnxRule) {
  // in 6, kernel 3, stride 2: 3 outputs need 1 padding pixel; SAME_UPPER puts it at the end.
  for (const std::string mode : {"SAME_UPPER", "SAME_LOWER", "VALID"}) {
    OnnxBuilder b(11, {1, 1, 6, 6});
    auto& c = b.node("Conv", {"x", b.init("w", {1, 1, 3, 3})}, "y");
    attr(c, "strides", {2, 2});
    attr_s(c, "auto_pad", mode);
    const auto im = imported(b.finish("y"));
    const auto& p = im.graph.node(1).as<ConvAttrs>().pad;
    const Padding expected = mode == "SAME_UPPER" ? Padding{0, 0, 1, 1} : mode == "SAME_LOWER" ? Padding{1, 1, 0, 0} : Padding{};
    EXPECT_EQ(p, expected) << mode;
    EXPECT_EQ(im.graph.output_shape(), mode == "VALID" ? (Shape{1, 1, 2, 2}) : (Shape{1, 1, 3, 3})) << mode;
  }
}

TEST(OnnxImport, BatchNormReluAndClipBecomeTheirOps) {
  for (int opset : {10, 11, 13, 17}) {
    OnnxBuilder b(opset, {0, 3, 4, 4});
    auto& bn = b.node("BatchNormalization", {"x", b.init("g", {3}), b.init("be", {3}), b.init("m", {3}),
                                             b.init("v", {3}, {0.5f, 1.0f, 2.0f})}, "bn");
    attr_f(bn, "epsilon", 1e-3f);
    b.node("Relu", {"bn"}, "r");
    if (opset < 11) {
      auto& c = b.node("Clip", {"r"}, "y");
      attr_f(c, "min", 0);
      attr_f(c, "max", 6);
    } else {
      auto& lo = b.node("Constant", {}, "lo");
      auto* t = lo.add_attribute();
      t->set_name("value");
      t->set_type(onnx::AttributeProto::TENSOR);
      t->mutable_t()->set_data_type(onnx::TensorProto::FLOAT);
      t->mutable_t()->add_float_data(0);
      b.node("Clip", {"r", "lo", b.init("hi", {}, {6})}, "y");
    }
    const auto im = imported(b.finish("y"));
    EXPECT_TRUE(im.symbolic_batch);
    ASSERT_EQ(im.graph.nodes.size(), 4u) << opset;
    EXPECT_EQ(im.graph.node(1).op, OpKind::BatchNorm);
    EXPECT_FLOAT_EQ(im.graph.node(1).as<BatchNormAttrs>().eps, 1e-3f);
    EXPECT_EQ(im.weights.at(1, param::bn_var).data[2], 2.0f);
    EXPECT_EQ(im.graph.node(2).as<ActivationAttrs>().kind, ActKind::ReLU);
    EXPECT_EQ(im.graph.node(3).as<ActivationAttrs>().kind, ActKind::ReLU6);
  }
}

TEST(OnnxImport, PerChannelMulAndAddBecomeOneBatchNormThatComputesThem) {
  OnnxBuilder b(13, {1, 2, 2, 2});
  b.node("Mul", {"x", b.init("s", {2, 1, 1}, {2.0f, -3.0f})}, "m");
  b.node("Add", {"m", b.init("t", {1, 2, 1, 1}, {0.5f, 1.0f})}, "a");
  b.node("Div", {"a", b.init("d", {}, {2.0f})}, "y");
  const auto im = imported(b.finish("y"));
  ASSERT_EQ(im.graph.nodes.size(), 2u);  // one BatchNorm
  const Tensor in = iota_input(im.graph.input_shape());
  const Tensor out = run_reference(im, in);
  for (size_t i = 0; i < in.data.size(); ++i) {
    const bool c0 = i < 4;
    EXPECT_NEAR(out.data[i], (in.data[i] * (c0 ? 2.0f : -3.0f) + (c0 ? 0.5f : 1.0f)) / 2.0f, 1e-6) << i;
  }
}

TEST(OnnxImport, AddConcatPoolsFlattenGemm) {
  OnnxBuilder b(13, {1, 2, 6, 6});
  b.node("Relu", {"x"}, "r");
  b.node("Add", {"x", "r"}, "a");
  auto& cc = b.node("Concat", {"a", "x"}, "c");
  attr(cc, "axis", 1);
  auto& mp = b.node("MaxPool", {"c"}, "mp");
  attr(mp, "kernel_shape", {3, 3});
  attr(mp, "strides", {2, 2});
  attr(mp, "ceil_mode", 1);  // 6 -> 3 rows, the last window one row past the input
  auto& ap = b.node("AveragePool", {"mp"}, "ap");
  attr(ap, "kernel_shape", {3, 3});
  attr(ap, "pads", {1, 1, 1, 1});
  attr(ap, "count_include_pad", 1);
  b.node("GlobalAveragePool", {"ap"}, "gap");
  b.node("Flatten", {"gap"}, "f");
  auto& gemm = b.node("Gemm", {"f", b.init("B", {4, 3}), b.init("C", {3})}, "y");
  attr_f(gemm, "alpha", 2.0f);
  attr_f(gemm, "beta", 0.5f);
  const auto im = imported(b.finish("y", 2));
  std::vector<OpKind> ops;
  for (const auto& n : im.graph.nodes) ops.push_back(n.op);
  EXPECT_EQ(ops, (std::vector<OpKind>{OpKind::Input, OpKind::Activation, OpKind::Add, OpKind::Concat, OpKind::MaxPool,
                                      OpKind::AvgPool, OpKind::GlobalAvgPool, OpKind::Flatten, OpKind::Linear}));
  EXPECT_EQ(im.graph.node(4).shape, (Shape{1, 4, 3, 3}));
  EXPECT_EQ(im.graph.node(4).as<PoolAttrs>().pad, (Padding{0, 0, 1, 1}));
  EXPECT_TRUE(im.graph.node(5).as<PoolAttrs>().count_include_pad);
  // Gemm with transB=0: weight[o][i] = alpha * B[i][o]; bias = beta * C.
  const Tensor& w = im.weights.at(8, param::linear_weight);
  EXPECT_EQ(w.shape, (Shape{3, 4}));
  const float b21 = 0.25f * static_cast<float>(((2 * 3 + 1) * 7 + 3) % 9) - 1.0f;  // B[2][1]
  EXPECT_FLOAT_EQ(w.data[1 * 4 + 2], 2.0f * b21);
  EXPECT_FLOAT_EQ(im.weights.at(8, param::linear_bias).data[2], 0.5f * (0.25f * ((2 * 7 + 3) % 9) - 1.0f));
}

TEST(OnnxImport, MatMulPlusBiasIsOneLinear) {
  OnnxBuilder b(13, {2, 3, 1, 1});
  b.node("Flatten", {"x"}, "f");
  b.node("MatMul", {"f", b.init("W", {3, 2}, {1, 2, 3, 4, 5, 6})}, "mm");
  b.node("Add", {"mm", b.init("bias", {2}, {10, 20})}, "y");
  const auto im = imported(b.finish("y", 2));
  ASSERT_EQ(im.graph.nodes.size(), 3u);
  Tensor in(Shape{2, 3, 1, 1});
  in.data = {1, 0, 0, 0, 1, 1};
  const Tensor out = run_reference(im, in);
  EXPECT_EQ(out.data, (std::vector<float>{11, 22, 18, 30}));  // [1,0,0]W+b, [0,1,1]W+b
}

TEST(OnnxImport, ShapeArithmeticIsFoldedIntoReshapeAndPad) {
  OnnxBuilder b(13, {1, 2, 4, 4});
  // pads [0,0,1,2, 0,0,3,0] built the way exporters build them: from constants and Shape.
  b.node("Shape", {"x"}, "shape");
  auto& gather = b.node("Gather", {"shape", b.ints("zero", {0})}, "n");
  attr(gather, "axis", 0);
  b.node("Sub", {"n", b.ints("one", {1})}, "zero_pad");  // batch 1 - 1 = 0
  auto& cat = b.node("Concat", {"zero_pad", "zero_pad", b.ints("tl", {1, 2}), "zero_pad", "zero_pad", b.ints("br", {3, 0})}, "pads");
  attr(cat, "axis", 0);
  b.node("Pad", {"x", "pads"}, "p");
  b.node("Shape", {"p"}, "ps");
  auto& g0 = b.node("Gather", {"ps", b.ints("idx0", {0})}, "batch");
  attr(g0, "axis", 0);
  auto& cat2 = b.node("Concat", {"batch", b.ints("minus1", {-1})}, "target");
  attr(cat2, "axis", 0);
  b.node("Reshape", {"p", "target"}, "y");
  const auto im = imported(b.finish("y", 2));
  ASSERT_EQ(im.graph.nodes.size(), 3u);
  EXPECT_EQ(im.graph.node(1).as<PadAttrs>().pad, (Padding{1, 2, 3, 0}));
  EXPECT_EQ(im.graph.node(2).op, OpKind::Flatten);
  EXPECT_EQ(im.graph.output_shape(), (Shape{1, 2 * 8 * 6}));
}

TEST(OnnxImport, SliceCropsAndIdentityDropoutVanish) {
  OnnxBuilder b(13, {1, 1, 5, 5});
  b.node("Identity", {"x"}, "i");
  b.node("Dropout", {"i"}, "d");
  b.node("Slice", {"d", b.ints("s", {1, -3}), b.ints("e", {100, 4}), b.ints("a", {2, 3})}, "y");
  const auto im = imported(b.finish("y"));
  ASSERT_EQ(im.graph.nodes.size(), 2u);
  const auto& s = im.graph.node(1).as<SliceAttrs>();
  EXPECT_EQ(s.top, 1);
  EXPECT_EQ(s.height, 4);
  EXPECT_EQ(s.left, 2);
  EXPECT_EQ(s.width, 2);
}

TEST(OnnxImport, RebatchKeepsTheFunctionPerSample) {
  OnnxBuilder b(13, {1, 2, 3, 3});
  b.node("Conv", {"x", b.init("w", {2, 2, 1, 1})}, "c");
  b.node("Flatten", {"c"}, "y");
  const auto im = imported(b.finish("y", 2));
  const Graph g4 = onnx_io::rebatch(im.graph, 4);
  EXPECT_EQ(g4.output_shape(), (Shape{4, 18}));
}

// --- refusals -------------------------------------------------------------

TEST(OnnxImportErrors, UnsupportedOperatorNamesNodeOpAndTheSupportedSet) {
  OnnxBuilder b(13, {1, 1, 2, 2});
  b.node("Sigmoid", {"x"}, "y", "head/sigmoid");
  const std::string e = import_error(b.finish("y"));
  EXPECT_NE(e.find("ONNX node 'head/sigmoid' (Sigmoid): formbench does not support the Sigmoid operator; supported: Conv"),
            std::string::npos) << e;
}

TEST(OnnxImportErrors, UnsupportedAttributeValues) {
  {
    OnnxBuilder b(13, {1, 1, 4, 4});
    b.node("Clip", {"x", b.init("lo", {}, {-1}), b.init("hi", {}, {1})}, "y");
    EXPECT_NE(import_error(b.finish("y")).find("(Clip): bounds [-1.000000, 1.000000]; formbench supports Clip(0, 6)"),
              std::string::npos);
  }
  {
    OnnxBuilder b(13, {1, 2, 4, 4});
    auto& c = b.node("Concat", {"x", "x"}, "y");
    attr(c, "axis", 2);
    EXPECT_NE(import_error(b.finish("y")).find("(Concat): formbench concatenates NCHW maps along channels (axis 1) only"),
              std::string::npos);
  }
  {
    OnnxBuilder b(13, {1, 1, 4, 4});
    auto& p = b.node("Pad", {"x", b.ints("p", {0, 0, 1, 1, 0, 0, 1, 1})}, "y");
    attr_s(p, "mode", "reflect");
    EXPECT_NE(import_error(b.finish("y")).find("(Pad): formbench supports mode=constant only"), std::string::npos);
  }
  {
    OnnxBuilder b(13, {1, 2, 4, 4});
    b.node("Mul", {"x", "x"}, "y");
    EXPECT_NE(import_error(b.finish("y")).find("(Mul): Mul of two activations"), std::string::npos);
  }
}

TEST(OnnxImportErrors, DynamicSpatialShapeAndWrongOpset) {
  OnnxBuilder b(13, {1, 3, 0, 8});
  b.node("Relu", {"x"}, "y");
  EXPECT_NE(import_error(b.finish("y")).find("dimension 2 is symbolic ('N'); formbench needs fixed channels, height and width"),
            std::string::npos);
  OnnxBuilder old(7, {1, 3, 8, 8});
  old.node("Relu", {"x"}, "y");
  EXPECT_NE(import_error(old.finish("y")).find("uses opset 7; formbench imports opsets 9 to 17"), std::string::npos);
}

TEST(OnnxImportErrors, CycleAndMissingInitializer) {
  OnnxBuilder b(13, {1, 1, 2, 2});
  b.node("Relu", {"z"}, "y");
  b.node("Relu", {"y"}, "z");
  EXPECT_NE(import_error(b.finish("z")).find("(Relu): reads 'z', which no earlier node, graph input or initializer defines"),
            std::string::npos);
  OnnxBuilder c(13, {1, 1, 2, 2});
  c.node("Conv", {"x", "missing_weight"}, "y");
  EXPECT_NE(import_error(c.finish("y")).find("reads 'missing_weight', which no earlier node"), std::string::npos);
}

TEST(OnnxImportErrors, HugeAndOverflowingDimensions) {
  OnnxBuilder b(13, {1, int64_t{1} << 22, int64_t{1} << 22, int64_t{1} << 22});
  b.node("Relu", {"x"}, "y");
  EXPECT_NE(import_error(b.finish("y")).find("does not fit in 64 bits"), std::string::npos);
  // An initializer claiming 2^62 x 4 elements: the count overflows before any data is read.
  OnnxBuilder c(13, {1, 1, 2, 2});
  auto* t = c.g()->add_initializer();
  t->set_name("w");
  t->set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t d : {int64_t{1} << 62, int64_t{4}, int64_t{1}, int64_t{1}}) t->add_dims(d);
  c.node("Conv", {"x", "w"}, "y");
  EXPECT_NE(import_error(c.finish("y")).find("initializer 'w': tensor 'w': the element count does not fit in 64 bits"),
            std::string::npos);
  // Data that does not match the dims.
  OnnxBuilder d(13, {1, 1, 2, 2});
  auto* u = d.g()->add_initializer();
  u->set_name("w");
  u->set_data_type(onnx::TensorProto::FLOAT);
  for (int64_t k : {2, 1, 1, 1}) u->add_dims(k);
  u->set_raw_data(std::string(4, '\0'));
  d.node("Conv", {"x", "w"}, "y");
  EXPECT_NE(import_error(d.finish("y")).find("raw data holds 4 bytes, the shape needs 8"), std::string::npos);
}

TEST(OnnxImportErrors, TruncatedAndForeignFiles) {
  OnnxBuilder b(13, {1, 1, 2, 2});
  b.node("Relu", {"x"}, "y");
  std::string bytes;
  ASSERT_TRUE(b.finish("y").SerializeToString(&bytes));
  try {
    onnx_io::parse_model(bytes.substr(0, bytes.size() / 2), "model.onnx");
    FAIL() << "a truncated file was accepted";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("model.onnx: not an ONNX model"), std::string::npos) << e.what();
  }
  try {
    onnx_io::read_model("/nonexistent/model.onnx");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "ONNX file '/nonexistent/model.onnx' does not exist or cannot be read");
  }
  try {
    onnx_io::read_model("/");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "ONNX file '/' is not a regular file");
  }
}

}  // namespace
}  // namespace fb
