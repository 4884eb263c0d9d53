#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "backends/backend.h"
#include "cli/commands.h"
#include "graph/cost.h"
#include "models/catalog.h"

namespace fb::cli {

void add_list_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("list", "List the models (design patterns, zoo) and backends");
  auto json = std::make_shared<bool>(false);
  cmd->add_flag("--json", *json, "machine-readable output");
  cmd->callback([json] {
    nlohmann::json out{{"models", nlohmann::json::array()}, {"backends", nlohmann::json::array()}};
    if (!*json) fmt::print("{:<26} {:>12} {:>12} {:>9}  {}\n", "model (defaults)", "params", "learnable", "GMACs",
                          "description");
    for (const auto& m : model_catalog()) {
      ModelSpec spec = resolve_model(Descriptor{m.name, {}});
      GraphCost c = cost_of(spec.build(1));
      nlohmann::json knobs = nlohmann::json::object();
      for (const auto& k : m.knobs) knobs[k.name] = k.default_value;
      out["models"].push_back({{"name", m.name}, {"family", m.family}, {"summary", m.summary},
                               {"descriptor", spec.str()}, {"knobs", knobs},
                               {"params", c.total.params}, {"learnable_params", c.total.learnable_params},
                               {"macs", c.total.macs}});
      if (!*json)
        fmt::print("{:<26} {:>12} {:>12} {:>9.3f}  {}\n", m.name, c.total.params, c.total.learnable_params,
                   c.total.macs / 1e9, m.summary);
    }
    if (!*json) fmt::print("\nbackends:\n");
    for (const auto& b : backend_registry()) {
      out["backends"].push_back({{"name", b->name()}, {"summary", b->summary()}});
      if (!*json) fmt::print("  {:<24} {}\n", b->name(), b->summary());
    }
    if (*json) fmt::print("{}\n", out.dump(2));
    else
      fmt::print("\nMACs at batch 1 and default knobs; FLOPs = 2 x MACs. params: all stored parameters "
                 "(BN: gamma, beta, mean, var); learnable: without BN running statistics, as published "
                 "tables (torchvision, papers) count.\n");
  });
}

}  // namespace fb::cli
