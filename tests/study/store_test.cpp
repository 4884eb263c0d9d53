// The SQLite store: schema and its version, upserts, extracted columns,
// merge and export.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "common/error.h"
#include "measure/config.h"
#include "study/store.h"
#include "test_util.h"

namespace fb::study {
namespace {

using testing::ScratchDir;
using testing::write_file;

Measurement row(const std::string& d, const std::string& status, const std::string& finished, double ms = 2.0,
                const std::string& machine = "m1") {
  MeasurementRecord r = testing::ok_record(d, ms);
  r.status = status;
  r.cost.emplace().macs = 100;
  r.cost->params = 7;
  r.cache_sim.emplace().ll_misses = 55;
  CountersSection& counters = r.counters.emplace();
  counters.available = true;
  counters.llc_misses = 66;
  r.foreign_cpu_pct = 1.5;
  return {d, machine, std::nullopt, status, status == "ok" ? "" : "broke", testing::record_text(r), finished, finished};
}

MachineInfo machine(const std::string& id) { return {id, "Test CPU", "6.1", "host", 2, 1 << 30}; }

TEST(Store, CreatesVersionedWalStoreAndExtractsColumns) {
  ScratchDir dir;
  Store s(dir / "r.sqlite");
  EXPECT_EQ(s.schema_version(), kSchemaVersion);
  {
    auto mode = s.db().prepare("PRAGMA journal_mode");
    ASSERT_TRUE(mode.step());
    EXPECT_EQ(mode.text(0), "wal");
  }
  s.add_machine(machine("m1"));
  // Composed by the descriptor's owner, as the grid composes it.
  const std::string d =
      MeasureConfig{parse_model("pattern:standard depth=10 width=32 res=64"), "onednn", 8, 2, "", "host", {{"X", "1"}}}
          .str();
  ASSERT_EQ(d, "pattern:standard depth=10 width=32 res=64 classes=1000 backend=onednn batch=8 threads=2 "
               "cache_sim=host env.X=1");
  s.put(row(d, "ok", "2024-01-01T00:00:00.000Z"));
  auto q = s.db().prepare("SELECT model, backend, batch, threads, cache_sim, per_image_median_ms, "
                          "per_image_ci95_high_ms, macs, params, ll_misses, llc_misses, foreign_cpu_pct FROM measurements");
  ASSERT_TRUE(q.step());
  EXPECT_EQ(q.text(0), "pattern:standard depth=10 width=32 res=64 classes=1000");
  EXPECT_EQ(q.text(1), "onednn");
  EXPECT_EQ(q.integer(2), 8);
  EXPECT_EQ(q.integer(3), 2);
  EXPECT_EQ(q.text(4), "host");
  EXPECT_DOUBLE_EQ(q.real(5), 2.0);
  EXPECT_DOUBLE_EQ(q.real(6), 2.1);
  EXPECT_EQ(q.integer(7), 100);
  EXPECT_EQ(q.integer(8), 7);
  EXPECT_EQ(q.integer(9), 55);
  EXPECT_EQ(q.integer(10), 66);
  EXPECT_DOUBLE_EQ(q.real(11), 1.5);
}

TEST(Store, PutReplacesInsteadOfDuplicatingAndToleratesOddRecords) {
  ScratchDir dir;
  Store s(dir / "r.sqlite");
  s.add_machine(machine("m1"));
  s.put(row("a backend=x batch=1 threads=1", "failed", "2024-01-01T00:00:00.000Z"));
  s.put(row("a backend=x batch=1 threads=1", "ok", "2024-01-02T00:00:00.000Z"));
  s.put({"b", "m1", std::nullopt, "failed", "no JSON", "not json at all", "t", "t"});
  s.put({"c", "m1", std::nullopt, "ok", "", R"({"per_image_ms": {"median": "fast"}, "cost": null})", "t", "t"});
  EXPECT_EQ(s.count(), 3);
  EXPECT_EQ(s.get("a backend=x batch=1 threads=1", "m1")->status, "ok");
  EXPECT_EQ(s.statuses("m1").at("b"), "failed");
  EXPECT_TRUE(s.statuses("m2").empty());
}

TEST(Store, RefusesANewerSchemaWithAClearMessage) {
  ScratchDir dir;
  const std::string path = dir / "results.sqlite";
  { Store(path).db().exec("UPDATE meta SET value = '7' WHERE key = 'schema_version'"); }
  try {
    Store s(path);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), path + " has schema version 7, this formbench reads up to " +
                                         std::to_string(kSchemaVersion) + "; use a newer formbench");
  }
}

