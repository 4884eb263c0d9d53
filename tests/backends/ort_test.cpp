// The ort backend (ONNX Runtime in a runner process) against the reference
// on all six design patterns, its options, and what happens when the runner
// is missing, wrong, wedged or dies: always a clear error, never a hang or a
// crash of formbench.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <set>

#include "backends/backend.h"
#include "backends/compare.h"
#include "backends/ort/ort_install.h"
#include "backends/ort/ort_options.h"
#include "backends/ort/ort_steps.h"
#include "backends/ort/runner_client.h"
#include "common/error.h"
#include "graph/weights.h"
#include "interop/onnx_export.h"
#include "models/catalog.h"
#include "tests/interop/onnx_builder.h"

namespace fb {
namespace {

// fp32 through a few layers against double accumulation, as the other backend tests.
constexpr double kBound = 1e-4;
const char* const kPatterns[] = {"standard", "factorized", "bottleneck", "dw_separable", "dw_bottleneck", "grouped"};
const char* const kSmall = "pattern:standard depth=2 width=16 res=16 classes=10";

// Sets an environment variable for one test and restores it after.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() {
    if (old_) setenv(name_, old_->c_str(), 1);
    else unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

// A private folder for the files a test writes (fake node programs, bad models).
class TempDir {
 public:
  TempDir() {
    std::string t = (std::filesystem::temp_directory_path() / "fb-ort-test-XXXXXX").string();
    path_ = mkdtemp(t.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name, const std::string& text, bool executable = false) const {
    const std::string p = path_ + "/" + name;
    std::ofstream(p) << text;
    if (executable) chmod(p.c_str(), 0755);
    return p;
  }

 private:
  std::string path_;
};

std::unique_ptr<Executable> compile_ort(const Graph& g, const std::string& spec = "ort", int threads = 1) {
  const BackendChoice c = choose_backend(spec, threads);
  return c.backend->compile(g, make_weights(g, 7), c.options);
}

template <typename E>
std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "(nothing thrown)";
}

bool process_exists(int pid) { return kill(pid, 0) == 0 || errno != ESRCH; }

// --- agreement with the reference --------------------------------------------

struct PatternCase {
  std::string pattern;
  int batch;
};
void PrintTo(const PatternCase& c, std::ostream* os) { *os << c.pattern << " batch=" << c.batch; }

class OrtPattern : public ::testing::TestWithParam<PatternCase> {};

TEST_P(OrtPattern, MatchesReference) {
  const auto& c = GetParam();
  const std::string model = "pattern:" + c.pattern + " depth=3 width=16 res=32";
  const Graph g = parse_model(model).build(c.batch);
  const Weights w = make_weights(g, 7);
  const Tensor x = make_input(g.input_shape(), 7);
  const Tensor ref = run_once(choose_backend("reference", 1), g, w, x);
  const int threads = c.batch == 1 ? 1 : 2;
  test::expect_close(run_once(choose_backend("ort", threads), g, w, x), ref, kBound,
                     model + " batch=" + std::to_string(c.batch) + " on ort threads=" + std::to_string(threads));
}

std::vector<PatternCase> pattern_cases() {
  std::vector<PatternCase> cases;
  for (const char* p : kPatterns)
    for (int batch : {1, 3}) cases.push_back({p, batch});
  return cases;
}

INSTANTIATE_TEST_SUITE_P(AllPatterns, OrtPattern, ::testing::ValuesIn(pattern_cases()),
                         [](const auto& info) { return info.param.pattern + "_b" + std::to_string(info.param.batch); });

// Every optimisation level computes the same function.
TEST(OrtVariants, EveryOptimisationLevelMatchesReference) {
  const Graph g = parse_model("pattern:dw_bottleneck depth=2 width=16 res=32").build(2);
  const Weights w = make_weights(g, 3);
  const Tensor x = make_input(g.input_shape(), 3);
  const Tensor ref = run_once(choose_backend("reference", 1), g, w, x);
  for (const char* spec : {"ort", "ort:extended", "ort:basic", "ort:disabled"})
    test::expect_close(run_once(choose_backend(spec, 2), g, w, x), ref, kBound, spec);
}

// --- options -------------------------------------------------------------------

TEST(OrtVariants, VariantIsTheGraphOptimisationLevel) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "all"}, {"extended", "extended"}, {"basic", "basic"}, {"disabled", "disabled"}};
  for (const auto& [variant, level] : cases) {
    BackendOptions o;
    o.variant = variant;
    o.threads = 3;
    const OrtOptions r = parse_ort_options(o);
    EXPECT_EQ(r.graph_optimization, level) << variant;
    EXPECT_EQ(r.intra_op_threads, 3);
    EXPECT_EQ(r.inter_op_threads, 1);
    EXPECT_EQ(r.execution_mode, "sequential");
  }
}

