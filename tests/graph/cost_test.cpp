// The cost model against closed-form formulas (docs/patterns.md), per pattern
// at several depths and widths. S is the number of pixels after the stride-2
// stem: ((res - 1) / 2 + 1)^2.
#include <gtest/gtest.h>

#include "common/error.h"
#include "graph/builder.h"
#include "graph/cost.h"
#include "models/catalog.h"
#include "models/patterns.h"

namespace fb {
namespace {

struct Expected {
  int64_t params;
  int64_t macs;
};

Expected closed_form(const PatternConfig& c) {
  const int64_t w = c.width, d = c.depth, k = c.classes;
  const int64_t side = (c.res - 1) / 2 + 1, S = side * side;
  int64_t bp = 0, bm = 0;  // per block
  switch (c.pattern) {
    case Pattern::Standard: bp = 9 * w * w + 4 * w; bm = 9 * w * w; break;
    case Pattern::Factorized: bp = 6 * w * w + 8 * w; bm = 6 * w * w; break;
    case Pattern::Bottleneck: {
      const int64_t b = w / c.reduction;
      bp = 2 * w * b + 9 * b * b + 8 * b + 4 * w;
      bm = 2 * w * b + 9 * b * b;
      break;
    }
    case Pattern::DwSeparable: bp = w * w + 17 * w; bm = w * w + 9 * w; break;
    case Pattern::DwBottleneck: {
      const int64_t h = dw_bottleneck_inner_width(c);
      bp = 2 * w * h + 17 * h + 4 * w;
      bm = 2 * w * h + 9 * h;
      break;
    }
    case Pattern::Grouped: bp = 9 * w * w / c.groups + 4 * w; bm = 9 * w * w / c.groups; break;
  }
  const int64_t stem_p = 27 * w + 4 * w, stem_m = 27 * w * S;
  const int64_t head_p = w * k + k, head_m = w * k;
  return {stem_p + d * bp + head_p, stem_m + d * bm * S + head_m};
}

class CostPerPattern : public ::testing::TestWithParam<Pattern> {};

TEST_P(CostPerPattern, ParamsAndMacsMatchClosedForm) {
  for (int depth : {1, 10, 50})
    for (int width : {32, 64, 512})
      for (int res : {224, 33}) {
        PatternConfig c;
        c.pattern = GetParam();
        c.depth = depth;
        c.width = width;
        c.res = res;
        GraphCost cost = cost_of(build_pattern(c, 1));
        Expected e = closed_form(c);
        EXPECT_EQ(cost.total.params, e.params) << pattern_name(c.pattern) << " d" << depth << " w" << width;
        EXPECT_EQ(cost.total.macs, e.macs) << pattern_name(c.pattern) << " d" << depth << " w" << width;
        EXPECT_EQ(cost.total.flops(), 2 * e.macs);
        EXPECT_EQ(cost.total.weight_bytes, 4 * e.params);
      }
}

INSTANTIATE_TEST_SUITE_P(AllPatterns, CostPerPattern,
                         ::testing::Values(Pattern::Standard, Pattern::Factorized, Pattern::Bottleneck,
                                           Pattern::DwSeparable, Pattern::DwBottleneck, Pattern::Grouped),
                         [](const auto& info) { return pattern_name(info.param); });

TEST(Cost, MacsScaleWithBatchParamsDoNot) {
  PatternConfig c;
  c.pattern = Pattern::Bottleneck;
  GraphCost one = cost_of(build_pattern(c, 1)), eight = cost_of(build_pattern(c, 8));
  EXPECT_EQ(eight.total.macs, 8 * one.total.macs);
  EXPECT_EQ(eight.total.params, one.total.params);
  EXPECT_EQ(eight.total.activation_bytes, 8 * one.total.activation_bytes);
}

// Nodes 1-3: a conv whose output the add reads too, its ReLU, the add.
Graph conv_relu_add() {
  GraphBuilder b("t", Shape{1, 2, 4, 4});
  auto c1 = b.conv(b.input(), conv(3, 3));  // 32 in + 54 w + 48 out floats
  auto r = b.relu(c1);                       // 48 in + 48 out
  return b.finish(b.add(r, c1));             // 96 in + 48 out
}

TEST(Cost, MinBytesAndPeakActivations) {
  GraphCost c = cost_of(conv_relu_add());
  EXPECT_EQ(c.nodes[1].min_bytes, 4 * (32 + 54 + 48));
  EXPECT_EQ(c.nodes[2].min_bytes, 4 * (48 + 48));
  EXPECT_EQ(c.nodes[3].min_bytes, 4 * (96 + 48));
  EXPECT_EQ(c.total.min_bytes, c.nodes[1].min_bytes + c.nodes[2].min_bytes + c.nodes[3].min_bytes);
  // At the add: conv out, relu out and add out are live together (input died at conv).
  EXPECT_EQ(c.peak_activation_bytes, 4 * (48 * 3));
  EXPECT_GT(c.arithmetic_intensity(), 0.0);
}

// A fused step's traffic: inputs made outside the group, read once; outputs
// read outside it; nothing for values passed inside.
TEST(Cost, GroupCostCountsOnlyTrafficCrossingTheGroup) {
  const Graph g = conv_relu_add();
  GraphCost c = cost_of(g);
  // conv + relu: both outputs are read by the add outside.
  const NodeCost cr = group_cost(g, c, {1, 2});
  EXPECT_EQ(cr.macs, c.nodes[1].macs);
  EXPECT_EQ(cr.min_bytes, 4 * (32 + 54 + 48 + 48));
  // relu + add: c1 comes in once, the relu output stays inside, the add's is the graph output.
  EXPECT_EQ(group_cost(g, c, {2, 3}).min_bytes, 4 * (48 + 48));
  // One node: the cost model's own figure.
  EXPECT_EQ(group_cost(g, c, {1}).min_bytes, c.nodes[1].min_bytes);
}

TEST(Cost, OverflowIsRefusedNamingTheNodeNotWrapped) {
  // Knobs and batch in range, but the stem's MACs pass 2^63: they used to
  // wrap to a small or negative number.
  Graph g = parse_model("pattern:standard depth=1 width=8192 res=4096").build(65536);
  try {
    cost_of(g);
    FAIL() << "no error";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("MACs of"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("does not fit in 64 bits"), std::string::npos) << e.what();
  }
}

TEST(Shape, NumelOverflowIsAUsageError) {
  EXPECT_EQ((Shape{2, 3, 4, 5}.numel()), 120);
  EXPECT_THROW((Shape{int64_t{1} << 40, int64_t{1} << 40}.numel()), UsageError);
}

}  // namespace
}  // namespace fb
