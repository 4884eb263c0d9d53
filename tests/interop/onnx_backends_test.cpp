// An imported ONNX graph runs on every backend built in, with the file's own
// weights, and the fast backends agree with the reference within the bound
// the backend tests use.
#include <gtest/gtest.h>

#include "backends/backend.h"
#include "graph/weights.h"
#include "interop/onnx_file.h"
#include "interop/onnx_import.h"
#include "tests/backends/compare.h"
#include "tests/interop/onnx_builder.h"

namespace fb {
namespace {

using test::attr;
using test::attr_f;
using test::OnnxBuilder;

constexpr double kBound = 1e-4;

// Every operator the importer maps, in one small network.
onnx::ModelProto every_operator(int64_t opset) {
  OnnxBuilder b(opset, {0, 3, 19, 19});
  auto& c1 = b.node("Conv", {"x", b.init("w1", {8, 3, 3, 3}), b.init("b1", {8})}, "c1");
  attr(c1, "strides", {2, 2});
  attr(c1, "pads", {1, 0, 1, 2});
  auto& bn = b.node("BatchNormalization", {"c1", b.init("g", {8}, {0.9f, 1.1f}), b.init("be", {8}), b.init("mean", {8}),
                                          b.init("v", {8}, {1.0f, 1.5f})}, "bn");
  attr_f(bn, "epsilon", 1e-3f);
  b.node("Relu", {"bn"}, "r1");
  auto& c2 = b.node("Conv", {"r1", b.init("w2", {8, 2, 3, 3})}, "c2");
  attr(c2, "group", 4);
  attr(c2, "dilations", {2, 2});
  attr(c2, "pads", {2, 2, 2, 2});
  b.node("Mul", {"c2", b.init("s", {8, 1, 1}, {0.5f, 2.0f, -1.0f})}, "m");
  b.node("Add", {"m", b.init("t", {8, 1, 1}, {0.1f, -0.2f})}, "a");
  if (opset < 11) {
    auto& clip = b.node("Clip", {"a"}, "r6");
    attr_f(clip, "min", 0);
    attr_f(clip, "max", 6);
  } else {
    b.node("Clip", {"a", b.init("lo", {}, {0}), b.init("hi", {}, {6})}, "r6");
  }
  b.node("Add", {"r6", "r1"}, "res");
  auto& mp = b.node("MaxPool", {"res"}, "mp");
  attr(mp, "kernel_shape", {3, 3});
  attr(mp, "strides", {2, 2});
  attr(mp, "ceil_mode", 1);
  auto& ap = b.node("AveragePool", {"res"}, "ap");
  attr(ap, "kernel_shape", {3, 3});
  attr(ap, "strides", {2, 2});
  attr(ap, "pads", {1, 1, 1, 1});
  auto& cat = b.node("Concat", {"mp", "ap"}, "cat");
  attr(cat, "axis", 1);
  if (opset < 11) {
    auto& pad = b.node("Pad", {"cat"}, "pad");
    attr(pad, "pads", {0, 0, 1, 0, 0, 0, 0, 1});
  } else {
    b.node("Pad", {"cat", b.ints("pads", {0, 0, 1, 0, 0, 0, 0, 1})}, "pad");
  }
  b.node("Slice", {"pad", b.ints("st", {1, 0}), b.ints("en", {5, 4}), b.ints("ax", {2, 3})}, "crop");
  auto& avg2 = b.node("AveragePool", {"crop"}, "ap2");
  attr(avg2, "kernel_shape", {2, 2});
  attr(avg2, "pads", {1, 1, 0, 0});
  attr(avg2, "count_include_pad", 1);
  b.node("GlobalAveragePool", {"ap2"}, "gap");
  b.node("Flatten", {"gap"}, "f");
  auto& gemm = b.node("Gemm", {"f", b.init("fc", {5, 16}), b.init("fcb", {5})}, "y");
  attr(gemm, "transB", 1);
  return b.finish("y", 2);
}

TEST(OnnxOnBackends, EveryImportedOperatorAgreesWithTheReference) {
  for (int64_t opset : {10, 13, 17}) {
    const onnx::ModelProto m = every_operator(opset);
    onnx_io::check_model(m, "every_operator");
    const auto im = onnx_io::import_model(m, "every_operator");
    for (int64_t batch : {1, 3}) {
      const Graph g = onnx_io::rebatch(im.graph, batch);
      const Tensor input = make_input(g.input_shape(), 7);
      const Tensor ref = run_once(choose_backend("reference", 1), g, im.weights, input);
      for (const auto& b : backend_registry()) {
        if (b->name() == "reference") continue;
        test::expect_close(run_once(choose_backend(b->name(), 2), g, im.weights, input), ref, kBound,
                           "opset " + std::to_string(opset) + " batch " + std::to_string(batch) + " on " + b->name());
      }
    }
  }
}

}  // namespace
}  // namespace fb
