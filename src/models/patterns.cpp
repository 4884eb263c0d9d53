#include "models/patterns.h"

#include <algorithm>

#include "common/error.h"
#include "graph/builder.h"

namespace fb {
namespace {

struct PatternInfo {
  Pattern pattern;
  const char* name;
  const char* summary;
};

constexpr PatternInfo kPatterns[] = {
    {Pattern::Standard, "standard", "3x3 conv + BN + ReLU per block"},
    {Pattern::Factorized, "factorized", "1x3 then 3x1 conv, each + BN + ReLU"},
    {Pattern::Bottleneck, "bottleneck", "1x1 reduce -> 3x3 -> 1x1 expand, residual add (ResNet)"},
    {Pattern::DwSeparable, "dw_separable", "3x3 depthwise + BN + ReLU -> 1x1 pointwise + BN + ReLU"},
    {Pattern::DwBottleneck, "dw_bottleneck",
     "1x1 reduce -> 3x3 depthwise -> 1x1 expand, residual (expansion=6: MobileNetV2's inverted residual)"},
    {Pattern::Grouped, "grouped", "3x3 grouped conv + BN + ReLU per block"},
};

void require_divisible(const PatternConfig& c, int divisor, const char* knob) {
  if (c.width % divisor != 0)
    throw UsageError("pattern:" + pattern_name(c.pattern) + ": width=" + std::to_string(c.width) +
                     " is not divisible by " + knob + "=" + std::to_string(divisor) +
                     "; use a width that is a multiple of " + std::to_string(divisor));
}

ValueId block(GraphBuilder& b, const PatternConfig& c, ValueId x) {
  const int w = c.width;
  switch (c.pattern) {
    case Pattern::Standard:
      return b.conv_bn_act(x, conv(w, 3), ActKind::ReLU, "conv3x3");
    case Pattern::Factorized:
      x = b.conv_bn_act(x, conv(w, 1).kernel(1, 3), ActKind::ReLU, "conv1x3");
      return b.conv_bn_act(x, conv(w, 1).kernel(3, 1), ActKind::ReLU, "conv3x1");
    case Pattern::Bottleneck: {
      const int mid = w / c.reduction;
      ValueId y = b.conv_bn_act(x, conv(mid, 1), ActKind::ReLU, "reduce");
      y = b.conv_bn_act(y, conv(mid, 3), ActKind::ReLU, "conv3x3");
      y = b.conv_bn_act(y, conv(w, 1), std::nullopt, "expand");
      return b.relu(b.add(x, y));
    }
    case Pattern::DwSeparable:
      x = b.conv_bn_act(x, conv(w, 3).groups(w), ActKind::ReLU, "depthwise");
      return b.conv_bn_act(x, conv(w, 1), ActKind::ReLU, "pointwise");
    case Pattern::DwBottleneck: {
      const int inner = dw_bottleneck_inner_width(c);
      if (inner < w) {  // the paper's form: a bottleneck whose 3x3 is depthwise
        ValueId y = b.conv_bn_act(x, conv(inner, 1), ActKind::ReLU, "reduce");
        y = b.conv_bn_act(y, conv(inner, 3).groups(inner), ActKind::ReLU, "depthwise");
        y = b.conv_bn_act(y, conv(w, 1), std::nullopt, "expand");
        return b.relu(b.add(x, y));
      }
      // MobileNetV2's inverted residual: ReLU6, linear projection, no ReLU after the add.
      ValueId y = b.conv_bn_act(x, conv(inner, 1), ActKind::ReLU6, "expand");
      y = b.conv_bn_act(y, conv(inner, 3).groups(inner), ActKind::ReLU6, "depthwise");
      y = b.conv_bn_act(y, conv(w, 1), std::nullopt, "project");
      return b.add(x, y);
    }
    case Pattern::Grouped:
      return b.conv_bn_act(x, conv(w, 3).groups(c.groups), ActKind::ReLU, "grouped3x3");
  }
  throw Error("unknown pattern");
}

}  // namespace

int dw_bottleneck_inner_width(const PatternConfig& c) {
  const int64_t scaled = int64_t{c.width} * c.expansion;
  if (scaled % c.reduction != 0)
    throw UsageError("pattern:dw_bottleneck: width=" + std::to_string(c.width) + " x expansion=" +
                     std::to_string(c.expansion) + " is not divisible by reduction=" + std::to_string(c.reduction) +
                     "; the inner width (width x expansion / reduction) must be a whole number of channels");
  return static_cast<int>(scaled / c.reduction);
}

std::string pattern_name(Pattern p) {
  for (const auto& info : kPatterns)
    if (info.pattern == p) return info.name;
  return "?";
}

Graph build_pattern(const PatternConfig& c, int64_t batch) {
  if (c.pattern == Pattern::Bottleneck) require_divisible(c, c.reduction, "reduction");
  if (c.pattern == Pattern::Grouped) require_divisible(c, c.groups, "groups");
  if (c.pattern == Pattern::DwBottleneck) dw_bottleneck_inner_width(c);

  GraphBuilder b("pattern:" + pattern_name(c.pattern), Shape{batch, 3, c.res, c.res});
  ValueId x = b.conv_bn_act(b.input(), conv(c.width, 3).stride(2), ActKind::ReLU, "stem");
  for (int i = 0; i < c.depth; ++i) {
    NameScope scope(b, "block" + std::to_string(i + 1));
    x = block(b, c, x);
  }
  x = b.linear(b.flatten(b.global_avg_pool(x)), c.classes, "classifier");
  return b.finish(x);
}

std::vector<ModelDef> pattern_models() {
  std::vector<ModelDef> defs;
  for (const auto& info : kPatterns) {
    ModelDef d;
    d.name = std::string("pattern:") + info.name;
    d.family = "pattern";
    d.summary = info.summary;
    d.knobs = {
        {"depth", 10, 1, 1000, "number of pattern blocks after the stem"},
        {"width", 32, 1, 8192, "channels of every block"},
        {"res", 224, 4, 4096, "input height and width (the stem halves it)"},
        {"classes", 1000, 1, 100000, "classifier outputs"},
    };
    if (info.pattern == Pattern::Bottleneck)
      d.knobs.push_back({"reduction", 4, 1, 1024, "1x1 reduce factor inside the block"});
    if (info.pattern == Pattern::DwBottleneck) {
      d.knobs.push_back({"reduction", 4, 1, 1024, "inner width = width x expansion / reduction (4: width / 4)"});
      d.knobs.push_back({"expansion", 1, 1, 64, "inner width = width x expansion / reduction (6: MobileNetV2)"});
      // `expansion=E` alone means MobileNetV2's xE block, as it did when
      // expansion was this pattern's only knob, so old descriptors keep their network.
      d.defaults_given = [](ModelSpec& s, const std::vector<std::string>& given) {
        auto set = [&](const char* k) { return std::find(given.begin(), given.end(), k) != given.end(); };
        if (set("expansion") && !set("reduction")) s.set_knob("reduction", 1);
      };
    }
    if (info.pattern == Pattern::Grouped)
      d.knobs.push_back({"groups", 8, 1, 8192, "groups of the 3x3 convolution (must divide width)"});
    const Pattern pattern = info.pattern;
    d.build = [pattern](const ModelSpec& s, int64_t batch) {
      PatternConfig c;
      c.pattern = pattern;
      c.depth = static_cast<int>(s.knob("depth"));
      c.width = static_cast<int>(s.knob("width"));
      c.res = static_cast<int>(s.knob("res"));
      c.classes = static_cast<int>(s.knob("classes"));
      if (pattern == Pattern::Bottleneck) c.reduction = static_cast<int>(s.knob("reduction"));
      if (pattern == Pattern::DwBottleneck) {
        c.reduction = static_cast<int>(s.knob("reduction"));
        c.expansion = static_cast<int>(s.knob("expansion"));
      }
      if (pattern == Pattern::Grouped) c.groups = static_cast<int>(s.knob("groups"));
      return build_pattern(c, batch);
    };
    defs.push_back(std::move(d));
  }
  return defs;
}

}  // namespace fb
