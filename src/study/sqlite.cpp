#include "study/sqlite.h"

#include <sqlite3.h>

#include "common/error.h"
#include "common/paths.h"

namespace fb::study {

Database::Database(const std::string& path, OpenMode mode) : path_(path) {
  // An empty name would be SQLite's private temporary database, deleted at exit.
  require_path(path, "the database path");
  const int flags = mode == OpenMode::read_only   ? SQLITE_OPEN_READONLY
                    : mode == OpenMode::read_write ? SQLITE_OPEN_READWRITE
                                                   : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
    std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error("cannot open " + path + ": " + msg);
  }
  // Another process (a shard, a report) may hold the file briefly.
  sqlite3_busy_timeout(db_, 10000);
}

Database::~Database() { sqlite3_close(db_); }

void Database::fail(const std::string& what) const {
  throw Error(path_ + ": " + what + ": " + sqlite3_errmsg(db_));
}

void Database::exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw Error(path_ + ": " + msg + " (in: " + sql.substr(0, 80) + ")");
  }
}

Statement Database::prepare(const std::string& sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) fail("cannot prepare '" + sql + "'");
  return Statement(*this, s);
}

Transaction::Transaction(Database& db) : db_(db) {
  if (!sqlite3_get_autocommit(db_.handle())) return;  // an outer transaction is open
  db_.exec("BEGIN IMMEDIATE");
  owns_ = true;
}

Transaction::~Transaction() {
  if (owns_ && !done_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  if (owns_) db_.exec("COMMIT");
  done_ = true;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int i, const std::string& v) {
  if (sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT) != SQLITE_OK)
    db_->fail("bind");
  return *this;
}
Statement& Statement::bind(int i, int64_t v) {
  sqlite3_bind_int64(stmt_, i, v);
  return *this;
}
Statement& Statement::bind(int i, double v) {
  sqlite3_bind_double(stmt_, i, v);
  return *this;
}
Statement& Statement::bind(int i, std::nullptr_t) {
  sqlite3_bind_null(stmt_, i);
  return *this;
}
Statement& Statement::bind(int i, const std::optional<std::string>& v) { return v ? bind(i, *v) : bind(i, nullptr); }
Statement& Statement::bind(int i, std::optional<int64_t> v) { return v ? bind(i, *v) : bind(i, nullptr); }
Statement& Statement::bind(int i, std::optional<double> v) { return v ? bind(i, *v) : bind(i, nullptr); }

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_->fail("step");
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int Statement::columns() const { return sqlite3_column_count(stmt_); }
std::string Statement::column_name(int i) const { return sqlite3_column_name(stmt_, i); }
bool Statement::is_null(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }
int Statement::type(int i) const { return sqlite3_column_type(stmt_, i); }
std::string Statement::text(int i) const {
  const unsigned char* t = sqlite3_column_text(stmt_, i);
  return t ? std::string(reinterpret_cast<const char*>(t), static_cast<size_t>(sqlite3_column_bytes(stmt_, i)))
           : std::string();
}
int64_t Statement::integer(int i) const { return sqlite3_column_int64(stmt_, i); }
double Statement::real(int i) const { return sqlite3_column_double(stmt_, i); }
std::optional<std::string> Statement::opt_text(int i) const {
  if (is_null(i)) return std::nullopt;
  return text(i);
}

}  // namespace fb::study
