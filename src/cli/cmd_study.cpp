#include <fmt/core.h>
#include <wordexp.h>

#include <iostream>

#include "backends/backend.h"
#include "cli/commands.h"
#include "cli/number_options.h"
#include "cli/preflight.h"
#include "common/error.h"
#include "common/paths.h"
#include "study/runner.h"

namespace fb::cli {
namespace {

// --measure-command is split into words as a shell would split them, with
// quotes and backslashes ("'/opt/my tools/formbench' measure"), but without
// running a shell: command substitution is refused, and so are undefined
// variables. The words then run through execvp, never through /bin/sh.
std::vector<std::string> split_command(const std::string& text) {
  wordexp_t w{};
  const int rc = wordexp(text.c_str(), &w, WRDE_NOCMD | WRDE_UNDEF);
  std::vector<std::string> words;
  if (rc == 0) words.assign(w.we_wordv, w.we_wordv + w.we_wordc);
  if (rc == 0 || rc == WRDE_NOSPACE) wordfree(&w);
  const std::string what = "--measure-command '" + text + "': ";
  if (rc == WRDE_CMDSUB) throw UsageError(what + "command substitution is not allowed; give the program and its arguments");
  if (rc == WRDE_BADVAL) throw UsageError(what + "names an undefined variable");
  if (rc == WRDE_BADCHAR)
    throw UsageError(what + "contains an unquoted | & ; < > ( ) { } or newline; quote it (no shell runs the command)");
  if (rc != 0) throw UsageError(what + "is not a command line (unbalanced quotes?)");
  if (words.empty()) throw UsageError(what + "is empty; give the program that measures one descriptor");
  return words;
}

// The backend layer's checks and memory policy, handed to the study layer
// (which links no backend).
void add_backend_checks(study::RunOptions& o) {
  auto choice = [](const study::Config& c) {
    BackendChoice b = choose_backend(c.backend, static_cast<int>(c.threads));
    b.options.isa = c.isa;
    b.options.precision = c.precision;
    return b;
  };
  o.check_config = [](const study::Config& c) { check_options(MeasureConfig::parse(c.descriptor)); };
  o.estimate_memory = [choice](const study::Config& c, const study::ConfigCost& cost) {
    GraphCost g;
    g.total.weight_bytes = cost.weight_bytes;
    g.total.activation_bytes = cost.all_activation_bytes;
    g.peak_activation_bytes = cost.peak_activation_bytes;
    return estimate_memory(choice(c), g, !c.cache_sim.empty());
  };
}

}  // namespace

void add_study_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("study", "Run a sweep (a preset or a TOML spec) into a results store; "
                                          "rerunning resumes. See docs/study.md");
  struct Args {
    std::string spec, db = "results.sqlite", shard, measure_command;
    double max_time_s = 0;
    bool retry_failed = false, dry_run = false, allow_loader_env = false, init_empty = false;
  };
  auto a = std::make_shared<Args>();
  cmd->add_option("spec", a->spec, "preset (quick, depth, width, cache, zoo, ablation, peers, paper) or spec.toml")
      ->required();
  cmd->add_option("--db", a->db, "results store (SQLite), created if missing")->capture_default_str();
  add_duration_option(*cmd, "--max-time", a->max_time_s, 1, 366 * 86400,
                      "start no new configuration after this long; rerun to resume")
      ->default_str("");
  cmd->add_option("--shard", a->shard, "run only shard i of N (0 <= i < N), e.g. 3/16");
  cmd->add_flag("--retry-failed", a->retry_failed, "also rerun configurations stored as failed or skipped");
  cmd->add_flag("--init-empty", a->init_empty,
                "let --db be an existing empty file (e.g. from mktemp); without it an empty file is refused");
  cmd->add_flag("--dry-run", a->dry_run, "print the grid, its size and an estimated time; measure nothing");
  cmd->add_flag("--allow-loader-env", a->allow_loader_env,
                "let the spec's env.* set LD_PRELOAD, LD_LIBRARY_PATH, PATH and the like (docs/measurement.md)");
  cmd->add_option("--measure-command", a->measure_command,
                  "command that measures one descriptor, split into words like a shell would (quotes keep "
                  "spaces; no shell runs it); default: this formbench's 'measure'");
  cmd->callback([a] {
    require_path(a->spec, "the spec");
    require_path(a->db, "--db");
    study::SweepSpec spec = study::load_spec(a->spec);
    study::RunOptions o;
    o.db_path = a->db;
    o.max_time_s = a->max_time_s;
    if (!a->shard.empty()) o.shard = study::Shard::parse(a->shard);
    o.retry_failed = a->retry_failed;
    o.allow_loader_env = a->allow_loader_env;
    o.init_empty = a->init_empty;
    if (!a->measure_command.empty()) o.measure_command = split_command(a->measure_command);
    for (const auto& b : backend_registry()) o.known_backends.push_back(b->name());
    add_backend_checks(o);
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
