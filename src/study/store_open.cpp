// Opening a store without harming what is at the path: the file is checked
// (regular, non-empty, SQLite header, a formbench meta table with a version
// this formbench reads) before anything writes to it. A new store is built
// whole in a temporary file next to the path and linked into place.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "common/error.h"
#include "common/paths.h"
#include "study/store.h"

namespace fb::study {
namespace {

constexpr char kSqliteHeader[16] = "SQLite format 3";  // with its terminating NUL: 16 bytes

enum class FileKind { missing, empty, sqlite };

// What is at `path`, read without changing it; UsageError for anything that
// cannot be a store.
FileKind inspect(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return FileKind::missing;
    throw UsageError("cannot open the store " + path + ": " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) throw UsageError(path + " is not a file; give the path of a results store (.sqlite)");
  if (st.st_size == 0) return FileKind::empty;
  char head[16] = {};
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw UsageError("cannot open the store " + path + ": " + std::strerror(errno));
  const ssize_t n = ::read(fd, head, sizeof(head));
  ::close(fd);
  if (n != static_cast<ssize_t>(sizeof(head)) || std::memcmp(head, kSqliteHeader, sizeof(head)) != 0)
    throw UsageError(path + " is not a formbench store (not an SQLite file); it was left as it was");
  return FileKind::sqlite;
}

void set_pragmas(Database& db) {
  // WAL: readers (a report) never block the sweep writing; each commit is one append.
  db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
}

}  // namespace

std::string build_new_store_file(const std::string& path) {
  std::filesystem::path p(path);
  std::filesystem::path dir = p.has_parent_path() ? p.parent_path() : ".";
  std::string tmpl = (dir / ("." + p.filename().string() + ".new-XXXXXX")).string();
  int fd = ::mkostemp(tmpl.data(), O_CLOEXEC);
  if (fd < 0) throw Error("cannot create the store " + path + ": " + std::strerror(errno));
  ::close(fd);
  try {
    Database db(tmpl, OpenMode::read_write);
    set_pragmas(db);
    migrate_store(db, 0);
  } catch (...) {
    remove_store_file(tmpl);
    throw;
  }
  return tmpl;
}

void remove_store_file(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) ::unlink((path + suffix).c_str());
}

bool publish_new_store(const std::string& temp, const std::string& path, bool replace) {
  int rc = replace ? ::rename(temp.c_str(), path.c_str()) : ::link(temp.c_str(), path.c_str());
  const int err = errno;
  remove_store_file(temp);
  if (rc == 0) return true;
  if (!replace && err == EEXIST) return false;
  throw Error("cannot create the store " + path + ": " + std::strerror(err));
}

Store::Store(const std::string& path, bool create)
    : Store(path, create ? StoreAccess::create : StoreAccess::read_write) {}

Store::Store(const std::string& path, StoreAccess access)
    : db_(prepare_file(path, access), access == StoreAccess::read_only ? OpenMode::read_only : OpenMode::read_write) {
  const int version = read_schema_version(db_);
  if (access == StoreAccess::read_only) return;
  set_pragmas(db_);
  migrate_store(db_, version);
}

std::string Store::prepare_file(const std::string& path, StoreAccess access) {
  require_path(path, "the results store path");
  const bool may_create = access == StoreAccess::create || access == StoreAccess::create_over_empty;
  switch (inspect(path)) {
    case FileKind::sqlite: {
      // Checked through a read-only connection: even closing a read-write
      // one may write (a checkpoint of another program's WAL).
      Database probe(path, OpenMode::read_only);
      read_schema_version(probe);
      break;
    }
    case FileKind::missing:
      if (!may_create) throw UsageError("no such store: " + path);
      // Built whole elsewhere, then linked: a concurrent runner either sees
      // no file or a complete store, and the first to link wins.
      publish_new_store(build_new_store_file(path), path, /*replace=*/false);
      break;
    case FileKind::empty:
      if (access != StoreAccess::create_over_empty)
        throw UsageError(path + " is an empty file, not a formbench store; it was left as it was" +
                         (may_create ? std::string(". Pass --init-empty to make it a new store, or give a path "
                                                   "that does not exist")
                                     : std::string()));
      publish_new_store(build_new_store_file(path), path, /*replace=*/true);
      break;
  }
  return path;
}

}  // namespace fb::study
