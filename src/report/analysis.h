#pragma once
// The study's findings computed from a Dataset: speed-ups of the accelerated
// engine over the native framework, how they move with depth and batch, how
// latency follows FLOPs and cache misses, width scaling. Every number says how
// many measurements it rests on. The claim-by-claim comparison with the paper
// is in claims.h.
#include <map>
#include <string>
#include <vector>

#include "report/dataset.h"

namespace fb::report {

struct BackendRoles {
  std::string native = "torch";
  std::string accelerated = "onednn";
};

// The same configuration measured on the native and the accelerated backend.
struct SpeedupPair {
  const Measurement* native;
  const Measurement* accelerated;
  double speedup() const { return native->per_image_ms / accelerated->per_image_ms; }
};
std::vector<SpeedupPair> speedup_pairs(const Dataset& d, const BackendRoles& roles);
// The pairs whose two rows ran at fp32. The paper measured FP32, so its
// findings, claims and figures read these only; speedup_pairs itself pairs a
// bf16 row with a bf16 row (the precision section, precision.h, compares them).
std::vector<SpeedupPair> at_fp32(const std::vector<SpeedupPair>& pairs);
// The first pair of each configuration, whatever its profile= and check=
// fields: a row measured again for its profile or its output check counts once.
std::vector<SpeedupPair> once_per_configuration(const std::vector<SpeedupPair>& pairs);

// Measurements of one pattern on one backend that differ only in `knob`
// (depth or width), sorted by it; a series has at least `min_values` values
// of the knob (a figure draws a single measured point too). Rows at fp32
// only: the series are the paper's Fig. 1 and 2 and its width exponents.
struct Series {
  std::string pattern, backend;
  int64_t batch = 1;
  std::string fixed;  // the shared descriptor without the knob
  std::vector<const Measurement*> points;
};
std::vector<Series> series_over(const Dataset& d, const std::string& knob, size_t min_values = 2);

struct Finding {
  std::string title;
  std::string value;  // the computed result in words and numbers
  size_t n = 0;       // measurements it rests on
};

struct WidthExponent {
  std::string pattern, backend;
  int64_t batch = 1;
  double k = 0, r2 = 0;
  size_t n = 0;
};

struct Analysis {
  std::vector<Finding> findings;
  std::vector<WidthExponent> width_exponents;
  std::map<std::string, double> pattern_speedup_at_max_depth;  // pattern -> mean speed-up
  int64_t max_depth = 0;
  std::map<std::string, double> zoo_speedup;  // network -> mean speed-up
  double mean_speedup = 0, geomean_speedup = 0;
  size_t pairs = 0;
};

Analysis analyse(const Dataset& d, const BackendRoles& roles = {});

}  // namespace fb::report
