#include <fmt/core.h>

#include "cli/commands.h"
#include "common/error.h"
#include "common/paths.h"
#include "study/store.h"

namespace fb::cli {

void add_export_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("export", "Write a results store as CSV or JSON (for pandas, R, ...)");
  struct Args {
    std::string db, output;
    bool csv = false, json = false;
  };
  auto a = std::make_shared<Args>();
  cmd->add_option("db", a->db, "results store")->required();
  auto* csv = cmd->add_flag("--csv", a->csv, "one row per measurement, the queryable columns");
  auto* json = cmd->add_flag("--json", a->json, "an array of rows, each with its whole record");
  csv->excludes(json);
  auto* output = cmd->add_option("-o,--output", a->output,
                  "file to write, whole or not at all (default: standard output); never the store itself");
  cmd->callback([a, output] {
    if (!a->csv && !a->json) throw UsageError("export: say --csv or --json");
    if (output->count() > 0) require_path(a->output, "-o");
    study::export_store(a->db, a->json, a->output);
  });
}

}  // namespace fb::cli
