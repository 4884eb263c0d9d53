#include <fmt/core.h>

#include "cli/commands.h"
#include "cli/policy_args.h"
#include "common/error.h"
#include "common/json_dump.h"
#include "measure/measure.h"
#include "cli/preflight.h"
#include "cli/tuning_store.h"

namespace fb::cli {

void add_measure_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("measure", "Measure one configuration in this process and print its JSON record");
  auto tokens = std::make_shared<std::vector<std::string>>();
  auto args = std::make_shared<PolicyArgs>();
  auto sim_child = std::make_shared<bool>(false);
  auto tune_cache = std::make_shared<std::string>();
  cmd->add_option("descriptor", *tokens,
                  "MODEL knob=... backend=NAME[:VARIANT] batch=N threads=N [isa=...] [cache_sim=host|i5-7600k|S,A,L] "
                  "[env.NAME=value ...]")
      ->required();
  args->add_to(*cmd);
  auto* tune_opt = cmd->add_option("--tune-cache", *tune_cache,
                  "results store whose tuning table keeps the tuner's timings for this machine (created if missing): "
                  "what is found there is not timed again, what is timed is saved");
  cmd->add_flag("--cache-sim-child", *sim_child, "internal: the run under valgrind")->group("");
  cmd->callback([tokens, args, sim_child, tune_cache, tune_opt] {
    std::string text;
    for (const auto& t : *tokens) text += t + " ";
    MeasureConfig c = MeasureConfig::parse(text);  // bad descriptor: UsageError, exit 2
    if (!*sim_child) check_fits(c);                // options and memory, before anything is allocated
    if (*sim_child) {
      cache_sim_child(c, args->policy());
      return;
    }
    reexec_with_config_env(c);
    MeasurePolicy policy = args->policy();
    if (tune_opt->count() > 0) policy.tuning_cache = open_tuning_store(*tune_cache);  // before any work: a clear error
    Record r;
    try {
      r = measure(c, policy);
    } catch (const UsageError&) {
      throw;
    } catch (const std::exception& e) {
      fmt::print("{}\n", dump_json(failed_record(c.str(), e.what())));
      std::fflush(stdout);
      std::exit(1);
    }
    fmt::print("{}\n", dump_json(r));
  });
}

}  // namespace fb::cli
