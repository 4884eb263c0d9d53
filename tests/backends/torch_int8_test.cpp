// torch and torch-jit at precision=int8 (PyTorch's eager post-training
// static quantisation, built in C++; torch-jit runs it as frozen
// TorchScript): every op outside the patterns against the fp32 reference and
// torch-jit's bits against torch's, what was fused and how, a BN that cannot
// be folded, the profiler's steps, the parameter count and calibration
// determinism. The patterns and the zoo at int8 are in precision_test.cpp.
#include <gtest/gtest.h>

#include <string>

#include "backends/backend.h"
#include "backends/compare.h"
#include "backends/op_cases.h"
#include "backends/torch/torch_backend.h"
#include "graph/builder.h"
#include "graph/cost.h"
#include "graph/weights.h"
#include "models/catalog.h"

namespace fb {
namespace {

// These op networks are a conv and the op, no BN between: a tensor's range,
// and so its rounding step, is set by its few largest values, and a second
// conv sums 72 such rounding errors. onednn's int8, an independent
// implementation (symmetric scales), measured 0.15 on conv_bias and 0.17 on
// depthwise_strided; torch's 0.21 and 0.18. The patterns and the zoo, whose
// BNs keep ranges even, are held to 0.15 (precision_test.cpp). 0.3 is still
// far below a wrong scale or zero point, which moves everything by 100 %.
constexpr double kInt8Bound = 3e-1;

BackendChoice int8(int threads = 1, const std::string& backend = "torch") {
  BackendChoice c = choose_backend(backend, threads);
  c.options.precision = Precision::int8;
  return c;
}

void expect_int8_matches_reference(const Graph& g, const std::string& what) {
  const Weights w = make_weights(g, 7);
  const Tensor x = make_input(g.input_shape(), 7);
  const Tensor ref = run_once(choose_backend("reference", 1), g, w, x);
  const Tensor eager = run_once(int8(), g, w, x);
  test::expect_close(eager, ref, kInt8Bound, what + " on torch precision=int8");
  // The same quantised ops on the same packed weights and scales, through
  // the TorchScript interpreter after freeze: the same bits, or the script
  // computes another network.
  EXPECT_EQ(run_once(int8(1, "torch-jit"), g, w, x).data, eager.data) << what << ": torch-jit's int8 differs from torch's";
}

using test::OpCase;
class TorchInt8Op : public ::testing::TestWithParam<OpCase> {};

TEST_P(TorchInt8Op, MatchesReference) { expect_int8_matches_reference(GetParam().build(), GetParam().name); }

INSTANTIATE_TEST_SUITE_P(Ops, TorchInt8Op, ::testing::ValuesIn(test::op_cases()),
                         [](const auto& info) { return info.param.name; });

// A conv whose output a BN and a concat both read: fuse_modules cannot fold
// that BN, so it runs as quantized::batch_norm2d; and an add whose ReLU is
// fused (quantized::add_relu).
Graph unfoldable_bn() {
  GraphBuilder b("bn", Shape{2, 6, 9, 9});
  ValueId x = b.conv(b.input(), conv(8, 3).bias());
  ValueId bn = b.batch_norm(x);
  ValueId sum = b.relu(b.add(bn, b.conv(x, conv(8, 1))));
  return b.finish(b.concat({sum, x}));
}

TEST(TorchInt8, AStandaloneBatchNormAndAFusedAddMatchTheReference) {
  expect_int8_matches_reference(unfoldable_bn(), "a BN read beside a concat");
  const Graph g = unfoldable_bn();
  BackendChoice c = int8();
  const auto exe = c.backend->compile(g, make_weights(g, 7), c.options);
  bool batch_norm = false, add_relu = false;
  for (const StepRecord& s : exe->steps()) {
    if (s.kind == "batchnorm") batch_norm = s.impl.find("quantized::batch_norm2d") != std::string::npos;
    if (s.kind == "add") add_relu = s.impl.find("quantized::add_relu") != std::string::npos && s.post_ops == "relu";
  }
  EXPECT_TRUE(batch_norm) << exe->explain();
  EXPECT_TRUE(add_relu) << exe->explain();
}

// What ran: a quantise first and a dequantise last, each conv with its BN
// folded and its ReLU fused into one quantised op; a profiled run times
// every step.
TEST(TorchInt8, StepsSayWhatWasFusedAndTheProfilerTimesEach) {
  const Graph g = parse_model("pattern:bottleneck depth=2 width=32 res=16 classes=10").build(2);
  BackendChoice c = int8(2);
  const auto exe = c.backend->compile(g, make_weights(g, 3), c.options);
  const auto& steps = exe->steps();
  ASSERT_GE(steps.size(), 3u);
  EXPECT_EQ(steps.front().kind, "reorder");
  EXPECT_NE(steps.front().detail.find("quantise the fp32 input to nchw:quint8"), std::string::npos);
  EXPECT_EQ(steps.back().kind, "reorder");
  EXPECT_EQ(steps.back().detail, "dequantise the output to fp32");
  const StepRecord& stem = steps[1];
  EXPECT_EQ(stem.kind, "conv");
  EXPECT_NE(stem.impl.find("quantized::conv2d_relu"), std::string::npos) << stem.impl;
  ASSERT_EQ(stem.covers.size(), 3u);
  EXPECT_EQ(stem.covers[1].how, "BN folded into the weights, as fuse_modules does");
  EXPECT_EQ(stem.covers[2].how, "ReLU fused: quantized::conv2d_relu");
  EXPECT_EQ(stem.weights_layout, "qint8 per output channel");
  EXPECT_GT(stem.macs, 0);
  const std::string text = exe->explain();
  EXPECT_NE(text.find("precision int8: PyTorch's eager post-training static quantisation"), std::string::npos) << text;
  EXPECT_NE(text.find("16 seeded calibration images"), std::string::npos) << text;

  const Tensor x = make_input(g.input_shape(), 4);
  Tensor out(g.output_shape());
  const std::vector<double> seconds = exe->run_profiled(x.ptr(), out.ptr());
  ASSERT_EQ(seconds.size(), steps.size());
  for (double s : seconds) EXPECT_GE(s, 0);
  Tensor plain(g.output_shape());
  exe->run(x.ptr(), plain.ptr());
  EXPECT_EQ(out.data, plain.data) << "the profiled run computes something else";
  EXPECT_EQ(exe->compiled_facts().phases_ms.size(), 3u);
}

TEST(TorchInt8, PatternsOnTorchJitComputeTorchsBits) {
  for (const char* p : {"standard", "factorized", "bottleneck", "dw_separable", "dw_bottleneck", "grouped"}) {
    const std::string model = std::string("pattern:") + p + " depth=3 width=16 res=16 classes=10";
    const Graph g = parse_model(model).build(2);
    const Weights w = make_weights(g, 9);
    const Tensor x = make_input(g.input_shape(), 9);
    EXPECT_EQ(run_once(int8(2, "torch-jit"), g, w, x).data, run_once(int8(2), g, w, x).data) << model;
  }
}

TEST(TorchInt8, JitExplainShowsTheQuantisedScript) {
  const Graph g = parse_model("pattern:standard depth=2 width=16 res=16 classes=10").build(1);
  BackendChoice c = int8(1, "torch-jit");
  const auto exe = c.backend->compile(g, make_weights(g, 7), c.options);
  const std::string text = exe->explain();
  EXPECT_EQ(text.rfind("precision int8: PyTorch's eager post-training static quantisation", 0), 0u) << text;
  EXPECT_NE(text.find("quantized.conv2d_relu(v0, self.n1_packed"), std::string::npos) << text;
  EXPECT_NE(text.find("return torch.dequantize("), std::string::npos) << text;
  EXPECT_EQ(exe->compiled_facts().phases_ms.back().first, "define, freeze and optimize_for_inference");
}

TEST(TorchInt8, ParameterCountIsTheUnfusedNetworks) {
  const Graph g = parse_model("pattern:dw_bottleneck depth=2 width=16 res=16 classes=10").build(1);
  for (const char* backend : {"torch", "torch-jit"}) {
    BackendChoice c = int8(1, backend);
    const auto exe = c.backend->compile(g, make_weights(g, 7), c.options);
    auto* torch_exe = dynamic_cast<TorchExecutable*>(exe.get());
    ASSERT_NE(torch_exe, nullptr);
    EXPECT_EQ(torch_exe->parameter_count(), cost_of(g).total.params) << backend;
  }
}

// The same seed gives the same scales: two compiles compute the same bits;
// another calibration set gives other scales.
TEST(TorchInt8, CalibrationIsDeterministic) {
  const Graph g = parse_model("pattern:standard depth=3 width=16 res=16 classes=10").build(1);
  const Weights w = make_weights(g, 5);
  const Tensor x = make_input(g.input_shape(), 6);
  const Tensor a = run_once(int8(), g, w, x);
  EXPECT_EQ(run_once(int8(), g, w, x).data, a.data);
  BackendChoice one = int8();
  one.options.calibration_inputs = 1;
  EXPECT_NE(run_once(one, g, w, x).data, a.data);
}

}  // namespace
}  // namespace fb
