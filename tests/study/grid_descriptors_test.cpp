// Stores are keyed by the canonical descriptor and a study resumes by it: the
// descriptors a grid composes must stay byte-identical. data/grid_descriptors.txt
// holds those of the quick and paper presets and of a spec using every run
// field, as composed before the run descriptor got one owner (measure/config.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "common/error.h"
#include "models/catalog.h"
#include "study/grid.h"
#include "study/presets.h"

namespace fb::study {
namespace {

// Every run field: isa and no isa, threads = 0, env given out of name order.
SweepSpec mixed_spec() {
  SweepSpec s;
  s.source = "test";
  SweepGroup g;
  g.name = "mixed";
  g.models = {"resnet18 res=160", "pattern:grouped groups=4"};
  g.patterns = {"dw_separable"};
  g.depths = {5};
  g.batches = {8, 1};
  g.backends = {"onednn:nofuse", "torch"};
  g.threads = {0, 2};
  g.isas = {"avx2", ""};
  g.cache_sims = {"6291456,12,64"};
  g.env = {{"OMP_WAIT_POLICY", "passive"}, {"GLIBC_TUNABLES", "glibc.malloc.arena_max=1"}};
  s.groups = {g};
  return s;
}

// grid name -> its descriptors in order, from the data file.
std::map<std::string, std::vector<std::string>> expected() {
  std::ifstream in(GRID_DESCRIPTORS_FILE);
  std::map<std::string, std::vector<std::string>> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto tab = line.find('\t');
    out[line.substr(0, tab)].push_back(line.substr(tab + 1));
  }
  return out;
}

// The grid's descriptors; those of profile groups (profile=1) go to
// `profiled` and those of peers groups (check=1) to `checked` when given:
// added since the file was written, they are new keys.
std::vector<std::string> composed(const SweepSpec& spec, std::vector<std::string>* profiled = nullptr,
                                  std::vector<std::string>* checked = nullptr) {
  std::vector<std::string> out;
  for (const auto& c : expand(spec, 4)) {
    if (profiled && c.descriptor.find(" profile=1") != std::string::npos) profiled->push_back(c.descriptor);
    else if (checked && c.descriptor.find(" check=1") != std::string::npos) checked->push_back(c.descriptor);
    else out.push_back(c.descriptor);
  }
  return out;
}

TEST(GridDescriptors, AreByteIdenticalToTheStoredKeys) {
  try {
    find_model("resnet18");
  } catch (const UsageError&) {
    GTEST_SKIP() << "built without the zoo";
  }
  const auto want = expected();
  ASSERT_EQ(want.size(), 3u) << GRID_DESCRIPTORS_FILE;
  ASSERT_EQ(want.at("paper").size(), 432u);
  for (const char* name : {"quick", "paper"}) {
    std::vector<std::string> profiled, checked;
    EXPECT_EQ(composed(preset(name), &profiled, &checked), want.at(name)) << name;
    // quick's peers experiment: 3 models x 5 engines, new keys ending in check=1.
    EXPECT_EQ(checked.size(), std::string(name) == "quick" ? 15u : 0u) << name;
    for (const auto& c : checked) EXPECT_EQ(c.substr(c.size() - 8), " check=1") << c;
    // The profile experiment adds keys only: one per pattern and role, each
    // a stored key of the depth grid with profile=1 appended.
    EXPECT_EQ(profiled.size(), 12u) << name;
    const auto& keys = want.at(name);
    for (const auto& p : profiled) {
      const std::string plain = p.substr(0, p.size() - std::string(" profile=1").size());
      EXPECT_EQ(p.substr(plain.size()), " profile=1") << p;
      EXPECT_NE(std::find(keys.begin(), keys.end(), plain), keys.end()) << p;
    }
  }
  EXPECT_EQ(composed(mixed_spec()), want.at("mixed"));
}

}  // namespace
}  // namespace fb::study
