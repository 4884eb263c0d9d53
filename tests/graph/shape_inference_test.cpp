#include <gtest/gtest.h>

#include "common/error.h"
#include "graph/builder.h"

namespace fb {
namespace {

// Expects `fn` to throw a UsageError whose message contains `needle`.
template <class Fn>
void expect_usage_error(Fn fn, const std::string& needle) {
  try {
    fn();
    FAIL() << "expected an error containing: " << needle;
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << "message was: " << e.what();
  }
}

TEST(ShapeInference, ConvStridePadDilation) {
  GraphBuilder b("t", Shape{2, 8, 17, 17});
  EXPECT_EQ(b.shape(b.conv(b.input(), conv(4, 3).stride(2))), (Shape{2, 4, 9, 9}));
  EXPECT_EQ(b.shape(b.conv(b.input(), conv(4, 3).dilation(2))), (Shape{2, 4, 17, 17}));
  EXPECT_EQ(b.shape(b.conv(b.input(), conv(4, 3).pad(0))), (Shape{2, 4, 15, 15}));
  EXPECT_EQ(b.shape(b.conv(b.input(), conv(4, 1).kernel(1, 7))), (Shape{2, 4, 17, 17}));
  EXPECT_EQ(b.shape(b.conv(b.input(), conv(4, 3).pad(Padding{0, 1, 1, 0}).stride(2))), (Shape{2, 4, 8, 8}));
}

TEST(ShapeInference, PoolsConcatLinear) {
  GraphBuilder b("t", Shape{1, 3, 8, 8});
  auto mp = b.max_pool(b.input(), 3, 2, 1);
  EXPECT_EQ(b.shape(mp), (Shape{1, 3, 4, 4}));
  auto ap = b.avg_pool(b.input(), 3, 2, 0, false);
  EXPECT_EQ(b.shape(ap), (Shape{1, 3, 3, 3}));
  auto cat = b.concat({mp, mp});
  EXPECT_EQ(b.shape(cat), (Shape{1, 6, 4, 4}));
  auto fc = b.linear(b.flatten(b.global_avg_pool(cat)), 10);
  EXPECT_EQ(b.shape(fc), (Shape{1, 10}));
  EXPECT_EQ(b.shape(b.pad(b.input(), Padding{0, 0, 1, 1})), (Shape{1, 3, 9, 9}));
  EXPECT_EQ(b.shape(b.slice(b.input(), 1, 1, 7, 7)), (Shape{1, 3, 7, 7}));
}

TEST(ShapeInference, GroupsMustDivideChannels) {
  GraphBuilder b("t", Shape{1, 30, 8, 8});
  expect_usage_error([&] { b.conv(b.input(), conv(32, 3).groups(8), "conv3"); },
                     "conv3: 30 input channels not divisible by groups=8");
  expect_usage_error([&] { b.conv(b.input(), conv(31, 3).groups(3), "conv4"); },
                     "31 output channels not divisible by groups=3");
}

TEST(ShapeInference, ClearErrors) {
  GraphBuilder b("t", Shape{1, 4, 8, 8});
  auto small = b.conv(b.input(), conv(4, 3).stride(2));
  expect_usage_error([&] { b.add(b.input(), small, "sum"); }, "sum: cannot add shapes 1x4x8x8 and 1x4x4x4");
  expect_usage_error([&] { b.concat({b.input(), small}, "cat"); }, "batch and spatial sizes must match");
  expect_usage_error([&] { b.conv(b.input(), conv(4, 11).pad(0), "big"); }, "big: a 11x11 window does not fit");
  expect_usage_error([&] { b.linear(b.input(), 10, "fc"); }, "add a Flatten");
  expect_usage_error([&] { b.slice(b.input(), 4, 0, 6, 2, "crop"); }, "lies outside the 8x8 input");
  expect_usage_error([] { GraphBuilder("x", Shape{1, 3, 0, 4}); }, "empty dimension");
}

TEST(ShapeInference, OversizedOutputsAreRefusedNamingTheNode) {
  // 2^12 x 2^32 pixels fit; 2^20 channels of them (2^64 elements) do not.
  GraphBuilder b("t", Shape{int64_t{1} << 12, 1, int64_t{1} << 16, int64_t{1} << 16});
  expect_usage_error([&] { b.conv(b.input(), conv(1 << 20, 1), "wide"); },
                     "wide: the 4096x1048576x65536x65536 output does not fit in 64 bits");
}

TEST(ShapeInference, ScopesNameNodes) {
  GraphBuilder b("t", Shape{1, 4, 8, 8});
  ValueId v;
  {
    NameScope s(b, "block1");
    v = b.conv_bn_act(b.input(), conv(4, 3), ActKind::ReLU, "conv3x3");
  }
  Graph g = b.finish(v);
  EXPECT_EQ(g.node(v).name, "block1.conv3x3.relu");
  EXPECT_EQ(g.nodes[1].name, "block1.conv3x3.conv");
}

TEST(ShapeInference, ValidateRecomputesAndChecksOrder) {
  GraphBuilder b("t", Shape{1, 4, 8, 8});
  Graph g = b.finish(b.relu(b.conv(b.input(), conv(4, 3))));
  g.nodes[0].shape = Shape{2, 4, 6, 6};
  validate(g);
  EXPECT_EQ(g.output_shape(), (Shape{2, 4, 6, 6}));
  g.nodes[1].inputs = {2};
  EXPECT_THROW(validate(g), UsageError);
}

}  // namespace
}  // namespace fb
