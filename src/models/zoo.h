#pragma once
// The study's 12 real networks (experiment 3), each at its standard input
// size, 1000 classes, in inference form. Definitions, sources and how the
// counts compare with published figures: docs/zoo.md.
#include <vector>

#include "models/catalog.h"

namespace fb {

// Catalog entries (family "zoo"): resnet18..152, resnext50_32x4d,
// resnext101_32x8d, mobilenet_v2, inception_v3, darts, darts_opt,
// nasnet_a_large. Knobs: res (input side) and classes.
std::vector<ModelDef> zoo_models();

}  // namespace fb
