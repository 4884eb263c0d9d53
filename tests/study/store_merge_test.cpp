// merge as one unit: the same shard merged twice changes nothing (sweeps
// included), and a merge that fails half-way leaves the output as it was.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "study/store.h"
#include "test_util.h"

namespace fb::study {
namespace {

using testing::ScratchDir;

Measurement ok_row(const std::string& d, const std::string& machine = "m1") {
  return {d, machine, std::nullopt, "ok", "", testing::record_text(testing::ok_record(d, 1.0)),
          "2024-01-01T00:00:00.000Z", "2024-01-01T00:00:01.000Z"};
}

// A shard: one machine, one finished sweep, `n` rows named prefix0..
void make_shard(const std::string& path, const std::string& prefix, int n) {
  Store s(path, StoreAccess::create);
  s.add_machine({"m1", "cpu", "k", "h", 1, 1});
  const int64_t sweep = s.begin_sweep({0, "quick", "preset quick", "m1", "0/2", "cmd", "2024-01-01T00:00:00.000Z", "", "", n});
  for (int i = 0; i < n; ++i) {
    Measurement m = ok_row(prefix + std::to_string(i));
    m.sweep_id = sweep;
    s.put(m);
  }
  s.end_sweep(sweep, "complete");
}

int64_t rows(Store& s, const std::string& table) {
  auto q = s.db().prepare("SELECT count(*) FROM " + table);
  q.step();
  return q.integer(0);
}

const auto quiet = [](const std::string&) {};

TEST(StoreMerge, MergingTheSameShardAgainChangesNothing) {
  ScratchDir dir;
  make_shard(dir / "a.sqlite", "a", 3);
  merge_stores(dir / "all.sqlite", {dir / "a.sqlite"}, quiet);
  MergeResult again = merge_stores(dir / "all.sqlite", {dir / "a.sqlite", dir / "a.sqlite"}, quiet);
  ASSERT_EQ(again.inputs.size(), 2u);
  EXPECT_EQ(again.inputs[0].second.inserted + again.inputs[0].second.replaced, 0);
  Store out(dir / "all.sqlite", StoreAccess::read_only);
  EXPECT_EQ(rows(out, "sweeps"), 1) << "the sweep was copied again";
  EXPECT_EQ(rows(out, "measurements"), 3);
  EXPECT_EQ(rows(out, "machines"), 1);
  // Every row still points at the one sweep.
  auto q = out.db().prepare("SELECT count(*) FROM measurements WHERE sweep_id = (SELECT id FROM sweeps)");
  q.step();
  EXPECT_EQ(q.integer(0), 3);
  EXPECT_EQ(out.sweeps()[0].outcome, "complete");
}

// A shard's tuning timings travel with its rows, so the merged store's
// next sweep does not time them again; the output's own timing of a key
// stays, and a row no tuner could have written is left behind.
TEST(StoreMerge, TuningTimingsAreCopiedWithoutOverwritingTheOutputs) {
  ScratchDir dir;
  make_shard(dir / "a.sqlite", "a", 1);
  make_shard(dir / "all.sqlite", "x", 1);
  {
    Store a(dir / "a.sqlite", StoreAccess::read_write);
    a.put_tuning("m1", "direct conv k1", 1.5);
    a.put_tuning("m1", "shared k2", 2.0);
    a.db().prepare("INSERT INTO tuning (machine_id, key, ms, recorded_at) VALUES ('m1', 'bad', 'fast', 'z')").run();
    Store all(dir / "all.sqlite", StoreAccess::read_write);
    all.put_tuning("m1", "shared k2", 7.0);
  }
  MergeResult r = merge_stores(dir / "all.sqlite", {dir / "a.sqlite"}, quiet);
  ASSERT_EQ(r.inputs.size(), 1u);
  EXPECT_EQ(r.inputs[0].second.tuning, 1);
  Store out(dir / "all.sqlite", StoreAccess::read_only);
  EXPECT_EQ(out.tuning("m1", "direct conv k1"), 1.5);
  EXPECT_EQ(out.tuning("m1", "shared k2"), 7.0);  // the output's own
  EXPECT_FALSE(out.tuning("m1", "bad"));
  EXPECT_EQ(rows(out, "tuning"), 2);
}

// An input whose second half cannot be stored: a row for a machine the
// input never describes, so the output's foreign key refuses it.
void make_broken_shard(const std::string& path) {
  make_shard(path, "b", 2);
  Database db(path, OpenMode::read_write);
  db.exec("PRAGMA foreign_keys=OFF");
  db.prepare("INSERT INTO measurements (descriptor, machine_id, status, record_json, finished_at) "
             "VALUES ('ghost', 'no-such-machine', 'ok', '{}', 'z')")
      .run();
}

TEST(StoreMerge, AFailedMergeLeavesAnExistingOutputAsItWas) {
  ScratchDir dir;
  make_shard(dir / "a.sqlite", "a", 3);
  make_shard(dir / "c.sqlite", "c", 2);
  make_broken_shard(dir / "b.sqlite");
  merge_stores(dir / "all.sqlite", {dir / "a.sqlite"}, quiet);
  EXPECT_THROW(merge_stores(dir / "all.sqlite", {dir / "c.sqlite", dir / "b.sqlite"}, quiet), Error);
  Store out(dir / "all.sqlite", StoreAccess::read_only);
  EXPECT_EQ(rows(out, "measurements"), 3) << "part of a failed merge was kept";
  EXPECT_EQ(rows(out, "sweeps"), 1);
}

TEST(StoreMerge, AFailedMergeIntoANewOutputLeavesNoFile) {
  ScratchDir dir;
  make_shard(dir / "a.sqlite", "a", 3);
  make_broken_shard(dir / "b.sqlite");
  EXPECT_THROW(merge_stores(dir / "new.sqlite", {dir / "a.sqlite", dir / "b.sqlite"}, quiet), Error);
  EXPECT_FALSE(std::filesystem::exists(dir / "new.sqlite"));
  for (const auto& e : std::filesystem::directory_iterator(dir / ""))  // no temporary left
    EXPECT_NE(e.path().filename().string()[0], '.') << e.path();
}

TEST(StoreMerge, RefusesAnOutputThatIsAnInputEvenThroughASymlink) {
  ScratchDir dir;
  make_shard(dir / "a.sqlite", "a", 1);
  std::filesystem::create_symlink(dir / "a.sqlite", dir / "link.sqlite");
  for (const std::string& out : {dir / "a.sqlite", dir / "link.sqlite"}) {
    try {
      merge_stores(out, {dir / "a.sqlite"}, quiet);
      FAIL() << out;
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find("is the input " + (dir / "a.sqlite")), std::string::npos) << e.what();
    }
  }
}

TEST(StoreMerge, ANonStoreOutputIsRefusedAndLeftAlone) {
  ScratchDir dir;
  make_shard(dir / "a.sqlite", "a", 1);
  testing::write_file(dir / "notes.txt", "my notes\n");
  EXPECT_THROW(merge_stores(dir / "notes.txt", {dir / "a.sqlite"}, quiet), UsageError);
  EXPECT_EQ(testing::read_lines(dir / "notes.txt"), std::vector<std::string>{"my notes"});
}

}  // namespace
}  // namespace fb::study
