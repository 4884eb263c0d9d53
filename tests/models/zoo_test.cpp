// The model zoo against published figures (docs/zoo.md), and every network
// running on the reference backend at a reduced input size.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <ostream>

#include "backends/backend.h"
#include "common/error.h"
#include "graph/cost.h"
#include "graph/weights.h"
#include "models/catalog.h"

namespace fb {
namespace {

struct ZooCase {
  const char* name;
  int64_t res;                // standard input side
  int64_t learnable_params;   // exact: torchvision where it exists, else our count (docs/zoo.md)
  double published_params;    // as published, to its precision
  double params_precision;    // half the last published digit
  int64_t macs;               // our exact count at batch 1
  double published_macs;      // as published
  double macs_tolerance;      // relative; 0.1 % where the convention matches
  int64_t test_res;           // smallest side the architecture allows, for the reference run
};

// clang-format off
const ZooCase kZoo[] = {
    {"resnet18",         224, 11689512, 11689512, 0.5, 1814073344LL,  1.814e9, 1e-3, 32},
    {"resnet34",         224, 21797672, 21797672, 0.5, 3663761408LL,  3.664e9, 1e-3, 32},
    {"resnet50",         224, 25557032, 25557032, 0.5, 4089184256LL,  4.089e9, 1e-3, 32},
    {"resnet101",        224, 44549160, 44549160, 0.5, 7801405440LL,  7.801e9, 1e-3, 32},
    {"resnet152",        224, 60192808, 60192808, 0.5, 11513626624LL, 11.514e9, 1e-3, 32},
    {"resnext50_32x4d",  224, 25028904, 25028904, 0.5, 4230479872LL,  4.230e9, 1e-3, 32},
    {"resnext101_32x8d", 224, 88791336, 88791336, 0.5, 16414015488LL, 16.414e9, 1e-3, 32},
    {"mobilenet_v2",     224, 3504872,  3504872,  0.5, 300774272LL,   0.301e9, 1e-3, 32},
    {"inception_v3",     299, 23834568, 23834568, 0.5, 5713216096LL,  5.713e9, 1e-3, 75},
    // NAS networks: papers round; MAC conventions differ (docs/zoo.md explains the gaps).
    {"darts",            224, 4718752,  4.7e6,   0.05e6, 529911552LL,  574e6,   0.08, 32},
    {"darts_opt",        224, 5342464,  5.3e6,   0.05e6, 581627328LL,  597e6,   0.03, 32},
    {"nasnet_a_large",   331, 88753150, 88.9e6,  0.2e6,  23785682994LL, 23.8e9, 1e-3, 43},
};
// clang-format on

// Names the case in test listings instead of dumping its bytes.
void PrintTo(const ZooCase& z, std::ostream* os) { *os << z.name; }

class Zoo : public ::testing::TestWithParam<ZooCase> {};

TEST_P(Zoo, CountsMatchPublishedFigures) {
  const ZooCase& z = GetParam();
  ModelSpec spec = parse_model(z.name);
  EXPECT_EQ(spec.def->family, "zoo");
  EXPECT_EQ(spec.knob("res"), z.res);
  EXPECT_EQ(spec.knob("classes"), 1000);
  Graph g = spec.build(1);
  EXPECT_EQ(g.input_shape(), (Shape{1, 3, z.res, z.res}));
  EXPECT_EQ(g.output_shape(), (Shape{1, 1000}));
  GraphCost c = cost_of(g);
  EXPECT_EQ(c.total.learnable_params, z.learnable_params);
  EXPECT_LE(std::abs(static_cast<double>(c.total.learnable_params) - z.published_params), z.params_precision);
  EXPECT_EQ(c.total.macs, z.macs);
  EXPECT_LE(std::abs(static_cast<double>(c.total.macs) - z.published_macs) / z.published_macs, z.macs_tolerance);
  EXPECT_EQ(cost_of(spec.build(2)).total.macs, 2 * z.macs);
}

// The whole network on the plain-loop reference at the smallest input the
// architecture allows: finite, not constant, different per sample.
TEST_P(Zoo, RunsOnTheReferenceAtReducedSize) {
  const ZooCase& z = GetParam();
  ModelSpec spec = parse_model(std::string(z.name) + " res=" + std::to_string(z.test_res));
  Graph g = spec.build(2);
  Tensor out = run_once(choose_backend("reference", 1), g, make_weights(g, 11), make_input(g.input_shape(), 5));
  ASSERT_EQ(out.shape, (Shape{2, 1000}));
  for (float v : out.data) ASSERT_TRUE(std::isfinite(v)) << spec.str();
  const auto [lo, hi] = std::minmax_element(out.data.begin(), out.data.end());
  EXPECT_GT(*hi - *lo, 1e-3f * std::max(std::abs(*hi), std::abs(*lo))) << spec.str();
  EXPECT_FALSE(std::equal(out.data.begin(), out.data.begin() + 1000, out.data.begin() + 1000)) << spec.str();
}

INSTANTIATE_TEST_SUITE_P(All, Zoo, ::testing::ValuesIn(kZoo),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(ZooCatalog, HasTheTwelveNetworks) {
  int n = 0;
  for (const auto& m : model_catalog()) n += m.family == "zoo";
  EXPECT_EQ(n, static_cast<int>(std::size(kZoo)));
}

TEST(ZooCatalog, StoredParamsMatchKerasTotals) {
  // Keras counts BN's running statistics too (non-trainable params).
  EXPECT_EQ(cost_of(parse_model("nasnet_a_large").build(1)).total.params, 88949818);
  EXPECT_EQ(cost_of(parse_model("mobilenet_v2").build(1)).total.params, 3538984);
}

TEST(ZooCatalog, ResBelowTheArchitecturesMinimumIsRejected) {
  EXPECT_THROW(parse_model("resnet50 res=16"), UsageError);
  EXPECT_THROW(parse_model("inception_v3 res=74"), UsageError);
  try {
    parse_model("nasnet_a_large res=330").build(1);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("use e.g. res=322 or res=331"), std::string::npos) << e.what();
  }
}

TEST(ZooCatalog, NonStandardSidesBuild) {
  // Odd sides exercise the factorized reduction's zero-padded shifted path.
  for (const char* d : {"darts res=40", "darts_opt res=100", "resnet18 res=100", "inception_v3 res=100",
                        "nasnet_a_large res=43", "mobilenet_v2 res=33"})
    EXPECT_EQ(parse_model(d).build(1).output_shape(), (Shape{1, 1000})) << d;
}

}  // namespace
}  // namespace fb
