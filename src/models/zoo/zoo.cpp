#include "models/zoo.h"

#include "models/zoo/zoo_family.h"

namespace fb {
namespace zoo {

ModelDef zoo_def(std::string name, std::string summary, int default_res, int min_res, ZooBuild build) {
  ModelDef d;
  d.name = std::move(name);
  d.family = "zoo";
  d.summary = std::move(summary);
  d.knobs = {
      {"res", default_res, min_res, 4096, "input height and width"},
      {"classes", 1000, 1, 100000, "classifier outputs"},
  };
  d.build = [build = std::move(build)](const ModelSpec& s, int64_t batch) {
    return build(ZooConfig{static_cast<int>(s.knob("res")), static_cast<int>(s.knob("classes"))}, batch);
  };
  return d;
}

ValueId classifier(GraphBuilder& b, ValueId x, int classes) {
  return b.linear(b.flatten(b.global_avg_pool(x)), classes, "fc");
}

ValueId relu_conv_bn(GraphBuilder& b, ValueId x, int out_channels, const std::string& name) {
  NameScope scope(b, name);
  return b.batch_norm(b.conv(b.relu(x), conv(out_channels, 1)));
}

ValueId factorized_reduce(GraphBuilder& b, ValueId x, int out_channels, const std::string& name) {
  NameScope scope(b, name);
  ValueId r = b.relu(x);
  const auto h = static_cast<int>(b.shape(r).h()), w = static_cast<int>(b.shape(r).w());
  ValueId shifted = b.pad(b.slice(r, 1, 1, h - 1, w - 1, "shift"), Padding{0, 0, 1, 1}, "shift_pad");
  ValueId a = b.conv(r, conv(out_channels / 2, 1).stride(2), "conv1");
  ValueId c = b.conv(shifted, conv(out_channels / 2, 1).stride(2), "conv2");
  return b.batch_norm(b.concat({a, c}));
}

}  // namespace zoo

std::vector<ModelDef> zoo_models() {
  std::vector<ModelDef> all;
  for (auto family : {zoo::resnet_models, zoo::mobilenet_v2_models, zoo::inception_v3_models, zoo::darts_models,
                      zoo::nasnet_models})
    for (auto& m : family()) all.push_back(std::move(m));
  return all;
}

}  // namespace fb
