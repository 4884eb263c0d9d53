// TOML specs: what a good one becomes, and the one-line errors a bad one gets.
#include <gtest/gtest.h>

#include "common/error.h"
#include "study/spec.h"

namespace fb::study {
namespace {

const char* kGood = R"(
name = "mine"
[measure]
timeout = "2m"
min_runs = 5
args = ["--budget", "3s"]

[defaults]
backends = ["torch", "onednn:nofuse"]
threads = [2]

[[group]]
name = "grid"
patterns = ["standard", "pattern:dw_bottleneck"]
depth = [10, 20]
width = 32
res = 64
batch = [1, 8]
cache_sim = true
env = { OMP_WAIT_POLICY = "passive", KMP_BLOCKTIME = 0 }

[[group]]
models = ["pattern:grouped groups=4 width=64"]
backends = ["onednn"]
isa = ["avx2"]
)";

TEST(Spec, GoodTomlBecomesGroupsWithDefaultsApplied) {
  SweepSpec s = parse_spec(kGood, "good.toml");
  EXPECT_EQ(s.name, "mine");
  EXPECT_EQ(s.source, "good.toml");
  EXPECT_DOUBLE_EQ(s.measure.timeout_s, 120);
  EXPECT_EQ(s.measure.min_runs, 5);
  EXPECT_EQ(s.measure.args, (std::vector<std::string>{"--budget", "3s"}));
  ASSERT_EQ(s.groups.size(), 2u);
  const SweepGroup& g = s.groups[0];
  EXPECT_EQ(g.name, "grid");
  EXPECT_EQ(g.patterns, (std::vector<std::string>{"standard", "dw_bottleneck"}));
  EXPECT_EQ(g.depths, (std::vector<int64_t>{10, 20}));
  EXPECT_EQ(g.widths, (std::vector<int64_t>{32}));
  EXPECT_EQ(g.batches, (std::vector<int64_t>{1, 8}));
  EXPECT_EQ(g.backends, (std::vector<std::string>{"torch", "onednn:nofuse"}));
  EXPECT_EQ(g.threads, (std::vector<int64_t>{2}));
  EXPECT_EQ(g.cache_sims, (std::vector<std::string>{"host"}));
  ASSERT_EQ(g.env.size(), 2u);
  EXPECT_EQ(g.env[0], (std::pair<std::string, std::string>{"KMP_BLOCKTIME", "0"}));  // sorted by name
  EXPECT_EQ(s.groups[1].name, "group2");
  EXPECT_EQ(s.groups[1].backends, (std::vector<std::string>{"onednn"}));
  EXPECT_EQ(s.groups[1].isas, (std::vector<std::string>{"avx2"}));
}

TEST(Spec, PrecisionsAreAGroupKeyAndSeveralMakeAPrecisionExperiment) {
  const SweepSpec s = parse_spec("[[group]]\npatterns = [\"standard\"]\nbackends = [\"onednn\"]\n"
                                 "precision = [\"fp32\", \"bf16\", \"int8\"]\n",
                                 "p.toml");
  ASSERT_EQ(s.groups.size(), 1u);
  EXPECT_EQ(s.groups[0].precisions, (std::vector<std::string>{"fp32", "bf16", "int8"}));
  EXPECT_EQ(experiment_kind(s.groups[0]), "precision");
}

TEST(Spec, NameDefaultsToTheFileStem) {
  SweepSpec s = parse_spec("[[group]]\npatterns = [\"standard\"]\nbackends = [\"torch\"]\n", "dir/my-sweep.toml");
  EXPECT_EQ(s.name, "my-sweep");
  EXPECT_EQ(s.groups[0].threads, (std::vector<int64_t>{0}));  // every core
  EXPECT_EQ(s.groups[0].batches, (std::vector<int64_t>{1}));
}

// Each bad spec must fail with a message that starts with FILE:LINE (when a
// line is known) and contains what is wrong.
struct BadCase {
  std::string toml;
  const char* expected;  // substring of the message
};

TEST(Spec, BadTomlGetsFileLineAndWhatIsWrong) {
  const std::string group = "[[group]]\npatterns = [\"standard\"]\nbackends = [\"torch\"]\n";
  const std::vector<BadCase> cases = {
      {"name = \"x\"\n[[group]\n", "bad.toml:2: "},                       // TOML syntax
      {"[[group]]\npatterns = [\"standard\"]\nbakends = [\"torch\"]\n",
       "bad.toml:3: unknown key 'bakends' in [[group]]; expected one of: name, models, patterns"},
      {"[[group]]\npatterns = [\"wide\"]\nbackends = [\"torch\"]\n", "bad.toml:2: unknown pattern 'wide'; expected one of: standard"},
      {"[[group]]\nmodels = [\"resnet9000\"]\nbackends = [\"torch\"]\n", "bad.toml:2: unknown model 'resnet9000'"},
      {"[[group]]\nmodels = [\"pattern:standard depth=0\"]\nbackends = [\"torch\"]\n", "out of range"},
      {"[[group]]\npatterns = [\"standard\"]\ndepth = \"ten\"\nbackends = [\"torch\"]\n",
       "bad.toml:3: 'depth' must be an integer or a list of them"},
      {"[[group]]\npatterns = [\"standard\"]\nbatch = [0]\nbackends = [\"torch\"]\n", "'batch' = 0 is out of range (1..65536)"},
      {"[[group]]\npatterns = [\"standard\"]\n", "bad.toml:1: group 'group1' has no 'backends'"},
      {"[[group]]\nbackends = [\"torch\"]\n", "has neither 'models' nor 'patterns'"},
      {"[[group]]\nmodels = [\"pattern:standard\"]\ndepth = [10]\nbackends = [\"torch\"]\n", "without 'patterns'"},
      {"[[group]]\npatterns = [\"standard\"]\nbackends = [\"torch:a:b\"]\n", "not of the form NAME or NAME:VARIANT"},
      {"[[group]]\npatterns = [\"standard\"]\nbackends = [\"torch\"]\nenv = { A = \"x y\" }\n", "without spaces"},
      {"[[group]]\npatterns = [\"standard\"]\nbackends = []\n", "'backends' is an empty list"},
      {"[measure]\ntimeout = \"soon\"\n" + group, "bad.toml:2: timeout: 'soon' is not a duration"},
      // Numbers are parsed whole, finite and in range (std::stod read a prefix).
      {"[measure]\ntimeout = \"1.2.3s\"\n" + group, "bad.toml:2: timeout: '1.2.3s' is not a duration; write e.g. 90s"},
      {"[measure]\ntimeout = nan\n" + group, "bad.toml:2: timeout: nan s is out of range (1s..7d)"},
      {"[measure]\ntimeout = -5\n" + group, "bad.toml:2: timeout: -5 s is out of range (1s..7d)"},
      {"[measure]\nmin_time = inf\n" + group, "bad.toml:2: min_time: inf s is out of range (0s..1d)"},
      {"[measure]\nmin_runs = 0\n" + group, "'min_runs' = 0 is out of range (1..1000000)"},
      {"[[group]]\npatterns = [\"standard\"]\ndepth = [100000]\nbackends = [\"torch\"]\n",
       "bad.toml:3: 'depth' = 100000 is out of range (1..1000)"},
      {"[[group]]\npatterns = [\"standard\"]\nthreads = [4611686018427387905]\nbackends = [\"torch\"]\n",
       "'threads' = 4611686018427387905 is out of range (0..4096)"},
      {"[measure]\nretries = 3\n" + group, "unknown key 'retries' in [measure]"},
      {"colour = 1\n" + group, "bad.toml:1: unknown key 'colour' in the spec"},
      {"name = \"x\"\n", "bad.toml: no [[group]] tables"},
      {"[[group]]\npatterns = [\"standard\"]\nbackends = [\"torch\"]\nprecision = [\"fp32\", \"fp16\"]\n",
       "bad.toml:4: unknown precision 'fp16'; precisions: fp32 (the default), bf16, int8"},
  };
  for (const auto& c : cases) {
    try {
      parse_spec(c.toml, "bad.toml");
      ADD_FAILURE() << "accepted:\n" << c.toml;
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find(c.expected), std::string::npos)
          << "spec:\n" << c.toml << "\nmessage: " << e.what() << "\nexpected: " << c.expected;
    }
  }
}

