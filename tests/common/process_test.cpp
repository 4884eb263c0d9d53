// The one child runner: exit codes, signals, environment, and a time limit
// that holds whatever the child does.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "common/error.h"
#include "common/process.h"

namespace fb {
namespace {

TEST(RunChild, ExitCodeAndOutput) {
  ChildResult r = run_child({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"}, {}, 10);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
  EXPECT_EQ(r.describe(), "exit code 3");
}

TEST(RunChild, ArgumentsAreNeverParsedByAShell) {
  ChildResult r = run_child({"/bin/echo", "$(touch x)", "`id`", "a b;c"}, {}, 10);
  EXPECT_TRUE(r.exited_cleanly());
  EXPECT_EQ(r.out, "$(touch x) `id` a b;c\n");
}

TEST(RunChild, EnvironmentOverrides) {
  ChildResult r = run_child({"/bin/sh", "-c", "echo $FB_CHILD_TEST"}, {{"FB_CHILD_TEST", "a=b c"}}, 10);
  EXPECT_TRUE(r.exited_cleanly());
  EXPECT_EQ(r.out, "a=b c\n");
}

TEST(RunChild, StdinIsEmpty) {
  ChildResult r = run_child({"/bin/cat"}, {}, 10);
  EXPECT_TRUE(r.exited_cleanly());
  EXPECT_EQ(r.out, "");
}

TEST(RunChild, SignalIsNamed) {
  ChildResult r = run_child({"/bin/sh", "-c", "kill -SEGV $$"}, {}, 10);
  EXPECT_FALSE(r.exited_cleanly());
  EXPECT_NE(r.describe().find("SIGSEGV"), std::string::npos) << r.describe();
}

TEST(RunChild, TimeoutKills) {
  ChildResult r = run_child({"/bin/sh", "-c", "sleep 30 & wait"}, {}, 0.3);
  EXPECT_TRUE(r.timed_out);
  EXPECT_FALSE(r.exited_cleanly());
  EXPECT_LT(r.seconds, 5);
}

// The read loop used to end at EOF and then wait for the child for as long as it lived.
TEST(RunChild, TimeoutHoldsForAChildThatClosesItsOutput) {
  ChildResult r = run_child({"/bin/sh", "-c", "exec >&- 2>&-; sleep 30"}, {}, 0.5);
  EXPECT_TRUE(r.timed_out);
  EXPECT_LT(r.seconds, 5) << "the child outlived its time limit";
  EXPECT_EQ(r.describe(), "timed out after 1 s and was killed");
}

// A child that exits is done, even if something it started still holds its output.
TEST(RunChild, ExitEndsTheRunAndWhatTheChildLeftBehind) {
  ChildResult r = run_child({"/bin/sh", "-c", "echo before; sleep 30 & echo after; exit 4"}, {}, 20);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_EQ(r.out, "before\nafter\n");
  EXPECT_LT(r.seconds, 5) << "waited for the background sleep";
}

TEST(RunChild, TimeoutsThatCannotWorkAreRefused) {
  const double bad[] = {std::numeric_limits<double>::quiet_NaN(), -1, 0, std::numeric_limits<double>::infinity()};
  for (double t : bad) {
    try {
      run_child({"/bin/true"}, {}, t);
      ADD_FAILURE() << "timeout " << t << " was accepted";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("time limit for /bin/true must be a finite number of seconds above 0"),
                std::string::npos)
          << e.what();
    }
  }
}

TEST(RunChild, MissingProgram) {
  ChildResult r = run_child({"/nonexistent/formbench"}, {}, 10);
  EXPECT_EQ(r.exit_code, 127);
  EXPECT_EQ(r.err, "cannot start /nonexistent/formbench: No such file or directory\n");
}

}  // namespace
}  // namespace fb
