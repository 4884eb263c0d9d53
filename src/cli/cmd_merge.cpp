#include <fmt/core.h>

#include "cli/commands.h"
#include "common/error.h"
#include "study/store.h"

namespace fb::cli {

void add_merge_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("merge", "Combine results stores (e.g. shards) into one, without duplicates");
  auto inputs = std::make_shared<std::vector<std::string>>();
  auto output = std::make_shared<std::string>();
  cmd->add_option("inputs", *inputs, "stores to merge")->required();
  cmd->add_option("-o,--output", *output, "the merged store (created if missing, else added to)")->required();
  cmd->callback([inputs, output] {
    auto r = study::merge_stores(*output, *inputs, [](const std::string& note) { fmt::print(stderr, "{}\n", note); });
    for (const auto& [in, s] : r.inputs)
      fmt::print("{}: {} new rows, {} replaced, {} kept as they were, {} conflicts, {} tuning timings copied\n", in,
                 s.inserted, s.replaced, s.kept, s.conflicts, s.tuning);
    fmt::print("{}: {} measurements ({} ok, {} failed, {} skipped)\n", *output, r.total, r.ok, r.failed, r.skipped);
  });
}

}  // namespace fb::cli