TEST(Spec, LoadSpecKnowsPresetsAndSaysWhatElseItAccepts) {
  EXPECT_EQ(load_spec("depth").name, "depth");
  try {
    load_spec("papr");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown preset 'papr'; presets: depth, width, cache, zoo, ablation, peers, precision, paper, quick"),
              std::string::npos) << e.what();
  }
  EXPECT_THROW(load_spec("/nonexistent/spec.toml"), UsageError);
  // A directory used to read as an empty spec ("no [[group]] tables").
  try {
    load_spec("/tmp");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "spec '/tmp' is a directory; give a spec file (.toml) or a preset: depth, width, cache, zoo, "
                           "ablation, peers, precision, paper, quick");
  }
}

TEST(Spec, Durations) {
  EXPECT_DOUBLE_EQ(parse_duration("90", "t"), 90);
  EXPECT_DOUBLE_EQ(parse_duration("90s", "t"), 90);
  EXPECT_DOUBLE_EQ(parse_duration("30m", "t"), 1800);
  EXPECT_DOUBLE_EQ(parse_duration("1h30m", "t"), 5400);
  EXPECT_DOUBLE_EQ(parse_duration("0.5h", "t"), 1800);
  for (const char* bad : {"", "m", "30x", "1h30", "-5"}) EXPECT_THROW(parse_duration(bad, "t"), UsageError) << bad;
}

}  // namespace
}  // namespace fb::study
