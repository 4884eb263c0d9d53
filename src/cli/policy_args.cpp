#include "cli/policy_args.h"

#include <fmt/core.h>

#include "cli/number_options.h"

namespace fb::cli {
namespace {

constexpr double kDay = 86400;

}  // namespace

void PolicyArgs::add_to(CLI::App& cmd) {
  auto& s = policy_.stats;
  auto& i = policy_.interference;
  add_int_option(cmd, "--min-runs", s.min_runs, 1, 1'000'000, "timed runs at least");
  add_duration_option(cmd, "--min-time", s.min_time_s, 0, kDay, "timed seconds at least");
  add_real_option(cmd, "--target", s.target, 1e-4, 1,
                  "stop when the median's 95% CI half-width / median is within this");
  add_duration_option(cmd, "--budget", s.budget_s, 0.001, 7 * kDay,
                      "stop after this many timed seconds even if the target is not met");
  add_int_option(cmd, "--max-warmup", s.max_warmup, 1, 1'000'000, "warm-up runs at most");
  add_real_option(cmd, "--noise-threshold", i.threshold_pct, 0, 100,
                  "foreign CPU % above which a measurement is retried");
  add_int_option(cmd, "--max-retries", i.max_retries, 0, 1000, "retries of a noisy measurement");
  add_duration_option(cmd, "--cache-sim-timeout", policy_.cache_sim_timeout_s, 0.001, 7 * kDay,
                      "seconds allowed for the valgrind run");
}

std::vector<std::string> PolicyArgs::to_flags() const {
  const auto& s = policy_.stats;
  const auto& i = policy_.interference;
  return {"--min-runs", fmt::format("{}", s.min_runs), "--min-time", duration_flag(s.min_time_s),
          "--target", fmt::format("{}", s.target), "--budget", duration_flag(s.budget_s),
          "--max-warmup", fmt::format("{}", s.max_warmup), "--noise-threshold", fmt::format("{}", i.threshold_pct),
          "--max-retries", fmt::format("{}", i.max_retries), "--cache-sim-timeout",
          duration_flag(policy_.cache_sim_timeout_s)};
}

}  // namespace fb::cli
