// Grid expansion (sizes, order, canonical descriptors) and the shard split.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "common/error.h"
#include "models/catalog.h"
#include "study/grid.h"
#include "study/presets.h"

namespace fb::study {
namespace {

bool zoo_built() {
  try {
    find_model("resnet18");
    return true;
  } catch (const UsageError&) {
    return false;
  }
}

std::set<std::string> descriptors(const std::vector<Config>& g) {
  std::set<std::string> s;
  for (const auto& c : g) s.insert(c.descriptor);
  return s;
}

TEST(Grid, PresetSizes) {
  // patterns x depths x widths x res x batches x backends (+ variants).
  const std::vector<std::pair<std::string, size_t>> sizes = {
      {"depth", 6 * 5 * 4 * 2}, {"width", 6 * 5 * 2}, // cache: depth 4 patterns x 3 depths + 2 x 1; width 4 x 3 widths + 2 x 2; x 2 backends
      {"cache", (4 * 3 + 2 * 1) * 2 + (4 * 3 + 2 * 2) * 2}, {"ablation", 6 * 8}};
  for (const auto& [name, n] : sizes) {
    auto grid = expand(preset(name), 2);
    EXPECT_EQ(grid.size(), n) << name;
    EXPECT_EQ(descriptors(grid).size(), n) << name << ": repeated descriptors";
  }
}

TEST(Grid, ZooPresetsNeedTheZoo) {
  for (const char* name : {"zoo", "quick", "paper"}) {
    if (zoo_built()) {
      auto grid = expand(preset(name), 2);
      EXPECT_EQ(descriptors(grid).size(), grid.size()) << name;
      // quick: depth 48 (batch 1 and 8), width 12 new (width 32 repeats depth 10), cache 4, zoo 6, ablation 6;
      // profile 12 (one configuration per pattern on torch and onednn, profile=1); peers 15 (3 models x 5 engines);
      // paper: the width grid's width 32 repeats depth 10 of the depth grid (12 configurations); profile 12.
      const std::map<std::string, size_t> sizes = {
          {"zoo", 12 * 3}, {"quick", 76 + 12 + 15}, {"paper", 240 + 48 + 60 + 36 + 48 + 12}};
      EXPECT_EQ(grid.size(), sizes.at(name)) << name;
    } else {
      try {
        expand(preset(name), 2);
        ADD_FAILURE() << name;
      } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("group 'zoo': unknown model 'resnet18'"), std::string::npos) << e.what();
      }
    }
  }
}

TEST(Grid, DescriptorsFollowTheContractInADeterministicOrder) {
  SweepSpec s;
  s.source = "test";
  SweepGroup g;
  g.name = "g";
  g.patterns = {"dw_bottleneck"};
  g.depths = {20};
  g.widths = {32};
  g.batches = {8, 1};
  g.backends = {"onednn", "torch"};
  g.threads = {0};
  g.isas = {"avx2"};
  g.cache_sims = {"i5-7600k"};
  g.env = {{"OMP_WAIT_POLICY", "passive"}};
  s.groups = {g};
  auto grid = expand(s, 2);
  ASSERT_EQ(grid.size(), 4u);
  EXPECT_EQ(grid[0].descriptor,
            "pattern:dw_bottleneck depth=20 width=32 res=224 classes=1000 reduction=4 expansion=1 backend=onednn "
            "batch=8 threads=2 "
            "isa=avx2 cache_sim=i5-7600k env.OMP_WAIT_POLICY=passive");
  EXPECT_EQ(grid[1].backend, "torch");
  EXPECT_EQ(grid[2].batch, 1);
  auto again = expand(s, 2);
  for (size_t i = 0; i < grid.size(); ++i) EXPECT_EQ(grid[i].descriptor, again[i].descriptor);
}

TEST(Grid, RepeatsAcrossGroupsAreDroppedAndBadModelsNamed) {
  SweepSpec s = preset("depth");
  s.groups.push_back(s.groups[0]);
  EXPECT_EQ(expand(s, 2).size(), 240u);
  SweepGroup bad;
  bad.name = "odd";
  bad.patterns = {"grouped"};
  bad.widths = {36};  // not divisible by 8 groups
  bad.backends = {"torch"};
  s.groups = {bad};
  try {
    expand(s, 2);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("preset depth: group 'odd': "), std::string::npos) << e.what();
  }
}

TEST(Grid, ShardsPartitionTheGrid) {
  auto grid = expand(preset("depth"), 2);
  for (int64_t n : {1, 2, 3, 16}) {
    std::multiset<std::string> all;
    for (int64_t i = 0; i < n; ++i) {
      auto part = select_shard(grid, Shard::parse(std::to_string(i) + "/" + std::to_string(n)));
      if (n <= 3) {
        EXPECT_GT(part.size(), grid.size() / n / 2) << "shard " << i << "/" << n << " is lopsided";
      }
      for (const auto& c : part) all.insert(c.descriptor);
    }
    EXPECT_EQ(all.size(), grid.size()) << n << " shards overlap or lose configurations";
    EXPECT_EQ(std::set<std::string>(all.begin(), all.end()), descriptors(grid));
  }
}

TEST(Grid, ShardSyntax) {
  EXPECT_EQ(Shard::parse("3/16").str(), "3/16");
  for (const char* bad : {"16/16", "-1/4", "1", "a/b", "1/0", "1/4/5"}) EXPECT_THROW(Shard::parse(bad), UsageError) << bad;
}

}  // namespace
}  // namespace fb::study
