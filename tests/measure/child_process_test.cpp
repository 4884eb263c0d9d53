// Children that crash, hang or print garbage become failed records that say
// what happened; a good child's record comes back whole.
#include <gtest/gtest.h>

#include <set>

#include "measure/child_process.h"

namespace fb {
namespace {

// Canonical form, so the record's descriptor must equal it.
const std::string kTiny =
    "pattern:dw_bottleneck depth=1 width=8 res=32 classes=10 reduction=1 expansion=6 backend=reference batch=1 threads=1";
const std::vector<std::string> kQuickPolicy = {"--min-runs", "3", "--min-time", "0", "--max-warmup", "3",
                                               "--budget", "1", "--max-retries", "0"};

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
  // The record's keys (docs/measurement.md): stores of earlier runs hold these.
  std::set<std::string> keys;
  for (const auto& [k, v] : r.items()) keys.insert(k);
  EXPECT_EQ(keys, (std::set<std::string>{"descriptor", "status", "error", "model", "backend", "batch", "threads",
                                         "latency_ms", "per_image_ms", "cost", "roofline", "counters", "cache_sim",
                                         "compiled", "environment", "foreign_cpu_pct", "interference", "timestamp"}));
  for (const char* k : {"macs", "flops", "params", "min_bytes", "peak_activation_bytes"})
    EXPECT_TRUE(r["cost"][k].is_number_integer()) << k;
  EXPECT_EQ(r["cost"]["per"], "batch");
  EXPECT_TRUE(r["compiled"]["winograd_convs"].is_number_integer());
  EXPECT_TRUE(r["environment"]["backend_facts"].is_object());
  EXPECT_TRUE(r["environment"].contains("formbench_revision"));
}

TEST(MeasureChild, EnvFieldsReachTheMeasuringProcess) {
  Record r = run_measure_child(kTiny + " env.MALLOC_ARENA_MAX=2", {FORMBENCH_BIN, kQuickPolicy, {}, 120});
  ASSERT_EQ(r["status"], "ok") << r.dump();
  EXPECT_EQ(r["descriptor"], kTiny + " env.MALLOC_ARENA_MAX=2");
  EXPECT_EQ(r["environment"]["env"]["MALLOC_ARENA_MAX"], "2");
}

// The misbehaving children are the fake measurer (tests/study/fake_measure.cpp),
// told what to do by env.FAKE in the descriptor.
TEST(MeasureChild, CrashBecomesFailedRecord) {
  const std::string d = kTiny + " env.FAKE=crash";
  Record r = run_measure_child(d, {FAKE_MEASURE_BIN, kQuickPolicy, {}, 60});
  EXPECT_EQ(r["status"], "failed");
  EXPECT_EQ(r["descriptor"], d);
  EXPECT_NE(r["error"].get<std::string>().find("SIGABRT"), std::string::npos) << r.dump();
  EXPECT_NE(r["error"].get<std::string>().find("crashing on purpose"), std::string::npos) << r.dump();
}

TEST(MeasureChild, TimeoutBecomesFailedRecord) {
  Record r = run_measure_child(kTiny + " env.FAKE=hang", {FAKE_MEASURE_BIN, kQuickPolicy, {}, 1});
  EXPECT_EQ(r["status"], "failed");
  EXPECT_NE(r["error"].get<std::string>().find("timed out after 1 s and was killed"), std::string::npos) << r.dump();
}

TEST(MeasureChild, StderrThatIsNotUtf8BecomesPrintableText) {
  Record r = run_measure_child(kTiny + " env.FAKE=badbytes", {FAKE_MEASURE_BIN, kQuickPolicy, {}, 60});
  EXPECT_EQ(r["status"], "failed");
  const std::string error = r["error"].get<std::string>();
  EXPECT_NE(error.find("fake: bad bytes \xef\xbf\xbd\xef\xbf\xbd here"), std::string::npos) << error;
  EXPECT_NO_THROW((void)r.dump());  // the plain dump: the text itself is valid now
}

// Before the fix a real formbench (the measure command) had test switches
// FORMBENCH_TEST_CRASH / FORMBENCH_TEST_HANG; an installed binary has none.
TEST(MeasureChild, TheRealBinaryHasNoTestSwitches) {
  Record r = run_measure_child(kTiny, {FORMBENCH_BIN, kQuickPolicy, {{"FORMBENCH_TEST_CRASH", "1"}}, 120});
  EXPECT_EQ(r["status"], "ok") << r.dump();
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
