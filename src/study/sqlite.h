#pragma once
// A thin RAII layer over the SQLite C API: one connection, prepared
// statements with positional binding, errors as fb::Error naming the file.
#include <cstdint>
#include <optional>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace fb::study {

class Statement;

enum class OpenMode {
  read_only,   // never writes the file
  read_write,  // an existing file only
  create,      // creates a missing file (tests and the store's own builder)
};

class Database {
 public:
  explicit Database(const std::string& path, OpenMode mode = OpenMode::create);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void exec(const std::string& sql);  // one or more statements, no results
  Statement prepare(const std::string& sql);
  const std::string& path() const { return path_; }
  sqlite3* handle() { return db_; }
  [[noreturn]] void fail(const std::string& what) const;

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back if destroyed before commit().
// Inside an open transaction it does nothing: the outer one decides, so a
// merge can run many put()s as one transaction.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  void commit();

 private:
  Database& db_;
  bool owns_ = false, done_ = false;
};

class Statement {
 public:
  Statement(Database& db, sqlite3_stmt* stmt) : db_(&db), stmt_(stmt) {}
  Statement(Statement&& o) noexcept : db_(o.db_), stmt_(o.stmt_) { o.stmt_ = nullptr; }
  ~Statement();

  // Binds parameter i (1-based); nullopt binds NULL.
  Statement& bind(int i, const std::string& v);
  Statement& bind(int i, int64_t v);
  Statement& bind(int i, double v);
  Statement& bind(int i, std::nullptr_t);
  Statement& bind(int i, const std::optional<std::string>& v);
  Statement& bind(int i, std::optional<int64_t> v);
  Statement& bind(int i, std::optional<double> v);

  bool step();  // true while a row is available
  void run();   // step to completion, then reset for reuse
  void reset();

  int columns() const;
  std::string column_name(int i) const;
  bool is_null(int i) const;
  int type(int i) const;  // SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_NULL
  std::string text(int i) const;
  int64_t integer(int i) const;
  double real(int i) const;
  std::optional<std::string> opt_text(int i) const;

 private:
  Database* db_;
  sqlite3_stmt* stmt_;
};

}  // namespace fb::study
