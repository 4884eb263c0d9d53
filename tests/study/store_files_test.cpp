// Hostile and odd store files: what is not a formbench store is refused with
// a message naming it and left byte for byte as it was; schema versions are
// read strictly; empty paths are refused; only creating access makes a store.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "common/error.h"
#include "study/store.h"
#include "test_util.h"

namespace fb::study {
namespace {

using testing::bytes_of;
using testing::hostile_store_files;
using testing::ScratchDir;
using testing::write_file;

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const UsageError& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("not a UsageError: ") + e.what();
  }
  return "no error";
}

TEST(StoreFiles, HostileFilesAreRefusedAndLeftByteForByte) {
  ScratchDir dir;
  for (const std::string& path : hostile_store_files(dir)) {
    const std::string before = bytes_of(path);
    for (StoreAccess access : {StoreAccess::read_only, StoreAccess::read_write, StoreAccess::create}) {
      const std::string msg = message_of([&] { Store s(path, access); });
      EXPECT_NE(msg.find(path), std::string::npos) << msg;
      EXPECT_NE(msg.find("store"), std::string::npos) << msg;
      EXPECT_NE(msg.find("left as it was"), std::string::npos) << msg;
      EXPECT_EQ(bytes_of(path), before) << path << " was modified by opening it";
    }
  }
}

TEST(StoreFiles, AnEmptyFileBecomesAStoreOnlyWhenTheUserSaysSo) {
  ScratchDir dir;
  const std::string path = dir / "empty.sqlite";
  write_file(path, "");
  EXPECT_NE(message_of([&] { Store s(path, StoreAccess::create); }).find("Pass --init-empty"), std::string::npos);
  EXPECT_EQ(bytes_of(path), "");
  Store s(path, StoreAccess::create_over_empty);
  EXPECT_EQ(s.schema_version(), kSchemaVersion);
}

TEST(StoreFiles, OnlyCreatingAccessMakesANewStore) {
  ScratchDir dir;
  EXPECT_EQ(message_of([&] { Store s(dir / "a.sqlite", StoreAccess::read_only); }), "no such store: " + (dir / "a.sqlite"));
  EXPECT_EQ(message_of([&] { Store s(dir / "a.sqlite", StoreAccess::read_write); }), "no such store: " + (dir / "a.sqlite"));
  EXPECT_FALSE(std::filesystem::exists(dir / "a.sqlite"));
  { Store s(dir / "a.sqlite", StoreAccess::create); }
  EXPECT_EQ(Store(dir / "a.sqlite", StoreAccess::read_only).schema_version(), kSchemaVersion);
  // No temporary is left in the folder (a reader may leave the store's -wal and -shm).
  for (const auto& e : std::filesystem::directory_iterator(dir / ""))
    EXPECT_EQ(e.path().filename().string().rfind("a.sqlite", 0), 0u) << e.path();
}

TEST(StoreFiles, ReadOnlyAccessNeverWrites) {
  ScratchDir dir;
  const std::string path = dir / "r.sqlite";
  { Store(path, StoreAccess::create).add_machine({"m1", "cpu", "k", "h", 1, 1}); }
  const std::string before = bytes_of(path);
  Store s(path, StoreAccess::read_only);
  EXPECT_THROW(s.add_machine({"m2", "cpu", "k", "h", 1, 1}), Error);
  EXPECT_EQ(bytes_of(path), before);
}

TEST(StoreFiles, SchemaVersionIsParsedStrictly) {
  ScratchDir dir;
  const std::string path = dir / "v.sqlite";
  { Store s(path, StoreAccess::create); }
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"-1", "meta.schema_version is '-1', not a schema version"},
      {"abc", "meta.schema_version is 'abc', not a schema version"},
      {"1abc", "meta.schema_version is '1abc', not a schema version"},
      {" 1", "meta.schema_version is ' 1', not a schema version"},
      {"", "meta.schema_version is '', not a schema version"},
      {"99999999999999999999999", "meta.schema_version is '99999999999999999999999', not a schema version"},
      {"4294967297", "meta.schema_version is '4294967297', not a schema version"},
      {"0", "meta.schema_version is 0, which no formbench writes"},
      {std::to_string(kSchemaVersion + 1), "has schema version " + std::to_string(kSchemaVersion + 1) +
                                               ", this formbench reads up to " + std::to_string(kSchemaVersion) +
                                               "; use a newer formbench"},
  };
  for (const auto& [value, expected] : cases) {
    {
      Database db(path, OpenMode::read_write);
      db.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").bind(1, value).run();
    }
    const std::string before = bytes_of(path);
    for (StoreAccess access : {StoreAccess::read_only, StoreAccess::read_write}) {
      const std::string msg = message_of([&] { Store s(path, access); });
      EXPECT_EQ(msg.rfind(path, 0), 0u) << "names the file first: " << msg;
      EXPECT_NE(msg.find(expected), std::string::npos) << value << ": " << msg;
      EXPECT_EQ(bytes_of(path), before);
    }
  }
  EXPECT_NE(message_of([] { parse_schema_version("f", "1\n"); }).find("'1?'"), std::string::npos);
  EXPECT_EQ(parse_schema_version("f", "2"), 2);
}

TEST(StoreFiles, AVersionOneStoreIsReadAsItIsAndMigratedForWriting) {
  ScratchDir dir;
  const std::string path = dir / "v1.sqlite";
  {
    Store s(path, StoreAccess::create);
    s.db().exec("DROP TABLE memberships; DROP TABLE experiments; DROP TABLE claims; "
                "UPDATE meta SET value = '1' WHERE key = 'schema_version'");
  }
  EXPECT_EQ(Store(path, StoreAccess::read_only).schema_version(), 1);
  EXPECT_EQ(Store(path, StoreAccess::read_write).schema_version(), kSchemaVersion);
}

TEST(StoreFiles, EmptyPathsAreRefusedEverywhere) {
  const std::string expected = "is an empty path; give a real one";
  EXPECT_NE(message_of([] { Store s("", StoreAccess::create); }).find(expected), std::string::npos);
  EXPECT_NE(message_of([] { Store s("", StoreAccess::read_only); }).find(expected), std::string::npos);
  EXPECT_NE(message_of([] { Database d("", OpenMode::create); }).find(expected), std::string::npos);
  EXPECT_NE(message_of([] { merge_stores("", {"x"}, [](const std::string&) {}); }).find(expected), std::string::npos);
  EXPECT_NE(message_of([] { merge_stores("out", {""}, [](const std::string&) {}); }).find(expected), std::string::npos);
  EXPECT_NE(message_of([] { export_store("", false, "x"); }).find(expected), std::string::npos);
}

}  // namespace
}  // namespace fb::study
