#include "study/progress.h"

#include <fmt/core.h>

namespace fb::study {

std::string format_seconds(double s) {
  if (s < 0) s = 0;
  auto t = static_cast<int64_t>(s + 0.5);
  if (t < 60) return fmt::format("{}s", t);
  if (t < 3600) return fmt::format("{}m{:02d}s", t / 60, t % 60);
  return fmt::format("{}h{:02d}m", t / 3600, (t % 3600) / 60);
}

Progress::Progress(std::ostream& out, bool tty, int64_t total, double estimated_total_s)
    : out_(out), tty_(tty), total_(total), est_left_s_(estimated_total_s), start_(std::chrono::steady_clock::now()) {}

double Progress::elapsed_s() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

std::string Progress::status_line(const std::string& current) const {
  // The estimate scaled by how fast the finished configurations went against theirs.
  const double scale = est_done_s_ > 0 ? elapsed_s() / est_done_s_ : 1.0;
  std::string line = fmt::format("[{}/{}] {} failed  elapsed {}  ETA {}", done_, total_, failed_,
                                 format_seconds(elapsed_s()), format_seconds(est_left_s_ * scale));
  if (!current.empty()) line += "  " + current;
  return line;
}

void Progress::starting(const std::string& descriptor) {
  if (!tty_) return;
  std::string line = status_line(descriptor);
  if (line.size() > 150) line = line.substr(0, 147) + "...";
  out_ << "\r\033[K" << line << std::flush;
  line_open_ = true;
}

void Progress::finished(const std::string& descriptor, const std::string& status, const std::string& detail,
                        double est_s) {
  ++done_;
  if (status == "failed") ++failed_;
  est_left_s_ -= est_s;
  if (est_left_s_ < 0) est_left_s_ = 0;
  if (status != "skipped" && status != "taken") est_done_s_ += est_s;
  if (tty_) {
    if (status != "ok") message(fmt::format("{}: {}  {}", status, descriptor, detail));
    return;
  }
  out_ << fmt::format("[{}/{}] {:<7} {}  {}\n", done_, total_, status, descriptor, detail) << std::flush;
}

void Progress::message(const std::string& line) {
  if (line_open_) out_ << "\r\033[K";
  line_open_ = false;
  out_ << line << "\n" << std::flush;
}

}  // namespace fb::study
