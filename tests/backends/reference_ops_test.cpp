// The reference ops against cases small enough to compute by hand.
#include <gtest/gtest.h>

#include <numeric>

#include "backends/backend.h"
#include "backends/reference/reference_ops.h"
#include "common/error.h"
#include "graph/builder.h"

namespace fb {
namespace {

Tensor make(Shape s, std::vector<float> v) {
  Tensor t(std::move(s));
  EXPECT_EQ(static_cast<int64_t>(v.size()), t.numel());
  t.data = std::move(v);
  return t;
}
Tensor arange(Shape s) {
  Tensor t(std::move(s));
  std::iota(t.data.begin(), t.data.end(), 0.0f);
  return t;
}
Tensor filled(Shape s, float v) {
  Tensor t(std::move(s));
  std::fill(t.data.begin(), t.data.end(), v);
  return t;
}
ConvAttrs conv_attrs(int out, int kh, int kw, int stride, Padding pad, int dilation = 1, int groups = 1) {
  ConvAttrs a;
  a.out_channels = out;
  a.kernel_h = kh;
  a.kernel_w = kw;
  a.stride_h = a.stride_w = stride;
  a.pad = pad;
  a.dilation_h = a.dilation_w = dilation;
  a.groups = groups;
  return a;
}

TEST(ReferenceConv, PaddedOnesCountTheWindow) {
  Tensor x = filled({1, 1, 3, 3}, 1), w = filled({1, 1, 3, 3}, 1), out({1, 1, 3, 3});
  ref::conv(conv_attrs(1, 3, 3, 1, Padding::same(1)), x, w, nullptr, out);
  EXPECT_EQ(out.data, (std::vector<float>{4, 6, 4, 6, 9, 6, 4, 6, 4}));
}

TEST(ReferenceConv, StridedWithBias) {
  Tensor x = arange({1, 1, 4, 4}), w = filled({1, 1, 2, 2}, 1), b = make({1}, {0.5f}), out({1, 1, 2, 2});
  ref::conv(conv_attrs(1, 2, 2, 2, {}), x, w, &b, out);
  // Blocks {0,1,4,5}, {2,3,6,7}, {8,9,12,13}, {10,11,14,15}.
  EXPECT_EQ(out.data, (std::vector<float>{10.5f, 18.5f, 42.5f, 50.5f}));
}

TEST(ReferenceConv, Dilated) {
  Tensor x = arange({1, 1, 5, 5}), w = filled({1, 1, 3, 3}, 1), out({1, 1, 1, 1});
  ref::conv(conv_attrs(1, 3, 3, 1, {}, 2), x, w, nullptr, out);
  EXPECT_EQ(out.data[0], 0 + 2 + 4 + 10 + 12 + 14 + 20 + 22 + 24);
}

TEST(ReferenceConv, AsymmetricPadding) {
  // 1x2 kernel [1, 10], padding only on the right: last column sees a zero.
  Tensor x = make({1, 1, 1, 3}, {1, 2, 3}), w = make({1, 1, 1, 2}, {1, 10}), out({1, 1, 1, 3});
  ref::conv(conv_attrs(1, 1, 2, 1, Padding{0, 0, 0, 1}), x, w, nullptr, out);
  EXPECT_EQ(out.data, (std::vector<float>{21, 32, 3}));
}

TEST(ReferenceConv, GroupsDoNotMix) {
  // Channels hold 1, 2, 3, 4; two groups of two; 1x1 weights all ones.
  Tensor x = make({1, 4, 1, 1}, {1, 2, 3, 4}), w = filled({2, 2, 1, 1}, 1), out({1, 2, 1, 1});
  ref::conv(conv_attrs(2, 1, 1, 1, {}, 1, 2), x, w, nullptr, out);
  EXPECT_EQ(out.data, (std::vector<float>{3, 7}));
}

TEST(ReferenceConv, DepthwiseUsesItsOwnFilter) {
  Tensor x = filled({1, 2, 2, 2}, 1), w = make({2, 1, 1, 1}, {2, -3}), out({1, 2, 2, 2});
  ref::conv(conv_attrs(2, 1, 1, 1, {}, 1, 2), x, w, nullptr, out);
  EXPECT_EQ(out.data, (std::vector<float>{2, 2, 2, 2, -3, -3, -3, -3}));
}

TEST(ReferencePool, MaxPoolPaddingNeverWins) {
  Tensor x = make({1, 1, 2, 2}, {-1, -2, -3, -4}), out({1, 1, 1, 1});
  ref::max_pool(PoolAttrs{3, 3, 2, 2, Padding::same(1), true}, x, out);
  EXPECT_EQ(out.data[0], -1);
}

TEST(ReferencePool, AvgPoolCountIncludePad) {
  Tensor x = filled({1, 1, 2, 2}, 1), with({1, 1, 2, 2}), without({1, 1, 2, 2});
  ref::avg_pool(PoolAttrs{3, 3, 1, 1, Padding::same(1), true}, x, with);
  ref::avg_pool(PoolAttrs{3, 3, 1, 1, Padding::same(1), false}, x, without);
  EXPECT_FLOAT_EQ(with.data[0], 4.0f / 9.0f);
  EXPECT_FLOAT_EQ(without.data[0], 1.0f);
}

TEST(ReferenceOps, BatchNormActivationAdd) {
  Tensor x = make({1, 2, 1, 1}, {1, 3}), out({1, 2, 1, 1});
  ref::batch_norm(BatchNormAttrs{0.0f}, x, make({2}, {2, 1}), make({2}, {1, 0}), make({2}, {0, 1}),
                  make({2}, {4, 1}), out);
  EXPECT_FLOAT_EQ(out.data[0], 2.0f * 1 / 2 + 1);  // gamma (x-mean)/sqrt(var) + beta
  EXPECT_FLOAT_EQ(out.data[1], 2.0f);
  Tensor a = make({1, 3, 1, 1}, {-1, 3, 9}), r({1, 3, 1, 1});
  ref::activation(ActivationAttrs{ActKind::ReLU6}, a, r);
  EXPECT_EQ(r.data, (std::vector<float>{0, 3, 6}));
  ref::activation(ActivationAttrs{ActKind::ReLU}, a, r);
  EXPECT_EQ(r.data, (std::vector<float>{0, 3, 9}));
  ref::add(a, a, r);
  EXPECT_EQ(r.data, (std::vector<float>{-2, 6, 18}));
}

TEST(ReferenceOps, ConcatPadSliceGapLinear) {
  Tensor a = make({2, 1, 1, 1}, {1, 2}), b = make({2, 2, 1, 1}, {3, 4, 5, 6}), cat({2, 3, 1, 1});
  ref::concat({&a, &b}, cat);
  EXPECT_EQ(cat.data, (std::vector<float>{1, 3, 4, 2, 5, 6}));

  Tensor x = arange({1, 1, 2, 2}), padded({1, 1, 3, 3});
  ref::pad(PadAttrs{Padding{1, 0, 0, 1}}, x, padded);
  EXPECT_EQ(padded.data, (std::vector<float>{0, 0, 0, 0, 1, 0, 2, 3, 0}));
  Tensor crop({1, 1, 2, 2});
  ref::slice(SliceAttrs{1, 0, 2, 2}, padded, crop);
  EXPECT_EQ(crop.data, (std::vector<float>{0, 1, 2, 3}));

  Tensor gap({1, 1, 1, 1});
  ref::global_avg_pool(x, gap);
  EXPECT_FLOAT_EQ(gap.data[0], 1.5f);

  Tensor in = make({1, 2}, {1, 2}), w = make({3, 2}, {1, 0, 0, 1, 1, 1}), bias = make({3}, {0, 0, 10}), y({1, 3});
  ref::linear(in, w, &bias, y);
  EXPECT_EQ(y.data, (std::vector<float>{1, 2, 13}));
}

TEST(ReferenceBackend, RunsAWholeGraph) {
  GraphBuilder b("t", Shape{1, 1, 2, 2});
  Graph g = b.finish(b.relu(b.add(b.input(), b.input())));
  Weights w = make_weights(g, 1);
  Tensor out = run_once(choose_backend("reference", 1), g, w, make({1, 1, 2, 2}, {-1, 1, 2, -3}));
  EXPECT_EQ(out.data, (std::vector<float>{0, 2, 4, 0}));
}

TEST(ReferenceBackend, RejectsOptionsItWouldIgnore) {
  GraphBuilder b("t", Shape{1, 1, 2, 2});
  Graph g = b.finish(b.relu(b.input()));
  Weights w = make_weights(g, 1);
  Tensor x(g.input_shape());
  auto message = [&](const std::string& backend, const std::string& isa) {
    BackendChoice c = choose_backend(backend, 1);
    c.options.isa = isa;
    try {
      run_once(c, g, w, x);
    } catch (const UsageError& e) {
      return std::string(e.what());
    }
    return std::string("(no error)");
  };
  EXPECT_EQ(message("reference:fast", ""), "backend 'reference' has no variants (got 'reference:fast')");
  EXPECT_EQ(message("reference", "avx2"),
            "backend 'reference' cannot cap its instruction set (got isa=avx2); only onednn takes isa=");
}

}  // namespace
}  // namespace fb
