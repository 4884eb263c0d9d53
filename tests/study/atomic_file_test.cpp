// Outputs are written whole or not at all: a failure half-way (an exception,
// a full disk) leaves the old file and no temporary; an output that is an
// input is refused before anything is opened.
#include "common/atomic_file.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/error.h"
#include "test_util.h"

namespace fb {
namespace {

using study::testing::read_lines;
using study::testing::ScratchDir;
using study::testing::write_file;

int entries(const ScratchDir& dir) {
  int n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir / "")) ++n;
  return n;
}

TEST(AtomicFile, WritesTheWholeFileOnCommit) {
  ScratchDir dir;
  write_file(dir / "out.txt", "old\n");
  {
    AtomicFile f(dir / "out.txt");
    f.out() << "new\n";
    EXPECT_EQ(read_lines(dir / "out.txt"), std::vector<std::string>{"old"}) << "visible before commit";
    f.commit();
  }
  EXPECT_EQ(read_lines(dir / "out.txt"), std::vector<std::string>{"new"});
  EXPECT_EQ(entries(dir), 1);
}

TEST(AtomicFile, AnExceptionHalfWayLeavesTheOldFileAndNoTemporary) {
  ScratchDir dir;
  write_file(dir / "out.txt", "old\n");
  try {
    AtomicFile f(dir / "out.txt");
    for (int i = 0; i < 100000; ++i) f.out() << "row " << i << "\n";  // well past the buffer: bytes hit the disk
    throw std::runtime_error("injected");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(read_lines(dir / "out.txt"), std::vector<std::string>{"old"});
  EXPECT_EQ(entries(dir), 1) << "a temporary file was left behind";
}

// In a child limited to 64 KiB per file (SIGXFSZ ignored, so writes fail
// with EFBIG as on a full disk): the exit code says whether commit() threw.
int write_past_file_size_limit(const std::string& path) {
  pid_t pid = fork();
  if (pid == 0) {
    signal(SIGXFSZ, SIG_IGN);
    rlimit lim{65536, 65536};
    setrlimit(RLIMIT_FSIZE, &lim);
    try {
      AtomicFile f(path);
      for (int i = 0; i < 100000; ++i) f.out() << "row " << i << "\n";
      f.commit();
    } catch (const Error& e) {
      _exit(std::string(e.what()).find("cannot write " + path + ": File too large") == 0 ? 3 : 4);
    }
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(AtomicFile, AFullDiskIsAnErrorAndLeavesTheOldFile) {
  ScratchDir dir;
  write_file(dir / "out.txt", "old\n");
  EXPECT_EQ(write_past_file_size_limit(dir / "out.txt"), 3);
  EXPECT_EQ(read_lines(dir / "out.txt"), std::vector<std::string>{"old"});
  EXPECT_EQ(entries(dir), 1);
}

TEST(AtomicFile, RefusesAnOutputThatIsAnInputDirectlyOrThroughASymlink) {
  ScratchDir dir;
  write_file(dir / "in.txt", "precious\n");
  std::filesystem::create_symlink(dir / "in.txt", dir / "link.txt");
  std::filesystem::create_directory(dir / "sub");
  for (const std::string& out : {dir / "in.txt", dir / "link.txt", dir / "sub/../in.txt"}) {
    try {
      AtomicFile f(out, {dir / "in.txt"});
      FAIL() << out;
    } catch (const UsageError& e) {
      EXPECT_EQ(std::string(e.what()), "the output " + out + " is the input " + (dir / "in.txt") +
                                           "; writing it would destroy what is read. Give another output file");
    }
  }
  EXPECT_EQ(read_lines(dir / "in.txt"), std::vector<std::string>{"precious"});
  // A new file next to the input is fine.
  write_file_atomically(dir / "out.txt", "x", {dir / "in.txt"});
  EXPECT_EQ(read_lines(dir / "out.txt"), std::vector<std::string>{"x"});
}

TEST(AtomicFile, WritesThroughASymlinkAndKeepsTheTargetsMode) {
  ScratchDir dir;
  write_file(dir / "target.txt", "old\n");
  chmod((dir / "target.txt").c_str(), 0640);
  std::filesystem::create_symlink(dir / "target.txt", dir / "link.txt");
  write_file_atomically(dir / "link.txt", "new\n");
  EXPECT_TRUE(std::filesystem::is_symlink(dir / "link.txt"));
  EXPECT_EQ(read_lines(dir / "target.txt"), std::vector<std::string>{"new"});
  struct stat st {};
  stat((dir / "target.txt").c_str(), &st);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
}

TEST(AtomicFile, RefusesAnEmptyPathAndSaysWhyWhenTheFolderIsMissing) {
  EXPECT_THROW(AtomicFile f(""), UsageError);
  ScratchDir dir;
  try {
    AtomicFile f(dir / "no/such/folder/out.txt");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "cannot write " + (dir / "no/such/folder/out.txt") +
                                         ": No such file or directory; " + (dir / "no/such/folder/out.txt") +
                                         " was left as it was");
  }
}

}  // namespace
}  // namespace fb
