#include <gtest/gtest.h>

#include <algorithm>

#include "common/error.h"
#include "graph/cost.h"
#include "models/catalog.h"
#include "models/patterns.h"

namespace fb {
namespace {

int count_ops(const Graph& g, OpKind op) {
  int n = 0;
  for (const auto& node : g.nodes) n += node.op == op;
  return n;
}

TEST(Patterns, AllSixAreInTheCatalogAndBuild) {
  int patterns = 0;
  for (const auto& m : model_catalog()) {
    if (m.family != "pattern") continue;
    ++patterns;
    Graph g = parse_model(m.name + " depth=4 width=48 res=32").build(2);
    EXPECT_EQ(g.output_shape(), (Shape{2, 1000})) << m.name;
    EXPECT_EQ(g.input_shape(), (Shape{2, 3, 32, 32})) << m.name;
  }
  EXPECT_EQ(patterns, 6);
}

TEST(Patterns, BlockStructure) {
  // Convs: stem + per block (1, 2, 3, 2, 3, 1); residual adds only in the two bottlenecks.
  struct Case { const char* name; int convs_per_block; int adds_per_block; };
  for (Case c : {Case{"standard", 1, 0}, {"factorized", 2, 0}, {"bottleneck", 3, 1}, {"dw_separable", 2, 0},
                 {"dw_bottleneck", 3, 1}, {"grouped", 1, 0}}) {
    Graph g = parse_model(std::string("pattern:") + c.name + " depth=5 width=32 res=16").build(1);
    EXPECT_EQ(count_ops(g, OpKind::Conv), 1 + 5 * c.convs_per_block) << c.name;
    EXPECT_EQ(count_ops(g, OpKind::Add), 5 * c.adds_per_block) << c.name;
    EXPECT_EQ(count_ops(g, OpKind::BatchNorm), count_ops(g, OpKind::Conv)) << c.name;
  }
}

TEST(Patterns, WidthMustFitGroups) {
  try {
    parse_model("pattern:grouped width=30 groups=8").build(1);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "pattern:grouped: width=30 is not divisible by groups=8; "
                           "use a width that is a multiple of 8");
  }
  EXPECT_THROW(parse_model("pattern:bottleneck width=30").build(1), UsageError);
}


int64_t macs(const std::string& text) { return cost_of(parse_model(text).build(1)).total.macs; }

// The paper: the depthwise bottleneck "requires the lowest amount of
// multiplication-accumulation operations" of the six (what `describe` totals).
TEST(Patterns, DwBottleneckHasTheLowestMacsAtEveryWidth) {
  for (int width : {32, 64, 128, 256, 512})
    for (int depth : {10, 30, 50}) {
      const std::string knobs = " depth=" + std::to_string(depth) + " width=" + std::to_string(width);
      const int64_t dwb = macs("pattern:dw_bottleneck" + knobs);
      for (const char* other : {"standard", "factorized", "bottleneck", "dw_separable", "grouped"})
        EXPECT_LT(dwb, macs(std::string("pattern:") + other + knobs)) << other << knobs;
    }
}

TEST(Patterns, DwBottleneckDefaultIsTheReducingBlock) {
  ModelSpec s = parse_model("pattern:dw_bottleneck depth=1 width=32 res=16");
  EXPECT_EQ(s.str(), "pattern:dw_bottleneck depth=1 width=32 res=16 classes=1000 reduction=4 expansion=1");
  Graph g = s.build(1);
  // stem, then reduce 32 -> 8, depthwise 8, expand 8 -> 32; ReLU after the add as in bottleneck.
  std::vector<int64_t> conv_out;
  for (const auto& n : g.nodes)
    if (n.op == OpKind::Conv) conv_out.push_back(n.shape.dims[1]);
  EXPECT_EQ(conv_out, (std::vector<int64_t>{32, 8, 8, 32}));
  int relu = 0, relu6 = 0;
  for (const auto& n : g.nodes)
    if (n.op == OpKind::Activation) (n.as<ActivationAttrs>().kind == ActKind::ReLU6 ? relu6 : relu)++;
  EXPECT_EQ(relu6, 0);
  EXPECT_EQ(relu, 4);  // stem, reduce, depthwise, after the add
}

// expansion=6 alone is MobileNetV2's inverted residual, as dw_bottleneck was
// before the reducing form became the default, so old descriptors keep their network.
TEST(Patterns, Expansion6IsMobileNetV2sInvertedResidual) {
  ModelSpec s = parse_model("pattern:dw_bottleneck depth=1 width=32 res=16 classes=1000 expansion=6");
  EXPECT_EQ(s.str(), "pattern:dw_bottleneck depth=1 width=32 res=16 classes=1000 reduction=1 expansion=6");
  EXPECT_EQ(parse_model(s.str()).str(), s.str());
  Graph g = s.build(1);
  std::vector<std::string> ops;
  for (const auto& n : g.nodes) {
    std::string op(op_name(n.op));
    if (n.op == OpKind::Conv) op += std::to_string(n.shape.dims[1]) + "g" + std::to_string(n.as<ConvAttrs>().groups);
    if (n.op == OpKind::Activation) op += std::string(act_name(n.as<ActivationAttrs>().kind));
    ops.push_back(op);
  }
  const std::vector<std::string> want = {
      "Input",     "Conv32g1",   "BatchNorm", "Activationrelu",  "Conv192g1", "BatchNorm",
      "Activationrelu6", "Conv192g192", "BatchNorm", "Activationrelu6", "Conv32g1", "BatchNorm",
      "Add",       "GlobalAvgPool", "Flatten", "Linear"};
  EXPECT_EQ(ops, want);
  // 12w^2 + 54w MACs per pixel: the MobileNetV2 block's cost.
  const int64_t S = 8 * 8, w = 32;
  EXPECT_EQ(cost_of(g).total.macs, 27 * w * S + (12 * w * w + 54 * w) * S + w * 1000);
}

TEST(Patterns, DwBottleneckRatiosAreAnIntegerPair) {
  // 1.5x expansion: inner width 48.
  Graph g = parse_model("pattern:dw_bottleneck depth=1 width=32 res=16 expansion=3 reduction=2").build(1);
  int64_t widest = 0;
  for (const auto& n : g.nodes)
    if (n.op == OpKind::Conv) widest = std::max(widest, n.shape.dims[1]);
  EXPECT_EQ(widest, 48);
  try {
    parse_model("pattern:dw_bottleneck width=30").build(1);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "pattern:dw_bottleneck: width=30 x expansion=1 is not divisible by reduction=4; "
                           "the inner width (width x expansion / reduction) must be a whole number of channels");
  }
}

}  // namespace
}  // namespace fb
