#pragma once
// What a sweep tells its user while it runs: on a terminal one line redrawn
// in place (done/total, failures, elapsed, ETA, current configuration);
// otherwise (CI, Slurm logs) one plain line per finished configuration.
#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

namespace fb::study {

class Progress {
 public:
  Progress(std::ostream& out, bool tty, int64_t total, double estimated_total_s);
  void starting(const std::string& descriptor);
  // est_s: the planning estimate of the finished configuration, for the ETA.
  void finished(const std::string& descriptor, const std::string& status, const std::string& detail, double est_s);
  void message(const std::string& line);  // a plain line that does not break the progress line
  double elapsed_s() const;

 private:
  std::string status_line(const std::string& current) const;
  std::ostream& out_;
  bool tty_;
  int64_t total_, done_ = 0, failed_ = 0;
  double est_left_s_, est_done_s_ = 0;
  std::chrono::steady_clock::time_point start_;
  bool line_open_ = false;
};

std::string format_seconds(double s);  // "42s", "3m05s", "2h10m"

}  // namespace fb::study
