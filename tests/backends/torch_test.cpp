// The LibTorch backends (torch, torch-jit) against the reference: all six
// design patterns, every op outside them, the parameter count, and proof that
// LibTorch's own optimisation really ran.
#include <gtest/gtest.h>
#include <gtest/gtest-spi.h>

#include <algorithm>
#include <functional>
#include <map>

#include "backends/backend.h"
#include "backends/compare.h"
#include "backends/op_cases.h"
#include "backends/torch/jit_steps.h"
#include "backends/torch/torch_backend.h"
#include "common/error.h"
#include "graph/builder.h"
#include "graph/cost.h"
#include "graph/weights.h"
#include "models/catalog.h"

namespace fb {
namespace {

// fp32 through a few layers against double accumulation; observed ~1e-6.
constexpr double kBound = 1e-4;
const char* const kBackends[] = {"torch", "torch-jit"};
const char* const kPatterns[] = {"standard", "factorized", "bottleneck", "dw_separable", "dw_bottleneck", "grouped"};

void expect_matches_reference(const Graph& g, const std::string& backend, int threads, const std::string& what) {
  Weights w = make_weights(g, 7);
  Tensor x = make_input(g.input_shape(), 7);
  Tensor ref = run_once(choose_backend("reference", 1), g, w, x);
  Tensor got = run_once(choose_backend(backend, threads), g, w, x);
  test::expect_close(got, ref, kBound, what + " on " + backend + " threads=" + std::to_string(threads));
}

std::unique_ptr<Executable> compile(const std::string& backend, const Graph& g) {
  BackendChoice c = choose_backend(backend, 1);
  return c.backend->compile(g, make_weights(g, 7), c.options);
}

// --- the six patterns -------------------------------------------------------

struct PatternCase {
  std::string pattern;
  int batch;
  std::string backend;
};

// Readable names in ctest's list instead of a byte dump.
void PrintTo(const PatternCase& c, std::ostream* os) { *os << c.pattern << " batch=" << c.batch << " " << c.backend; }

class TorchPattern : public ::testing::TestWithParam<PatternCase> {};

TEST_P(TorchPattern, MatchesReference) {
  const auto& c = GetParam();
  const std::string model = "pattern:" + c.pattern + " depth=3 width=16 res=32";
  expect_matches_reference(parse_model(model).build(c.batch), c.backend, c.batch == 3 ? 2 : 1,
                           model + " batch=" + std::to_string(c.batch));
}

std::vector<PatternCase> pattern_cases() {
  std::vector<PatternCase> cases;
  for (const char* p : kPatterns)
    for (int batch : {1, 3})
      for (const char* b : kBackends) cases.push_back({p, batch, b});
  return cases;
}

std::string case_name(const ::testing::TestParamInfo<PatternCase>& info) {
  std::string b = info.param.backend == "torch" ? "eager" : "jit";
  return info.param.pattern + "_b" + std::to_string(info.param.batch) + "_" + b;
}

INSTANTIATE_TEST_SUITE_P(AllPatterns, TorchPattern, ::testing::ValuesIn(pattern_cases()), case_name);

// --- ops the patterns do not use ---------------------------------------------


using test::OpCase;
class TorchOp : public ::testing::TestWithParam<OpCase> {};

TEST_P(TorchOp, MatchesReference) {
  Graph g = GetParam().build();
  for (const char* b : kBackends) expect_matches_reference(g, b, 1, GetParam().name);
}

INSTANTIATE_TEST_SUITE_P(Ops, TorchOp, ::testing::ValuesIn(test::op_cases()),
                         [](const auto& info) { return info.param.name; });

// --- the module itself --------------------------------------------------------

TEST(Torch, ParameterCountEqualsCostModel) {
  for (const char* p : kPatterns) {
    Graph g = parse_model(std::string("pattern:") + p + " depth=2 width=16 res=16 classes=10").build(1);
    for (const char* b : kBackends) {
      auto exe = compile(b, g);
      auto* torch_exe = dynamic_cast<TorchExecutable*>(exe.get());
      ASSERT_NE(torch_exe, nullptr) << b;
      EXPECT_EQ(torch_exe->parameter_count(), cost_of(g).total.params) << p << " on " << b;
    }
  }
}

TEST(Torch, JitFoldsBatchNormAndUsesOneDnn) {
  Graph g = parse_model("pattern:dw_bottleneck depth=2 width=16 res=32").build(1);
  const std::string plan = compile("torch-jit", g)->explain();
  const auto optimised = plan.substr(plan.find("after freeze"));
  ASSERT_NE(plan.find("after freeze"), std::string::npos) << plan;
  EXPECT_NE(plan.find("torch.batch_norm"), std::string::npos) << "the source should contain BN before folding";
  EXPECT_EQ(optimised.find("aten::batch_norm"), std::string::npos) << "freeze did not fold BN:\n" << optimised;
  const Facts env = choose_backend("torch-jit", 1).backend->environment({});
  const bool mkldnn = std::find(env.begin(), env.end(), Facts::value_type{"torch.mkldnn", "yes"}) != env.end();
  if (mkldnn) {
    EXPECT_NE(optimised.find("mkldnn"), std::string::npos) << "no oneDNN ops after optimize_for_inference:\n"
                                                           << optimised;
  }
}

TEST(Torch, EnvironmentNamesLibraryBlasAndThreads) {
  BackendOptions opts;
  opts.threads = 2;
  Facts env = choose_backend("torch", 2).backend->environment(opts);
  std::map<std::string, std::string> facts(env.begin(), env.end());
  for (const auto& [key, value] : env) EXPECT_EQ(key.rfind("torch.", 0), 0u) << key;
  EXPECT_EQ(facts["torch.threads"], "2");
  EXPECT_NE(facts["torch.version"], "");
  EXPECT_NE(facts["torch.blas_loaded"], "none") << "no BLAS mapped after a gemm";
  EXPECT_TRUE(facts.count("torch.glibc_tunables"));
}

TEST(Torch, RejectsVariantsAndIsaCaps) {
  Graph g = parse_model("pattern:standard depth=1 width=8 res=8").build(1);
  EXPECT_THROW(compile("torch:fast", g), UsageError);
  for (const char* backend : {"torch", "torch-jit"}) {
    BackendChoice c = choose_backend(backend, 1);
    c.options.isa = "avx2";
    try {
      c.backend->compile(g, make_weights(g, 1), c.options);
      ADD_FAILURE() << backend << " accepted isa=avx2, which it cannot apply";
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find("cannot cap its instruction set (got isa=avx2)"), std::string::npos) << e.what();
    }
  }
}


// --- per-step profiles -------------------------------------------------------

namespace profile_test {

// conv3x3+BN+ReLU, depthwise 3x3+BN, 1x1 conv, residual add, pool, classifier.
Graph small_known() {
  GraphBuilder b("known", Shape{1, 16, 12, 12});
  ValueId x = b.conv_bn_act(b.input(), conv(16, 3).pad(1), ActKind::ReLU, "c3");
  ValueId y = b.conv_bn_act(x, conv(16, 3).pad(1).groups(16), std::nullopt, "dw");
  y = b.conv(y, conv(16, 1), "pw");
  return b.finish(b.linear(b.flatten(b.global_avg_pool(b.add(y, x))), 10));
}

// Every step's covered nodes are real nodes, named as in the graph; every
// node but the input is covered. Eager covers each exactly once, one node a step.
void expect_steps_cover_graph(const std::string& backend, const Graph& g, const std::string& what) {
  const auto exe = compile(backend, g);
  const std::vector<StepRecord>& steps = exe->steps();
  ASSERT_FALSE(steps.empty()) << what;
  std::vector<int> covered(g.nodes.size(), 0);
  for (const StepRecord& s : steps) {
    EXPECT_FALSE(s.impl.empty()) << what;
    EXPECT_FALSE(s.op_group.empty()) << what;
    if (backend == "torch") {
      EXPECT_EQ(s.covers.size(), 1u) << what;
    }
    for (const CoveredNode& c : s.covers) {
      ASSERT_GT(c.node, 0) << what;
      ASSERT_LT(static_cast<size_t>(c.node), g.nodes.size()) << what;
      EXPECT_EQ(c.name, g.nodes[static_cast<size_t>(c.node)].name) << what;
      ++covered[static_cast<size_t>(c.node)];
    }
  }
  for (size_t i = 1; i < g.nodes.size(); ++i) {
    EXPECT_GE(covered[i], 1) << g.nodes[i].name << " uncovered, " << backend << " " << what;
    if (backend == "torch") {
      EXPECT_EQ(covered[i], 1) << g.nodes[i].name << " " << what;
    }
  }
}

}  // namespace profile_test

TEST(TorchProfile, EveryStepCoversRealNodesAndEveryNodeIsCovered) {
  for (const char* backend : kBackends)
    for (const char* p : kPatterns) {
      const std::string model = std::string("pattern:") + p + " depth=2 width=16 res=16 classes=10";
      profile_test::expect_steps_cover_graph(backend, parse_model(model).build(1), model);
    }
  for (const char* backend : kBackends) profile_test::expect_steps_cover_graph(backend, profile_test::small_known(), "known");
}

// Eager: one step per node, grouped by op kind; the conv's time goes to a
// convolution kernel; MACs are the cost model's per node.
TEST(TorchProfile, EagerOpKindsOfAKnownModel) {
  const Graph g = profile_test::small_known();
  const auto exe = compile("torch", g);
  std::vector<std::string> kinds;
  for (const StepRecord& s : exe->steps()) kinds.push_back(s.op_group);
  const std::vector<std::string> want = {"conv 3x3", "BN",      "eltwise", "depthwise", "BN",   "conv 1x1",
                                         "eltwise",  "pooling", "other",   "other"};
  EXPECT_EQ(kinds, want);
  const StepRecord& first = exe->steps().front();
  EXPECT_NE(first.impl.find("conv"), std::string::npos) << first.impl;
  EXPECT_EQ(first.macs, cost_of(g).nodes[1].macs);
  int64_t macs = 0;
  for (const StepRecord& s : exe->steps()) macs += s.macs;
  EXPECT_EQ(macs, cost_of(g).total.macs);
}

// torch-jit: freeze folds each BN into its conv, so the BN nodes have no op
// of their own and join their conv's step, which leads with the conv; the
// first node-computing step is the first conv (a layout conversion that
// optimize_for_inference put before it covers no node).
TEST(TorchProfile, JitFoldedBatchNormJoinsItsConvStep) {
  const Graph g = profile_test::small_known();
  const auto exe = compile("torch-jit", g);
  int folded = 0;
  for (const StepRecord& s : exe->steps())
    for (const CoveredNode& c : s.covers)
      if (g.node(c.node).op == OpKind::BatchNorm) {
        EXPECT_EQ(c.how, torchscript::kNoOwnOp) << exe->explain();
        EXPECT_EQ(g.node(s.covers.front().node).op, OpKind::Conv) << s.impl;
        ++folded;
      }
  EXPECT_EQ(folded, 2);
  const auto& steps = exe->steps();
  const auto first = std::find_if(steps.begin(), steps.end(), [](const StepRecord& s) { return !s.covers.empty(); });
  ASSERT_NE(first, steps.end());
  EXPECT_EQ(first->op_group, "conv 3x3");
  for (auto s = steps.begin(); s != first; ++s) EXPECT_EQ(s->op_group, "reorder") << s->impl;
}

// The profiling mode computes what run() computes and times every step.
TEST(TorchProfile, ProfiledRunTimesEveryStepAndComputesTheSame) {
  const Graph g = parse_model("pattern:dw_bottleneck depth=2 width=16 res=16 classes=10").build(2);
  for (const char* backend : kBackends) {
    const auto exe = compile(backend, g);
    const Tensor in = make_input(g.input_shape(), 3);
    Tensor a(g.output_shape()), b(g.output_shape());
    exe->run(in.ptr(), a.ptr());
    const size_t n = exe->steps().size();
    for (int i = 0; i < 3; ++i) {
      const std::vector<double> t = exe->run_profiled(in.ptr(), b.ptr());
      ASSERT_EQ(t.size(), n) << backend;
      for (double x : t) EXPECT_GE(x, 0.0) << backend;
    }
    EXPECT_EQ(a.data, b.data) << backend;
    EXPECT_FALSE(exe->step_timing().empty()) << backend;
  }
}

// A step's time is its own node's work: in a network where one 3x3 conv
// holds ~97% of the MACs, the slowest step is the one that covers it (not a
// neighbour's, as an off-by-one between times and records would make it;
// not a sliver, as timing torch-jit's mkldnn conv by its own events would).
TEST(TorchProfile, TheSlowestStepIsTheOneCoveringTheHeavyConv) {
  GraphBuilder b("heavy", Shape{1, 8, 32, 32});
  ValueId x = b.relu(b.conv(b.input(), conv(64, 1), "stem"));
  const ValueId heavy = b.conv(x, conv(64, 3).pad(1), "heavy");
  const Graph g = b.finish(b.linear(b.flatten(b.global_avg_pool(b.relu(heavy))), 10));
  const Tensor in = make_input(g.input_shape(), 3);
  Tensor out(g.output_shape());
  for (const char* backend : kBackends) {
    const auto exe = compile(backend, g);
    // Each step's fastest of a few runs: one preempted sample cannot move it.
    std::vector<double> best(exe->steps().size(), 1e9);
    for (int i = 0; i < 5; ++i) {
      const std::vector<double> t = exe->run_profiled(in.ptr(), out.ptr());
      ASSERT_EQ(t.size(), best.size()) << backend;
      for (size_t k = 0; k < t.size(); ++k) best[k] = std::min(best[k], t[k]);
    }
    const size_t slowest = static_cast<size_t>(std::max_element(best.begin(), best.end()) - best.begin());
    const StepRecord& s = exe->steps()[slowest];
    ASSERT_FALSE(s.covers.empty()) << backend << " " << s.impl;
    EXPECT_EQ(s.covers.front().node, heavy) << backend << " " << s.covers.front().name << " " << s.impl;
  }
}

}  // namespace
}  // namespace fb
