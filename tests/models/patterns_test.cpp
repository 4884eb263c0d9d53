#include <gtest/gtest.h>

#include "common/error.h"
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

}  // namespace
}  // namespace fb
