// The guarantees of the store and its outputs as a user meets them through
// formbench: export never writes over its store, outputs are whole or absent
// (full disk included), hostile files are left alone, empty paths and bad
// schema versions are refused, and two runners on one store share the grid.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>

#include "study/child.h"
#include "study/store.h"
#include "test_util.h"

namespace fb::study {
namespace {

using testing::bytes_of;
using testing::hostile_store_files;
using testing::read_lines;
using testing::twelve_configuration_spec;
using testing::ScratchDir;
using testing::write_file;

struct Result {
  int code;
  std::string out;  // stderr, then stdout
};

Result run(std::vector<std::string> args) {
  args.insert(args.begin(), FORMBENCH_BIN);
  ChildResult r = run_child(args, 60);
  return {r.exit_code, r.err + r.out};
}

// A store with `n` ok rows on one machine.
void make_store(const std::string& path, int n, const std::string& error_text = "") {
  Store s(path, StoreAccess::create);
  s.add_machine({"m1", "Test CPU", "6.1", "host", 2, 1 << 30});
  for (int i = 0; i < n; ++i) {
    const std::string d = "pattern:standard depth=" + std::to_string(i + 1) + " backend=torch batch=1 threads=1";
    MeasurementRecord r = testing::ok_record(d, 1.5);
    r.json["padding"] = std::string(200, 'x');  // kept as written: a larger store
    s.put({d, "m1", std::nullopt, "ok", error_text, testing::record_text(r), "2024-01-01T00:00:00.000Z",
           "2024-01-01T00:00:01.000Z"});
  }
}

TEST(StoreOutputsCli, ExportRefusesToWriteOverItsOwnStore) {
  ScratchDir dir;
  const std::string db = dir / "S.sqlite";
  make_store(db, 3);
  std::filesystem::create_symlink(db, dir / "link.csv");
  const std::string before = bytes_of(db);
  for (const std::string& out : {db, dir / "link.csv", db + "-wal"}) {
    Result r = run({"export", db, "--csv", "-o", out});
    EXPECT_EQ(r.code, 2) << r.out;
    EXPECT_NE(r.out.find("formbench: error: the output " + out + " is the input "), std::string::npos) << r.out;
    EXPECT_EQ(bytes_of(db), before) << "export wrote over its store through " << out;
  }
  EXPECT_EQ(Store(db, StoreAccess::read_only).count(), 3);
}

// formbench export in a child whose files may not grow past 64 KiB (as on a
// full disk); returns its exit code, its stderr in `err`.
int export_with_small_file_limit(const std::string& db, const std::string& out, std::string& err) {
  const std::string err_file = out + ".stderr";
  pid_t pid = fork();
  if (pid == 0) {
    int fd = open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 2);
    signal(SIGXFSZ, SIG_IGN);
    rlimit lim{65536, 65536};
    setrlimit(RLIMIT_FSIZE, &lim);
    execl(FORMBENCH_BIN, FORMBENCH_BIN, "export", db.c_str(), "--json", "-o", out.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  err = bytes_of(err_file);
  std::filesystem::remove(err_file);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST(StoreOutputsCli, AFullDiskFailsTheExportAndKeepsTheOldOutput) {
  ScratchDir dir;
  const std::string db = dir / "S.sqlite", out = dir / "old.json";
  make_store(db, 400);  // about 150 KiB of JSON
  write_file(out, "[\"the previous export\"]\n");
  std::string err;
  EXPECT_EQ(export_with_small_file_limit(db, out, err), 1) << err;
  EXPECT_NE(err.find("cannot write " + out + ": File too large; " + out + " was left as it was"), std::string::npos)
      << err;
  EXPECT_EQ(bytes_of(out), "[\"the previous export\"]\n");
  for (const auto& e : std::filesystem::directory_iterator(dir / ""))
    EXPECT_EQ(e.path().filename().string().find(".old.json.tmp"), std::string::npos) << "temporary left: " << e.path();
}

TEST(StoreOutputsCli, ANonUtf8ByteInAStoredRowIsExportedNotFatal) {
  ScratchDir dir;
  const std::string db = dir / "S.sqlite", out = dir / "out.json";
  make_store(db, 2, "stderr: caf\xc3 cut mid-character \xff");
  Result r = run({"export", db, "--json", "-o", out});
  EXPECT_EQ(r.code, 0) << r.out;
  auto j = nlohmann::json::parse(bytes_of(out));  // whole, valid JSON
  ASSERT_EQ(j.size(), 2u);
  EXPECT_NE(j[0]["error"].get<std::string>().find("caf\xef\xbf\xbd"), std::string::npos) << j[0]["error"];
}

TEST(StoreOutputsCli, HostileStoreFilesAreRefusedByEveryCommandAndLeftByteForByte) {
  ScratchDir dir;
  write_file(dir / "spec.toml", "[[group]]\npatterns = [\"standard\"]\ndepth = 1\nwidth = 8\nres = 16\n"
                                "backends = [\"reference\"]\nthreads = [1]\n");
  for (const std::string& f : hostile_store_files(dir)) {
    const std::string before = bytes_of(f);
    const std::vector<std::vector<std::string>> commands = {
        {"export", f, "--csv"},
        {"merge", f, "-o", dir / "merged.sqlite"},
        {"merge", dir / "merged-ok.sqlite", "-o", f},
        {"study", dir / "spec.toml", "--db", f, "--measure-command", FAKE_MEASURE_BIN},
        {"report", f, "-o", dir / "report"},
    };
    make_store(dir / "merged-ok.sqlite", 1);
    for (const auto& c : commands) {
      Result r = run(c);
      EXPECT_EQ(r.code, 2) << c[0] << " " << f << "\n" << r.out;
      EXPECT_NE(r.out.find(f), std::string::npos) << "the message names the file: " << r.out;
      EXPECT_EQ(bytes_of(f), before) << c[0] << " modified " << f;
    }
    EXPECT_FALSE(std::filesystem::exists(dir / "merged.sqlite"));
  }
  Result init = run({"study", dir / "spec.toml", "--db", dir / "empty.sqlite", "--init-empty", "--measure-command",
                     FAKE_MEASURE_BIN});
  EXPECT_EQ(init.code, 0) << init.out;
  EXPECT_EQ(Store(dir / "empty.sqlite", StoreAccess::read_only).count("ok"), 1);
}

TEST(StoreOutputsCli, EmptyPathsAreRefusedBeforeAnythingRuns) {
  ScratchDir dir;
  make_store(dir / "S.sqlite", 1);
  write_file(dir / "spec.toml", "[[group]]\npatterns = [\"standard\"]\ndepth = 1\nwidth = 8\nres = 16\n"
                                "backends = [\"reference\"]\nthreads = [1]\n");
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"study", dir / "spec.toml", "--db", "", "--measure-command", FAKE_MEASURE_BIN}, "--db is an empty path"},
      {{"study", "", "--db", dir / "x.sqlite"}, "the spec is an empty path"},
      {{"export", dir / "S.sqlite", "--csv", "-o", ""}, "-o is an empty path"},
      {{"export", "", "--csv"}, "the store to export is an empty path"},
      {{"merge", dir / "S.sqlite", "-o", ""}, "the merge output (-o) is an empty path"},
      {{"merge", "", "-o", dir / "m.sqlite"}, "a merge input is an empty path"},
      {{"report", dir / "S.sqlite", "-o", ""}, "the report folder (-o) is an empty path"},
      {{"report", "", "-o", dir / "r"}, "the store is an empty path"},
  };
  for (const auto& [args, expected] : cases) {
    Result r = run(args);
    EXPECT_EQ(r.code, 2) << args[0] << "\n" << r.out;
    EXPECT_NE(r.out.find("formbench: error: " + expected + "; give a real one"), std::string::npos) << r.out;
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "x.sqlite"));
  EXPECT_FALSE(std::filesystem::exists(dir / "m.sqlite"));
}

