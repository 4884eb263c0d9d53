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
  int reduction = 4;   // bottleneck: 1x1 reduces width by this factor
  int expansion = 6;   // dw_bottleneck: 1x1 expands width by this factor
  int groups = 8;      // grouped: groups of the 3x3 convolution
};

std::string pattern_name(Pattern p);  // "dw_bottleneck"

// Throws UsageError when the width does not fit the pattern (e.g. not
// divisible by groups), saying which widths would.
Graph build_pattern(const PatternConfig& cfg, int64_t batch);

// Catalog entries "pattern:<name>" for all six.
std::vector<ModelDef> pattern_models();

}  // namespace fb
