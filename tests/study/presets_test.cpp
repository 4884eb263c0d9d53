// The built-in presets' cache experiment (docs/study.md "Presets"): it
// simulates the study's LLC, not this machine's, at sizes that do not fit in
// it, and its accelerated runs are capped to what valgrind executes.
#include <gtest/gtest.h>

#include "graph/cost.h"
#include "study/grid.h"
#include "study/presets.h"

namespace fb::study {
namespace {

constexpr int64_t kSimulatedLlcBytes = 6 << 20;  // cache_sim=i5-7600k

TEST(Presets, CacheExperimentSimulatesTheStudysLlcAtSizesThatSpillIt) {
  for (const char* name : {"quick", "cache", "paper"}) {
    int simulated = 0;
    for (const auto& c : expand(preset(name), 2)) {
      if (c.cache_sim.empty()) continue;
      ++simulated;
      SCOPED_TRACE(std::string(name) + ": " + c.descriptor);
      EXPECT_EQ(c.cache_sim, "i5-7600k");
      // onednn would run AVX-512 natively but AVX2 under valgrind: cap it so
      // latency and misses describe the same code; torch cannot be capped.
      EXPECT_EQ(c.isa, c.backend == "onednn" ? "avx2" : "");
      GraphCost cost = cost_of(c.model.build(c.batch));
      EXPECT_GT(cost.total.weight_bytes + cost.total.activation_bytes, kSimulatedLlcBytes);
    }
    EXPECT_GT(simulated, 0) << name;
  }
}

TEST(Presets, QuickCacheExperimentHasBothBackendsAtTwoDepths) {
  std::map<std::string, int> per_backend;
  for (const auto& c : expand(preset("quick"), 2))
    if (!c.cache_sim.empty()) ++per_backend[c.backend];
  EXPECT_EQ(per_backend, (std::map<std::string, int>{{"onednn", 2}, {"torch", 2}}));
}

}  // namespace
}  // namespace fb::study
