#include <fmt/core.h>

#include "backends/backend.h"
#include "cli/commands.h"
#include "cli/run_args.h"
#include "graph/weights.h"

namespace fb::cli {

void add_explain_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("explain", "Compile a model on a backend and print the compiled plan");
  auto args = std::make_shared<RunArgs>();
  args->add_to(*cmd, {.lists = false, .input = false});
  cmd->callback([args] {
    ModelSpec spec = args->model();
    BackendChoice choice = args->choice();
    Graph g = spec.build(args->batch());
    require_memory(choice, cost_of(g));  // before weights or a compile allocate anything
    auto exe = choice.backend->compile(g, spec.weights(g, 1), choice.options);
    const Precision p = choice.options.precision;
    fmt::print("{}  batch={}  backend={}  threads={}{}\n", spec.str(), args->batch(), choice.str(), args->threads(),
               p == Precision::fp32 ? "" : std::string("  precision=") + precision_name(p));
    const std::string plan = exe->explain();
    fmt::print("{}", plan.empty() ? "(this backend has no compiled plan to show)\n" : plan);
  });
}

}  // namespace fb::cli
