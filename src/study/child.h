#pragma once
// Runs one command as a child process with a time limit, capturing stdout
// and stderr. The child leads its own process group (so a timeout kills
// whatever it started too) and dies with its parent (so a killed sweep leaves
// no measurement running behind it).
#include <string>
#include <vector>

namespace fb::study {

struct ChildResult {
  int exit_code = -1;  // valid when signal == 0 and !timed_out
  int signal = 0;      // the signal that ended it, if any
  bool timed_out = false;
  std::string out, err;  // err keeps its last 64 KiB
  double seconds = 0;

  bool exited_cleanly() const { return !timed_out && signal == 0 && exit_code == 0; }
  std::string describe() const;  // "exit code 3", "killed by SIGSEGV", "timed out after 60 s"
};

ChildResult run_child(const std::vector<std::string>& argv, double timeout_s);

}  // namespace fb::study