TEST(StoreOutputsCli, ABadSchemaVersionIsRefusedNamingTheFile) {
  ScratchDir dir;
  const std::string db = dir / "S.sqlite";
  make_store(db, 1);
  for (std::string v : {"-1", "abc", "1abc", "99999999999999999999"}) {
    { Database(db, OpenMode::read_write).prepare("UPDATE meta SET value = ?").bind(1, v).run(); }
    Result r = run({"export", db, "--csv"});
    EXPECT_EQ(r.code, 2) << v << ": " << r.out;
    EXPECT_NE(r.out.find(db + ": meta.schema_version is '" + v + "', not a schema version"), std::string::npos) << r.out;
  }
}

TEST(StoreOutputsCli, TwoRunnersOnOneStoreMeasureEachConfigurationOnce) {
  ScratchDir dir;
  const std::string spec = dir / "spec.toml", db = dir / "shared.sqlite", log = dir / "measured.log";
  write_file(spec, twelve_configuration_spec("shared"));
  std::vector<pid_t> runners;
  for (int i = 0; i < 2; ++i) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      setenv("FAKE_MEASURE_SLEEP_MS", "150", 1);
      setenv("FAKE_MEASURE_LOG", log.c_str(), 1);
      const std::string err = dir / ("runner" + std::to_string(i) + ".log");
      freopen(err.c_str(), "w", stderr);
      execl(FORMBENCH_BIN, FORMBENCH_BIN, "study", spec.c_str(), "--db", db.c_str(), "--measure-command",
            FAKE_MEASURE_BIN, static_cast<char*>(nullptr));
      _exit(127);
    }
    runners.push_back(pid);
  }
  for (size_t i = 0; i < runners.size(); ++i) {
    int status = 0;
    waitpid(runners[i], &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "runner " << i << ":\n" << bytes_of(dir / ("runner" + std::to_string(i) + ".log"));
  }
  auto measured = read_lines(log);
  EXPECT_EQ(measured.size(), 12u) << "a configuration was measured twice (or not at all)";
  EXPECT_EQ(std::set<std::string>(measured.begin(), measured.end()).size(), 12u);
  Store s(db, StoreAccess::read_only);
  EXPECT_EQ(s.count("ok"), 12);
  auto claims = s.db().prepare("SELECT count(*) FROM claims");
  claims.step();
  EXPECT_EQ(claims.integer(0), 0) << "a finished runner left a claim";
}

}  // namespace
}  // namespace fb::study
