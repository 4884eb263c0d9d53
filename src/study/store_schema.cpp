// The store's schema as a list of migrations: migration i takes a file from
// version i to i + 1. A new schema version appends one entry; files written
// by older formbench versions are brought forward when opened for writing.
#include <sqlite3.h>

#include <charconv>
#include <vector>

#include "common/error.h"
#include "study/store.h"

namespace fb::study {
namespace {

const std::vector<const char*> kMigrations = {
    // 0 -> 1: the first schema.
    R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE machines (
  id TEXT PRIMARY KEY,
  cpu_model TEXT, cores INTEGER, memory_bytes INTEGER, kernel TEXT, hostname TEXT,
  first_seen TEXT);
CREATE TABLE sweeps (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL, source TEXT, machine_id TEXT REFERENCES machines(id), shard TEXT,
  command TEXT, grid_size INTEGER, started_at TEXT, finished_at TEXT, outcome TEXT);
CREATE TABLE measurements (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  descriptor TEXT NOT NULL,
  machine_id TEXT NOT NULL REFERENCES machines(id),
  sweep_id INTEGER REFERENCES sweeps(id),
  status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'skipped')),
  error TEXT,
  model TEXT, backend TEXT, batch INTEGER, threads INTEGER, isa TEXT, cache_sim TEXT,
  latency_median_ms REAL,
  per_image_median_ms REAL, per_image_ci95_low_ms REAL, per_image_ci95_high_ms REAL,
  macs INTEGER, params INTEGER,
  ll_misses INTEGER, llc_misses INTEGER, foreign_cpu_pct REAL,
  record_json TEXT,
  started_at TEXT, finished_at TEXT,
  UNIQUE (descriptor, machine_id));
CREATE INDEX measurements_by_model ON measurements (model, backend, batch);
)sql",
    // 1 -> 2: claims, so runners sharing a store measure each configuration once.
    R"sql(
CREATE TABLE claims (
  descriptor TEXT NOT NULL, machine_id TEXT NOT NULL,
  host TEXT NOT NULL, pid INTEGER NOT NULL,
  claimed_at INTEGER NOT NULL, expires_at INTEGER NOT NULL,
  PRIMARY KEY (descriptor, machine_id));
)sql",
    // 2 -> 3: experiments. A sweep's groups form named experiments (depth,
    // width, cache, zoo, ...); a configuration belongs to every experiment
    // whose grid holds it, on each machine that measured it. Rows stored
    // before version 3 have no membership: the report shows them as
    // 'unassigned' until a sweep that contains them runs again.
    R"sql(
CREATE TABLE experiments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  sweep TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL,
  UNIQUE (sweep, name));
CREATE TABLE memberships (
  experiment_id INTEGER NOT NULL REFERENCES experiments(id),
  descriptor TEXT NOT NULL, machine_id TEXT NOT NULL,
  PRIMARY KEY (experiment_id, descriptor, machine_id));
CREATE INDEX memberships_by_row ON memberships (descriptor, machine_id);
)sql",
    // 3 -> 4: tuning timings (store_tuning.cpp), so the measure children of a
    // sweep time each distinct tuning problem once per machine. No foreign
    // key to machines: a lone `measure --tune-cache` adds no machine row.
    R"sql(
CREATE TABLE IF NOT EXISTS tuning (
  machine_id TEXT NOT NULL, key TEXT NOT NULL, ms REAL NOT NULL, recorded_at TEXT NOT NULL,
  PRIMARY KEY (machine_id, key));
)sql",
};

// A stored value shown in a message: short, printable.
std::string shown(const std::string& v) {
  std::string s = v.substr(0, 40);
  for (char& c : s)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
  return s + (v.size() > 40 ? "..." : "");
}

}  // namespace

int parse_schema_version(const std::string& path, const std::string& text) {
  unsigned v = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || ptr != end || text.empty() || v > 1000000)
    throw UsageError(path + ": meta.schema_version is '" + shown(text) +
                     "', not a schema version; the file is damaged or was not written by formbench. "
                     "Use another store, or restore this one from a copy");
  const int newest = static_cast<int>(kMigrations.size());
  if (static_cast<int>(v) > newest)
    throw UsageError(path + " has schema version " + std::to_string(v) + ", this formbench reads up to " +
                     std::to_string(newest) + "; use a newer formbench");
  if (v == 0)
    throw UsageError(path + ": meta.schema_version is 0, which no formbench writes; the file is damaged. "
                            "Use another store, or restore this one from a copy");
  return static_cast<int>(v);
}

int Store::schema_version() { return read_schema_version(db_); }

int read_schema_version(Database& db) {
  try {
    auto has_meta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'");
    if (!has_meta.step())
      throw UsageError(db.path() + " is an SQLite file but not a formbench store (it has no meta table); "
                                   "it was left as it was");
    auto q = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'");
    if (!q.step())
      throw UsageError(db.path() + " has no schema_version in its meta table; it is not a formbench store");
    return parse_schema_version(db.path(), q.text(0));
  } catch (const UsageError&) {
    throw;
  } catch (const Error& e) {
    // SQLite's "file is not a database", "malformed", a meta table without a
    // value column... An I/O error (a full disk) stays a failure, not bad input.
    const int code = sqlite3_errcode(db.handle()) & 0xff;
    if (code != SQLITE_NOTADB && code != SQLITE_CORRUPT && code != SQLITE_ERROR) throw;
    throw UsageError(db.path() + " is not a formbench store (" + e.what() + "); it was left as it was");
  }
}

void migrate_store(Database& db, int from) {
  const int newest = static_cast<int>(kMigrations.size());
  static_assert(kSchemaVersion >= 1);
  if (newest != kSchemaVersion) throw Error("internal: kSchemaVersion does not match the migration list");
  for (int v = from; v < newest; ++v) {
    Transaction t(db);
    // Another process may have migrated it meanwhile.
    if (v > 0 && read_schema_version(db) > v) continue;
    db.exec(kMigrations[static_cast<size_t>(v)]);
    db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)")
        .bind(1, std::to_string(v + 1))
        .run();
    t.commit();
  }
}

}  // namespace fb::study
