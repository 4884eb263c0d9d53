// Every way the ONNX importer refuses a model, each with the message it
// gives: a small model per refusal (through the ONNX protobuf API, not always
// one the ONNX checker would pass: the importer must not rely on it), and the
// words that say what was wrong. The refusals of onnx_import_test.cpp are not
// repeated here.
#include <gtest/gtest.h>

#include <functional>
#include <limits>

#include "common/error.h"
#include "interop/onnx_import.h"
#include "tests/interop/onnx_builder.h"

namespace fb {
namespace {

using test::attr;
using test::attr_f;
using test::attr_s;
using test::OnnxBuilder;

struct Refusal {
  std::string name;
  std::function<onnx::ModelProto()> model;
  std::string message;  // a part of the error, enough to say what was wrong and where
};

// One node `op` on x (1x4x6x6 unless `dims` says otherwise), set up by `with`.
onnx::ModelProto one_node(const std::string& op, std::vector<int64_t> dims,
                          const std::function<std::vector<std::string>(OnnxBuilder&)>& inputs,
                          const std::function<void(onnx::NodeProto&)>& with = {}, int64_t opset = 13) {
  OnnxBuilder b(opset, std::move(dims));
  auto& n = b.node(op, inputs(b), "y");
  if (with) with(n);
  return b.finish("y");
}

auto x_only = [](OnnxBuilder&) { return std::vector<std::string>{"x"}; };

// Flatten of x, then `op` on the (1, 4) features.
onnx::ModelProto after_flatten(const std::string& op,
                               const std::function<std::vector<std::string>(OnnxBuilder&)>& more_inputs,
                               const std::function<void(onnx::NodeProto&)>& with = {}) {
  OnnxBuilder b(13, {1, 4, 1, 1});
  b.node("Flatten", {"x"}, "f");
  std::vector<std::string> in{"f"};
  for (auto& s : more_inputs(b)) in.push_back(s);
  auto& n = b.node(op, in, "y");
  if (with) with(n);
  return b.finish("y", 2);
}

// A constant-only node `op` whose output nothing reads, beside a Relu of x:
// the importer folds it all the same.
onnx::ModelProto folded(const std::string& op, const std::function<std::vector<std::string>(OnnxBuilder&)>& inputs,
                        const std::function<void(onnx::NodeProto&)>& with = {}) {
  OnnxBuilder b(13, {1, 1, 2, 2});
  auto& n = b.node(op, inputs(b), "k");
  if (with) with(n);
  b.node("Relu", {"x"}, "y");
  return b.finish("y");
}

std::vector<Refusal> refusals() {
  using V = std::vector<std::string>;
  return {
      // --- the model as a whole ---------------------------------------------
      {"NoDefaultOpset",
       [] {
         OnnxBuilder b(13, {1, 1, 2, 2});
         b.node("Relu", {"x"}, "y");
         auto m = b.finish("y");
         m.mutable_opset_import(0)->set_domain("com.example");
         return m;
       },
       "the ONNX model imports no version of the default operator set"},
      {"TwoInputs",
       [] {
         OnnxBuilder b(13, {1, 1, 2, 2});
         b.node("Relu", {"x"}, "y");
         auto m = b.finish("y");
         *m.mutable_graph()->add_input() = m.graph().input(0);
         m.mutable_graph()->mutable_input(1)->set_name("x2");
         return m;
       },
       "the ONNX graph has more than one input ('x', 'x2'); formbench imports models with one image input"},
      {"NoInput",
       [] {
         OnnxBuilder b(13, {1, 1, 2, 2});
         b.node("Relu", {"x"}, "y");
         auto m = b.finish("y");
         m.mutable_graph()->clear_input();
         return m;
       },
       "the ONNX graph has no input"},
      {"IntegerInput",
       [] {
         OnnxBuilder b(13, {1, 1, 2, 2});
         b.node("Relu", {"x"}, "y");
         auto m = b.finish("y");
         m.mutable_graph()->mutable_input(0)->mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::INT64);
         return m;
       },
       "the ONNX graph's input 'x' is not a float tensor"},
      {"InputOfRank3", [] { return one_node("Relu", {1, 3, 8}, x_only); },
       "the ONNX graph's input 'x' has rank 3; formbench imports NCHW images (rank 4)"},
      {"ZeroChannels", [] { return one_node("Relu", {1, -1, 8, 8}, x_only); },
       "the ONNX graph's input 'x': dimension 1 is not a positive number; formbench needs fixed channels, height and "
       "width (only the batch may be symbolic)"},
      {"TwoOutputs",
       [] {
         OnnxBuilder b(13, {1, 1, 2, 2});
         b.node("Relu", {"x"}, "y");
         auto m = b.finish("y");
         *m.mutable_graph()->add_output() = m.graph().output(0);
         return m;
       },
       "the ONNX graph has 2 outputs; formbench imports models with one output"},
      {"OutputProducedByNoNode",
       [] {
         OnnxBuilder b(13, {1, 1, 2, 2});
         b.node("Relu", {"x"}, "y");
         return b.finish("nowhere");
       },
       "the ONNX graph's output 'nowhere' is produced by no node"},
      {"OutputIsAConstant",
       [] {
         OnnxBuilder b(13, {1, 1, 2, 2});
         b.node("Relu", {"x"}, "y");
         return b.finish(b.init("c", {1}));
       },
       "the ONNX graph's output 'c' is a constant, not computed from the input"},
      {"ForeignDomain", [] { return one_node("Relu", {1, 1, 2, 2}, x_only, [](auto& n) { n.set_domain("com.microsoft"); }); },
       "ONNX node 'y' (Relu): operator domain 'com.microsoft' is not supported; formbench imports the default ONNX domain"},
      {"NodeWithoutOutput", [] { return one_node("Relu", {1, 1, 2, 2}, x_only, [](auto& n) { n.clear_output(); }); },
       "ONNX node 'y' (Relu): has no output"},
      {"FoldableOpOnAnActivation", [] { return one_node("Transpose", {1, 1, 2, 2}, x_only); },
       "(Transpose): formbench folds Transpose only when all its inputs are constants; supported: Conv"},
      // --- inputs of a node -------------------------------------------------
      {"WeightFromAnActivation", [] { return one_node("Conv", {1, 1, 2, 2}, [](auto&) { return V{"x", "x"}; }); },
       "(Conv): the weight ('x') must be a constant (an initializer or folded); formbench does not take it from activations"},
      {"ActivationFromAConstant", [] { return one_node("Relu", {1, 1, 2, 2}, [](auto& b) { return V{b.init("c", {1, 1, 2, 2})}; }); },
       "(Relu): input 0 ('c') must be computed from the image, not a constant"},
      {"MissingWeight", [] { return one_node("Conv", {1, 1, 2, 2}, x_only); }, "(Conv): the weight (input 1) is missing"},
      {"ArithmeticWithOneInput", [] { return one_node("Add", {1, 1, 2, 2}, x_only); }, "(Add): takes two inputs"},
      {"UsedExtraOutput",
       [] {
         OnnxBuilder b(13, {1, 1, 4, 4});
         auto& mp = b.node("MaxPool", {"x"}, "y");
         attr(mp, "kernel_shape", {2, 2});
         mp.add_output("indices");
         b.node("Relu", {"indices"}, "z");
         return b.finish("y");
       },
       "(MaxPool): its output 1 ('indices') is used; formbench supports only the first output"},
      // --- attributes -------------------------------------------------------
      {"AttributeOfTheWrongType",
       [] { return one_node("Conv", {1, 1, 4, 4}, [](auto& b) { return V{"x", b.init("w", {1, 1, 1, 1})}; }, [](auto& n) { attr_f(n, "group", 1); }); },
       "(Conv): attribute group must be an integer"},
      {"ThreeStrides",
       [] { return one_node("Conv", {1, 1, 4, 4}, [](auto& b) { return V{"x", b.init("w", {1, 1, 1, 1})}; }, [](auto& n) { attr(n, "strides", {1, 1, 1}); }); },
       "(Conv): attribute strides has 3 values; formbench supports 2-D (2 values)"},
      {"StrideZero",
       [] { return one_node("Conv", {1, 1, 4, 4}, [](auto& b) { return V{"x", b.init("w", {1, 1, 1, 1})}; }, [](auto& n) { attr(n, "strides", {0, 1}); }); },
       "(Conv): stride 0 is out of range (1..1048576)"},
      {"UnknownAutoPad",
       [] { return one_node("Conv", {1, 1, 4, 4}, [](auto& b) { return V{"x", b.init("w", {1, 1, 3, 3})}; }, [](auto& n) { attr_s(n, "auto_pad", "SAME"); }); },
       "(Conv): auto_pad 'SAME' is not one of NOTSET, VALID, SAME_UPPER, SAME_LOWER"},
      // --- Conv -------------------------------------------------------------
      {"ConvOfFeatures", [] { return after_flatten("Conv", [](auto& b) { return V{b.init("w", {1, 4, 1, 1})}; }); },
       "(Conv): formbench supports 2-D convolutions of NCHW feature maps, got input 1x4"},
      {"ConvWeightOfRank3", [] { return one_node("Conv", {1, 1, 4, 4}, [](auto& b) { return V{"x", b.init("w", {1, 1, 3})}; }); },
       "(Conv): the weight has shape float[1, 1, 3]; formbench supports 2-D convolutions (OIHW weights)"},
      {"KernelShapeDisagrees",
       [] { return one_node("Conv", {1, 1, 6, 6}, [](auto& b) { return V{"x", b.init("w", {1, 1, 3, 3})}; }, [](auto& n) { attr(n, "kernel_shape", {5, 5}); }); },
       "(Conv): kernel_shape disagrees with the weight's float[1, 1, 3, 3]"},
      {"WeightForOtherChannels", [] { return one_node("Conv", {1, 4, 4, 4}, [](auto& b) { return V{"x", b.init("w", {2, 3, 1, 1})}; }); },
       "(Conv): the weight float[2, 3, 1, 1] with group=1 does not take 4 input channels"},
      // --- BatchNormalization -----------------------------------------------
      {"BatchNormTraining",
       [] {
         return one_node("BatchNormalization", {1, 1, 2, 2},
                         [](auto& b) { return V{"x", b.init("g", {1}), b.init("b", {1}), b.init("m", {1}), b.init("v", {1}, {1})}; },
                         [](auto& n) { attr(n, "training_mode", 1); }, 15);
       },
       "(BatchNormalization): training_mode=1; formbench imports inference graphs"},
      {"NegativeVariance",
       [] {
         return one_node("BatchNormalization", {1, 1, 2, 2},
                         [](auto& b) { return V{"x", b.init("g", {1}), b.init("b", {1}), b.init("m", {1}), b.init("v", {1}, {-1})}; });
       },
       "(BatchNormalization): the variance holds -1.000000; a variance is not negative"},
      {"NegativeEpsilon",
       [] {
         return one_node("BatchNormalization", {1, 1, 2, 2},
                         [](auto& b) { return V{"x", b.init("g", {1}), b.init("b", {1}), b.init("m", {1}), b.init("v", {1}, {1})}; },
                         [](auto& n) { attr_f(n, "epsilon", -1); });
       },
       "(BatchNormalization): epsilon -1.000000 is not a finite non-negative number"},
      {"ClipBoundNotAScalar",
       [] { return one_node("Clip", {1, 1, 2, 2}, [](auto& b) { return V{"x", b.init("lo", {2}, {0})}; }); },
       "(Clip): min must be a scalar, got float[2]"},
      // --- arithmetic with a constant ----------------------------------------
      {"ConstantMinusActivation", [] { return one_node("Sub", {1, 1, 2, 2}, [](auto& b) { return V{b.init("c", {1}), "x"}; }); },
       "(Sub): a constant minus an activation is not supported"},
      {"DivisionByZero", [] { return one_node("Div", {1, 2, 2, 2}, [](auto& b) { return V{"x", b.init("c", {2, 1, 1}, {1, 0})}; }); },
       "(Div): division by a zero constant"},
      {"IntegerConstant", [] { return one_node("Mul", {1, 2, 2, 2}, [](auto& b) { return V{"x", b.ints("c", {2})}; }); },
       "(Mul): the constant int64[1] is not a float tensor"},
      {"NotPerChannel", [] { return one_node("Mul", {1, 1, 2, 2}, [](auto& b) { return V{"x", b.init("c", {1, 1, 2, 2})}; }); },
       "(Mul): the constant float[1, 1, 2, 2] is not one value per channel (1x1x1x1) of 1x1x2x2; formbench supports "
       "per-channel scale and shift only"},
      {"BiasNotAfterMatMul", [] { return after_flatten("Add", [](auto& b) { return V{b.init("c", {4})}; }); },
       "(Add): Add of a constant float[4] to 1x4; formbench supports it only as the bias of a MatMul it alone reads"},
      {"ScaleOfFeatures", [] { return after_flatten("Mul", [](auto& b) { return V{b.init("c", {4})}; }); },
       "(Mul): Mul by a constant on 1x4; formbench supports a per-channel constant on NCHW maps, or a bias after MatMul"},
      // --- pooling, Flatten, Reshape ------------------------------------------
      {"PoolOfFeatures", [] { return after_flatten("MaxPool", [](auto&) { return V{}; }); },
       "(MaxPool): formbench supports 2-D pooling of NCHW maps, got 1x4"},
      {"DilatedPool",
       [] {
         return one_node("MaxPool", {1, 1, 6, 6}, x_only, [](auto& n) {
           attr(n, "kernel_shape", {2, 2});
           attr(n, "dilations", {2, 2});
         });
       },
       "(MaxPool): dilations other than 1 are not supported in pooling"},
      {"StorageOrder",
       [] {
         return one_node("MaxPool", {1, 1, 6, 6}, x_only, [](auto& n) {
           attr(n, "kernel_shape", {2, 2});
           attr(n, "storage_order", 1);
         });
       },
       "(MaxPool): storage_order=1 is not supported"},
      {"CeilModeCountingPadding",
       [] {
         return one_node("AveragePool", {1, 1, 6, 6}, x_only, [](auto& n) {
           attr(n, "kernel_shape", {3, 3});
           attr(n, "strides", {2, 2});
           attr(n, "ceil_mode", 1);
           attr(n, "count_include_pad", 1);
         });
       },
       "(AveragePool): ceil_mode=1 with count_include_pad=1 is not supported"},
      {"FlattenAxis2", [] { return one_node("Flatten", {1, 1, 2, 2}, x_only, [](auto& n) { attr(n, "axis", 2); }); },
       "(Flatten): formbench supports Flatten with axis=1 of NCHW or (N, F) tensors"},
      {"ReshapeToRank3", [] { return one_node("Reshape", {1, 2, 4, 4}, [](auto& b) { return V{"x", b.ints("s", {1, 2, 16})}; }); },
       "(Reshape): Reshape of 1x2x4x4 to 1x2x16; formbench supports reshapes to (batch, features)"},
      {"ReshapeToAFloatShape", [] { return one_node("Reshape", {1, 2, 4, 4}, [](auto& b) { return V{"x", b.init("s", {2}, {1, 32})}; }); },
       "(Reshape): the shape must be a 1-D integer tensor, got float[2]"},
      // --- Gemm and MatMul ----------------------------------------------------
      {"GemmTransA", [] { return after_flatten("Gemm", [](auto& b) { return V{b.init("B", {4, 3})}; }, [](auto& n) { attr(n, "transA", 1); }); },
       "(Gemm): transA=1 is not supported"},
      {"GemmWeightForOtherFeatures", [] { return after_flatten("Gemm", [](auto& b) { return V{b.init("B", {5, 3})}; }); },
       "(Gemm): the weight float[5, 3] does not take 4 features"},
      {"GemmBiasPerSomethingElse", [] { return after_flatten("Gemm", [](auto& b) { return V{b.init("B", {4, 3}), b.init("C", {2})}; }); },
       "(Gemm): the bias float[2] is not one value per output feature (3)"},
      {"MatMulOfMaps", [] { return one_node("MatMul", {1, 1, 2, 2}, [](auto& b) { return V{"x", b.init("W", {2, 2})}; }); },
       "(MatMul): formbench supports a matrix product of (N, features), got 1x1x2x2; flatten first"},
      // --- Pad and Slice ------------------------------------------------------
      {"PadWithOnes",
       [] { return one_node("Pad", {1, 1, 2, 2}, [](auto& b) { return V{"x", b.ints("p", {0, 0, 1, 1, 0, 0, 1, 1}), b.init("v", {}, {1})}; }); },
       "(Pad): padding with 1.000000; formbench pads with zeros only"},
      {"PadTheBatch", [] { return one_node("Pad", {1, 1, 2, 2}, [](auto& b) { return V{"x", b.ints("p", {1, 0, 0, 0, 0, 0, 0, 0})}; }); },
       "(Pad): padding the batch or channel axis is not supported"},
      {"PadsOfAPlane", [] { return one_node("Pad", {1, 1, 2, 2}, [](auto& b) { return V{"x", b.ints("p", {1, 1, 1, 1})}; }); },
       "(Pad): pads has 4 values; formbench pads NCHW maps (8 values)"},
      {"PadAxes",
       [] { return one_node("Pad", {1, 1, 2, 2}, [](auto& b) { return V{"x", b.ints("p", {1, 1, 1, 1}), "", b.ints("a", {2, 3})}; }, {}, 17); },
       "(Pad): the axes input is not supported"},
      {"SliceStep2",
       [] { return one_node("Slice", {1, 1, 4, 4}, [](auto& b) { return V{"x", b.ints("s", {0}), b.ints("e", {4}), b.ints("a", {2}), b.ints("t", {2})}; }); },
       "(Slice): steps other than 1 are not supported"},
      {"SliceChannels",
       [] { return one_node("Slice", {1, 2, 4, 4}, [](auto& b) { return V{"x", b.ints("s", {1}), b.ints("e", {2}), b.ints("a", {1})}; }); },
       "(Slice): slicing axis 1 of 1x2x4x4; formbench supports spatial crops of NCHW maps"},
      {"SliceLengthsDiffer",
       [] { return one_node("Slice", {1, 1, 4, 4}, [](auto& b) { return V{"x", b.ints("s", {0, 0}), b.ints("e", {2})}; }); },
       "(Slice): starts, ends, axes and steps differ in length"},
      {"DropoutTraining",
       [] { return one_node("Dropout", {1, 1, 2, 2}, [](auto& b) { return V{"x", b.init("r", {}, {0.5f}), b.ints("t", {1})}; }); },
       "(Dropout): training_mode=true; formbench imports inference graphs"},
      // --- constant tensors ---------------------------------------------------
      {"ExternalData",
       [] {
         return one_node("Conv", {1, 1, 2, 2}, [](auto& b) {
           b.init("w", {1, 1, 1, 1});
           b.g()->mutable_initializer(0)->set_data_location(onnx::TensorProto::EXTERNAL);
           return V{"x", "w"};
         });
       },
       "initializer 'w': tensor 'w' keeps its data in an external file; formbench reads self-contained ONNX files"},
      {"HalfPrecision",
       [] {
         return one_node("Conv", {1, 1, 2, 2}, [](auto& b) {
           b.init("w", {1, 1, 1, 1});
           b.g()->mutable_initializer(0)->set_data_type(onnx::TensorProto::FLOAT16);
           return V{"x", "w"};
         });
       },
       "initializer 'w': tensor 'w': data type 10 is not supported; formbench reads float, double, int32 and int64 tensors"},
      {"FewerValuesThanTheShape",
       [] {
         return one_node("Conv", {1, 1, 2, 2}, [](auto& b) {
           b.init("w", {1, 1, 1, 1});
           b.g()->mutable_initializer(0)->set_dims(0, 2);
           return V{"x", "w"};
         });
       },
       "initializer 'w': tensor 'w': holds 1 values, its shape needs 2"},
      // --- folding ------------------------------------------------------------
      {"ConstantWithoutValue", [] { return folded("Constant", [](auto&) { return V{}; }); },
       "(Constant): Constant without a value, value_float(s) or value_int(s) attribute"},
      {"IntegerDivisionByZero", [] { return folded("Div", [](auto& b) { return V{b.ints("a", {4}), b.ints("z", {0})}; }); },
       "(Div): integer division by zero"},
      {"IntegerOverflow",
       [] { return folded("Mul", [](auto& b) { return V{b.ints("a", {std::numeric_limits<int64_t>::max()}), b.ints("two", {2})}; }); },
       "(Mul): Mul of 9223372036854775807 and 2 overflows int64"},
      {"MixedTypes", [] { return folded("Add", [](auto& b) { return V{b.ints("a", {1}), b.init("f", {1})}; }); },
       "(Add): Add of int64[1] and float[1] (types differ)"},
      {"NoBroadcast", [] { return folded("Add", [](auto& b) { return V{b.ints("a", {1, 2}), b.ints("c", {1, 2, 3})}; }); },
       "(Add): cannot broadcast int64[2] with int64[3]"},
      {"CastToBool", [] { return folded("Cast", [](auto& b) { return V{b.ints("a", {1})}; }, [](auto& n) { attr(n, "to", 9); }); },
       "(Cast): Cast to data type 9; formbench folds casts to float, double, int32 and int64"},
      {"GatherOutOfRange", [] { return folded("Gather", [](auto& b) { return V{b.ints("a", {1, 2}), b.ints("i", {5})}; }); },
       "(Gather): index 5 is out of range for a dimension of 2"},
      {"GatherAxisOutOfRange",
       [] { return folded("Gather", [](auto& b) { return V{b.ints("a", {1, 2}), b.ints("i", {0})}; }, [](auto& n) { attr(n, "axis", 3); }); },
       "(Gather): axis 3 is out of range for rank 1"},
      {"HugeConstantOfShape", [] { return folded("ConstantOfShape", [](auto& b) { return V{b.ints("s", {1 << 20, 1 << 20})}; }); },
       "(ConstantOfShape): folding would make a constant of 1099511627776 elements (at most 67108864)"},
      {"ReshapeWithTwoInferredEntries", [] { return folded("Reshape", [](auto& b) { return V{b.ints("a", {1, 2}), b.ints("s", {-1, -1})}; }); },
       "(Reshape): shape has two -1 entries"},
      {"SqueezeOfALongAxis", [] { return folded("Squeeze", [](auto& b) { return V{b.ints("a", {1, 2}), b.ints("ax", {0})}; }); },
       "(Squeeze): cannot squeeze an axis of size 2"},
      {"UnsqueezeTwiceAtOneAxis", [] { return folded("Unsqueeze", [](auto& b) { return V{b.ints("a", {1, 2}), b.ints("ax", {0, 0})}; }); },
       "(Unsqueeze): axis 0 is repeated"},
      {"TransposeWithoutAPermutation",
       [] { return folded("Transpose", [](auto& b) { return V{b.init("a", {2, 2})}; }, [](auto& n) { attr(n, "perm", {0, 0}); }); },
       "(Transpose): perm is not a permutation of the 2 axes"},
      {"ConcatOfTypes", [] { return folded("Concat", [](auto& b) { return V{b.ints("a", {1, 2}), b.init("f", {1})}; }, [](auto& n) { attr(n, "axis", 0); }); },
       "(Concat): cannot concatenate float[1] with int64[2]"},
  };
}

class OnnxImportRefusal : public ::testing::TestWithParam<Refusal> {};

TEST_P(OnnxImportRefusal, SaysWhatWasWrong) {
  const onnx::ModelProto m = GetParam().model();
  try {
    onnx_io::import_model(m, "test");
    FAIL() << "imported";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find(GetParam().message), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(Every, OnnxImportRefusal, ::testing::ValuesIn(refusals()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace fb
