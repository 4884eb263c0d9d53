// The store's tuning table: timings round-trip per machine, an older store
// is migrated with its rows kept, hostile rows read as absent, and measure
// children writing at once lose nothing.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <limits>
#include <string>

#include "study/store.h"
#include "test_util.h"

namespace fb::study {
namespace {

using testing::ScratchDir;

int64_t rows(Store& s) {
  auto q = s.db().prepare("SELECT count(*) FROM tuning");
  q.step();
  return q.integer(0);
}

TEST(StoreTuning, TimingsRoundTripPerMachineAndAreReplaced) {
  ScratchDir dir;
  {
    Store s(dir / "r.sqlite");
    s.put_tuning("m1", "direct 1x32x56x56", 1.25);
    s.put_tuning("m2", "direct 1x32x56x56", 2.5);
    s.put_tuning("m1", "program nhwc", 40.0);
    s.put_tuning("m1", "program nhwc", 41.0);  // a concurrent child timed it too: either is fair
  }
  Store s(dir / "r.sqlite", StoreAccess::read_only);
  EXPECT_EQ(s.tuning("m1", "direct 1x32x56x56"), 1.25);
  EXPECT_EQ(s.tuning("m2", "direct 1x32x56x56"), 2.5);
  EXPECT_EQ(s.tuning("m1", "program nhwc"), 41.0);
  EXPECT_EQ(s.tuning("m2", "program nhwc"), std::nullopt);
  EXPECT_EQ(s.tuning("m3", "direct 1x32x56x56"), std::nullopt);
  EXPECT_EQ(rows(s), 3);
}

TEST(StoreTuning, AVersion3StoreIsReadAsItIsAndMigratedWithItsRows) {
  ScratchDir dir;
  const std::string path = dir / "v3.sqlite";
  {
    Store s(path);
    s.add_machine({"m1", "Test CPU", "6.1", "host", 2, 1 << 30});
    s.put(Measurement{"pattern:standard batch=1", "m1", std::nullopt, "failed", "broke", "{}", "t", "t"});
    s.db().exec("DROP TABLE tuning; UPDATE meta SET value = '3' WHERE key = 'schema_version'");
  }
  EXPECT_EQ(Store(path, StoreAccess::read_only).schema_version(), 3);
  Store s(path, StoreAccess::read_write);
  EXPECT_EQ(s.schema_version(), kSchemaVersion);
  EXPECT_EQ(s.count(), 1);
  s.put_tuning("m1", "k", 3.0);
  EXPECT_EQ(s.tuning("m1", "k"), 3.0);
}

// Rows written by something else: text, negative and infinite times, a blob,
// a key no tuner writes. None is returned, none crashes; a real timing
// replaces a bad row.
TEST(StoreTuning, HostileRowsReadAsAbsent) {
  ScratchDir dir;
  Store s(dir / "r.sqlite");
  const std::string huge(Store::kMaxTuningKeyBytes + 1, 'k');
  s.db().exec("INSERT INTO tuning VALUES ('m', 'text', 'abc', 't'), ('m', 'negative', -1.0, 't'), "
              "('m', 'infinite', 9e999, 't'), ('m', 'minus infinite', -9e999, 't'), ('m', 'blob', x'00ff', 't'), "
              "('m', 'empty', '', 't')");
  s.db().prepare("INSERT INTO tuning VALUES ('m', ?, 1.0, 't')").bind(1, huge).run();
  for (const char* k : {"text", "negative", "infinite", "minus infinite", "blob", "empty"})
    EXPECT_EQ(s.tuning("m", k), std::nullopt) << k;
  EXPECT_EQ(s.tuning("m", huge), std::nullopt);
  s.put_tuning("m", "negative", 0.5);
  EXPECT_EQ(s.tuning("m", "negative"), 0.5);
  // What tuning() would not return is not written either.
  const int64_t before = rows(s);
  s.put_tuning("m", "nan", std::numeric_limits<double>::quiet_NaN());
  s.put_tuning("m", "inf", std::numeric_limits<double>::infinity());
  s.put_tuning("m", "neg", -2.0);
  s.put_tuning("m", huge + "x", 1.0);
  EXPECT_EQ(rows(s), before);
}

// A sweep's shards on one store: children save at once; every timing lands.
TEST(StoreTuning, ConcurrentWritersLoseNothing) {
  ScratchDir dir;
  const std::string path = dir / "r.sqlite";
  { Store s(path); }
  constexpr int kChildren = 3, kEach = 100;
  std::vector<pid_t> pids;
  for (int c = 0; c < kChildren; ++c) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      try {
        Store s(path, StoreAccess::read_write);
        for (int i = 0; i < kEach; ++i) s.put_tuning("m", std::to_string(c) + " " + std::to_string(i), i + 0.5);
      } catch (...) {
        _exit(1);
      }
      _exit(0);
    }
    pids.push_back(pid);
  }
  for (pid_t pid : pids) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  Store s(path, StoreAccess::read_only);
  EXPECT_EQ(rows(s), kChildren * kEach);
  EXPECT_EQ(s.tuning("m", "2 99"), 99.5);
}

}  // namespace
}  // namespace fb::study
