// Claims: who may measure a configuration when runners share a store.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ctime>

#include "study/store.h"
#include "test_util.h"

namespace fb::study {
namespace {

using testing::ScratchDir;

std::string host() {
  char buf[256] = {};
  gethostname(buf, sizeof(buf) - 1);
  return buf;
}

// A pid that is certainly dead: a child that has exited and been reaped.
int64_t dead_pid() {
  pid_t pid = fork();
  if (pid == 0) _exit(0);
  waitpid(pid, nullptr, 0);
  return pid;
}

void hold(Store& s, const std::string& d, const std::string& h, int64_t pid, int64_t expires_at) {
  s.db().prepare("INSERT OR REPLACE INTO claims VALUES (?, 'm1', ?, ?, 0, ?)").bind(1, d).bind(2, h).bind(3, pid)
      .bind(4, expires_at).run();
}

struct Claims : ::testing::Test {
  ScratchDir dir;
  Store s{dir / "r.sqlite", StoreAccess::create};
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  void SetUp() override { s.add_machine({"m1", "cpu", "k", "h", 1, 1}); }
  Store::Claim claim(const std::string& d, bool retry = false) {
    return s.claim(d, "m1", "2024-06-01T00:00:00.000Z", retry, 600);
  }
};

TEST_F(Claims, AFreeConfigurationIsTakenOnceAndReleasedByItsMeasurement) {
  EXPECT_EQ(claim("a"), Store::Claim::taken);
  EXPECT_EQ(claim("a"), Store::Claim::taken);  // its own claim again
  s.put({"a", "m1", std::nullopt, "ok", "", "{}", "2024-06-01T00:00:01.000Z", "2024-06-01T00:00:02.000Z"});
  auto q = s.db().prepare("SELECT count(*) FROM claims");
  q.step();
  EXPECT_EQ(q.integer(0), 0);
  EXPECT_EQ(claim("a"), Store::Claim::stored_meanwhile);
}

TEST_F(Claims, ALiveRunnerKeepsItsClaimADeadOneLosesIt) {
  hold(s, "live", host(), getppid(), now + 600);  // the test runner's parent is alive
  hold(s, "dead", host(), dead_pid(), now + 600);
  EXPECT_EQ(claim("live"), Store::Claim::held_by_another);
  EXPECT_EQ(claim("dead"), Store::Claim::taken);
}

TEST_F(Claims, AnotherHostsClaimHoldsUntilItsLeaseRunsOut) {
  hold(s, "leased", "some-other-host", 1, now + 600);
  hold(s, "lapsed", "some-other-host", 1, now - 1);
  EXPECT_EQ(claim("leased"), Store::Claim::held_by_another);
  EXPECT_EQ(claim("lapsed"), Store::Claim::taken);
}

TEST_F(Claims, RetryingFailedRowsSkipsOnlyThoseRetriedMeanwhile) {
  s.put({"old", "m1", std::nullopt, "failed", "x", "{}", "2024-01-01T00:00:00.000Z", "2024-01-01T00:00:00.000Z"});
  s.put({"new", "m1", std::nullopt, "failed", "x", "{}", "2024-07-01T00:00:00.000Z", "2024-07-01T00:00:00.000Z"});
  EXPECT_EQ(claim("old", /*retry=*/false), Store::Claim::stored_meanwhile);
  EXPECT_EQ(claim("old", /*retry=*/true), Store::Claim::taken);
  EXPECT_EQ(claim("new", /*retry=*/true), Store::Claim::stored_meanwhile);
}

}  // namespace
}  // namespace fb::study