TEST(OrtVariants, UnknownVariantIsRefusedWithTheList) {
  // "all" is the default's only name: one configuration, one descriptor.
  for (const char* bad : {"ort:all", "ort:fast", "ort:EXTENDED"}) {
    const BackendChoice c = choose_backend(bad, 1);
    const std::string m = message_of<UsageError>([&] { c.backend->check_options(c.options); });
    EXPECT_NE(m.find("unknown ort variant"), std::string::npos) << bad << ": " << m;
    EXPECT_NE(m.find("ort (all optimisations, the default), ort:extended, ort:basic, ort:disabled"), std::string::npos)
        << m;
  }
}

TEST(OrtVariants, IsaCapIsRefused) {
  BackendChoice c = choose_backend("ort", 1);
  c.options.isa = "avx2";
  const std::string m = message_of<UsageError>([&] { c.backend->check_options(c.options); });
  EXPECT_NE(m.find("backend 'ort' cannot cap its instruction set (got isa=avx2)"), std::string::npos) << m;
  EXPECT_NE(m.find("ONNX Runtime"), std::string::npos) << m;
  const Graph g = parse_model(kSmall).build(1);
  EXPECT_THROW(c.backend->compile(g, make_weights(g, 1), c.options), UsageError);
}

TEST(OrtBackendFacts, EnvironmentRecordsVersionAndSettings) {
  const BackendChoice c = choose_backend("ort:basic", 2);
  Facts facts = c.backend->environment(c.options);
  auto fact = [&](const std::string& k) {
    for (const auto& [key, value] : facts)
      if (key == k) return value;
    return std::string("(missing)");
  };
  EXPECT_EQ(fact("ort.version"), locate_ort_install().pinned_version);
  EXPECT_EQ(fact("ort.execution_provider"), "cpu");
  EXPECT_EQ(fact("ort.graph_optimization"), "basic");
  EXPECT_EQ(fact("ort.intra_op_threads"), "2");
  EXPECT_EQ(fact("ort.inter_op_threads"), "1");
  EXPECT_EQ(fact("ort.execution_mode"), "sequential");
  EXPECT_EQ(fact("ort.node_version").rfind("v", 0), 0u) << fact("ort.node_version");
  EXPECT_NE(fact("ort.runner").find("ort_runner.js"), std::string::npos);
  for (const auto& [key, value] : facts) EXPECT_EQ(key.rfind("ort.", 0), 0u) << key;
}

TEST(OrtBackendFacts, ComputesOutOfProcessWithItsOwnProfiler) {
  const Backend& b = *choose_backend("ort", 1).backend;
  EXPECT_FALSE(b.in_process()) << "the cache simulator and the counters would see an idle caller";
  EXPECT_TRUE(b.has_profiler());
}

// --- profiles from ONNX Runtime's own profiler ---------------------------------

Graph conv_bn_relu_residual() {
  return parse_model("pattern:bottleneck depth=1 width=16 res=16 classes=10").build(1);
}

ValueId node_named(const Graph& g, const std::string& name) {
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (g.nodes[i].name == name) return static_cast<ValueId>(i);
  return -1;
}

