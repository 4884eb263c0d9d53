#pragma once
// Running one measurement in its own process (common/process.h). A crash, a
// signal, a timeout or output that is not a JSON record becomes a failed
// record that says what happened, so a sweep never dies with its child. Used
// by `formbench bench` and the cache simulation.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/process.h"

namespace fb {

using Record = nlohmann::json;

struct ChildOptions {
  std::string exe;                 // formbench binary; empty = this process's own (/proc/self/exe)
  std::vector<std::string> flags;  // extra `measure` flags, e.g. {"--budget", "5"}
  EnvVars env;
  double timeout_s = 900;
};

// Runs `formbench measure DESCRIPTOR` and returns its record, or a failed
// record carrying the exit status / signal / timeout and the stderr tail
// (as valid UTF-8 whatever bytes the child wrote).
Record run_measure_child(const std::string& descriptor, const ChildOptions& opts = {});

// A record with status "failed" and the given error text.
Record failed_record(const std::string& descriptor, const std::string& error);

}  // namespace fb
