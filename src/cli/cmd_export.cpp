#include <fmt/core.h>

#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "common/error.h"
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
  cmd->add_option("-o,--output", a->output, "file to write (default: standard output)");
  cmd->callback([a] {
    if (!a->csv && !a->json) throw UsageError("export: say --csv or --json");
    study::Store store(a->db, /*create=*/false);
    std::ofstream file;
    if (!a->output.empty()) {
      file.open(a->output);
      if (!file) throw Error("cannot write " + a->output);
    }
    std::ostream& out = a->output.empty() ? std::cout : file;
    if (a->csv) study::export_csv(store, out);
    else study::export_json(store, out);
  });
}

}  // namespace fb::cli
