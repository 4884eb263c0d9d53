#include "cli/policy_args.h"

#include <fmt/core.h>

namespace fb::cli {

void PolicyArgs::add_to(CLI::App& cmd) {
  auto& s = policy_.stats;
  auto& i = policy_.interference;
  cmd.add_option("--min-runs", s.min_runs, "timed runs at least")->capture_default_str()->check(CLI::PositiveNumber);
  cmd.add_option("--min-time", s.min_time_s, "timed seconds at least")->capture_default_str()->check(CLI::NonNegativeNumber);
  cmd.add_option("--target", s.target, "stop when the median's 95% CI half-width / median is within this")
      ->capture_default_str()->check(CLI::PositiveNumber);
  cmd.add_option("--budget", s.budget_s, "stop after this many timed seconds even if the target is not met")
      ->capture_default_str()->check(CLI::PositiveNumber);
  cmd.add_option("--max-warmup", s.max_warmup, "warm-up runs at most")->capture_default_str()->check(CLI::PositiveNumber);
  cmd.add_option("--noise-threshold", i.threshold_pct, "foreign CPU % above which a measurement is retried")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  cmd.add_option("--max-retries", i.max_retries, "retries of a noisy measurement")
      ->capture_default_str()->check(CLI::NonNegativeNumber);
  cmd.add_option("--cache-sim-timeout", policy_.cache_sim_timeout_s, "seconds allowed for the valgrind run")
      ->capture_default_str()->check(CLI::PositiveNumber);
}

std::vector<std::string> PolicyArgs::to_flags() const {
  const auto& s = policy_.stats;
  const auto& i = policy_.interference;
  return {"--min-runs", fmt::format("{}", s.min_runs), "--min-time", fmt::format("{}", s.min_time_s),
          "--target", fmt::format("{}", s.target), "--budget", fmt::format("{}", s.budget_s),
          "--max-warmup", fmt::format("{}", s.max_warmup), "--noise-threshold", fmt::format("{}", i.threshold_pct),
          "--max-retries", fmt::format("{}", i.max_retries), "--cache-sim-timeout",
          fmt::format("{}", policy_.cache_sim_timeout_s)};
}

}  // namespace fb::cli
