// `formbench measure --tune-cache STORE` as a sweep's child runs it: the
// store's tuning table fills on the first measurement, the second one times
// nothing new, and a file that is no store is a clear error, left as it was.
#include <gtest/gtest.h>

#include "study/child.h"
#include "study/machine.h"
#include "study/store.h"
#include "test_util.h"

namespace fb::study {
namespace {

using testing::bytes_of;
using testing::ScratchDir;
using testing::write_file;

ChildResult measure(const std::string& store) {
  return run_child({FORMBENCH_BIN, "measure", "--min-runs", "1", "--min-time", "0", "--tune-cache", store,
                    "pattern:standard depth=1 width=32 res=32 classes=10 backend=onednn batch=1 threads=1"},
                   120);
}

int64_t tuning_rows(const std::string& store, const std::string& machine_id) {
  Store s(store, StoreAccess::read_only);
  auto q = s.db().prepare("SELECT count(*) FROM tuning WHERE machine_id = ?");
  q.bind(1, machine_id).step();
  return q.integer(0);
}

TEST(TuneCacheCli, MeasureFillsTheStoresTuningTableOnceForThisMachine) {
  ScratchDir dir;
  const std::string db = dir / "r.sqlite";  // created by measure
  const ChildResult first = measure(db);
  ASSERT_EQ(first.exit_code, 0) << first.err << first.out;
  const std::string machine = this_machine().id;
  const int64_t rows = tuning_rows(db, machine);
  EXPECT_GE(rows, 3);  // at least the three layout policies
  const ChildResult second = measure(db);
  ASSERT_EQ(second.exit_code, 0) << second.err << second.out;
  EXPECT_EQ(tuning_rows(db, machine), rows);
}

// explain (and run, profile, bench: one RunArgs) take the same cache: the
// second compile finds every timing the first one made.
TEST(TuneCacheCli, ExplainUsesTheStoresTuningTableToo) {
  ScratchDir dir;
  const std::string db = dir / "r.sqlite";
  auto explain = [&] {
    return run_child({FORMBENCH_BIN, "explain", "pattern:standard", "depth=1", "width=32", "res=32", "classes=10",
                      "--backend", "onednn", "--threads", "1", "--tune-cache", db},
                     120);
  };
  const ChildResult first = explain();
  ASSERT_EQ(first.exit_code, 0) << first.err << first.out;
  EXPECT_GE(tuning_rows(db, this_machine().id), 3);
  const ChildResult second = explain();
  ASSERT_EQ(second.exit_code, 0) << second.err << second.out;
  EXPECT_NE(second.out.find("tuning: 0 candidates timed"), std::string::npos) << second.out;
}

TEST(TuneCacheCli, ACacheThatIsNoStoreIsAClearErrorAndLeftAsItWas) {
  ScratchDir dir;
  const std::string bad = dir / "notes.txt";
  write_file(bad, "not a store");
  const ChildResult r = measure(bad);
  EXPECT_EQ(r.exit_code, 2) << r.err << r.out;
  EXPECT_NE(r.err.find("--tune-cache " + bad + ": "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("not a formbench store"), std::string::npos) << r.err;
  EXPECT_EQ(bytes_of(bad), "not a store");
}

}  // namespace
}  // namespace fb::study