// A fused kernel takes the name of the last node it absorbed; the op type
// says which node of the chain it computes.
TEST(OrtSteps, KernelsMapToTheNodeTheirOpComputes) {
  const Graph g = conv_bn_relu_residual();
  EXPECT_EQ(graph_node_of(g, {"stem.relu_nchwc", "Conv", 0}), node_named(g, "stem.conv"));
  EXPECT_EQ(graph_node_of(g, {"stem.conv", "Conv", 0}), node_named(g, "stem.conv"));
  EXPECT_EQ(graph_node_of(g, {"classifier", "Gemm", 0}), node_named(g, "classifier"));
  EXPECT_EQ(graph_node_of(g, {"ReorderOutput_token_3", "ReorderOutput", 0}), -1);
  EXPECT_EQ(graph_node_of(g, {"stemx", "Conv", 0}), -1) << "a prefix must end at a separator";
}

// nasnet_a_large names two ReLUs of a branch alike; the export calls the
// second "<name>.1", and ONNX Runtime names the pointwise conv it fuses with
// BN and that ReLU after it. The kernel is that conv, not a conv found up
// the inputs of the first ReLU (the stem's conv0.conv, once).
TEST(OrtSteps, KernelsOfRepeatedNodeNamesMapByTheirExportNames) {
  const Graph g = parse_model("nasnet_a_large").build(1);
  const std::string relu = "cell_stem_0.comb2.right.relu";
  const std::vector<std::string> names = onnx_io::onnx_node_names(g);
  ASSERT_NE(std::find(names.begin(), names.end(), relu + ".1"), names.end()) << "the graph no longer repeats the name";
  EXPECT_EQ(graph_node_of(g, {relu + ".1_nchwc", "Conv", 0}), node_named(g, "cell_stem_0.comb2.right.sep1.pw"));
  EXPECT_EQ(graph_node_of(g, {relu, "Relu", 0}), node_named(g, relu)) << "the first keeps its name";
}

// Steps from one run; another session's run, in another order and with its
// reorders numbered anew, is matched by key; a run of other kernels is an error.
TEST(OrtSteps, RunsAreMatchedByKernelNotPosition) {
  const Graph g = parse_model("pattern:standard depth=1 width=16 res=16 classes=10").build(1);
  std::vector<KernelTime> named;
  for (size_t i = 1; i < g.nodes.size(); ++i)
    if (g.nodes[i].op == OpKind::Conv || g.nodes[i].op == OpKind::Linear)
      named.push_back({g.nodes[i].name, g.nodes[i].op == OpKind::Conv ? "Conv" : "Gemm", 1e-3 * static_cast<double>(i)});
  named.insert(named.begin() + 1, {"ReorderOutput_token_7", "ReorderOutput", 5e-4});
  const OrtSteps steps = ort_steps(g, named);
  ASSERT_EQ(steps.records.size(), named.size());
  EXPECT_EQ(steps.records[1].kind, "reorder");
  std::set<ValueId> covered;
  for (const StepRecord& r : steps.records)
    for (const CoveredNode& c : r.covers) EXPECT_TRUE(covered.insert(c.node).second) << c.name << " covered twice";
  EXPECT_EQ(covered.size(), g.nodes.size() - 1) << "every node but the input is in a step";

  std::vector<KernelTime> later(named.rbegin(), named.rend());
  for (KernelTime& k : later) {
    if (k.op_type == "ReorderOutput") k.node = "ReorderOutput_token_12";
    k.seconds *= 2;
  }
  const std::vector<double> seconds = step_seconds(g, steps, later);
  for (size_t s = 0; s < named.size(); ++s) EXPECT_DOUBLE_EQ(seconds[s], 2 * named[s].seconds) << s;

  std::vector<KernelTime> other = named;
  other.back().op_type = "MatMul";
  EXPECT_THROW(step_seconds(g, steps, other), Error);
  other = named;
  other.pop_back();
  EXPECT_THROW(step_seconds(g, steps, other), Error);
}

