#pragma once
// Internal to the zoo: how each family file declares its networks, and the
// cell pieces that the NAS networks (DARTS, NASNet) share.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "graph/builder.h"
#include "models/catalog.h"

namespace fb::zoo {

struct ZooConfig {
  int res = 224;
  int classes = 1000;
};
using ZooBuild = std::function<Graph(const ZooConfig&, int64_t batch)>;

// A catalog entry with the zoo's two knobs; `min_res` is the smallest input
// side the architecture's downsampling allows.
ModelDef zoo_def(std::string name, std::string summary, int default_res, int min_res, ZooBuild build);

std::vector<ModelDef> resnet_models();
std::vector<ModelDef> mobilenet_v2_models();
std::vector<ModelDef> inception_v3_models();
std::vector<ModelDef> darts_models();
std::vector<ModelDef> nasnet_models();

// Global average pool, flatten, linear: every zoo network's head.
ValueId classifier(GraphBuilder& b, ValueId x, int classes);

// ReLU -> 1x1 conv -> BN, the NAS cells' input adapter.
ValueId relu_conv_bn(GraphBuilder& b, ValueId x, int out_channels, const std::string& name);

// ReLU, then two 1x1 stride-2 convolutions with out/2 channels each, the
// second on the input shifted by one pixel (crop [1:, 1:], zero-pad
// bottom/right back to size), concatenated, BN. Halves the side (rounding up)
// without discarding every other pixel.
ValueId factorized_reduce(GraphBuilder& b, ValueId x, int out_channels, const std::string& name);

}  // namespace fb::zoo
