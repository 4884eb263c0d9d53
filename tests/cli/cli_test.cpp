// The formbench binary as a user meets it: exit codes and one-line errors.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <algorithm>
#include <set>
#include <string>
#include <sys/wait.h>
#include <sched.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

namespace {

struct Result {
  int code;
  std::string out;  // stdout and stderr together
};

// The command line's output and exit code (the tests' own fixed commands).
Result run_command(const std::string& cmd) {
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf{};
  while (size_t n = fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  int status = pclose(p);
  return {WEXITSTATUS(status), out};
}

Result run(const std::string& args) { return run_command(std::string(FORMBENCH_BIN) + " " + args + " 2>&1"); }

// stdout alone (stderr dropped), for output that is parsed; `env` goes before the binary.
Result run_stdout(const std::string& env, const std::string& args) {
  return run_command(env + " " + std::string(FORMBENCH_BIN) + " " + args + " 2>/dev/null");
}

// profile --json on a small network, on every backend with a profiler:
// every step with its time, shares that add up, every node covered once, the
// step sum set against the end-to-end latency; with no machine probe
// cached, every bound is "unknown".
void expect_profile_json(const std::string& backend) {
  SCOPED_TRACE(backend);
  Result r = run_stdout("FORMBENCH_MACHINE_FILE=/nonexistent/formbench-machine.json",
                        "profile 'pattern:bottleneck depth=2 width=32 res=16 classes=10' --backend " + backend +
                            " --threads 1 --json");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  const auto& steps = j.at("steps");
  ASSERT_GT(steps.size(), 3u);
  double share = 0, sum_ms = 0;
  std::set<int> nodes;
  int max_node = 0;
  for (size_t i = 0; i < steps.size(); ++i) {
    const auto& s = steps[i];
    EXPECT_EQ(s.at("index").get<size_t>(), i);
    EXPECT_FALSE(s.at("impl").get<std::string>().empty());
    EXPECT_GE(s.at("time").at("n").get<int>(), 10);
    EXPECT_EQ(s.at("bound_by"), "unknown");
    share += s.at("share").get<double>();
    sum_ms += s.at("time").at("median_ms").get<double>();
    for (const auto& c : s.at("covers")) {
      EXPECT_TRUE(nodes.insert(c.at("node").get<int>()).second) << c;
      max_node = std::max(max_node, c.at("node").get<int>());
    }
  }
  EXPECT_NEAR(share, 1.0, 1e-9);
  EXPECT_EQ(nodes.size(), static_cast<size_t>(max_node));  // nodes 1..max, each once
  double kind_share = 0;
  for (const auto& k : j.at("by_op_kind")) kind_share += k.at("share").get<double>();
  EXPECT_NEAR(kind_share, 1.0, 1e-9);
  const auto& sum = j.at("summary");
  EXPECT_NEAR(sum.at("step_sum_ms").get<double>(), sum_ms, 1e-9 * sum_ms);
  const double e2e = sum.at("end_to_end").at("median_ms").get<double>();
  EXPECT_GT(e2e, 0.0);
  EXPECT_NEAR(sum.at("per_step_overhead_ms").get<double>(), sum_ms - e2e, 1e-9 * sum_ms);
  EXPECT_FALSE(sum.at("step_timing").get<std::string>().empty());
  EXPECT_EQ(j.at("machine_probed"), false);
  // onednn and torch-jit time their profiled runs whole: the steps lie within them.
  if (backend == "torch-jit" || backend == "onednn") {
    ASSERT_TRUE(sum.at("profiled_run").is_object()) << sum;
    EXPECT_LE(sum_ms, 1.25 * sum.at("profiled_run").at("median_ms").get<double>()) << sum;
  } else {
    EXPECT_TRUE(sum.at("profiled_run").is_null()) << sum;  // torch's steps are its whole run
  }
}

TEST(Cli, ProfileJsonHasEveryStepSharesAndTheSummary) {
  for (const char* backend : {"onednn", "torch", "torch-jit"}) expect_profile_json(backend);
}

// The eager framework's steps are its graph nodes, BN and ReLU apart from the conv.
TEST(Cli, ProfileTorchGroupsEagerNodesByOpKind) {
  Result r = run_stdout("", "profile 'pattern:dw_bottleneck depth=1 width=16 res=16 classes=10' --backend torch --json");
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  std::set<std::string> kinds;
  for (const auto& k : j.at("by_op_kind")) kinds.insert(k.at("name").get<std::string>());
  for (const char* k : {"conv 1x1", "depthwise", "BN", "eltwise", "pooling"}) EXPECT_TRUE(kinds.count(k)) << k << " " << r.out;
  EXPECT_FALSE(kinds.count("reorder")) << r.out;
}

TEST(Cli, ProfileTextSaysWhatTheStepSumDifferenceIs) {
  Result r = run("profile 'pattern:standard depth=1 width=16 res=16 classes=10' --backend onednn:notune");
  ASSERT_EQ(r.code, 0) << r.out;
  for (const char* s : {"By op kind:", "By graph node", "end-to-end run() median", "per-step overhead"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s << "\n" << r.out;
}

TEST(Cli, ProfileBadInputIsOneLineAndExitTwo) {
  const std::string m = "profile 'pattern:standard depth=1 width=16 res=16 classes=10'";
  Result unknown = run(m + " --backend nosuch");
  EXPECT_EQ(unknown.code, 2) << unknown.out;
  EXPECT_NE(unknown.out.find("unknown backend 'nosuch'"), std::string::npos) << unknown.out;
  Result batch = run(m + " --backend onednn --batch 0");
  EXPECT_EQ(batch.code, 2) << batch.out;
  EXPECT_NE(batch.out.find("--batch"), std::string::npos) << batch.out;
  EXPECT_NE(batch.out.find("out of range"), std::string::npos) << batch.out;
  Result none = run(m + " --backend reference");
  EXPECT_EQ(none.code, 2) << none.out;
  EXPECT_NE(none.out.find("backend 'reference' has no per-step profiler yet; profile works on: onednn, torch, torch-jit, ort"),
            std::string::npos) << none.out;
  // A measurement with profile=1: the same check, in the pre-flight, naming the configuration.
  Result measured =
      run("measure 'pattern:standard depth=1 width=16 res=16 classes=10 backend=reference batch=1 threads=1 profile=1'");
  EXPECT_EQ(measured.code, 2) << measured.out;
  EXPECT_EQ(measured.out.rfind("formbench: error: 'pattern:standard ", 0), 0u) << measured.out;
  EXPECT_NE(measured.out.find(" profile=1': backend 'reference' has no per-step profiler yet; profile works on: onednn, "
                              "torch, torch-jit, ort\n"),
            std::string::npos) << measured.out;
  Result variant = run(m + " --backend onednn:nosuch");
  EXPECT_EQ(variant.code, 2) << variant.out;
  Result model = run("profile pattern:nosuch --backend onednn");
  EXPECT_EQ(model.code, 2) << model.out;
}

TEST(Cli, ListShowsAllPatterns) {
  Result r = run("list");
  EXPECT_EQ(r.code, 0) << r.out;
  for (const char* p : {"standard", "factorized", "bottleneck", "dw_separable", "dw_bottleneck", "grouped"})
    EXPECT_NE(r.out.find(std::string("pattern:") + p), std::string::npos) << p;
  EXPECT_NE(r.out.find("reference"), std::string::npos);
}

TEST(Cli, DescribeAcceptsDescriptorOrFlagsTheSame) {
  Result a = run("describe 'pattern:dw_bottleneck depth=30 width=128' --json");
  Result b = run("describe pattern:dw_bottleneck --depth 30 --width 128 --json");
  Result c = run("describe pattern:dw_bottleneck depth=30 width=128 --json");
  EXPECT_EQ(a.code, 0) << a.out;
  EXPECT_EQ(a.out, b.out);
  EXPECT_EQ(a.out, c.out);
  EXPECT_NE(a.out.find("\"model\": \"pattern:dw_bottleneck depth=30 width=128 res=224 classes=1000 reduction=4 "
                       "expansion=1\""),
            std::string::npos);
  EXPECT_NE(a.out.find("\"min_bytes\""), std::string::npos);
}

TEST(Cli, DescribeTablePrintsTotals) {
  Result r = run("describe pattern:standard depth=50 width=32");
  EXPECT_EQ(r.code, 0) << r.out;
  // 27w + 4w + 50 (9w^2 + 4w) + 1000w + 1000 with w = 32.
  EXPECT_NE(r.out.find("501192 params"), std::string::npos) << r.out;
}

TEST(Cli, ZooIsListedAndDescribedWithPublishedParams) {
  Result l = run("list");
  EXPECT_NE(l.out.find("nasnet_a_large"), std::string::npos) << l.out;
  EXPECT_NE(l.out.find("25557032"), std::string::npos) << l.out;  // resnet50, learnable
  Result d = run("describe resnet50");
  EXPECT_EQ(d.code, 0) << d.out;
  EXPECT_NE(d.out.find("layer4.2.conv3.conv"), std::string::npos) << d.out;
  EXPECT_NE(d.out.find("25557032 learnable params"), std::string::npos) << d.out;
}

TEST(Cli, RunChecksAgainstTheReference) {
  Result r = run("run pattern:bottleneck depth=1 width=8 res=16 --batch 2 --check");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("checksum"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("PASS"), std::string::npos) << r.out;
}

// At a reduced precision --check judges by what the rounding costs (bf16
// 3e-2, int8 1.5e-1), and the ISA cap still holds: int8 under isa=avx2 runs
// oneDNN's VNNI-less kernels, bf16 under it is refused.
TEST(Cli, RunChecksAReducedPrecisionWithItsBoundAndUnderAnIsaCap) {
  Result bf16 = run("run pattern:bottleneck depth=2 width=32 res=16 --precision bf16 --check");
  if (bf16.out.find("this machine runs oneDNN at") != std::string::npos) {
    // An AVX2-only CPU: oneDNN 2.6 has no bf16 kernel there, and run says so.
    EXPECT_EQ(bf16.code, 2) << bf16.out;
    EXPECT_NE(bf16.out.find("bf16 kernels from avx512_core up only"), std::string::npos) << bf16.out;
  } else {
    EXPECT_EQ(bf16.code, 0) << bf16.out;
    EXPECT_NE(bf16.out.find("(bound 0.03 at bf16): PASS"), std::string::npos) << bf16.out;
  }
  Result int8 = run("run pattern:bottleneck depth=2 width=32 res=16 --precision int8 --isa avx2 --check");
  EXPECT_EQ(int8.code, 0) << int8.out;
  EXPECT_NE(int8.out.find("(bound 0.15 at int8): PASS"), std::string::npos) << int8.out;
  Result explained = run("explain pattern:bottleneck depth=2 width=32 res=16 --precision int8 --isa avx2");
  EXPECT_EQ(explained.code, 0) << explained.out;
  EXPECT_NE(explained.out.find("precision int8, without VNNI (avx2"), std::string::npos) << explained.out;
  Result stray = run("run pattern:bottleneck depth=2 width=32 res=16 --calibration 4");
  EXPECT_EQ(stray.code, 2) << stray.out;
  EXPECT_NE(stray.out.find("--calibration sets int8's calibration set; add --precision int8"), std::string::npos)
      << stray.out;
  Result refused = run("run pattern:bottleneck depth=2 width=32 res=16 --precision bf16 --isa avx2");
  EXPECT_EQ(refused.code, 2) << refused.out;
  EXPECT_NE(refused.out.find("precision=bf16 under isa=avx2: oneDNN 2.6 has bf16 kernels from avx512_core up only"),
            std::string::npos)
      << refused.out;
}

TEST(Cli, BadInputIsOneLineAndExitTwo) {
  for (const char* args : {"describe pattern:nope", "describe pattern:grouped width=30",
                           "describe pattern:standard --depth x", "describe pattern:standard depth=3 --depth 4",
                           "frobnicate", "describe", "run pattern:standard --backend nope",
                           "run pattern:standard depth=1 width=8 res=16 --backend reference:fast",
                           "run pattern:standard --threads 0",
                           "measure 'pattern:standard batch=1 threads=1'",
                           "measure 'pattern:standard backend=reference batch=1 threads=1 cache_sim=1,2,3'",
                           "bench pattern:standard --backend nope", "bench pattern:standard --env NOEQUALS"}) {
    Result r = run(args);
    EXPECT_EQ(r.code, 2) << args << "\n" << r.out;
    EXPECT_EQ(r.out.rfind("formbench: error: ", 0), 0u) << args << "\n" << r.out;
    EXPECT_EQ(r.out.find('\n'), r.out.size() - 1) << "expected one line for " << args << "\n" << r.out;
  }
}

// The cache simulator sees this process only: an engine that computes in a
// runner of its own (ort) would be simulated idle, so it is refused, before
// anything runs, in measure and in bench alike.
TEST(Cli, CacheSimulationOfAnOutOfProcessEngineIsRefused) {
  for (const char* args : {"measure pattern:standard depth=1 width=8 res=16 backend=ort batch=1 threads=1 cache_sim=host",
                           "bench pattern:standard depth=1 width=8 res=16 --backend ort --threads 1 --cache-sim host"}) {
    Result r = run(args);
    EXPECT_EQ(r.code, 2) << args << "\n" << r.out;
    EXPECT_NE(r.out.find("cache_sim: backend 'ort' computes in a process of its own, which the cache simulator does "
                         "not see; simulate an in-process backend (onednn, torch, opencv) instead"),
              std::string::npos)
        << args << "\n" << r.out;
  }
}

TEST(Cli, BenchRefusesLoaderVariablesWithoutTheFlag) {
  Result r = run("bench pattern:standard depth=1 width=8 res=16 --env LD_PRELOAD=/nonexistent/x.so");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_EQ(r.out, "formbench: error: --env sets LD_PRELOAD, which changes what code the measuring process loads or "
                   "runs; formbench refuses it so that a shared spec cannot run a program of its choosing. If you "
                   "trust it and mean it, pass --allow-loader-env (see docs/measurement.md)\n");
}

// A byte that is not UTF-8 reaches the record (its descriptor):
// `bench --json` used to throw in the JSON dump. With --allow-loader-env a
// loader variable is let through.
TEST(Cli, BenchJsonPrintsAnyBytesAndTheFlagAllowsLoaderVariables) {
  Result r = run("bench pattern:standard depth=1 width=8 res=16 classes=10 --backend reference --threads 1 "
                 "--env LD_BIND_NOW=1 --allow-loader-env "
                 "--env \"FB_BYTES=a$(printf '\\377')b\" --json --min-runs 3 --min-time 0 --max-warmup 3 --budget 1 "
                 "--max-retries 0 2>/dev/null");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("\"status\": \"ok\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("threads=1 env.LD_BIND_NOW=1 env.FB_BYTES=a\xef\xbf\xbd" "b\","), std::string::npos) << r.out;
}

// --precision: one table, each precision's speed-up over the first row and
// its accuracy against the same backend's fp32; a backend that does not run
// a precision is refused before anything is measured.
TEST(Cli, BenchComparesPrecisionsInOneTableWithAccuracy) {
  Result r = run("bench pattern:standard depth=1 width=16 res=16 classes=10 --backend onednn --precision fp32,bf16,int8 "
                 "--threads 1 --min-runs 3 --min-time 0 --max-warmup 3 --budget 1 --max-retries 0");
  ASSERT_EQ(r.code, 0) << r.out;
  for (const char* s : {"backend precision", "max rel", "onednn fp32", "onednn bf16", "onednn int8",
                        "accuracy against the same backend at fp32, batch 1, on 32 seeded inputs"})
    EXPECT_NE(r.out.find(s), std::string::npos) << s << "\n" << r.out;
  EXPECT_EQ(r.out.find("accuracy not measured"), std::string::npos) << r.out;
  Result refused = run("bench pattern:standard depth=1 width=16 res=16 --backend reference --precision bf16");
  EXPECT_EQ(refused.code, 2) << refused.out;
  EXPECT_NE(refused.out.find("backend 'reference' runs fp32 only, not precision=bf16"), std::string::npos)
      << refused.out;
  Result unknown = run("bench pattern:standard --precision fp16");
  EXPECT_EQ(unknown.code, 2) << unknown.out;
  EXPECT_NE(unknown.out.find("unknown precision 'fp16'"), std::string::npos) << unknown.out;
}

// --rounds: each configuration once per round, backends alternating; the
// table gives the median over rounds and each round's paired speed-up range.
TEST(Cli, BenchRoundsAlternateTheBackendsAndPairTheRatios) {
  Result r = run("bench pattern:standard depth=1 width=8 res=16 classes=10 --backend reference,onednn --threads 1 "
                 "--rounds 2 --min-runs 3 --min-time 0 --max-warmup 3 --budget 1 --max-retries 0");
  EXPECT_EQ(r.code, 0) << r.out;
  const auto at = [&](const std::string& s) { return r.out.find(s); };
  // Measured in the order reference, onednn, reference, onednn.
  const size_t a = at("backend=reference batch=1 threads=1 (round 1 of 2)"), b = at("backend=onednn batch=1 threads=1 (round 1 of 2)"),
               c = at("backend=reference batch=1 threads=1 (round 2 of 2)"), d = at("backend=onednn batch=1 threads=1 (round 2 of 2)");
  ASSERT_NE(d, std::string::npos) << r.out;
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
  EXPECT_LT(c, d);
  EXPECT_NE(at("(2 rounds)"), std::string::npos) << r.out;
  EXPECT_NE(at("rounds' range"), std::string::npos) << r.out;
  EXPECT_NE(at("1.00x      [1.00, 1.00]  ok"), std::string::npos) << r.out;  // the baseline against itself
  EXPECT_NE(at("median over rounds of the first backend's / this one's in the same round"), std::string::npos);
  Result bad = run("bench pattern:standard --rounds 0");
  EXPECT_EQ(bad.code, 2) << bad.out;
  EXPECT_NE(bad.out.find("--rounds"), std::string::npos) << bad.out;
}

TEST(Cli, HelpOnEveryCommand) {
  for (const char* args : {"--help", "list --help", "describe --help", "measure --help", "bench --help", "machine --help"}) {
    Result r = run(args);
    EXPECT_EQ(r.code, 0) << args;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << args;
  }
}

TEST(Cli, HugeBatchIsOutOfRangeNotACrash) {
  // run segfaulted; describe printed wrapped MACs.
  for (const char* cmd : {"run", "describe"}) {
    Result r = run(std::string(cmd) + " pattern:standard --batch 4611686018427387905");
    EXPECT_EQ(r.code, 2) << r.out;
    EXPECT_NE(r.out.find("--batch: '4611686018427387905' is out of range (1..65536)"), std::string::npos) << r.out;
  }
  Result d = run("describe 'pattern:standard depth=100000000000000000000'");
  EXPECT_EQ(d.code, 2) << d.out;
  EXPECT_NE(d.out.find("depth: '100000000000000000000' is out of range (1..1000)"), std::string::npos) << d.out;
}

TEST(Cli, ConfigurationThatCannotFitIsRefusedBeforeItAllocates) {
  const std::string big = "'pattern:standard width=1024 res=1024 backend=reference batch=4096 threads=1'";
  for (const std::string& cmd : {std::string("run pattern:standard width=1024 res=1024 --backend reference --batch 4096"),
                                 std::string("bench pattern:standard width=1024 res=1024 --backend reference --batch 1,4096"),
                                 "measure " + big}) {
    Result r = run(cmd);
    EXPECT_EQ(r.code, 2) << cmd << "\n" << r.out;
    EXPECT_NE(r.out.find("memory pre-flight: needs ~"), std::string::npos) << cmd << "\n" << r.out;
    EXPECT_NE(r.out.find("(all activations "), std::string::npos) << cmd << "\n" << r.out;
    EXPECT_NE(r.out.find("available (MemAvailable); lower batch, res or width"), std::string::npos) << r.out;
  }
}

TEST(Cli, NumbersAreParsedWholeFiniteAndInRange) {
  const std::pair<const char*, const char*> cases[] = {
      {"bench pattern:standard --timeout nan", "--timeout: 'nan' is not a duration"},
      {"bench pattern:standard --timeout -1", "--timeout: '-1' is not a duration"},
      {"bench pattern:standard --timeout 1.2.3", "--timeout: '1.2.3' is not a duration"},
      {"bench pattern:standard --threads 0", "--threads: '0' is out of range (1..4096)"},
      {"measure 'pattern:standard backend=reference batch=1 threads=1' --min-time inf",
       "--min-time: 'inf' is not a duration"},
      {"measure 'pattern:standard backend=reference batch=1 threads=1' --target nan", "--target: 'nan' is not a number"},
      {"run pattern:standard --threads 99999999999", "--threads: '99999999999' is out of range (1..4096)"},
      {"run pattern:standard --backend torch --threads 1 --seed -1", "--seed: '-1' is out of range"},
      {"study quick --dry-run --max-time 1.2.3s", "--max-time: '1.2.3s' is not a duration; write e.g. 90s, 15m, 2h"},
      {"report x.sqlite -o ''", "the report folder (-o) is an empty path; give a real one"},
  };
  for (const auto& [cmd, expected] : cases) {
    Result r = run(cmd);
    EXPECT_EQ(r.code, 2) << cmd << "\n" << r.out;
    EXPECT_NE(r.out.find(expected), std::string::npos) << cmd << "\n" << r.out;
  }
}


// --- one set of run arguments; .npy in and out; compare; ONNX export -------

int cores() {
  cpu_set_t set;
  CPU_ZERO(&set);
  sched_getaffinity(0, sizeof(set), &set);
  return CPU_COUNT(&set);
}

// A scratch folder of this test process, removed at the end of each test.
struct Scratch {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("fb_cli_test_" + std::to_string(::getpid()));
  Scratch() { std::filesystem::create_directories(dir); }
  ~Scratch() { std::filesystem::remove_all(dir); }
  std::string operator/(const std::string& name) const { return (dir / name).string(); }
};

// A float32 .npy file as numpy.save writes it.
void write_npy(const std::string& path, const std::string& shape, const std::vector<float>& values) {
  std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shape + "), }";
  while ((10 + dict.size() + 1) % 64) dict += ' ';
  dict += '\n';
  std::ofstream f(path, std::ios::binary);
  f << std::string("\x93NUMPY\x01\x00", 8) << static_cast<char>(dict.size()) << static_cast<char>(0) << dict;
  f.write(reinterpret_cast<const char*>(values.data()), static_cast<std::streamsize>(values.size() * sizeof(float)));
}

std::vector<float> ramp(size_t n) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<float>(static_cast<int>(i % 13) - 6) / 6.0f;
  return v;
}

TEST(Cli, RunExplainProfileShareDefaultsAndRanges) {
  // One default backend (onednn) and every core by default, in run as in explain.
  Result r = run("run 'pattern:standard depth=1 width=8 res=16 classes=10'");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("backend:   onednn threads=" + std::to_string(cores()) + "\n"), std::string::npos) << r.out;
  Result e = run("explain 'pattern:standard depth=1 width=8 res=16 classes=10'");
  ASSERT_EQ(e.code, 0) << e.out;
  EXPECT_NE(e.out.find("backend=onednn  threads=" + std::to_string(cores()) + "\n"), std::string::npos) << e.out;
  // --threads and --batch are checked the same way everywhere (explain took any threads).
  for (const char* cmd : {"explain", "run", "profile", "bench"}) {
    Result t = run(std::string(cmd) + " 'pattern:standard depth=1 width=8 res=16 classes=10' --threads 0");
    EXPECT_EQ(t.code, 2) << cmd << "\n" << t.out;
    EXPECT_NE(t.out.find("--threads: '0' is out of range (1..4096)"), std::string::npos) << cmd << "\n" << t.out;
    Result b = run(std::string(cmd) + " 'pattern:standard depth=1 width=8 res=16 classes=10' --batch 70000");
    EXPECT_NE(b.out.find("--batch: '70000' is out of range (1..65536)"), std::string::npos) << cmd << "\n" << b.out;
  }
}

TEST(Cli, RunTakesAndSavesNpyAndCompareMeasuresTheDifference) {
  Scratch tmp;
  const std::string model = "'pattern:bottleneck depth=1 width=8 res=16 classes=10'";
  write_npy(tmp / "in.npy", "2, 3, 16, 16", ramp(2 * 3 * 16 * 16));
  Result ref = run("run " + model + " --batch 2 --backend reference --input " + tmp / "in.npy" + " --save-output " +
                   tmp / "ref.npy");
  ASSERT_EQ(ref.code, 0) << ref.out;
  Result fast = run("run " + model + " --batch 2 --backend onednn --threads 1 --input " + tmp / "in.npy" +
                    " --save-output " + tmp / "fast.npy");
  ASSERT_EQ(fast.code, 0) << fast.out;
  Result c = run("compare " + tmp / "fast.npy" + " " + tmp / "ref.npy" + " --bound 1e-4");
  EXPECT_EQ(c.code, 0) << c.out;
  EXPECT_NE(c.out.find("shape:              2x10\n"), std::string::npos) << c.out;
  EXPECT_NE(c.out.find("max relative error: "), std::string::npos) << c.out;
  EXPECT_NE(c.out.find(": PASS"), std::string::npos) << c.out;
  // The output depends on the input given: a different input, a different output.
  write_npy(tmp / "in2.npy", "2, 3, 16, 16", std::vector<float>(2 * 3 * 16 * 16, 0.5f));
  ASSERT_EQ(run("run " + model + " --batch 2 --backend reference --input " + tmp / "in2.npy" + " --save-output " +
                tmp / "other.npy").code, 0);
  Result d = run("compare " + tmp / "other.npy" + " " + tmp / "ref.npy" + " --bound 1e-4");
  EXPECT_EQ(d.code, 1) << d.out;
  EXPECT_NE(d.out.find(": FAIL"), std::string::npos) << d.out;
  // Two all-zero tensors agree exactly and prove nothing: --bound fails and says
  // why (it used to say they disagreed beyond the bound).
  write_npy(tmp / "zero.npy", "2, 10", std::vector<float>(20, 0.0f));
  Result zeros = run("compare " + tmp / "zero.npy" + " " + tmp / "zero.npy" + " --bound 1e-4");
  EXPECT_EQ(zeros.code, 1) << zeros.out;
  EXPECT_NE(zeros.out.find("note:               the reference is all zeros, so agreement proves nothing\n"),
            std::string::npos) << zeros.out;
  EXPECT_NE(zeros.out.find("no agreement to check: the reference is all zeros"), std::string::npos) << zeros.out;
  EXPECT_EQ(zeros.out.find("disagree"), std::string::npos) << zeros.out;
  // Refusals: a wrong shape, tensors of different shapes, writing over the input.
  Result shape = run("run " + model + " --input " + tmp / "in.npy");
  EXPECT_EQ(shape.code, 2) << shape.out;
  EXPECT_NE(shape.out.find("has shape 2x3x16x16; the model at this batch takes 1x3x16x16"), std::string::npos) << shape.out;
  Result mismatch = run("compare " + tmp / "in.npy" + " " + tmp / "ref.npy");
  EXPECT_EQ(mismatch.code, 2) << mismatch.out;
  EXPECT_NE(mismatch.out.find("has shape 2x3x16x16 and"), std::string::npos) << mismatch.out;
  Result over = run("run " + model + " --batch 2 --backend reference --input " + tmp / "in.npy" + " --save-output " +
                    tmp / "in.npy");
  EXPECT_EQ(over.code, 2) << over.out;
  // measure's input= goes through the same check.
  Result measured = run("measure 'pattern:bottleneck depth=1 width=8 res=16 classes=10 backend=reference batch=1 threads=1 input=" +
                        tmp / "in.npy" + "'");
  EXPECT_EQ(measured.code, 2) << measured.out;
  EXPECT_NE(measured.out.find("input '" + tmp / "in.npy" + "' has shape 2x3x16x16; the model at this batch takes 1x3x16x16"),
            std::string::npos) << measured.out;
  Result garbage = run("compare /etc/hostname " + tmp / "ref.npy");
  EXPECT_EQ(garbage.code, 2) << garbage.out;
  EXPECT_NE(garbage.out.find("not a .npy file (no NumPy magic string)"), std::string::npos) << garbage.out;
}

TEST(Cli, ExportOnnxThenImportComputesTheSameOutput) {
  Scratch tmp;
  const std::string model = "'pattern:dw_bottleneck depth=2 width=16 res=16 classes=10'";
  Result x = run("export-onnx " + model + " -o " + tmp / "m.onnx");
  ASSERT_EQ(x.code, 0) << x.out;
  EXPECT_NE(x.out.find("opset 10"), std::string::npos) << x.out;
  write_npy(tmp / "in.npy", "1, 3, 16, 16", ramp(3 * 16 * 16));
  ASSERT_EQ(run("run " + model + " --backend reference --input " + tmp / "in.npy" + " --save-output " + tmp / "a.npy").code, 0);
  Result b = run("run onnx:" + tmp / "m.onnx" + " --backend reference --input " + tmp / "in.npy" + " --save-output " +
                 tmp / "b.npy");
  ASSERT_EQ(b.code, 0) << b.out;
  Result c = run("compare " + tmp / "b.npy" + " " + tmp / "a.npy");
  EXPECT_NE(c.out.find("max abs error:      0 "), std::string::npos) << c.out;
  // describe gives the imported model's MACs and params, the same as the original's.
  Result d1 = run("describe " + model + " --json"), d2 = run("describe onnx:" + tmp / "m.onnx --json");
  ASSERT_EQ(d2.code, 0) << d2.out;
  const auto j1 = nlohmann::json::parse(d1.out), j2 = nlohmann::json::parse(d2.out);
  EXPECT_EQ(j1.at("total"), j2.at("total"));
  // A file formbench cannot read is one line and exit 2.
  for (const std::string& bad : {"run onnx:" + tmp / "missing.onnx", std::string("run onnx:/etc/hostname"), std::string("describe onnx:")}) {
    Result r = run(bad);
    EXPECT_EQ(r.code, 2) << bad << "\n" << r.out;
    EXPECT_EQ(r.out.find('\n'), r.out.size() - 1) << bad << "\n" << r.out;
  }
}

// An imported model's file is an input: neither run --save-output nor
// export-onnx -o may replace it (run used to write its .npy over the model).
TEST(Cli, OutputsNeverReplaceTheOnnxModelTheyRead) {
  Scratch tmp;
  ASSERT_EQ(run("export-onnx 'pattern:standard depth=1 width=8 res=16 classes=10' -o " + tmp / "m.onnx").code, 0);
  const auto before = std::filesystem::file_size(tmp / "m.onnx");
  for (const std::string& cmd : {"run onnx:" + tmp / "m.onnx" + " --backend reference --save-output " + tmp / "m.onnx",
                                 "export-onnx onnx:" + tmp / "m.onnx" + " -o " + tmp / "m.onnx"}) {
    Result r = run(cmd);
    EXPECT_EQ(r.code, 2) << cmd << "\n" << r.out;
    EXPECT_NE(r.out.find("is the input " + tmp / "m.onnx" + "; writing it would destroy what is read"), std::string::npos)
        << cmd << "\n" << r.out;
    EXPECT_EQ(std::filesystem::file_size(tmp / "m.onnx"), before) << cmd;
  }
  EXPECT_EQ(run("run onnx:" + tmp / "m.onnx" + " --backend reference").code, 0);
}

}  // namespace
