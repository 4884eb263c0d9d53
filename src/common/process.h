#pragma once
// The one way formbench starts another program (a measurement, valgrind,
// gnuplot): an argument vector passed to exec, never a shell, so no file name
// or store string is ever parsed as a command. What the child does cannot
// wedge the caller: the time limit holds even if it closes its output and
// keeps running, and nothing it started outlives it.
#include <string>
#include <utility>
#include <vector>

namespace fb {

struct ChildResult {
  int exit_code = -1;      // valid when signal == 0 and !timed_out
  int signal = 0;          // the signal that ended it, if any
  bool timed_out = false;  // killed by us after the timeout
  std::string out, err;    // raw bytes: everything on stdout; the last 64 KiB (or so) of stderr
  double seconds = 0;

  bool exited_cleanly() const { return !timed_out && signal == 0 && exit_code == 0; }
  // "exit code 3", "killed by signal 11 (SIGSEGV, Segmentation fault)", "timed out after 60 s and was killed"
  std::string describe() const;
};

using EnvVars = std::vector<std::pair<std::string, std::string>>;

// Runs argv (argv[0] looked up in PATH) with `env` set on top of this
// process's environment, stdin from /dev/null, and returns when it has ended.
// The child leads its own process group and dies with its caller. When it
// exits, or `timeout_s` seconds after the start, its whole group is killed
// (SIGKILL), so no descendant keeps running or holds its pipes. Throws Error
// for an empty argv or a timeout that is not a finite positive number (NaN
// would never fire, a negative one would kill at once). A program that cannot
// be started ends with exit code 127 and "cannot start ..." on stderr.
ChildResult run_child(const std::vector<std::string>& argv, const EnvVars& env, double timeout_s);

// This executable's path (readlink /proc/self/exe).
std::string self_exe();

}  // namespace fb
