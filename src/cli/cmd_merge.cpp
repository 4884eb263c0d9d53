#include <fmt/core.h>

#include <filesystem>

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
    for (const auto& in : *inputs) {
      if (!std::filesystem::exists(in)) throw UsageError("no such store: " + in);
      if (std::filesystem::exists(*output) && std::filesystem::equivalent(in, *output))
        throw UsageError("the output " + *output + " is also an input; give a new file with -o");
    }
    study::Store out(*output);
    for (const auto& in : *inputs) {
      auto s = study::merge_into(out, in, [](const std::string& note) { fmt::print(stderr, "{}\n", note); });
      fmt::print("{}: {} new rows, {} replaced, {} kept as they were, {} conflicts\n", in, s.inserted, s.replaced,
                 s.kept, s.conflicts);
    }
    fmt::print("{}: {} measurements ({} ok, {} failed, {} skipped)\n", *output, out.count(), out.count("ok"),
               out.count("failed"), out.count("skipped"));
  });
}

}  // namespace fb::cli
