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
  int exit_code = -1;    // when it exited
  int signal = 0;        // when a signal ended it
  bool timed_out = false;  // killed by us after the timeout
  std::string out, err;  // everything it wrote
  bool ok() const { return !timed_out && signal == 0 && exit_code == 0; }
  std::string describe() const;  // "exited with status 3", "killed by SIGSEGV", "timed out after 2 s"
};

// argv[0] is the program path (no PATH search). `env` entries are set on top
// of this process's environment. The child is killed (SIGKILL, whole process
// group) after timeout_s.
ChildResult run_child(const std::vector<std::string>& argv, const std::vector<std::pair<std::string, std::string>>& env,
                      double timeout_s);

struct ChildOptions {
  std::string exe;                 // formbench binary; empty = this process's own (/proc/self/exe)
  std::vector<std::string> flags;  // extra `measure` flags, e.g. {"--budget", "5"}
  std::vector<std::pair<std::string, std::string>> env;
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
