// Each claim rule on synthetic datasets with known answers: a case the rule
// calls reproduced, one it calls not reproduced, and one it cannot decide.
// The old table (before issue 12 part 3) got several of these wrong: it
// called a 1.9x mean "3.8x reproduced" (±50 %), any positive pooled Spearman
// rho "grows with depth", and ranked 2.4 ms, 550 % and 1200 % by order only.
#include <gtest/gtest.h>

#include <fmt/core.h>

#include <cmath>

#include "measure/record.h"
#include "report/claims.h"
#include "report/experiment_rows.h"

namespace fb::report {
namespace {

const std::vector<std::string> kPatterns = {"standard", "factorized", "bottleneck", "dw_separable", "dw_bottleneck", "grouped"};

// A record as `formbench measure` writes it, with a relative CI half-width.
Measurement make(const std::string& descriptor, double ms, double flops = 1e9, std::optional<double> misses = std::nullopt,
                 double ci = 0.01) {
  MeasurementRecord r;  // through the record's owner (measure/record.h)
  r.status = "ok";
  r.per_image_ms = PerImageMs{ms, ms * (1 - ci), ms * (1 + ci)};
  r.cost.emplace().flops = flops;
  if (misses) r.cache_sim.emplace().ll_misses = *misses;
  return measurement_from_record(descriptor, r);
}

std::string pattern(const std::string& p, int64_t depth, int64_t width, const std::string& backend, int64_t batch,
                    const std::string& extra = "") {
  return fmt::format("pattern:{} depth={} width={} res=112 backend={} batch={} threads=2{}", p, depth, width, backend, batch, extra);
}

// A small deterministic wobble (±3 %) so bootstrap intervals have width.
double wobble(size_t i) { return 1 + 0.03 * std::sin(static_cast<double>(i) * 1.7); }

// The depth experiment: six patterns over `depths` and `batches`; speed-up
// given by `speedup(pattern, depth, batch)`, native = depth ms.
template <class Speedup>
Dataset depth_experiment(const std::vector<int64_t>& depths, const std::vector<int64_t>& batches, Speedup speedup,
                         const std::vector<std::string>& patterns = kPatterns) {
  Dataset d;
  size_t i = 0;
  for (const auto& p : patterns)
    for (int64_t depth : depths)
      for (int64_t b : batches) {
        const double native = static_cast<double>(depth), s = speedup(p, depth, b) * wobble(i++);
        d.ok.push_back(make(pattern(p, depth, 32, "torch", b), native));
        d.ok.push_back(make(pattern(p, depth, 32, "onednn", b), native / s));
      }
  return d;
}

ClaimRow claim(const Dataset& d, const std::string& id) {
  for (auto& c : evaluate_claims(d))
    if (c.id == id) return c;
  throw std::runtime_error("no claim " + id);
}

// ---- the rules ----------------------------------------------------------

Estimate est(double v, double lo, double hi, size_t n = 10) { return {v, {lo, hi}, n, "test"}; }

TEST(ClaimRules, NearRatioDecidesOnlyWhenTheIntervalDoes) {
  EXPECT_EQ(near_ratio(est(3.8, 3.5, 4.1), 3.8, 1.25).verdict, Verdict::Reproduced);
  // The old rule (±50 %) accepted 1.9x as "3.8x"; the band is now [3.04, 4.75].
  EXPECT_EQ(near_ratio(est(1.9, 1.8, 2.0), 3.8, 1.25).verdict, Verdict::NotReproduced);
  Decision straddles = near_ratio(est(3.0, 2.5, 3.5), 3.8, 1.25);
  EXPECT_EQ(straddles.verdict, Verdict::Undecided);
  EXPECT_NE(straddles.why.find("cannot separate"), std::string::npos) << straddles.why;
  Decision few = near_ratio(est(3.8, 3.7, 3.9, 2), 3.8, 1.25);
  EXPECT_EQ(few.verdict, Verdict::Undecided);
  EXPECT_NE(few.why.find("too few points: n = 2"), std::string::npos) << few.why;
  EXPECT_EQ(near_ratio(Estimate{}, 3.8, 1.25).verdict, Verdict::NotMeasured);
}

TEST(ClaimRules, AboveBelowAndRanking) {
  EXPECT_EQ(above(est(1.2, 1.1, 1.3), 1).verdict, Verdict::Reproduced);
  EXPECT_EQ(above(est(0.9, 0.8, 1.0), 1).verdict, Verdict::NotReproduced);
  EXPECT_EQ(above(est(1.0, 0.9, 1.1), 1).verdict, Verdict::Undecided);
  EXPECT_EQ(below(est(1.1, 1.05, 1.2), 1.25).verdict, Verdict::Reproduced);
  EXPECT_EQ(below(est(2.0, 1.8, 2.2), 1.25).verdict, Verdict::NotReproduced);

  std::vector<Named> apart = {{"a", est(5, 4.5, 5.5)}, {"b", est(3, 2.5, 3.5)}};
  EXPECT_EQ(largest("a", apart).verdict, Verdict::Reproduced);
  EXPECT_EQ(largest("b", apart).verdict, Verdict::NotReproduced);
  EXPECT_EQ(smallest("b", apart).verdict, Verdict::Reproduced);
  std::vector<Named> overlapping = {{"a", est(5, 4, 6)}, {"b", est(4.5, 3.5, 5.5)}};
  EXPECT_EQ(largest("a", overlapping).verdict, Verdict::Undecided);  // ranked first by value, but not apart
  EXPECT_EQ(largest("c", apart).verdict, Verdict::NotMeasured);

  EXPECT_EQ(all_above({{"x", est(3, 2.5, 3.5)}, {"y", est(2.2, 2.1, 2.3)}}, 2).verdict, Verdict::Reproduced);
  EXPECT_EQ(all_above({{"x", est(3, 2.5, 3.5)}, {"y", est(1.5, 1.4, 1.6)}}, 2).verdict, Verdict::NotReproduced);
  EXPECT_EQ(all_above({{"x", est(3, 2.5, 3.5)}, {"y", est(2.0, 1.9, 2.1)}}, 2).verdict, Verdict::Undecided);
}

// ---- the claims on synthetic data ------------------------------------------

TEST(Claims, MeanSpeedupIsComparedWithItsInterval) {
  auto flat = [](double s) { return [s](const std::string&, int64_t, int64_t) { return s; }; };
  ClaimRow yes = claim(depth_experiment({10, 30, 50}, {1, 8}, flat(3.8)), "mean_speedup");
  EXPECT_EQ(yes.verdict, Verdict::Reproduced) << yes.ours << " " << yes.why;
  EXPECT_EQ(yes.paper, "3.8x");
  EXPECT_NE(yes.rule.find("[3.04, 4.75]"), std::string::npos) << yes.rule;
  EXPECT_NE(yes.ours.find("n = 36"), std::string::npos) << yes.ours;

  ClaimRow no = claim(depth_experiment({10, 30, 50}, {1, 8}, flat(1.9)), "mean_speedup");
  EXPECT_EQ(no.verdict, Verdict::NotReproduced) << no.ours;

  ClaimRow few = claim(depth_experiment({10, 30}, {1}, flat(3.8), {"standard"}), "mean_speedup");
  EXPECT_EQ(few.verdict, Verdict::Undecided);
  EXPECT_NE(few.why.find("too few points"), std::string::npos) << few.why;
}

TEST(Claims, SpeedupGrowsWithDepthNeedsEveryPatternToGrow) {
  auto grows = [](const std::string&, int64_t depth, int64_t) { return 2.0 + depth / 10.0; };
  EXPECT_EQ(claim(depth_experiment({10, 30, 50}, {1, 8, 16}, grows), "speedup_grows_with_depth").verdict, Verdict::Reproduced);

  // Pooled over patterns the rank correlation is weakly positive (what the old
  // table called reproduced); grouped convolution's speed-up falls with depth.
  auto mixed = [](const std::string& p, int64_t depth, int64_t) {
    return p == "grouped" ? 6.0 - depth / 20.0 : 2.0 + depth / 100.0;
  };
  ClaimRow m = claim(depth_experiment({10, 30, 50}, {1, 8, 16}, mixed), "speedup_grows_with_depth");
  EXPECT_EQ(m.verdict, Verdict::NotReproduced) << m.ours << " " << m.why;
  EXPECT_NE(m.why.find("grouped"), std::string::npos) << m.why;

  ClaimRow few = claim(depth_experiment({10, 30}, {1}, grows, {"standard", "grouped"}), "speedup_grows_with_depth");
  EXPECT_EQ(few.verdict, Verdict::Undecided) << few.why;
  EXPECT_NE(few.why.find("too few points: n = 2"), std::string::npos) << few.why;
}

TEST(Claims, Depth50ClaimsSayWhenDepth50WasNotMeasured) {
  auto s = [](const std::string& p, int64_t, int64_t) { return p == "dw_bottleneck" ? 5.5 : 2.0; };
  ClaimRow shallow = claim(depth_experiment({10, 30}, {1, 8, 16}, s), "dw_bottleneck_at_50");
  EXPECT_EQ(shallow.verdict, Verdict::NotMeasured);
  EXPECT_NE(shallow.why.find("deepest depth measured is 30"), std::string::npos) << shallow.why;

  Dataset deep = depth_experiment({10, 50}, {1, 8, 16}, s);
  EXPECT_EQ(claim(deep, "dw_bottleneck_at_50").verdict, Verdict::Reproduced);
  EXPECT_EQ(claim(deep, "most_accelerated_at_50").verdict, Verdict::Reproduced);
  auto sep = [](const std::string& p, int64_t, int64_t) { return p == "dw_separable" ? 9.0 : 2.0; };
  ClaimRow other = claim(depth_experiment({10, 50}, {1, 8, 16}, sep), "most_accelerated_at_50");
  EXPECT_EQ(other.verdict, Verdict::NotReproduced);
  EXPECT_NE(other.why.find("dw_separable"), std::string::npos) << other.why;
}

TEST(Claims, BatchClaimsNeedBatch32AndCompareRatios) {
  // Native per-image time x(1 + b/48): batch 32 is 1.67x batch 1; accelerated flat.
  Dataset d;
  size_t i = 0;
  for (const auto& p : {"standard", "grouped"})
    for (int64_t depth : {10, 20, 30, 40})
      for (int64_t b : {1, 8, 32}) {
        const double native = static_cast<double>(depth) * (1 + (static_cast<double>(b) - 1) * (2.0 / 3) / 31) * wobble(i++);
        d.ok.push_back(make(pattern(p, depth, 32, "torch", b), native));
        d.ok.push_back(make(pattern(p, depth, 32, "onednn", b), static_cast<double>(depth) / 4 * wobble(i++)));
      }
  ClaimRow native = claim(d, "native_batch_slowdown");
  EXPECT_EQ(native.verdict, Verdict::Reproduced) << native.ours << " " << native.why;
  EXPECT_EQ(claim(d, "accelerated_batch_flat").verdict, Verdict::Reproduced);
  EXPECT_EQ(claim(d, "speedup_grows_with_batch").verdict, Verdict::Reproduced);

  auto s = [](const std::string&, int64_t, int64_t) { return 3.0; };
  ClaimRow small = claim(depth_experiment({10, 30}, {1, 8}, s), "native_batch_slowdown");
  EXPECT_EQ(small.verdict, Verdict::NotMeasured);
  EXPECT_NE(small.why.find("largest batch measured is 8"), std::string::npos) << small.why;
}

// The width experiment: six patterns, native latency = width^k per pattern.
Dataset width_experiment(const std::vector<int64_t>& widths, double dense_k, double light_k) {
  Dataset d;
  for (const auto& p : kPatterns) {
    const bool dense = p == "standard" || p == "factorized" || p == "bottleneck";
    for (int64_t w : widths) {
      const double x = static_cast<double>(w), ms = std::pow(x, dense ? dense_k : light_k) / 10;
      const double flops = 1e6 * x * x * (dense ? 9 : 1);
      d.ok.push_back(make(pattern(p, 10, w, "torch", 1), ms, flops));
      d.ok.push_back(make(pattern(p, 10, w, "onednn", 1), ms / 3, flops));
    }
  }
  return d;
}

TEST(Claims, WidthExponentsAreReadAgainstTheWordingAndTheFlops) {
  const std::vector<int64_t> widths = {32, 64, 128, 256, 512};
  Dataset worded = width_experiment(widths, 0.5, 1.0);
  EXPECT_EQ(claim(worded, "width_exponent_dense").verdict, Verdict::Reproduced);
  EXPECT_EQ(claim(worded, "width_exponent_depthwise").verdict, Verdict::Reproduced);
  EXPECT_EQ(claim(worded, "flops_quadruple").verdict, Verdict::Reproduced);

  // Latency tracking FLOPs (k = 2), as "≈4x FLOPs per doubling" implies.
  ClaimRow flops_like = claim(width_experiment(widths, 2.0, 2.0), "width_exponent_dense");
  EXPECT_EQ(flops_like.verdict, Verdict::NotReproduced);
  EXPECT_NE(flops_like.explanation.find("FLOPs exponents here: standard 2"), std::string::npos) << flops_like.explanation;
  EXPECT_EQ(claim(width_experiment(widths, 2.0, 2.0), "latency_tracks_flops_width").verdict, Verdict::Reproduced);

  ClaimRow two = claim(width_experiment({32, 128}, 0.5, 1.0), "width_exponent_dense");
  EXPECT_EQ(two.verdict, Verdict::Undecided);
  EXPECT_NE(two.why.find("too few points"), std::string::npos) << two.why;

  // Narrow: k = 0.5 and 1 at width 32 differ by far more than 1.25x.
  EXPECT_EQ(claim(worded, "narrow_alike").verdict, Verdict::NotReproduced);
  EXPECT_EQ(claim(width_experiment(widths, 1.0, 1.0), "narrow_alike").verdict, Verdict::Reproduced);  // equal latencies
}

TEST(Claims, CacheMissReductionOfAnOrderOfMagnitude) {
  auto cache = [](const std::vector<int64_t>& depths, double ratio) {
    Dataset d;
    for (int64_t depth : depths) {
      const std::string sim = " cache_sim=i5-7600k";
      const double misses = 1e5 * static_cast<double>(depth);
      d.ok.push_back(make(pattern("dw_bottleneck", depth, 32, "torch", 1, sim), 10, 1e9, misses));
      d.ok.push_back(make(pattern("dw_bottleneck", depth, 32, "onednn", 1, sim + " isa=avx2"), 2, 1e9,
                          misses / ratio * wobble(static_cast<size_t>(depth))));
    }
    return d;
  };
  EXPECT_EQ(claim(cache({5, 10, 20, 30}, 10), "cache_dw_bottleneck_10x").verdict, Verdict::Reproduced);
  EXPECT_EQ(claim(cache({5, 10, 20, 30}, 10), "cache_fewer_everywhere").verdict, Verdict::Reproduced);
  EXPECT_EQ(claim(cache({5, 10, 20, 30}, 1.5), "cache_dw_bottleneck_10x").verdict, Verdict::NotReproduced);
  ClaimRow two = claim(cache({5, 10}, 10), "cache_dw_bottleneck_10x");
  EXPECT_EQ(two.verdict, Verdict::Undecided);
  EXPECT_NE(two.why.find("too few points: n = 2"), std::string::npos) << two.why;
  // The cache rows are the cache experiment's, not the timed depth experiment's.
  Dataset d = cache({5, 10, 20}, 10);
  EXPECT_TRUE(experiment_rows(d, Experiment::Depth).empty());
  EXPECT_EQ(experiment_rows(d, Experiment::CacheDepth).size(), 6u);
}

Dataset zoo(double mobilenet_ms, double mobilenet_speedup, double ci = 0.01) {
  Dataset d;
  auto net = [&](const std::string& name, double native, double accelerated) {
    d.ok.push_back(make(name + " res=224 backend=torch batch=1 threads=2", native, 1e9, std::nullopt, ci));
    d.ok.push_back(make(name + " res=224 backend=onednn batch=1 threads=2", accelerated, 1e9, std::nullopt, ci));
  };
  net("mobilenet_v2", mobilenet_ms * mobilenet_speedup, mobilenet_ms);
  net("resnet18", 30, 10);
  net("darts", 120, 10);
  return d;
}

TEST(Claims, ZooValuesAreComparedAsNumbersNotRanks) {
  EXPECT_EQ(claim(zoo(2.4, 7), "mobilenet_v2_2_4ms").verdict, Verdict::Reproduced);
  // Still the fastest network (what the old rank-only check asked), but 4x the paper's 2.4 ms.
  Dataset slow = zoo(9.6, 7);
  EXPECT_EQ(claim(slow, "mobilenet_v2_lowest").verdict, Verdict::Reproduced);
  EXPECT_EQ(claim(slow, "mobilenet_v2_2_4ms").verdict, Verdict::NotReproduced);
  // 3.0 ms is the band's upper edge: a ±10 % CI straddles it.
  EXPECT_EQ(claim(zoo(3.0, 7, 0.1), "mobilenet_v2_2_4ms").verdict, Verdict::Undecided);
  EXPECT_EQ(claim(zoo(2.4, 7), "mobilenet_v2_7x").verdict, Verdict::Reproduced);
  EXPECT_EQ(claim(zoo(2.4, 2), "mobilenet_v2_7x").verdict, Verdict::NotReproduced);
  EXPECT_EQ(claim(zoo(2.4, 7), "darts_12x").verdict, Verdict::Reproduced);
  EXPECT_EQ(claim(zoo(2.4, 7), "zoo_at_least_2x").verdict, Verdict::Reproduced);
  EXPECT_EQ(claim(zoo(2.4, 1.5), "zoo_at_least_2x").verdict, Verdict::NotReproduced);
  EXPECT_EQ(claim(zoo(2.4, 7), "darts_vs_torch_jit_5x").verdict, Verdict::NotMeasured);
}

TEST(Claims, ExplanationsComeOnlyFromTheStoreAndOnlyWhereOursDiffers) {
  Dataset slow = zoo(9.6, 7);
  EXPECT_EQ(claim(slow, "mobilenet_v2_2_4ms").explanation, "");  // no facts recorded: nothing is made up
  slow.environment = {{"cpu_model", "Test CPU"}, {"threads", 2}, {"isa_flags", {"avx2", "avx512f"}}};
  slow.backend_environment["onednn"] = {{"backend_facts", {{"onednn.isa", "avx512_core"}}}};
  ClaimRow r = claim(slow, "mobilenet_v2_2_4ms");
  EXPECT_NE(r.explanation.find("measured on Test CPU with 2 threads"), std::string::npos) << r.explanation;
  EXPECT_NE(r.explanation.find("onednn ran avx512_core"), std::string::npos) << r.explanation;
  Dataset fast = zoo(2.4, 7);
  fast.environment = slow.environment;
  EXPECT_EQ(claim(fast, "mobilenet_v2_2_4ms").explanation, "");  // reproduced: nothing to explain
}

TEST(Claims, ARowInTwoExperimentsIsCountedOnce) {
  // Depth 10 / width 32 belongs to both sweeps, as in the paper preset.
  Dataset d;
  for (int64_t depth : {10, 20})
    for (const char* b : {"torch", "onednn"}) d.ok.push_back(make(pattern("standard", depth, 32, b, 1), b[0] == 't' ? 4 : 1));
  for (const char* b : {"torch", "onednn"}) d.ok.push_back(make(pattern("standard", 10, 64, b, 1), b[0] == 't' ? 4 : 1));
  ClaimRow r = claim(d, "every_configuration_faster");
  EXPECT_NE(r.ours.find("slowest of 3 pairs"), std::string::npos) << r.ours;
}

TEST(Claims, EveryClaimHasPaperValueRuleAndVerdictEvenOnAnEmptyStore) {
  auto rows = evaluate_claims(Dataset{});
  EXPECT_GE(rows.size(), 30u);
  for (const auto& c : rows) {
    EXPECT_FALSE(c.paper.empty()) << c.id;
    EXPECT_FALSE(c.rule.empty()) << c.id;
    EXPECT_FALSE(c.why.empty()) << c.id;
    EXPECT_TRUE(c.verdict == Verdict::NotMeasured || c.verdict == Verdict::Undecided) << c.id << ": " << c.why;
  }
}

}  // namespace
}  // namespace fb::report
