#include <nlohmann/json.hpp>

#include <iostream>
#include <ostream>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/json_dump.h"
#include "common/paths.h"
#include "study/store.h"

namespace fb::study {
namespace {

const char* kExportQuery =
    "SELECT m.descriptor, m.machine_id, mc.cpu_model, m.sweep_id, m.status, m.error, m.model, m.backend, m.batch, "
    "m.threads, m.isa, m.cache_sim, m.latency_median_ms, m.per_image_median_ms, m.per_image_ci95_low_ms, "
    "m.per_image_ci95_high_ms, m.macs, m.params, m.ll_misses, m.llc_misses, m.foreign_cpu_pct, m.started_at, "
    "m.finished_at, m.record_json "
    "FROM measurements m LEFT JOIN machines mc ON mc.id = m.machine_id ORDER BY m.id";

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

nlohmann::json value(const Statement& q, int i) {
  switch (q.type(i)) {
    case 1: return q.integer(i);  // SQLITE_INTEGER
    case 2: return q.real(i);     // SQLITE_FLOAT
    case 5: return nullptr;       // SQLITE_NULL
    default: return q.text(i);
  }
}

}  // namespace

void export_csv(Store& s, std::ostream& out) {
  auto q = s.db().prepare(kExportQuery);
  const int n = q.columns() - 1;  // the whole record stays out of the CSV
  for (int i = 0; i < n; ++i) out << (i ? "," : "") << q.column_name(i);
  out << "\n";
  while (q.step()) {
    for (int i = 0; i < n; ++i) {
      std::string v = q.is_null(i) ? "" : q.type(i) == 2 ? nlohmann::json(q.real(i)).dump() : q.text(i);
      out << (i ? "," : "") << csv_field(v);
    }
    out << "\n";
  }
}

void export_json(Store& s, std::ostream& out) {
  auto q = s.db().prepare(kExportQuery);
  const int n = q.columns() - 1;
  nlohmann::json rows = nlohmann::json::array();
  while (q.step()) {
    nlohmann::json row;
    for (int i = 0; i < n; ++i) row[q.column_name(i)] = value(q, i);
    row["record"] = nlohmann::json::parse(q.text(n), nullptr, false);
    if (row["record"].is_discarded()) row["record"] = nullptr;
    rows.push_back(std::move(row));
  }
  // Stored rows may hold any bytes (a child's stderr cut mid-character):
  // the shared dump writes invalid UTF-8 as U+FFFD rather than failing.
  out << dump_json(rows, 1) << "\n";
}

void export_store(const std::string& db_path, bool json, const std::string& output) {
  require_path(db_path, "the store to export");
  Store store(db_path, StoreAccess::read_only);
  auto write = [&](std::ostream& out) { json ? export_json(store, out) : export_csv(store, out); };
  if (output.empty()) {
    write(std::cout);
    std::cout.flush();
    if (!std::cout) throw Error("cannot write the export to standard output");
    return;
  }
  // The store's WAL and shared-memory files are inputs too.
  AtomicFile file(output, {db_path, db_path + "-wal", db_path + "-shm"});
  write(file.out());
  file.commit();
}

}  // namespace fb::study
