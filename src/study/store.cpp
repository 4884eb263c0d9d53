#include "study/store.h"

#include <nlohmann/json.hpp>

#include "measure/config.h"
#include "measure/record.h"
#include "models/descriptor.h"

namespace fb::study {
namespace {

// Exact for every count a record can hold (from_json bounds them by
// kMaxRecordCount, below int64's range).
std::optional<int64_t> whole(const std::optional<double>& v) {
  if (!v) return std::nullopt;
  return static_cast<int64_t>(*v);
}

// The record's typed fields; a record that is not one (a failed child's
// notes, a hostile store) leaves every extracted column NULL, its text kept whole.
MeasurementRecord typed(const std::string& text) {
  try {
    return parse_record(text);
  } catch (const std::exception&) {
    return {};
  }
}

// The descriptor's columns: its run fields split from the model (by the
// descriptor's owner, measure/config.h); a number that is not one stays NULL.
struct Columns {
  std::string model, backend, isa, cache_sim;
  std::optional<int64_t> batch, threads;
};

Columns columns(const std::string& descriptor) {
  Columns c;
  RunFields f;
  try {
    f = RunFields::split(Descriptor::parse(descriptor));
  } catch (const std::exception&) {
    c.model = descriptor;
    return c;
  }
  auto as_int = [](const std::string& v, const char* key) -> std::optional<int64_t> {
    if (v.empty()) return std::nullopt;
    try {
      return parse_integer(v, key);
    } catch (const std::exception&) {
      return std::nullopt;
    }
  };
  c.model = f.model.str();
  c.backend = f.backend;
  c.batch = as_int(f.batch, "batch");
  c.threads = as_int(f.threads, "threads");
  c.isa = f.isa;
  c.cache_sim = f.cache_sim;
  return c;
}

std::optional<std::string> nonempty(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

}  // namespace

void Store::add_machine(const MachineInfo& m) {
  db_.prepare("INSERT OR IGNORE INTO machines (id, cpu_model, cores, memory_bytes, kernel, hostname, first_seen) "
              "VALUES (?, ?, ?, ?, ?, ?, ?)")
      .bind(1, m.id).bind(2, m.cpu_model).bind(3, m.cores).bind(4, m.memory_bytes)
      .bind(5, m.kernel).bind(6, m.hostname).bind(7, utc_now())
      .run();
}

std::optional<MachineInfo> Store::machine(const std::string& id) {
  auto q = db_.prepare("SELECT id, cpu_model, cores, memory_bytes, kernel, hostname FROM machines WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  return MachineInfo{q.text(0), q.text(1), q.text(4), q.text(5), q.integer(2), q.integer(3)};
}

int64_t Store::begin_sweep(const SweepRow& s) {
  db_.prepare("INSERT INTO sweeps (name, source, machine_id, shard, command, grid_size, started_at, outcome) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, s.name).bind(2, s.source).bind(3, s.machine_id).bind(4, s.shard).bind(5, s.command)
      .bind(6, s.grid_size).bind(7, s.started_at.empty() ? utc_now() : s.started_at)
      .bind(8, s.outcome.empty() ? std::string("running") : s.outcome)
      .run();
  auto q = db_.prepare("SELECT last_insert_rowid()");
  q.step();
  return q.integer(0);
}

void Store::end_sweep(int64_t id, const std::string& outcome) {
  db_.prepare("UPDATE sweeps SET finished_at = ?, outcome = ? WHERE id = ?")
      .bind(1, utc_now()).bind(2, outcome).bind(3, id)
      .run();
}

std::vector<SweepRow> Store::sweeps() {
  std::vector<SweepRow> out;
  auto q = db_.prepare("SELECT id, name, source, machine_id, shard, command, started_at, finished_at, outcome, "
                       "grid_size FROM sweeps ORDER BY id");
  while (q.step())
    out.push_back({q.integer(0), q.text(1), q.text(2), q.text(3), q.text(4), q.text(5), q.text(6), q.text(7),
                   q.text(8), q.integer(9)});
  return out;
}

std::vector<MachineInfo> Store::machines() {
  std::vector<MachineInfo> out;
  auto q = db_.prepare("SELECT id, cpu_model, cores, memory_bytes, kernel, hostname FROM machines ORDER BY rowid");
  while (q.step()) out.push_back(MachineInfo{q.text(0), q.text(1), q.text(4), q.text(5), q.integer(2), q.integer(3)});
  return out;
}

int64_t Store::add_experiment(const std::string& sweep, const std::string& name, const std::string& kind) {
  db_.prepare("INSERT INTO experiments (sweep, name, kind) VALUES (?, ?, ?) "
              "ON CONFLICT (sweep, name) DO UPDATE SET kind = excluded.kind")
      .bind(1, sweep).bind(2, name).bind(3, kind)
      .run();
  auto q = db_.prepare("SELECT id FROM experiments WHERE sweep = ? AND name = ?");
  q.bind(1, sweep).bind(2, name);
  q.step();
  return q.integer(0);
}

void Store::link(int64_t experiment_id, const std::vector<std::string>& descriptors, const std::string& machine_id) {
  Transaction t(db_);
  auto q = db_.prepare("INSERT OR IGNORE INTO memberships (experiment_id, descriptor, machine_id) VALUES (?, ?, ?)");
  for (const auto& d : descriptors) q.bind(1, experiment_id).bind(2, d).bind(3, machine_id).run();
  t.commit();
}

std::vector<ExperimentRow> Store::experiments() {
  std::vector<ExperimentRow> out;
  if (schema_version() < 3) return out;
  auto q = db_.prepare("SELECT id, sweep, name, kind FROM experiments ORDER BY id");
  while (q.step()) out.push_back({q.integer(0), q.text(1), q.text(2), q.text(3)});
  return out;
}

std::vector<Membership> Store::memberships() {
  std::vector<Membership> out;
  if (schema_version() < 3) return out;
  auto q = db_.prepare("SELECT experiment_id, descriptor, machine_id FROM memberships ORDER BY experiment_id, rowid");
  while (q.step()) out.push_back({q.integer(0), q.text(1), q.text(2)});
  return out;
}

void Store::put(const Measurement& m) {
  const MeasurementRecord r = typed(m.record_json);
  const Columns f = columns(m.descriptor);
  Transaction t(db_);
  db_.prepare(
         "INSERT INTO measurements (descriptor, machine_id, sweep_id, status, error, model, backend, batch, threads, "
         "isa, cache_sim, latency_median_ms, per_image_median_ms, per_image_ci95_low_ms, per_image_ci95_high_ms, "
         "macs, params, ll_misses, llc_misses, foreign_cpu_pct, record_json, started_at, finished_at) "
         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
         "ON CONFLICT (descriptor, machine_id) DO UPDATE SET sweep_id = excluded.sweep_id, status = excluded.status, "
         "error = excluded.error, latency_median_ms = excluded.latency_median_ms, "
         "per_image_median_ms = excluded.per_image_median_ms, per_image_ci95_low_ms = excluded.per_image_ci95_low_ms, "
         "per_image_ci95_high_ms = excluded.per_image_ci95_high_ms, macs = excluded.macs, params = excluded.params, "
         "ll_misses = excluded.ll_misses, llc_misses = excluded.llc_misses, "
         "foreign_cpu_pct = excluded.foreign_cpu_pct, record_json = excluded.record_json, "
         "started_at = excluded.started_at, finished_at = excluded.finished_at")
      .bind(1, m.descriptor).bind(2, m.machine_id).bind(3, m.sweep_id).bind(4, m.status).bind(5, nonempty(m.error))
      .bind(6, f.model).bind(7, nonempty(f.backend)).bind(8, f.batch).bind(9, f.threads)
      .bind(10, nonempty(f.isa)).bind(11, nonempty(f.cache_sim))
      .bind(12, r.latency_ms ? std::optional<double>(r.latency_ms->median) : std::nullopt)
      .bind(13, r.per_image_ms ? std::optional<double>(r.per_image_ms->median) : std::nullopt)
      .bind(14, r.per_image_ms ? std::optional<double>(r.per_image_ms->ci95_low) : std::nullopt)
      .bind(15, r.per_image_ms ? std::optional<double>(r.per_image_ms->ci95_high) : std::nullopt)
      .bind(16, whole(r.cost ? r.cost->macs : std::nullopt)).bind(17, whole(r.cost ? r.cost->params : std::nullopt))
      .bind(18, whole(r.ll_misses())).bind(19, whole(r.llc_misses()))
      .bind(20, r.foreign_cpu_pct).bind(21, m.record_json).bind(22, m.started_at).bind(23, m.finished_at)
      .run();
  db_.prepare("DELETE FROM claims WHERE descriptor = ? AND machine_id = ?").bind(1, m.descriptor).bind(2, m.machine_id).run();
  t.commit();
}

namespace {
const char* kRowColumns =
    "id, descriptor, machine_id, sweep_id, status, error, record_json, started_at, finished_at FROM measurements";

Measurement row(const Statement& q) {
  Measurement m;
  m.id = q.integer(0);
  m.descriptor = q.text(1);
  m.machine_id = q.text(2);
  if (!q.is_null(3)) m.sweep_id = q.integer(3);
  m.status = q.text(4);
  m.error = q.text(5);
  m.record_json = q.text(6);
  m.started_at = q.text(7);
  m.finished_at = q.text(8);
  return m;
}
}  // namespace

std::optional<Measurement> Store::get(const std::string& descriptor, const std::string& machine_id) {
  auto q = db_.prepare(std::string("SELECT ") + kRowColumns + " WHERE descriptor = ? AND machine_id = ?");
  q.bind(1, descriptor).bind(2, machine_id);
  if (!q.step()) return std::nullopt;
  return row(q);
}

std::map<std::string, std::string> Store::statuses(const std::string& machine_id) {
  std::map<std::string, std::string> out;
  auto q = db_.prepare("SELECT descriptor, status FROM measurements WHERE machine_id = ?");
  q.bind(1, machine_id);
  while (q.step()) out[q.text(0)] = q.text(1);
  return out;
}

void Store::for_each(const std::function<void(const Measurement&)>& f) {
  auto q = db_.prepare(std::string("SELECT ") + kRowColumns + " ORDER BY id");
  while (q.step()) f(row(q));
}

int64_t Store::count(const std::string& status) {
  auto q = db_.prepare(status.empty() ? "SELECT count(*) FROM measurements"
                                      : "SELECT count(*) FROM measurements WHERE status = ?");
  if (!status.empty()) q.bind(1, status);
  q.step();
  return q.integer(0);
}

}  // namespace fb::study
