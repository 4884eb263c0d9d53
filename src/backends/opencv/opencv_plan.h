#pragma once
// OpenCV's view of a network it has set up, for `formbench explain`: one
// line per layer that runs, with the layers fused into it. OpenCV shows its
// fusion only in Net::dump()'s Graphviz text, which this reads.
#include <string>

namespace fb::opencv_plan {

// The dump of a net after a forward -> "  Convolution + BatchNorm + ReLU
// -> 1 x 16 x 8 x 8   (stem.conv, stem.bn, stem.relu)" per running layer,
// in the dump's order. Empty if the text has no layer it can read.
std::string readable(const std::string& dump);

}  // namespace fb::opencv_plan
