// The built-in sweeps. Sizes and their reasons are in docs/study.md
// ("Presets"); change both together.
#include "study/presets.h"

#include <algorithm>

#include "common/error.h"

namespace fb::study {
namespace {

const std::vector<std::string> kNativeVsAccelerated = {"torch", "onednn"};
const std::vector<std::string> kAblation = {"onednn",         "onednn:nofuse",    "onednn:nofold", "onednn:nosum",
                                            "onednn:nodwfuse", "onednn:plain",    "onednn:noprepack",
                                            "onednn:noplan"};

SweepGroup pattern_group(std::string name, std::vector<int64_t> depths, std::vector<int64_t> widths,
                         std::vector<int64_t> res, std::vector<int64_t> batches,
                         std::vector<std::string> backends = kNativeVsAccelerated,
                         std::vector<std::string> patterns = study_patterns()) {
  SweepGroup g;
  g.name = std::move(name);
  g.kind = g.name;  // depth, width, ablation
  g.patterns = std::move(patterns);
  g.depths = std::move(depths);
  g.widths = std::move(widths);
  g.resolutions = std::move(res);
  g.batches = std::move(batches);
  g.backends = std::move(backends);
  return g;
}

// Experiment 1, depth: width 32 (the study's narrowest, so depth is what
// grows) at res 112 (a quarter of the MACs of 224; batch 32 x depth 50 at
// 224 would take minutes per inference on 2 cores).
SweepGroup depth_group() { return pattern_group("depth", {10, 20, 30, 40, 50}, {32}, {112}, {1, 8, 16, 32}); }

// Experiment 1, width: depth 10 at res 112, batch 1.
SweepGroup width_group() { return pattern_group("width", {10}, {32, 64, 128, 256, 512}, {112}, {1}); }

// Experiment 2 under callgrind's cache model (perf counters are often
// unavailable in VMs), simulating the study's CPU (i5-7600K: 6 MiB LLC), not
// this one: a 32 MiB LLC holds every network of the grid and shows nothing.
// onednn's timed runs are capped to AVX2, the widest ISA valgrind executes,
// so its latency and its misses describe the same code (torch cannot be
// capped and rejects isa=; Debian's ATen kernels pick AVX2 already). Sizes
// are chosen so every network's working set (weights + activations of one
// inference, `formbench describe`) exceeds the 6 MiB: see docs/study.md.
const char* const kCacheSim = "i5-7600k";

std::vector<SweepGroup> cache_experiment(std::string name, std::vector<int64_t> depths, std::vector<int64_t> widths,
                                         std::vector<int64_t> res,
                                         std::vector<std::string> patterns = study_patterns()) {
  SweepGroup native = pattern_group(name, depths, widths, res, {1}, {"torch"}, patterns);
  SweepGroup accelerated = pattern_group(name, depths, widths, res, {1}, {"onednn"}, patterns);
  native.cache_sims = accelerated.cache_sims = {kCacheSim};
  native.kind = accelerated.kind = "cache";  // one experiment: its native and accelerated rows
  accelerated.isas = {"avx2"};
  return {native, accelerated};
}

// Sized by what valgrind costs: it runs ~300x slower than native on FMA-heavy
// convolutions (it emulates every FMA lane), so one simulated 30-layer
// standard network at res 224 takes ~25 min, and the paper's full grid (six
// patterns x depth 10..50 at 224, widths 32..512) about 24 hours on 2 cores.
// The grid keeps the patterns whose simulation is affordable at every point
// and standard/factorized where they fit the ~1.5 h budget (docs/study.md).
const std::vector<std::string> kCheapToSimulate = {"bottleneck", "dw_separable", "dw_bottleneck", "grouped"};
const std::vector<std::string> kCostlyToSimulate = {"standard", "factorized"};

// Depth at the paper's res 224 and width 32: the quick study measured that
// only then do eager torch's buffers outgrow 6 MiB (a network's summed
// activations are not its working set). Width at depth 10 and res 80, where
// the smallest network, width 32 standard, moves 7.4 MB > 6 MiB (res 72
// would not spill).
std::vector<SweepGroup> cache_groups() {
  std::vector<SweepGroup> g;
  auto add = [&](std::vector<SweepGroup> more) { g.insert(g.end(), more.begin(), more.end()); };
  add(cache_experiment("cache-depth", {10, 30, 50}, {32}, {224}, kCheapToSimulate));
  add(cache_experiment("cache-depth", {10}, {32}, {224}, kCostlyToSimulate));
  add(cache_experiment("cache-width", {10}, {32, 64, 128}, {80}, kCheapToSimulate));
  add(cache_experiment("cache-width", {10}, {32, 64}, {80}, kCostlyToSimulate));
  return g;
}

SweepGroup zoo_group(std::vector<std::string> models, std::vector<std::string> backends) {
  SweepGroup g;
  g.name = g.kind = "zoo";
  g.models = std::move(models);
  g.backends = std::move(backends);
  return g;
}

// Where the time goes: one configuration per pattern, profiled step by step
// on both roles (profile=1: the same timed latency plus the per-step
// profile). Its own experiment, so no other row or key changes.
SweepGroup profile_group(int64_t depth, int64_t width, int64_t res) {
  SweepGroup g = pattern_group("profile", {depth}, {width}, {res}, {1});
  g.profile = true;
  return g;
}

// One engine switch off at a time, every pattern, one mid-sized network.
SweepGroup ablation_group() { return pattern_group("ablation", {20}, {64}, {112}, {1}, kAblation); }

// The engines people already use next to formbench's, on every model
// formbench builds: the zoo and the six patterns at depth 20, width 32 (the
// paper's 224 input), batch 1 and 8. Each row also stores its output's error
// against the reference backend (check=1; at a small resolution, measure.cpp).
const std::vector<std::string> kPeers = {"torch", "torch-jit", "onednn", "ort", "opencv"};

std::vector<SweepGroup> peers_groups(std::vector<std::string> models, std::vector<std::string> patterns_of,
                                     std::vector<int64_t> res, std::vector<int64_t> batches, int64_t depth = 20) {
  SweepGroup zoo = zoo_group(std::move(models), kPeers);
  zoo.batches = batches;
  SweepGroup patterns = pattern_group("peers", {depth}, {32}, std::move(res), batches, kPeers, std::move(patterns_of));
  for (SweepGroup* g : {&zoo, &patterns}) {
    g->name = g->kind = "peers";
    g->check = true;
  }
  return {zoo, patterns};
}

// Reduced precision: does the ranking of the patterns by speed-up change
// with the arithmetic? The six patterns at two depths and two widths (res
// 112, as the depth grid) and the zoo, batch 1 and 8, the engine and the
// native framework each at fp32, bf16 and int8 (torch's int8 is PyTorch's
// eager post-training quantisation, docs/backends.md).
std::vector<SweepGroup> precision_groups() {
  SweepGroup patterns = pattern_group("precision", {20, 50}, {32, 128}, {112}, {1, 8}, kNativeVsAccelerated);
  SweepGroup zoo = zoo_group(study_zoo(), kNativeVsAccelerated);
  zoo.name = zoo.kind = "precision";
  zoo.batches = {1, 8};
  for (SweepGroup* g : {&patterns, &zoo}) g->precisions = {"fp32", "bf16", "int8"};
  return {patterns, zoo};
}

SweepSpec make(const std::string& name, std::vector<SweepGroup> groups) {
  SweepSpec s;
  s.name = name;
  s.source = "preset " + name;
  s.groups = std::move(groups);
  return s;
}

SweepSpec quick() {
  // Small enough for a few minutes on 2 cores: res 64; batch 8 only in the
  // depth grid, so that the batch trend is measured at all.
  std::vector<SweepGroup> g;
  g.push_back(pattern_group("depth", {10, 30}, {32}, {64}, {1, 8}));
  g.push_back(pattern_group("width", {10}, {32, 128}, {64}, {1}));
  // Two depths of one pattern, the smallest grid that draws a cache-vs-depth
  // line, at the paper's res 224: one block's tensors are 1.6 MB, so eager
  // torch's separate conv/BN/ReLU buffers cycle through more than the
  // simulated 6 MiB (measured: ~80k and ~150k LL misses per image at depth 5
  // and 10, onednn 3). At res 96 torch reuses few enough buffers that it
  // missed only ~400 and ~50 times. Under valgrind, start-up dominates, so
  // 224 costs about what 32 did.
  for (auto& c : cache_experiment("cache", {5, 10}, {32}, {224}, {"dw_bottleneck"})) g.push_back(c);
  g.push_back(zoo_group({"resnet18", "mobilenet_v2"}, {"torch", "torch-jit", "onednn"}));
  // With onednn itself, the baseline each variant is compared with (the depth
  // grid measures it: stored once, a member of both experiments).
  g.push_back(pattern_group("ablation", {10}, {32}, {64}, {1},
                            {"onednn", "onednn:nofuse", "onednn:nofold", "onednn:plain"}, {"bottleneck", "dw_bottleneck"}));
  // The depth grid's smallest network (~2 s a configuration with its profile).
  g.push_back(profile_group(10, 32, 64));
  // Every engine on the zoo networks above and the pattern of the cache
  // experiment (depth 10, width 32, res 64), batch 1, outputs checked.
  for (auto& p : peers_groups({"resnet18", "mobilenet_v2"}, {"dw_bottleneck"}, {64}, {1}, 10)) g.push_back(p);
  return make("quick", g);
}

}  // namespace

const std::vector<std::string>& study_patterns() {
  static const std::vector<std::string> p = {"standard",     "factorized",    "bottleneck",
                                             "dw_separable", "dw_bottleneck", "grouped"};
  return p;
}

const std::vector<std::string>& study_zoo() {
  static const std::vector<std::string> z = {"resnet18",        "resnet34",         "resnet50",     "resnet101",
                                             "resnet152",       "resnext50_32x4d",  "resnext101_32x8d",
                                             "mobilenet_v2",    "inception_v3",     "darts",        "darts_opt",
                                             "nasnet_a_large"};
  return z;
}

const std::vector<std::string>& preset_names() {
  static const std::vector<std::string> n = {"depth", "width", "cache", "zoo", "ablation", "peers", "precision", "paper", "quick"};
  return n;
}

bool is_preset(const std::string& name) {
  return std::find(preset_names().begin(), preset_names().end(), name) != preset_names().end();
}

SweepSpec preset(const std::string& name) {
  const SweepGroup zoo = zoo_group(study_zoo(), {"torch", "torch-jit", "onednn"});
  if (name == "depth") return make(name, {depth_group()});
  if (name == "width") return make(name, {width_group()});
  if (name == "cache") return make(name, cache_groups());
  if (name == "zoo") return make(name, {zoo});
  if (name == "ablation") return make(name, {ablation_group()});
  if (name == "peers") return make(name, peers_groups(study_zoo(), study_patterns(), {}, {1, 8}));
  if (name == "precision") return make(name, precision_groups());
  if (name == "paper") {
    std::vector<SweepGroup> g = {depth_group(), width_group()};
    for (auto& c : cache_groups()) g.push_back(c);
    g.push_back(zoo);
    g.push_back(ablation_group());
    // The depth grid's depth-20 network, the one `formbench profile` examples use.
    g.push_back(profile_group(20, 32, 112));
    return make(name, g);
  }
  if (name == "quick") return quick();
  std::string known;
  for (const auto& n : preset_names()) known += (known.empty() ? "" : ", ") + n;
  throw UsageError("unknown preset '" + name + "'; presets: " + known);
}

}  // namespace fb::study
