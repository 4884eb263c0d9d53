// The store's schema as a list of migrations: migration i takes a file from
// version i to i + 1. A new schema version appends one entry; files written
// by older formbench versions are brought forward when opened.
#include <filesystem>
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
};

}  // namespace

Store::Store(const std::string& path, bool create) : db_([&] {
  if (!create && !std::filesystem::exists(path)) throw UsageError("no such store: " + path);
  return path;
}()) {
  // WAL: readers (a report) never block the sweep writing; each commit is one append.
  db_.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
  migrate();
}

int Store::schema_version() {
  auto has_meta = db_.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'");
  if (!has_meta.step()) {
    auto any = db_.prepare("SELECT count(*) FROM sqlite_master");
    any.step();
    if (any.integer(0) != 0)
      throw Error(db_.path() + " is an SQLite file but not a formbench store (it has no meta table)");
    return 0;
  }
  auto q = db_.prepare("SELECT value FROM meta WHERE key = 'schema_version'");
  if (!q.step()) throw Error(db_.path() + " has no schema_version in its meta table; it is not a formbench store");
  return std::stoi(q.text(0));
}

void Store::migrate() {
  const int have = schema_version();
  const int newest = static_cast<int>(kMigrations.size());
  if (have > newest)
    throw Error(db_.path() + " has schema version " + std::to_string(have) + ", this formbench reads up to " +
                std::to_string(newest) + "; use a newer formbench");
  for (int v = have; v < newest; ++v) {
    Transaction t(db_);
    if (schema_version() > v) continue;  // another process migrated it meanwhile
    db_.exec(kMigrations[static_cast<size_t>(v)]);
    db_.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)")
        .bind(1, std::to_string(v + 1))
        .run();
    t.commit();
  }
  static_assert(kSchemaVersion >= 1);
  if (newest != kSchemaVersion) throw Error("internal: kSchemaVersion does not match the migration list");
}

}  // namespace fb::study
