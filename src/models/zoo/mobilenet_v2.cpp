// MobileNetV2 (Sandler et al. 2018) at width 1.0, as torchvision defines it.
#include "models/zoo/zoo_family.h"

namespace fb::zoo {
namespace {

struct Stage {
  int expansion, channels, repeats, stride;
};
// The paper's Table 2.
constexpr Stage kStages[] = {{1, 16, 1, 1},  {6, 24, 2, 2},  {6, 32, 3, 2},  {6, 64, 4, 2},
                             {6, 96, 3, 1},  {6, 160, 3, 2}, {6, 320, 1, 1}};

ValueId inverted_residual(GraphBuilder& b, ValueId x, int expansion, int out_channels, int stride) {
  const auto in_channels = static_cast<int>(b.channels(x));
  const int hidden = in_channels * expansion;
  ValueId y = x;
  if (expansion != 1) y = b.conv_bn_act(y, conv(hidden, 1), ActKind::ReLU6, "expand");
  y = b.conv_bn_act(y, conv(hidden, 3).stride(stride).groups(hidden), ActKind::ReLU6, "depthwise");
  y = b.conv_bn_act(y, conv(out_channels, 1), std::nullopt, "project");
  return (stride == 1 && in_channels == out_channels) ? b.add(x, y) : y;
}

Graph build(const ZooConfig& c, int64_t batch) {
  GraphBuilder b("mobilenet_v2", Shape{batch, 3, c.res, c.res});
  ValueId x = b.conv_bn_act(b.input(), conv(32, 3).stride(2), ActKind::ReLU6, "stem");
  int index = 1;
  for (const auto& s : kStages)
    for (int i = 0; i < s.repeats; ++i) {
      NameScope scope(b, "block" + std::to_string(index++));
      x = inverted_residual(b, x, s.expansion, s.channels, i == 0 ? s.stride : 1);
    }
  x = b.conv_bn_act(x, conv(1280, 1), ActKind::ReLU6, "head");
  return b.finish(classifier(b, x, c.classes));
}

}  // namespace

std::vector<ModelDef> mobilenet_v2_models() {
  return {zoo_def("mobilenet_v2", "MobileNetV2 1.0: inverted residuals, depthwise 3x3 (Sandler et al. 2018)", 224,
                  32, build)};
}

}  // namespace fb::zoo
