// The onednn tuner's budget and its cache: a spent budget times nothing more
// and keeps the library's rule for the rest; with a cache, a second compile
// of the same network times nothing new, compiles one program and decides
// the same. No test here asserts a wall-clock time: budgets are zero or
// tiny, counts come from the cache's saves and the compiled facts.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "backends/backend.h"
#include "backends/compare.h"
#include "backends/onednn/tuner.h"
#include "backends/onednn_explain.h"
#include "graph/weights.h"
#include "models/patterns.h"

namespace fb {
namespace {

// A tuning cache in memory that counts what the tuner saves.
struct CountingCache final : TuningCache {
  std::map<std::string, double> rows;
  int saves = 0;
  std::optional<double> find(const std::string& key) override {
    auto it = rows.find(key);
    return it == rows.end() ? std::nullopt : std::optional<double>(it->second);
  }
  void save(const std::string& key, double ms) override {
    ++saves;
    rows[key] = ms;
  }
};

// Standard blocks at width 32: 3x3 stride-1 convs, so Winograd is a candidate too.
Graph standard_graph() {
  PatternConfig cfg;
  cfg.pattern = Pattern::Standard;
  cfg.depth = 2;
  cfg.width = 32;
  cfg.res = 64;
  cfg.classes = 10;
  return build_pattern(cfg, 1);
}

std::unique_ptr<Executable> compile(const Graph& g, const std::string& backend, std::shared_ptr<TuningCache> cache,
                                    std::optional<double> budget_ms = std::nullopt, int threads = 2) {
  BackendChoice c = choose_backend(backend, threads);
  c.options.tuning_cache = std::move(cache);
  c.options.tuning_budget_ms = budget_ms;
  return c.backend->compile(g, make_weights(g, 1), c.options);
}

// What decides speed, step by step: the kernel and its layouts.
std::vector<std::string> kernels(const Executable& e) {
  std::vector<std::string> k;
  for (const StepRecord& r : e.steps()) k.push_back(r.impl + " " + r.src_layout + " " + r.weights_layout + " " + r.dst_layout);
  return k;
}

void expect_matches_reference(const Graph& g, Executable& e, const std::string& what) {
  const Tensor in = make_input(g.input_shape(), 8);
  Tensor out(g.output_shape());
  e.run(in.ptr(), out.ptr());
  test::expect_close(out, run_once(choose_backend("reference", 1), g, make_weights(g, 1), in), 1e-4, what);
}

// The three layout policies are timed everywhere; oneDNN 2.6 has Winograd
// candidates to time against them from AVX-512 only.
constexpr int kLayoutPolicies = 3;
TEST(OnednnTuningBudget, ASpentBudgetTimesNothingAndKeepsTheLibrarysRule) {
  const Graph g = standard_graph();
  auto cache = std::make_shared<CountingCache>();
  const auto exe = compile(g, "onednn", cache, 0.0);
  EXPECT_EQ(cache->saves, 0);
  const CompiledFacts f = exe->compiled_facts();
  EXPECT_EQ(f.tuning.timed, 0);
  EXPECT_GT(f.tuning.skipped, 0);
  EXPECT_EQ(f.winograd_convs, 0);
  EXPECT_EQ(f.tuning.programs_compiled, 1);  // the alternatives were not even compiled
  // The library's rule is what notune compiles.
  EXPECT_EQ(kernels(*exe), kernels(*compile(g, "onednn:notune", nullptr)));
  const std::string e = exe->explain();
  for (const char* s : {"library (nChw16c) not timed (tuning budget spent)", "nChw8c not compiled (tuning budget spent)",
                        "0 candidates timed", "because the budget was spent"})
    EXPECT_NE(e.find(s), std::string::npos) << s << "\n" << e;
  EXPECT_EQ(e.find("direct (tuning budget spent)") != std::string::npos, test::plans_for_avx512(e)) << e;
  expect_matches_reference(g, *exe, "budget 0");
}

TEST(OnednnTuningBudget, ATinyBudgetStopsAfterTheFirstTiming) {
  const Graph g = standard_graph();
  auto full = std::make_shared<CountingCache>();
  const auto tuned = compile(g, "onednn", full);
  const int winograd = test::plans_for_avx512(tuned->explain()) ? 1 : 0;
  EXPECT_GE(tuned->compiled_facts().tuning.timed, kLayoutPolicies + winograd) << tuned->explain();
  EXPECT_EQ(tuned->compiled_facts().tuning.skipped, 0);
  auto tiny = std::make_shared<CountingCache>();
  const auto cut = compile(g, "onednn", tiny, 1e-9);  // any timing spends it
  EXPECT_EQ(tiny->saves, 1);
  EXPECT_EQ(cut->compiled_facts().tuning.timed, 1);
  EXPECT_GT(cut->compiled_facts().tuning.skipped, 0);
  EXPECT_EQ(cut->compiled_facts().winograd_convs, 0);  // a direct time alone decides nothing
  EXPECT_NE(cut->explain().find("1 candidate timed"), std::string::npos) << cut->explain();
  expect_matches_reference(g, *cut, "tiny budget");
}

int policy_keys(const CountingCache& c) {
  int n = 0;
  for (const auto& [key, ms] : c.rows) n += key.find(" | policy ") != std::string::npos;
  return n;
}

// Policy times are keyed by the plan, so a second compile finds all three
// before compiling anything and compiles only the winner.
TEST(OnednnTuningCache, ASecondCompileTimesNothingNewAndDecidesTheSame) {
  const Graph g = standard_graph();
  auto cache = std::make_shared<CountingCache>();
  const auto first = compile(g, "onednn", cache);
  const int saved = cache->saves;
  EXPECT_EQ(saved, first->compiled_facts().tuning.timed);
  EXPECT_GE(saved, kLayoutPolicies + (test::plans_for_avx512(first->explain()) ? 1 : 0)) << first->explain();
  EXPECT_EQ(policy_keys(*cache), kLayoutPolicies);
  EXPECT_EQ(first->compiled_facts().tuning.programs_compiled, kLayoutPolicies);
  const auto second = compile(g, "onednn", cache);
  EXPECT_EQ(cache->saves, saved);
  EXPECT_EQ(second->compiled_facts().tuning.timed, 0);
  EXPECT_EQ(second->compiled_facts().tuning.programs_compiled, 1);
  // The three policies, and the winner's conv decisions (the others' were not needed).
  EXPECT_GE(second->compiled_facts().tuning.cached, kLayoutPolicies);
  EXPECT_LE(second->compiled_facts().tuning.cached, saved);
  EXPECT_EQ(kernels(*second), kernels(*first));
  EXPECT_EQ(second->compiled_facts().winograd_convs, first->compiled_facts().winograd_convs);
  EXPECT_NE(second->explain().find("(cached)"), std::string::npos) << second->explain();
  EXPECT_NE(second->explain().find("found in the tuning cache"), std::string::npos) << second->explain();
}

// A candidate dearer than the whole budget: never timed without a cache;
// with one, only as the first thing a compile spends on, so a sweep's
// compiles complete the tuning one candidate each.
TEST(OnednnTuningBudget, ACandidateDearerThanTheBudgetWaitsForACacheAndAFreshBudget) {
  auto cache = std::make_shared<CountingCache>();
  onednn::TuneSession plain(nullptr, "p", 10.0), cached(cache.get(), "p", 10.0);
  EXPECT_TRUE(plain.can_afford(10.0));
  EXPECT_FALSE(plain.can_afford(20.0));
  EXPECT_TRUE(cached.can_afford(20.0));
  cached.add_program(5.0);  // the first program: free
  EXPECT_TRUE(cached.can_afford(20.0));
  cached.add_program(1.0);  // a second one: tuning work
  EXPECT_FALSE(cached.can_afford(20.0));
  EXPECT_TRUE(cached.can_afford(9.0));
  cached.add_program(9.0);
  EXPECT_FALSE(cached.can_afford(0.0));  // spent: nothing more, however cheap
  EXPECT_EQ(cached.time("k", [] { return 1.0; }), std::nullopt);
  EXPECT_EQ(cached.skipped(), 1);
  EXPECT_EQ(cached.time_now("k", [] { return 2.0; }), 2.0);  // what the caller afforded is timed and saved
  EXPECT_EQ(cache->rows.at("p | k"), 2.0);
}

// A timing is reused only where it ranks the same: same library, ISA and threads.
TEST(OnednnTuningCache, KeysNameTheLibraryIsaAndThreads) {
  const Graph g = standard_graph();
  auto cache = std::make_shared<CountingCache>();
  compile(g, "onednn", cache);
  ASSERT_FALSE(cache->rows.empty());
  for (const auto& [key, ms] : cache->rows) {
    for (const char* s : {"onednn 2.", "isa=", "threads=2 | "}) EXPECT_NE(key.find(s), std::string::npos) << key;
    EXPECT_GE(ms, 0) << key;
  }
  const int saved = cache->saves;
  compile(g, "onednn", cache, std::nullopt, 1);
  EXPECT_GT(cache->saves, saved);  // one thread is another problem
  // Another plan (the same network without BN folding) is another program.
  const int policies = policy_keys(*cache);
  compile(g, "onednn:nofold", cache);
  EXPECT_EQ(policy_keys(*cache), policies + kLayoutPolicies);
  const int before_notune = cache->saves;
  compile(g, "onednn:notune", cache);
  EXPECT_EQ(cache->saves, before_notune);  // notune times nothing, cache or not
}

}  // namespace
}  // namespace fb
