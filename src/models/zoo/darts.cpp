// DARTS (Liu et al. 2019) and PC-DARTS (Xu et al. 2020) cells stacked into
// the DARTS ImageNet network: 48 initial channels, 14 cells, reductions at
// cells 4 and 9, and the two-part stride-8 stem. Inference form: no auxiliary
// head, no drop-path. Genotypes and operations follow the papers' public
// definitions; see docs/zoo.md.
#include <array>

#include "models/zoo/zoo_family.h"

namespace fb::zoo {
namespace {

enum class Op { SepConv3, SepConv5, DilConv3, DilConv5, MaxPool3, AvgPool3, Skip };

struct Edge {
  Op op;
  int input;  // 0, 1: the cell's inputs; 2..: earlier intermediate nodes
};

// Four intermediate nodes, each the sum of two edges; the cell's output
// concatenates all four.
struct Genotype {
  std::array<Edge, 8> normal;
  std::array<Edge, 8> reduce;
};

// DARTS_V2 (second-order search on CIFAR-10), the network of the paper's
// ImageNet table.
constexpr Genotype kDartsV2{
    {{{Op::SepConv3, 0}, {Op::SepConv3, 1}, {Op::SepConv3, 0}, {Op::SepConv3, 1},
      {Op::SepConv3, 1}, {Op::Skip, 0}, {Op::Skip, 0}, {Op::DilConv3, 2}}},
    {{{Op::MaxPool3, 0}, {Op::MaxPool3, 1}, {Op::Skip, 2}, {Op::MaxPool3, 1},
      {Op::MaxPool3, 0}, {Op::Skip, 2}, {Op::Skip, 2}, {Op::MaxPool3, 1}}}};

// PC-DARTS searched directly on ImageNet (the paper's Table 4 network).
constexpr Genotype kPcDartsImageNet{
    {{{Op::Skip, 1}, {Op::SepConv3, 0}, {Op::SepConv3, 0}, {Op::Skip, 1},
      {Op::SepConv3, 1}, {Op::SepConv3, 3}, {Op::SepConv3, 1}, {Op::DilConv5, 4}}},
    {{{Op::SepConv3, 0}, {Op::Skip, 1}, {Op::DilConv5, 2}, {Op::MaxPool3, 1},
      {Op::SepConv3, 2}, {Op::SepConv3, 1}, {Op::SepConv5, 0}, {Op::SepConv3, 3}}}};

// ReLU -> depthwise k x k (dilation d) -> pointwise 1x1 -> BN.
ValueId relu_dw_pw_bn(GraphBuilder& b, ValueId x, int kernel, int stride, int dilation, const std::string& name) {
  NameScope scope(b, name);
  const auto c = static_cast<int>(b.channels(x));
  ValueId y = b.conv(b.relu(x), conv(c, kernel).stride(stride).dilation(dilation).groups(c), "dw");
  return b.batch_norm(b.conv(y, conv(c, 1), "pw"));
}

ValueId apply(GraphBuilder& b, Op op, ValueId x, int stride) {
  switch (op) {
    case Op::SepConv3:
    case Op::SepConv5: {
      const int k = op == Op::SepConv3 ? 3 : 5;
      NameScope scope(b, op == Op::SepConv3 ? "sep_conv_3x3" : "sep_conv_5x5");
      return relu_dw_pw_bn(b, relu_dw_pw_bn(b, x, k, stride, 1, "sep1"), k, 1, 1, "sep2");
    }
    case Op::DilConv3:
      return relu_dw_pw_bn(b, x, 3, stride, 2, "dil_conv_3x3");
    case Op::DilConv5:
      return relu_dw_pw_bn(b, x, 5, stride, 2, "dil_conv_5x5");
    case Op::MaxPool3:
      return b.max_pool(x, 3, stride, 1, "max_pool_3x3");
    case Op::AvgPool3:
      return b.avg_pool(x, 3, stride, 1, false, "avg_pool_3x3");
    case Op::Skip:
      return stride == 1 ? x : factorized_reduce(b, x, static_cast<int>(b.channels(x)), "skip_reduce");
  }
  return x;
}

ValueId cell(GraphBuilder& b, const Genotype& g, bool reduction, bool reduction_prev, ValueId s0, ValueId s1,
             int channels) {
  s0 = reduction_prev ? factorized_reduce(b, s0, channels, "pre0") : relu_conv_bn(b, s0, channels, "pre0");
  s1 = relu_conv_bn(b, s1, channels, "pre1");
  std::vector<ValueId> states{s0, s1};
  const auto& edges = reduction ? g.reduce : g.normal;
  for (size_t node = 0; node < 4; ++node) {
    NameScope scope(b, "node" + std::to_string(node + 2));
    ValueId h[2];
    for (size_t j = 0; j < 2; ++j) {
      const Edge& e = edges[2 * node + j];
      const int stride = reduction && e.input < 2 ? 2 : 1;
      h[j] = apply(b, e.op, states.at(static_cast<size_t>(e.input)), stride);
    }
    states.push_back(b.add(h[0], h[1]));
  }
  return b.concat({states.begin() + 2, states.end()});
}

Graph build_darts(const char* name, const Genotype& g, const ZooConfig& c, int64_t batch) {
  constexpr int kChannels = 48, kCells = 14;
  GraphBuilder b(name, Shape{batch, 3, c.res, c.res});
  ValueId s0 = b.input();
  {
    NameScope scope(b, "stem0");
    s0 = b.conv_bn_act(s0, conv(kChannels / 2, 3).stride(2), ActKind::ReLU, "conv1");
    s0 = b.conv_bn_act(s0, conv(kChannels, 3).stride(2), std::nullopt, "conv2");
  }
  ValueId s1 = b.conv_bn_act(b.relu(s0), conv(kChannels, 3).stride(2), std::nullopt, "stem1");
  int channels = kChannels;
  bool reduction_prev = true;  // s0 is twice s1's side
  for (int i = 0; i < kCells; ++i) {
    const bool reduction = i == kCells / 3 || i == 2 * kCells / 3;
    if (reduction) channels *= 2;
    NameScope scope(b, "cell" + std::to_string(i));
    ValueId out = cell(b, g, reduction, reduction_prev, s0, s1, channels);
    s0 = s1;
    s1 = out;
    reduction_prev = reduction;
  }
  return b.finish(classifier(b, s1, c.classes));
}

}  // namespace

std::vector<ModelDef> darts_models() {
  return {
      zoo_def("darts", "DARTS (V2 genotype) ImageNet network: 48 channels, 14 cells (Liu et al. 2019)", 224, 32,
              [](const ZooConfig& c, int64_t batch) { return build_darts("darts", kDartsV2, c, batch); }),
      zoo_def("darts_opt", "'optimized DARTS': PC-DARTS genotype searched on ImageNet, same network (Xu 2020)", 224,
              32, [](const ZooConfig& c, int64_t batch) { return build_darts("darts_opt", kPcDartsImageNet, c, batch); }),
  };
}

}  // namespace fb::zoo
