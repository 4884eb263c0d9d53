// Reading the store: every row of measurements, each checked on its own, so
// one bad row is listed (by id, with the reason) and never stops the report.
#include "report/dataset.h"

#include <sqlite3.h>

#include <filesystem>
#include <map>
#include <memory>

#include "common/error.h"

namespace fb::report {
namespace {

// Column text with its real length (a NUL inside a value is kept, not cut).
std::string column_text(sqlite3_stmt* stmt, int col) {
  const unsigned char* t = sqlite3_column_text(stmt, col);
  if (!t) return {};
  return std::string(reinterpret_cast<const char*>(t), static_cast<size_t>(sqlite3_column_bytes(stmt, col)));
}

}  // namespace

Dataset load_dataset(const std::string& db_path) {
  if (!std::filesystem::exists(db_path))
    throw UsageError(db_path + " does not exist; run `formbench study` first to create a results store");
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    std::string msg = raw ? sqlite3_errmsg(raw) : "out of memory";
    sqlite3_close(raw);
    throw UsageError("cannot open " + db_path + ": " + msg);
  }
  std::unique_ptr<sqlite3, int (*)(sqlite3*)> db(raw, sqlite3_close);
  sqlite3_stmt* raw_stmt = nullptr;
  const char* sql = "SELECT rowid, descriptor, status, record_json FROM measurements ORDER BY rowid";
  if (sqlite3_prepare_v2(db.get(), sql, -1, &raw_stmt, nullptr) != SQLITE_OK)
    throw UsageError(db_path + " is not a formbench results store (" + sqlite3_errmsg(db.get()) + ")");
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw_stmt, sqlite3_finalize);

  Dataset data;
  std::map<std::string, int64_t> first_row;  // descriptor -> id of the ok row drawn for it
  int rc;
  while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    const int64_t id = sqlite3_column_int64(stmt.get(), 0);
    const std::string descriptor = column_text(stmt.get(), 1), status = column_text(stmt.get(), 2);
    auto unreadable = [&](const std::string& why) { data.unreadable.push_back({id, descriptor, why}); };
    if (status == "failed") ++data.failed;
    else if (status == "skipped") ++data.skipped;
    if (status == "failed" || status == "skipped") continue;
    if (status != "ok") {
      unreadable("unknown status '" + status + "' (expected ok, failed or skipped)");
      continue;
    }
    auto record = nlohmann::json::parse(column_text(stmt.get(), 3), nullptr, /*allow_exceptions=*/false);
    if (record.is_discarded()) {
      unreadable("record_json is not valid JSON");
      continue;
    }
    // Two machines' rows for one configuration (a merged store): one is drawn,
    // so a figure never mixes machines within a point.
    if (auto it = first_row.find(descriptor); it != first_row.end()) {
      unreadable("same descriptor as row " + std::to_string(it->second) + ", which is drawn instead");
      continue;
    }
    try {
      data.ok.push_back(measurement_from_record(descriptor, record));
    } catch (const std::exception& e) {
      unreadable(e.what());
      continue;
    }
    first_row.emplace(descriptor, id);
    if (record.contains("environment")) {
      if (data.environment.is_null()) data.environment = record["environment"];
      data.backend_environment.emplace(data.ok.back().backend, record["environment"]);
    }
  }
  if (rc != SQLITE_DONE) throw Error("reading " + db_path + ": " + sqlite3_errmsg(db.get()));
  return data;
}

}  // namespace fb::report
