// Children that crash, hang or print garbage become failed records that say
// what happened; a good child's record comes back whole.
#include <gtest/gtest.h>

#include "measure/child_process.h"

namespace fb {
namespace {

// Canonical form, so the record's descriptor must equal it.
const std::string kTiny =
    "pattern:dw_bottleneck depth=1 width=8 res=32 classes=10 reduction=1 expansion=6 backend=reference batch=1 threads=1";
const std::vector<std::string> kQuickPolicy = {"--min-runs", "3", "--min-time", "0", "--max-warmup", "3",
                                               "--budget", "1", "--max-retries", "0"};

TEST(RunChild, ExitCodeAndOutput) {
  ChildResult r = run_child({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"}, {}, 10);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
  EXPECT_EQ(r.describe(), "exit code 3");
}

TEST(RunChild, EnvironmentOverrides) {
  ChildResult r = run_child({"/bin/sh", "-c", "echo $FB_CHILD_TEST"}, {{"FB_CHILD_TEST", "a=b c"}}, 10);
  EXPECT_TRUE(r.exited_cleanly());
  EXPECT_EQ(r.out, "a=b c\n");
}

TEST(RunChild, SignalIsNamed) {
  ChildResult r = run_child({"/bin/sh", "-c", "kill -SEGV $$"}, {}, 10);
  EXPECT_FALSE(r.exited_cleanly());
  EXPECT_NE(r.describe().find("SIGSEGV"), std::string::npos) << r.describe();
}

TEST(RunChild, TimeoutKills) {
  ChildResult r = run_child({"/bin/sh", "-c", "sleep 30 & wait"}, {}, 0.3);
  EXPECT_TRUE(r.timed_out);
  EXPECT_FALSE(r.exited_cleanly());
}

TEST(RunChild, MissingProgram) {
  ChildResult r = run_child({"/nonexistent/formbench"}, {}, 10);
  EXPECT_EQ(r.exit_code, 127);
  EXPECT_NE(r.err.find("cannot start"), std::string::npos);
}

TEST(MeasureChild, GoodRunReturnsTheRecord) {
  Record r = run_measure_child(kTiny, {FORMBENCH_BIN, kQuickPolicy, {}, 120});
  ASSERT_EQ(r["status"], "ok") << r.dump();
  EXPECT_EQ(r["descriptor"], kTiny);
  EXPECT_GE(r["latency_ms"]["n"].get<int>(), 3);
  EXPECT_EQ(r["latency_ms"]["samples"].size(), r["latency_ms"]["n"].get<size_t>());
  EXPECT_GT(r["per_image_ms"]["median"].get<double>(), 0);
  EXPECT_GT(r["cost"]["flops"].get<int64_t>(), 0);
  EXPECT_TRUE(r["cache_sim"].is_null());
  EXPECT_TRUE(r["counters"].contains("available"));
  if (!r["counters"]["available"].get<bool>()) {
    EXPECT_FALSE(r["counters"].contains("cycles"));  // unavailable is said, never zeros
  }
  EXPECT_TRUE(r.contains("foreign_cpu_pct"));
  EXPECT_FALSE(r["environment"]["cpu_model"].get<std::string>().empty());
}

TEST(MeasureChild, EnvFieldsReachTheMeasuringProcess) {
  Record r = run_measure_child(kTiny + " env.MALLOC_ARENA_MAX=2", {FORMBENCH_BIN, kQuickPolicy, {}, 120});
  ASSERT_EQ(r["status"], "ok") << r.dump();
  EXPECT_EQ(r["descriptor"], kTiny + " env.MALLOC_ARENA_MAX=2");
  EXPECT_EQ(r["environment"]["env"]["MALLOC_ARENA_MAX"], "2");
}

TEST(MeasureChild, CrashBecomesFailedRecord) {
  Record r = run_measure_child(kTiny, {FORMBENCH_BIN, kQuickPolicy, {{"FORMBENCH_TEST_CRASH", "1"}}, 60});
  EXPECT_EQ(r["status"], "failed");
  EXPECT_EQ(r["descriptor"], kTiny);
  EXPECT_NE(r["error"].get<std::string>().find("SIGABRT"), std::string::npos) << r.dump();
}

TEST(MeasureChild, TimeoutBecomesFailedRecord) {
  Record r = run_measure_child(kTiny, {FORMBENCH_BIN, kQuickPolicy, {{"FORMBENCH_TEST_HANG", "1"}}, 1});
  EXPECT_EQ(r["status"], "failed");
  EXPECT_NE(r["error"].get<std::string>().find("timed out after 1 s and was killed"), std::string::npos) << r.dump();
}

TEST(MeasureChild, BadDescriptorCarriesTheChildsMessage) {
  std::string bad = "pattern:standard depth=1 width=8 res=32 backend=nope batch=1 threads=1";
  Record r = run_measure_child(bad, {FORMBENCH_BIN, kQuickPolicy, {}, 60});
  EXPECT_EQ(r["status"], "failed");
  EXPECT_NE(r["error"].get<std::string>().find("exit code 2"), std::string::npos) << r.dump();
  EXPECT_NE(r["error"].get<std::string>().find("unknown backend 'nope'"), std::string::npos) << r.dump();
}

TEST(MeasureChild, MissingBinaryBecomesFailedRecord) {
  Record r = run_measure_child(kTiny, {"/nonexistent/formbench", {}, {}, 10});
  EXPECT_EQ(r["status"], "failed");
  EXPECT_NE(r["error"].get<std::string>().find("cannot start"), std::string::npos) << r.dump();
}

}  // namespace
}  // namespace fb
