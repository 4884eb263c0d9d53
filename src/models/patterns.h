#pragma once
// The study's six macro-architecture design patterns as network generators.
// The exact definitions (what depth and width count, defaults, closed-form
// params and MACs) are in docs/patterns.md.
#include <string>
#include <vector>

#include "models/catalog.h"

namespace fb {

enum class Pattern { Standard, Factorized, Bottleneck, DwSeparable, DwBottleneck, Grouped };

struct PatternConfig {
  Pattern pattern = Pattern::Standard;
  int depth = 10;      // number of pattern blocks after the stem
  int width = 32;      // channels every block keeps
  int res = 224;       // input height and width
  int classes = 1000;  // classifier outputs
  // bottleneck: the 1x1 reduces width to width / reduction.
  // dw_bottleneck: the inner width is width * expansion / reduction (an integer
  // pair, so fractional ratios never reach a descriptor as text like 0.25).
  // Inner width < width: the reducing block (the paper's); >= width:
  // MobileNetV2's inverted residual (expansion=6 reduction=1).
  int reduction = 4;
  int expansion = 1;
  int groups = 8;      // grouped: groups of the 3x3 convolution
};

std::string pattern_name(Pattern p);  // "dw_bottleneck"

// dw_bottleneck's inner (depthwise) width; UsageError naming the knobs when
// width * expansion / reduction is not a whole number of channels.
int dw_bottleneck_inner_width(const PatternConfig& cfg);

// Throws UsageError when the width does not fit the pattern (e.g. not
// divisible by groups), saying which widths would.
Graph build_pattern(const PatternConfig& cfg, int64_t batch);

// Catalog entries "pattern:<name>" for all six.
std::vector<ModelDef> pattern_models();

}  // namespace fb
