// A peer process: a conversation over its stdin and stdout, and every way it
// can end badly (cannot start, exits, wedges, dies mid-write) as an Error
// that says how, within the time limit, never a hang or a SIGPIPE.
#include <gtest/gtest.h>
#include <signal.h>

#include <cerrno>
#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "common/error.h"
#include "common/peer_process.h"

namespace fb {
namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(nothing thrown)";
}

bool process_exists(pid_t pid) { return kill(pid, 0) == 0 || errno != ESRCH; }

TEST(PeerProcess, LinesAndBytesRoundTrip) {
  PeerProcess cat({"cat"}, "cat");
  const std::string text = "hello peer\n";
  cat.write_all(text.data(), text.size(), 10);
  EXPECT_EQ(cat.read_line(100, 10), "hello peer");
  std::string bytes(4000, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 31);
  cat.write_all(bytes.data(), bytes.size(), 10);
  std::string back(bytes.size(), 'x');
  cat.read_exact(back.data(), back.size(), 10);
  EXPECT_EQ(back, bytes);
}

TEST(PeerProcess, ArgumentsAreNeverParsedByAShell) {
  PeerProcess echo({"/bin/echo", "$(id)", "a b;c"}, "echo");
  EXPECT_EQ(echo.read_line(100, 10), "$(id) a b;c");
}

TEST(PeerProcess, ProgramThatCannotStartSaysWhy) {
  const std::string m = error_of([] { PeerProcess p({"/nonexistent/program"}, "the test peer"); });
  EXPECT_EQ(m, "cannot start the test peer (/nonexistent/program): No such file or directory");
}

TEST(PeerProcess, EndOfOutputSaysHowItEndedAndItsStderr) {
  PeerProcess p({"/bin/sh", "-c", "echo 'what went wrong' >&2; exit 3"}, "the test peer");
  char c;
  const std::string m = error_of([&] { p.read_exact(&c, 1, 10); });
  EXPECT_EQ(m, "the test peer closed its output (exit code 3); its stderr ends: what went wrong");
}

TEST(PeerProcess, SilentPeerTimesOut) {
  PeerProcess p({"sleep", "30"}, "the test peer");
  const auto start = std::chrono::steady_clock::now();
  char c;
  const std::string m = error_of([&] { p.read_exact(&c, 1, 0.3); });
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 5.0);
  EXPECT_EQ(m, "the test peer sent nothing for 0.3 s and was killed; nothing on its stderr");
  EXPECT_FALSE(process_exists(p.pid()));
}

TEST(PeerProcess, PeerThatStopsReadingTimesOutOnWrite) {
  PeerProcess p({"sleep", "30"}, "the test peer");
  const std::string big(4 << 20, 'x');  // far beyond a pipe's buffer
  const std::string m = error_of([&] { p.write_all(big.data(), big.size(), 0.3); });
  EXPECT_EQ(m, "the test peer took no input for 0.3 s and was killed; nothing on its stderr");
}

TEST(PeerProcess, WriteToADeadPeerIsAnErrorNotSigpipe) {
  PeerProcess p({"/bin/sh", "-c", "exec 0<&-; echo bye >&2; exit 0"}, "the test peer");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const std::string data(1 << 20, 'x');
  const std::string m = error_of([&] { p.write_all(data.data(), data.size(), 10); });
  EXPECT_EQ(m, "the test peer stopped reading its input (exit code 0); its stderr ends: bye");
  EXPECT_THROW(p.write_all(data.data(), 1, 10), Error) << "a failed peer stays failed";
}

TEST(PeerProcess, DestructorEndsThePeer) {
  pid_t pid;
  {
    PeerProcess p({"sleep", "30"}, "the test peer");
    pid = p.pid();
    ASSERT_TRUE(process_exists(pid));
  }
  EXPECT_FALSE(process_exists(pid));
}

TEST(PeerProcess, OverlongLineIsRefused) {
  PeerProcess p({"/bin/sh", "-c", "printf 'aaaaaaaaaaaaaaaaaaaa\\n'"}, "the test peer");
  const std::string m = error_of([&] { p.read_line(10, 10); });
  EXPECT_EQ(m.rfind("the test peer wrote a line longer than 10 bytes", 0), 0u) << m;
}

}  // namespace
}  // namespace fb
