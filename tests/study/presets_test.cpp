// The built-in presets' cache experiment (docs/study.md "Presets"): it
// simulates the study's LLC, not this machine's, at sizes that do not fit in
// it, and its accelerated runs are capped to what valgrind executes.
#include <gtest/gtest.h>

#include <map>
#include <set>

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

// quick and paper profile one configuration per pattern on both roles, in
// an experiment of their own (kind profile), so no other experiment changes.
TEST(Presets, ProfileOneConfigurationPerPatternOnBothRoles) {
  for (const char* name : {"quick", "paper"}) {
    std::map<std::string, std::set<std::string>> roles;  // pattern -> backends
    for (const auto& c : expand(preset(name), 2)) {
      const bool profiled = c.descriptor.find(" profile=1") != std::string::npos;
      EXPECT_EQ(profiled, c.experiments == std::vector<std::string>{"profile"}) << name << ": " << c.descriptor;
      if (profiled) EXPECT_TRUE(roles[c.model.str()].insert(c.backend).second) << c.descriptor;
    }
    EXPECT_EQ(roles.size(), 6u) << name;
    for (const auto& [model, backends] : roles)
      EXPECT_EQ(backends, (std::set<std::string>{"torch", "onednn"})) << model;
  }
  for (const auto& [experiment, kind] : spec_experiments(preset("quick")))
    if (experiment == "profile") EXPECT_EQ(kind, "profile");
}

// peers: every engine on the zoo and the six patterns (depth 20, width 32),
// batch 1 and 8, each row also checked against the reference (check=1), in
// one experiment of kind peers.
TEST(Presets, PeersRunEveryEngineOnTheZooAndThePatternsWithTheOutputChecked) {
  const auto grid = expand(preset("peers"), 2);
  EXPECT_EQ(grid.size(), (12u + 6u) * 5u * 2u);
  std::map<std::string, int> per_backend;
  for (const auto& c : grid) {
    ++per_backend[c.backend];
    EXPECT_NE(c.descriptor.find(" check=1"), std::string::npos) << c.descriptor;
    EXPECT_EQ(c.experiments, std::vector<std::string>{"peers"});
    if (c.model.str().rfind("pattern:", 0) == 0) {
      EXPECT_EQ(c.model.knob("depth"), 20) << c.descriptor;
      EXPECT_EQ(c.model.knob("width"), 32) << c.descriptor;
    }
  }
  EXPECT_EQ(per_backend, (std::map<std::string, int>{
                             {"torch", 36}, {"torch-jit", 36}, {"onednn", 36}, {"ort", 36}, {"opencv", 36}}));
  EXPECT_EQ(spec_experiments(preset("peers")), (std::vector<std::pair<std::string, std::string>>{{"peers", "peers"}}));
  SweepGroup g;
  g.backends = {"onednn", "ort:basic"};
  EXPECT_EQ(experiment_kind(g), "peers");  // inferred from a peer engine
}

// precision: the six patterns at depth 20 and 50, width 32 and 128, and the
// zoo, batch 1 and 8, torch and onednn at fp32, bf16 and int8;
// fp32 rows keep the key they had before precision existed (no precision= field).
TEST(Presets, PrecisionRunsThePatternsAndTheZooAtEachPrecision) {
  const auto grid = expand(preset("precision"), 2);
  EXPECT_EQ(grid.size(), (6u * 2u * 2u + 12u) * 2u * 2u * 3u);
  std::map<std::string, int> per_precision;
  std::map<std::string, int> int8_per_backend;
  for (const auto& c : grid) {
    ++per_precision[precision_name(c.precision)];
    EXPECT_EQ(c.descriptor.find("precision=fp32"), std::string::npos) << c.descriptor;
    if (c.precision == Precision::bf16) EXPECT_NE(c.descriptor.find(" precision=bf16"), std::string::npos) << c.descriptor;
    if (c.precision == Precision::int8) ++int8_per_backend[c.backend];
    EXPECT_EQ(c.experiments, std::vector<std::string>{"precision"});
  }
  EXPECT_EQ(per_precision, (std::map<std::string, int>{{"fp32", 144}, {"bf16", 144}, {"int8", 144}}));
  EXPECT_EQ(int8_per_backend, (std::map<std::string, int>{{"onednn", 72}, {"torch", 72}}));
  EXPECT_EQ(spec_experiments(preset("precision")),
            (std::vector<std::pair<std::string, std::string>>{{"precision", "precision"}}));
  SweepGroup g;
  g.precisions = {"fp32", "int8"};
  EXPECT_EQ(experiment_kind(g), "precision");  // inferred from several precisions
}

}  // namespace
}  // namespace fb::study
