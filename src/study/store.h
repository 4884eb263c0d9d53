#pragma once
// The results store: one SQLite file (WAL) with tables meta, machines, sweeps,
// measurements, claims, experiments, memberships and tuning; UNIQUE(descriptor, machine_id) so a configuration
// is stored at most once per machine. Every put() is its own transaction, so
// a killed sweep loses at most the measurement in flight. The schema and its
// migrations are in store_schema.cpp, opening in store_open.cpp, claims in
// store_claims.cpp; docs/study.md documents the columns and the guarantees.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "study/machine.h"
#include "study/sqlite.h"

namespace fb::study {

inline constexpr int kSchemaVersion = 4;

enum class StoreAccess {
  read_only,          // report, export, merge inputs: the file is never written
  read_write,         // an existing store only
  create,             // study: an existing store, or a new one where no file is
  create_over_empty,  // as create, and an existing empty file becomes a store (--init-empty)
};

// One measurement row. The record is the measurer's JSON, kept whole; the
// queryable columns are extracted from it on put().
struct Measurement {
  std::string descriptor, machine_id;
  std::optional<int64_t> sweep_id;
  std::string status;  // "ok", "failed" or "skipped"
  std::string error;
  std::string record_json;
  std::string started_at, finished_at;
  int64_t id = 0;  // the store's row id, when read back (put() ignores it)
};

struct SweepRow {
  int64_t id = 0;
  std::string name, source, machine_id, shard, command, started_at, finished_at, outcome;
  int64_t grid_size = 0;
};

// An experiment: a named unit of a sweep (a preset's or spec's groups with
// one `experiment` name), e.g. sweep "quick", name "depth", kind "depth".
// The kind says what it varies and so which figure draws it.
struct ExperimentRow {
  int64_t id = 0;
  std::string sweep, name, kind;
};

// A configuration measured on one machine belongs to an experiment.
struct Membership {
  int64_t experiment_id = 0;
  std::string descriptor, machine_id;
};

class Store {
 public:
  // Checks the file is a formbench store before anything writes to it
  // (UsageError naming the file if not, or if it is newer than this
  // formbench), then, unless read-only, migrates it to kSchemaVersion.
  Store(const std::string& path, StoreAccess access);
  explicit Store(const std::string& path, bool create = true);  // create or read_write

  int schema_version();
  Database& db() { return db_; }

  void add_machine(const MachineInfo& m);  // keeps the first row for an id
  std::optional<MachineInfo> machine(const std::string& id);

  int64_t begin_sweep(const SweepRow& s);
  void end_sweep(int64_t id, const std::string& outcome);
  std::vector<SweepRow> sweeps();
  std::vector<MachineInfo> machines();

  // Experiments (schema version 3). add_experiment returns the id of
  // (sweep, name), creating it, or setting its kind when it exists.
  // link() records, in one transaction, that these configurations of
  // `machine_id` belong to the experiment; linking twice changes nothing.
  int64_t add_experiment(const std::string& sweep, const std::string& name, const std::string& kind);
  void link(int64_t experiment_id, const std::vector<std::string>& descriptors, const std::string& machine_id);
  // Both empty for a store older than version 3 (opened read-only).
  std::vector<ExperimentRow> experiments();
  std::vector<Membership> memberships();

  // Tuning timings (schema version 4, store_tuning.cpp): a tuner's time in
  // milliseconds for one candidate on one machine, under the tuner's own key.
  // tuning() returns nullopt for a key not stored, and for a stored value
  // that is not a finite, non-negative number or whose key is longer than
  // kMaxTuningKeyBytes (a hostile or damaged row): the tuner times afresh.
  // put_tuning() replaces the row in its own statement (concurrent measure
  // children wait on the busy timeout) and writes nothing for a value or key
  // that tuning() would not return.
  static constexpr size_t kMaxTuningKeyBytes = 4096;
  std::optional<double> tuning(const std::string& machine_id, const std::string& key);
  void put_tuning(const std::string& machine_id, const std::string& key, double ms);

  // Inserts or replaces the row for (descriptor, machine_id), in its own
  // transaction, and releases any claim on it.
  void put(const Measurement& m);

  // Claims: a runner takes a configuration before measuring it, so runners
  // sharing a store measure each one once. See store_claims.cpp.
  enum class Claim { taken, stored_meanwhile, held_by_another };
  // In one BEGIN IMMEDIATE transaction: stored_meanwhile if a row exists that
  // finished at or after `since` (or any row unless `retry_failed`, or an ok
  // one); held_by_another if a live runner holds it (same host: its process
  // is alive; another host: its lease of `lease_s` has not run out); else
  // takes it for this process.
  Claim claim(const std::string& descriptor, const std::string& machine_id, const std::string& since,
              bool retry_failed, int64_t lease_s);
  void release_claims();  // every claim this process holds
  std::optional<Measurement> get(const std::string& descriptor, const std::string& machine_id);
  // descriptor -> status for one machine: what a resuming sweep skips.
  std::map<std::string, std::string> statuses(const std::string& machine_id);
  void for_each(const std::function<void(const Measurement&)>& f);
  int64_t count(const std::string& status = "");

 private:
  static std::string prepare_file(const std::string& path, StoreAccess access);
  Database db_;
};

// Opening and creating (store_open.cpp, store_schema.cpp).
int read_schema_version(Database& db);  // UsageError naming the file if it is no store or too new
int parse_schema_version(const std::string& path, const std::string& text);  // strict: digits only
void migrate_store(Database& db, int from);
// A complete new store in a temporary file next to `path`; returns its name.
std::string build_new_store_file(const std::string& path);
// Moves `temp` to `path` (rename if `replace`, else link: false if `path`
// exists by now) and removes `temp` either way.
bool publish_new_store(const std::string& temp, const std::string& path, bool replace);
void remove_store_file(const std::string& path);  // with its -wal, -shm, -journal

// Opens every input and copies its machines, sweeps and measurements into
// `out`. Per (descriptor, machine): an ok row beats a failed or skipped one;
// between two of the same kind the newer (finished_at) wins, and two ok rows
// are reported through `note` as a conflict.
struct MergeSummary {
  int64_t inserted = 0, replaced = 0, kept = 0, conflicts = 0;
  int64_t tuning = 0;  // tuning timings copied (a key the output has already keeps its timing)
};
// Sweeps are matched by (machine_id, name, shard, started_at): merging the
// same input twice changes nothing.
MergeSummary merge_into(Store& out, const std::string& input_path, const std::function<void(const std::string&)>& note);

// The whole merge as the `merge` command runs it: every input into `output`
// in one transaction (an existing output), or into a new store built next to
// it and linked into place at the end (a new output), so a failed merge
// leaves the output as it was. Refuses an output that is an input.
struct MergeResult {
  std::vector<std::pair<std::string, MergeSummary>> inputs;
  int64_t total = 0, ok = 0, failed = 0, skipped = 0;
};
MergeResult merge_stores(const std::string& output, const std::vector<std::string>& inputs,
                         const std::function<void(const std::string&)>& note);

// CSV (one row per measurement, the queryable columns) or JSON (an array of
// rows, each with its whole record under "record").
void export_csv(Store& s, std::ostream& out);
void export_json(Store& s, std::ostream& out);
// The export command: the store read-only, the output written whole or not
// at all (never over the store itself); empty `output` = standard output.
void export_store(const std::string& db_path, bool json, const std::string& output);

}  // namespace fb::study
