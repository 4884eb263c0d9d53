#pragma once
// Running one measurement in its own process. A crash, a signal, a timeout or
// output that is not a JSON record becomes a failed record that says what
// happened, so a sweep never dies with its child. Used by `formbench bench`
// and the study runner alike.
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace fb {

using Record = nlohmann::json;

struct ChildResult {
  int exit_code = -1;      // valid when signal == 0 and !timed_out
  int signal = 0;          // the signal that ended it, if any
  bool timed_out = false;  // killed by us after the timeout
  std::string out, err;    // everything on stdout; the last 64 KiB of stderr
  double seconds = 0;

  bool exited_cleanly() const { return !timed_out && signal == 0 && exit_code == 0; }
  // "exit code 3", "killed by signal 11 (SIGSEGV, Segmentation fault)", "timed out after 60 s and was killed"
  std::string describe() const;
};

using EnvVars = std::vector<std::pair<std::string, std::string>>;

// argv[0] is looked up in PATH. `env` entries are set on top of this
// process's environment. The child leads its own process group (a timeout
// kills whatever it started too) and dies with its parent (a killed sweep
// leaves no measurement running behind it).
ChildResult run_child(const std::vector<std::string>& argv, const EnvVars& env, double timeout_s);

struct ChildOptions {
  std::string exe;                 // formbench binary; empty = this process's own (/proc/self/exe)
  std::vector<std::string> flags;  // extra `measure` flags, e.g. {"--budget", "5"}
  EnvVars env;
  double timeout_s = 900;
};

// Runs `formbench measure DESCRIPTOR` and returns its record, or a failed
// record carrying the exit status / signal / timeout and the stderr tail.
Record run_measure_child(const std::string& descriptor, const ChildOptions& opts = {});

// A record with status "failed" and the given error text.
Record failed_record(const std::string& descriptor, const std::string& error);

// This executable's path (readlink /proc/self/exe).
std::string self_exe();

}  // namespace fb
