#include <fmt/core.h>

#include "backends/backend.h"
#include "cli/commands.h"
#include "cli/model_args.h"
#include "graph/weights.h"

namespace fb::cli {

void add_explain_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("explain", "Compile a model on a backend and print the compiled plan");
  auto args = std::make_shared<ModelArgs>();
  auto backend = std::make_shared<std::string>("onednn");
  auto batch = std::make_shared<int64_t>(1);
  auto threads = std::make_shared<int>(1);
  auto isa = std::make_shared<std::string>();
  args->add_to(*cmd);
  cmd->add_option("--backend", *backend, "backend[:variant], e.g. onednn:nofuse,plain");
  cmd->add_option("--batch", *batch, "batch size")->check(CLI::PositiveNumber);
  cmd->add_option("--threads", *threads, "threads");
  cmd->add_option("--isa", *isa, "highest ISA the backend may use (avx2, avx512_core, ...)");
  cmd->callback([=] {
    ModelSpec spec = args->model();
    BackendChoice choice = choose_backend(*backend, *threads);
    choice.options.isa = *isa;
    Graph g = spec.build(*batch);
    auto exe = choice.backend->compile(g, spec.weights(g, 1), choice.options);
    fmt::print("{}  batch={}  backend={}  threads={}\n", spec.str(), *batch, choice.str(), *threads);
    const std::string plan = exe->explain();
    fmt::print("{}", plan.empty() ? "(this backend has no compiled plan to show)\n" : plan);
  });
}

}  // namespace fb::cli
