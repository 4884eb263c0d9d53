#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "graph/weights.h"
#include "models/patterns.h"

namespace fb {
namespace {

bool bit_identical(const Tensor& a, const Tensor& b) {
  return a.shape == b.shape && std::memcmp(a.ptr(), b.ptr(), a.data.size() * sizeof(float)) == 0;
}

TEST(Weights, SameSeedGivesBitIdenticalWeights) {
  Graph g = build_pattern({Pattern::DwBottleneck, 3, 16, 32}, 1);
  Weights a = make_weights(g, 42), b = make_weights(g, 42), c = make_weights(g, 43);
  ASSERT_EQ(a.per_node.size(), g.nodes.size());
  bool any_differs = false;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    ASSERT_EQ(a.per_node[i].size(), b.per_node[i].size());
    for (size_t t = 0; t < a.per_node[i].size(); ++t) {
      EXPECT_TRUE(bit_identical(a.per_node[i][t], b.per_node[i][t])) << g.nodes[i].name;
      any_differs |= !bit_identical(a.per_node[i][t], c.per_node[i][t]);
    }
  }
  EXPECT_TRUE(any_differs) << "a different seed must give different weights";
  EXPECT_TRUE(bit_identical(make_input(Shape{2, 3, 8, 8}, 7), make_input(Shape{2, 3, 8, 8}, 7)));
}

TEST(Weights, ShapesFollowParamSpecs) {
  Graph g = build_pattern({Pattern::Grouped, 2, 16, 32, 10, 4, 6, 4}, 1);
  Weights w = make_weights(g, 1);
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    auto specs = param_specs(g, static_cast<ValueId>(i));
    ASSERT_EQ(specs.size(), w.per_node[i].size());
    for (size_t t = 0; t < specs.size(); ++t) EXPECT_EQ(specs[t].shape, w.per_node[i][t].shape);
  }
  // A grouped 3x3 conv with 16 channels in 4 groups has weight 16 x 4 x 3 x 3.
  EXPECT_EQ(w.at(4, param::conv_weight).shape, (Shape{16, 4, 3, 3}));
}

TEST(Weights, HeScalingAndNonTrivialBatchNorm) {
  Graph g = build_pattern({Pattern::Standard, 1, 64, 16}, 1);
  Weights w = make_weights(g, 3);
  const Tensor& conv_w = w.at(4, param::conv_weight);  // block1 conv: fan_in 64*9
  double sum_sq = 0;
  for (float v : conv_w.data) sum_sq += v * v;
  double var = sum_sq / static_cast<double>(conv_w.numel());
  EXPECT_NEAR(var, 2.0 / (64 * 9), 0.1 * 2.0 / (64 * 9));
  const Tensor& var_t = w.at(5, param::bn_var);
  const Tensor& mean_t = w.at(5, param::bn_mean);
  EXPECT_NE(var_t.data[0], var_t.data[1]);
  EXPECT_NE(mean_t.data[0], 0.0f);
  for (float v : var_t.data) EXPECT_GT(v, 0.0f);
}

}  // namespace
}  // namespace fb
