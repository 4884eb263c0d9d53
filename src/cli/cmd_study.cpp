#include <fmt/core.h>

#include <iostream>
#include <sstream>

#include "backends/backend.h"
#include "cli/commands.h"
#include "common/error.h"
#include "study/runner.h"

namespace fb::cli {

void add_study_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("study", "Run a sweep (a preset or a TOML spec) into a results store; "
                                          "rerunning resumes. See docs/study.md");
  struct Args {
    std::string spec, db = "results.sqlite", max_time, shard, measure_command;
    bool retry_failed = false, dry_run = false, allow_loader_env = false;
  };
  auto a = std::make_shared<Args>();
  cmd->add_option("spec", a->spec, "preset (quick, depth, width, cache, zoo, ablation, paper) or spec.toml")
      ->required();
  cmd->add_option("--db", a->db, "results store (SQLite), created if missing")->capture_default_str();
  cmd->add_option("--max-time", a->max_time, "start no new configuration after this long, e.g. 30m; rerun to resume");
  cmd->add_option("--shard", a->shard, "run only shard i of N (0 <= i < N), e.g. 3/16");
  cmd->add_flag("--retry-failed", a->retry_failed, "also rerun configurations stored as failed or skipped");
  cmd->add_flag("--dry-run", a->dry_run, "print the grid, its size and an estimated time; measure nothing");
  cmd->add_flag("--allow-loader-env", a->allow_loader_env,
                "let the spec's env.* set LD_PRELOAD, LD_LIBRARY_PATH, PATH and the like (docs/measurement.md)");
  cmd->add_option("--measure-command", a->measure_command,
                  "command that measures one descriptor (default: this formbench's 'measure')");
  cmd->callback([a] {
    study::SweepSpec spec = study::load_spec(a->spec);
    study::RunOptions o;
    o.db_path = a->db;
    if (!a->max_time.empty()) o.max_time_s = study::parse_duration(a->max_time, "--max-time");
    if (!a->shard.empty()) o.shard = study::Shard::parse(a->shard);
    o.retry_failed = a->retry_failed;
    o.allow_loader_env = a->allow_loader_env;
    std::istringstream words(a->measure_command);
    for (std::string w; words >> w;) o.measure_command.push_back(w);
    for (const auto& b : backend_registry()) o.known_backends.push_back(b->name());
    o.command_line = "formbench study " + a->spec + " --db " + a->db +
                     (a->shard.empty() ? "" : " --shard " + a->shard) + (a->retry_failed ? " --retry-failed" : "") + (a->allow_loader_env ? " --allow-loader-env" : "");
    if (a->dry_run) {
      fmt::print("{}", study::dry_run(spec, o));
      return;
    }
    study::run_sweep(spec, o);
  });
}

}  // namespace fb::cli