// The profile of a real session: every step timed, every graph node in one
// step, the output the measured session's.
TEST(OrtSteps, ProfiledRunsTimeEveryStepAndComputeTheOutput) {
  const Graph g = conv_bn_relu_residual();
  const Weights w = make_weights(g, 3);
  BackendChoice c = choose_backend("ort", 2);
  auto exe = c.backend->compile(g, w, c.options);
  const Tensor x = make_input(g.input_shape(), 4);
  Tensor plain(g.output_shape()), profiled(g.output_shape());
  exe->run(x.ptr(), plain.ptr());
  const auto& steps = exe->steps();
  ASSERT_FALSE(steps.empty());
  std::set<ValueId> covered;
  for (const StepRecord& r : steps)
    for (const CoveredNode& cn : r.covers) EXPECT_TRUE(covered.insert(cn.node).second) << cn.name;
  EXPECT_EQ(covered.size(), g.nodes.size() - 1);
  for (int i = 0; i < 20; ++i) {  // past one batch of profiled runs
    const std::vector<double> seconds = exe->run_profiled(x.ptr(), profiled.ptr());
    ASSERT_EQ(seconds.size(), steps.size());
    double sum = 0;
    for (double s : seconds) sum += s;
    EXPECT_GT(sum, 0);
    // The run's model_run event holds its kernels.
    ASSERT_TRUE(exe->last_profiled_run_seconds().has_value());
    EXPECT_LE(sum, *exe->last_profiled_run_seconds() * (1 + 1e-9));
  }
  test::expect_close(profiled, plain, 1e-6, "the profiled session's output");
  EXPECT_NE(exe->step_timing().find("_kernel_time"), std::string::npos);
}

TEST(OrtBackendFacts, PinnedVersionIsInstalled) {
  const OrtInstall i = locate_ort_install();
  EXPECT_EQ(i.pinned_version, "1.30.0");
  EXPECT_EQ(i.package_version, i.pinned_version);
}

// --- the runner process ------------------------------------------------------

