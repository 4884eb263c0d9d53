// ResNet v1.5 and ResNeXt as torchvision defines them (He et al. 2016; Xie et
// al. 2017): the stride of a downsampling bottleneck sits on its 3x3 conv.
#include <array>

#include "models/zoo/zoo_family.h"

namespace fb::zoo {
namespace {

struct ResNetDef {
  const char* name;
  bool bottleneck;
  std::array<int, 4> blocks;  // per stage
  int groups;                 // of the 3x3 conv (ResNeXt cardinality)
  int width_per_group;        // 64 for ResNet
  const char* summary;
};

constexpr ResNetDef kResNets[] = {
    {"resnet18", false, {2, 2, 2, 2}, 1, 64, "ResNet-18: basic blocks (He et al. 2016)"},
    {"resnet34", false, {3, 4, 6, 3}, 1, 64, "ResNet-34: basic blocks"},
    {"resnet50", true, {3, 4, 6, 3}, 1, 64, "ResNet-50 v1.5: bottlenecks, stride on the 3x3"},
    {"resnet101", true, {3, 4, 23, 3}, 1, 64, "ResNet-101 v1.5"},
    {"resnet152", true, {3, 8, 36, 3}, 1, 64, "ResNet-152 v1.5"},
    {"resnext50_32x4d", true, {3, 4, 6, 3}, 32, 4, "ResNeXt-50 32x4d: grouped 3x3 bottlenecks (Xie et al. 2017)"},
    {"resnext101_32x8d", true, {3, 4, 23, 3}, 32, 8, "ResNeXt-101 32x8d"},
};

// The projection shortcut when the block changes shape, else the identity.
ValueId shortcut(GraphBuilder& b, ValueId x, int out_channels, int stride) {
  if (stride == 1 && b.channels(x) == out_channels) return x;
  return b.conv_bn_act(x, conv(out_channels, 1).stride(stride), std::nullopt, "downsample");
}

ValueId basic_block(GraphBuilder& b, ValueId x, int planes, int stride) {
  ValueId y = b.conv_bn_act(x, conv(planes, 3).stride(stride), ActKind::ReLU, "conv1");
  y = b.conv_bn_act(y, conv(planes, 3), std::nullopt, "conv2");
  return b.relu(b.add(y, shortcut(b, x, planes, stride)));
}

ValueId bottleneck_block(GraphBuilder& b, const ResNetDef& d, ValueId x, int planes, int stride) {
  const int width = planes * d.width_per_group / 64 * d.groups;
  ValueId y = b.conv_bn_act(x, conv(width, 1), ActKind::ReLU, "conv1");
  y = b.conv_bn_act(y, conv(width, 3).stride(stride).groups(d.groups), ActKind::ReLU, "conv2");
  y = b.conv_bn_act(y, conv(planes * 4, 1), std::nullopt, "conv3");
  return b.relu(b.add(y, shortcut(b, x, planes * 4, stride)));
}

Graph build_resnet(const ResNetDef& d, const ZooConfig& c, int64_t batch) {
  GraphBuilder b(d.name, Shape{batch, 3, c.res, c.res});
  ValueId x = b.conv_bn_act(b.input(), conv(64, 7).stride(2).pad(3), ActKind::ReLU, "stem");
  x = b.max_pool(x, 3, 2, 1, "stem.maxpool");
  for (int stage = 0; stage < 4; ++stage) {
    const int planes = 64 << stage;
    for (int i = 0; i < d.blocks[static_cast<size_t>(stage)]; ++i) {
      NameScope scope(b, "layer" + std::to_string(stage + 1) + "." + std::to_string(i));
      const int stride = (i == 0 && stage > 0) ? 2 : 1;
      x = d.bottleneck ? bottleneck_block(b, d, x, planes, stride) : basic_block(b, x, planes, stride);
    }
  }
  return b.finish(classifier(b, x, c.classes));
}

}  // namespace

std::vector<ModelDef> resnet_models() {
  std::vector<ModelDef> defs;
  for (const auto& d : kResNets)
    defs.push_back(zoo_def(d.name, d.summary, 224, 32,
                           [&d](const ZooConfig& c, int64_t batch) { return build_resnet(d, c, batch); }));
  return defs;
}

}  // namespace fb::zoo