TEST(Store, RefusesForeignFilesAndMissingStores) {
  ScratchDir dir;
  { Database(dir / "other.sqlite").exec("CREATE TABLE t (x)"); }
  EXPECT_THROW(Store(dir / "other.sqlite"), Error);
  write_file(dir / "text.sqlite", "hello, this is not SQLite at all, not even close to a database header\n");
  EXPECT_THROW(Store(dir / "text.sqlite"), Error);
  EXPECT_THROW(Store(dir / "missing.sqlite", /*create=*/false), UsageError);
}

TEST(Store, MergeKeepsOkOverFailedAndTheNewerOfTwoOk) {
  ScratchDir dir;
  {
    Store a(dir / "a.sqlite");
    a.add_machine(machine("m1"));
    a.put(row("only-a", "ok", "2024-01-01T00:00:00.000Z"));
    a.put(row("both-ok", "ok", "2024-01-01T00:00:00.000Z", 1.0));
    a.put(row("a-ok-b-failed", "ok", "2024-01-01T00:00:00.000Z"));
    a.put(row("a-failed-b-ok", "failed", "2024-01-05T00:00:00.000Z"));
  }
  {
    Store b(dir / "b.sqlite");
    b.add_machine(machine("m1"));
    b.add_machine(machine("m2"));
    int64_t sweep = b.begin_sweep({0, "quick", "preset quick", "m2", "1/2", "cmd", "", "", "", 10});
    b.put(row("both-ok", "ok", "2024-02-01T00:00:00.000Z", 3.0));
    b.put(row("a-ok-b-failed", "failed", "2024-03-01T00:00:00.000Z"));
    b.put(row("a-failed-b-ok", "ok", "2024-01-02T00:00:00.000Z"));
    Measurement other = row("only-a", "ok", "2024-01-01T00:00:00.000Z", 2.0, "m2");  // same config, other machine
    other.sweep_id = sweep;
    b.put(other);
  }
  Store out(dir / "all.sqlite");
  std::vector<std::string> notes;
  auto note = [&](const std::string& n) { notes.push_back(n); };
  MergeSummary sa = merge_into(out, dir / "a.sqlite", note);
  MergeSummary sb = merge_into(out, dir / "b.sqlite", note);
  EXPECT_EQ(sa.inserted, 4);
  EXPECT_EQ(sb.inserted, 1);
  EXPECT_EQ(sb.replaced, 2);  // both-ok (newer), a-failed-b-ok (ok wins)
  EXPECT_EQ(sb.kept, 1);      // a-ok-b-failed
  EXPECT_EQ(sb.conflicts, 1);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("'both-ok' on machine m1 is stored ok in both; kept the newer (finished 2024-02-01"),
            std::string::npos) << notes[0];
  EXPECT_EQ(out.count(), 5);
  EXPECT_NE(out.get("both-ok", "m1")->record_json.find("\"median\":3.0"), std::string::npos);
  EXPECT_EQ(out.get("a-ok-b-failed", "m1")->status, "ok");
  EXPECT_EQ(out.get("a-failed-b-ok", "m1")->status, "ok");
  EXPECT_TRUE(out.machine("m2").has_value());
  auto sw = out.sweeps();
  ASSERT_EQ(sw.size(), 1u);
  EXPECT_EQ(out.get("only-a", "m2")->sweep_id, sw[0].id);
  // Merging the same file again changes nothing and is no conflict.
  MergeSummary again = merge_into(out, dir / "b.sqlite", note);
  EXPECT_EQ(again.inserted + again.replaced + again.conflicts, 0);
  EXPECT_EQ(out.count(), 5);
}

TEST(Store, ExportsCsvAndJson) {
  ScratchDir dir;
  Store s(dir / "r.sqlite");
  s.add_machine(machine("m1"));
  s.put(row("pattern:standard backend=torch batch=1 threads=2", "ok", "t1"));
  Measurement f = row("x, \"quoted\" backend=torch batch=1 threads=2", "failed", "t2");
  s.put(f);
  std::ostringstream csv, json;
  export_csv(s, csv);
  export_json(s, json);
  std::istringstream lines(csv.str());
  std::string header, first;
  std::getline(lines, header);
  std::getline(lines, first);
  EXPECT_EQ(header.rfind("descriptor,machine_id,cpu_model,sweep_id,status,error,model,backend,batch,threads", 0), 0u)
      << header;
  EXPECT_NE(first.find(",Test CPU,,ok,,"), std::string::npos) << first;
  EXPECT_NE(csv.str().find("\"x, \"\"quoted\"\" backend=torch"), std::string::npos) << csv.str();
  auto j = nlohmann::json::parse(json.str());
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0]["per_image_median_ms"], 2.0);
  EXPECT_EQ(j[0]["record"]["cost"]["params"], 7);
  EXPECT_EQ(j[1]["status"], "failed");
}

}  // namespace
}  // namespace fb::study