TEST(OrtExecutable, HelperPidIsTheRunnerAndDiesWithTheExecutable) {
  const Graph g = parse_model(kSmall).build(1);
  auto exe = compile_ort(g);
  const int pid = exe->helper_pid();
  ASSERT_GT(pid, 0);
  EXPECT_NE(pid, getpid());
  ASSERT_TRUE(process_exists(pid));
  std::ifstream cmdline("/proc/" + std::to_string(pid) + "/cmdline");
  std::string args((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
  EXPECT_NE(args.find("ort_runner.js"), std::string::npos) << args;
  exe.reset();
  EXPECT_FALSE(process_exists(pid)) << "the runner outlived its executable";
}

TEST(OrtExecutable, EngineSecondsAreSetAfterRunAndWithinItsWallTime) {
  const Graph g = parse_model("pattern:bottleneck depth=3 width=32 res=64").build(2);
  auto exe = compile_ort(g, "ort", 2);
  EXPECT_FALSE(exe->last_engine_seconds().has_value()) << "no run yet";
  const Tensor x = make_input(g.input_shape(), 5);
  Tensor y(g.output_shape());
  for (int i = 0; i < 5; ++i) {
    const auto start = std::chrono::steady_clock::now();
    exe->run(x.ptr(), y.ptr());
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ASSERT_TRUE(exe->last_engine_seconds().has_value());
    EXPECT_GT(*exe->last_engine_seconds(), 0.0);
    EXPECT_LE(*exe->last_engine_seconds(), wall) << "run " << i;
  }
}

TEST(OrtExecutable, RepeatedRunsOnOneRunnerGiveTheSameOutput) {
  const Graph g = parse_model("pattern:grouped depth=2 width=16 res=32").build(4);
  auto exe = compile_ort(g, "ort", 2);
  const Tensor x = make_input(g.input_shape(), 9);
  Tensor first(g.output_shape()), again(g.output_shape());
  exe->run(x.ptr(), first.ptr());
  for (int i = 0; i < 20; ++i) {
    exe->run(x.ptr(), again.ptr());
    ASSERT_EQ(again.data, first.data) << "run " << i;
  }
}

TEST(OrtExecutable, ExplainSaysWhatRunsAndWhatIsTimed) {
  const Graph g = parse_model(kSmall).build(1);
  auto exe = compile_ort(g, "ort:extended", 2);
  const std::string e = exe->explain();
  EXPECT_NE(e.find("ONNX Runtime " + locate_ort_install().pinned_version), std::string::npos) << e;
  EXPECT_NE(e.find("graph optimisation extended, intra-op threads 2, inter-op threads 1, execution mode sequential"),
            std::string::npos) << e;
  EXPECT_NE(e.find("await session.run(feeds)"), std::string::npos) << e;
  EXPECT_NE(e.find("not timed: the input's and output's copies across the pipes"), std::string::npos) << e;
  EXPECT_NE(e.find("pid " + std::to_string(exe->helper_pid())), std::string::npos) << e;
}

// The session holds the model once loaded, so the file is gone at once.
TEST(OrtExecutable, TemporaryModelFileIsRemovedOnceLoaded) {
  const Graph g = parse_model(kSmall).build(1);
  auto exe = compile_ort(g);
  const std::string e = exe->explain();
  const auto at = e.find("formbench-ort-");
  ASSERT_NE(at, std::string::npos) << e;
  const auto start = e.rfind(' ', at) + 1;
  const std::string path = e.substr(start, e.find(',', at) - start);
  EXPECT_EQ(path.substr(path.size() - 5), ".onnx") << path;
  EXPECT_FALSE(std::filesystem::exists(path)) << path;
}

// --- a runner that cannot start, is wrong, wedges or dies --------------------

TEST(OrtRunnerFailures, MissingRunnerScriptIsAUsageError) {
  ScopedEnv runner("FORMBENCH_ORT_RUNNER", "/nonexistent/ort_runner.js");
  const BackendChoice c = choose_backend("ort", 1);
  const std::string m = message_of<UsageError>([&] { c.backend->check_options(c.options); });
  EXPECT_NE(m.find("the runner script /nonexistent/ort_runner.js is missing (from FORMBENCH_ORT_RUNNER)"),
            std::string::npos) << m;
  const Graph g = parse_model(kSmall).build(1);
  EXPECT_THROW(compile_ort(g), UsageError);
}

TEST(OrtRunnerFailures, MissingNodeIsAUsageErrorNamingSetup) {
  ScopedEnv node("FORMBENCH_NODE", "/nonexistent/node");
  const BackendChoice c = choose_backend("ort", 1);
  const std::string m = message_of<UsageError>([&] { c.backend->check_options(c.options); });
  EXPECT_NE(m.find("Node.js is missing"), std::string::npos) << m;
  EXPECT_NE(m.find("scripts/setup.sh"), std::string::npos) << m;
}

TEST(OrtRunnerFailures, PackageOfAnotherVersionIsAUsageError) {
  // A runner folder whose node_modules holds another onnxruntime-node.
  TempDir dir;
  const std::string runner = dir.file("ort_runner.js", "");
  dir.file("package.json", R"({"dependencies": {"onnxruntime-node": "1.30.0"}})");
  std::filesystem::create_directories(std::filesystem::path(runner).parent_path() / "node_modules/onnxruntime-node");
  dir.file("node_modules/onnxruntime-node/package.json", R"({"version": "1.17.0"})");
  ScopedEnv env("FORMBENCH_ORT_RUNNER", runner);
  const std::string m = message_of<UsageError>([] { locate_ort_install(); });
  EXPECT_NE(m.find("is onnxruntime-node 1.17.0, but formbench pins 1.30.0"), std::string::npos) << m;
  std::filesystem::remove_all(std::filesystem::path(runner).parent_path() / "node_modules");
  const std::string absent = message_of<UsageError>([] { locate_ort_install(); });
  EXPECT_NE(absent.find("is not installed in"), std::string::npos) << absent;
  EXPECT_NE(absent.find("scripts/setup.sh"), std::string::npos) << absent;
}

TEST(OrtRunnerFailures, NodeThatExitsAtOnceIsAClearError) {
  ScopedEnv node("FORMBENCH_NODE", "/bin/false");
  const Graph g = parse_model(kSmall).build(1);
  const std::string m = message_of<Error>([&] { compile_ort(g); });
  EXPECT_NE(m.find("the ort runner closed its output (exit code 1)"), std::string::npos) << m;
}

TEST(OrtRunnerFailures, RunnerThatWritesSomethingElseIsAClearError) {
  TempDir dir;
  ScopedEnv node("FORMBENCH_NODE", dir.file("not-node", "#!/bin/sh\necho 'some trouble' >&2\necho hello\nsleep 30\n", true));
  const Graph g = parse_model(kSmall).build(1);
  const std::string m = message_of<Error>([&] { compile_ort(g); });
  EXPECT_NE(m.find("the runner's first line is not its handshake: hello"), std::string::npos) << m;
  EXPECT_NE(m.find("some trouble"), std::string::npos) << m;
}

TEST(OrtRunnerFailures, WedgedRunnerTimesOutInsteadOfHanging) {
  TempDir dir;
  ScopedEnv node("FORMBENCH_NODE", dir.file("wedged", "#!/bin/sh\nexec sleep 60\n", true));
  ScopedEnv timeout("FORMBENCH_ORT_TIMEOUT_S", "0.5");
  const Graph g = parse_model(kSmall).build(1);
  const auto start = std::chrono::steady_clock::now();
  const std::string m = message_of<Error>([&] { compile_ort(g); });
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 10.0);
  EXPECT_NE(m.find("the ort runner sent nothing for 0.5 s and was killed"), std::string::npos) << m;
}

TEST(OrtRunnerFailures, RunnerKilledBetweenRunsIsAnErrorNotACrash) {
  const Graph g = parse_model(kSmall).build(1);
  auto exe = compile_ort(g);
  const Tensor x = make_input(g.input_shape(), 1);
  Tensor y(g.output_shape());
  exe->run(x.ptr(), y.ptr());
  ASSERT_EQ(kill(exe->helper_pid(), SIGKILL), 0);
  // Writing to the dead runner raises SIGPIPE, which must not end this process.
  const std::string m = message_of<Error>([&] { exe->run(x.ptr(), y.ptr()); });
  EXPECT_NE(m.find("the ort runner "), std::string::npos) << m;
  EXPECT_NE(m.find("SIGKILL"), std::string::npos) << m;
  // And it stays an error, not a hang, on the next run.
  EXPECT_THROW(exe->run(x.ptr(), y.ptr()), Error);
}

// --- a model ONNX Runtime refuses ----------------------------------------------

RunnerClient start_runner(const std::string& model, const Shape& input) {
  OrtOptions o;
  return RunnerClient(locate_ort_install(), model, o, input);
}

TEST(OrtModelRefusals, NotAnOnnxFileGivesOnnxRuntimesMessage) {
  TempDir dir;
  const std::string model = dir.file("garbage.onnx", "this is not a protobuf");
  const std::string m = message_of<Error>([&] { start_runner(model, Shape{1, 3, 8, 8}); });
  EXPECT_EQ(m.rfind("ort: ONNX Runtime cannot run this model: ", 0), 0u) << m;
  EXPECT_NE(m.find("Protobuf parsing failed"), std::string::npos) << m;
}

TEST(OrtModelRefusals, UnknownOperatorGivesOnnxRuntimesMessage) {
  test::OnnxBuilder b(10, {1, 3, 8, 8});
  b.node("NoSuchOperator", {"x"}, "y");
  const onnx::ModelProto proto = b.finish("y");
  TempDir dir;
  const std::string model = dir.file("unknown_op.onnx", proto.SerializeAsString());
  const std::string m = message_of<Error>([&] { start_runner(model, Shape{1, 3, 8, 8}); });
  EXPECT_EQ(m.rfind("ort: ONNX Runtime cannot run this model: ", 0), 0u) << m;
  EXPECT_NE(m.find("NoSuchOperator"), std::string::npos) << m;
}

}  // namespace
}  // namespace fb
