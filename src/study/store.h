#pragma once
// The results store: one SQLite file (WAL) with tables meta, machines, sweeps
// and measurements; UNIQUE(descriptor, machine_id) so a configuration is
// stored at most once per machine. Every put() is its own transaction, so a
// killed sweep loses at most the measurement in flight. The schema and its
// migrations are in store_schema.cpp; docs/study.md documents the columns.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "study/machine.h"
#include "study/sqlite.h"

namespace fb::study {

inline constexpr int kSchemaVersion = 1;

// One measurement row. The record is the measurer's JSON, kept whole; the
// queryable columns are extracted from it on put().
struct Measurement {
  std::string descriptor, machine_id;
  std::optional<int64_t> sweep_id;
  std::string status;  // "ok", "failed" or "skipped"
  std::string error;
  std::string record_json;
  std::string started_at, finished_at;
};

struct SweepRow {
  int64_t id = 0;
  std::string name, source, machine_id, shard, command, started_at, finished_at, outcome;
  int64_t grid_size = 0;
};

class Store {
 public:
  // Opens (creating if `create`) and migrates to kSchemaVersion. Error if the
  // file is newer than this formbench or is not a formbench store.
  explicit Store(const std::string& path, bool create = true);

  int schema_version();
  Database& db() { return db_; }

  void add_machine(const MachineInfo& m);  // keeps the first row for an id
  std::optional<MachineInfo> machine(const std::string& id);

  int64_t begin_sweep(const SweepRow& s);
  void end_sweep(int64_t id, const std::string& outcome);
  std::vector<SweepRow> sweeps();

  // Inserts or replaces the row for (descriptor, machine_id), in its own transaction.
  void put(const Measurement& m);
  std::optional<Measurement> get(const std::string& descriptor, const std::string& machine_id);
  // descriptor -> status for one machine: what a resuming sweep skips.
  std::map<std::string, std::string> statuses(const std::string& machine_id);
  void for_each(const std::function<void(const Measurement&)>& f);
  int64_t count(const std::string& status = "");

 private:
  void migrate();
  Database db_;
};

// Opens every input and copies its machines, sweeps and measurements into
// `out`. Per (descriptor, machine): an ok row beats a failed or skipped one;
// between two of the same kind the newer (finished_at) wins, and two ok rows
// are reported through `note` as a conflict.
struct MergeSummary {
  int64_t inserted = 0, replaced = 0, kept = 0, conflicts = 0;
};
MergeSummary merge_into(Store& out, const std::string& input_path, const std::function<void(const std::string&)>& note);

// CSV (one row per measurement, the queryable columns) or JSON (an array of
// rows, each with its whole record under "record").
void export_csv(Store& s, std::ostream& out);
void export_json(Store& s, std::ostream& out);

}  // namespace fb::study
