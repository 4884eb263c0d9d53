#include <fmt/core.h>

#include "cli/commands.h"
#include "report/report.h"

namespace fb::cli {

void add_report_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("report", "Write the study's figures and findings from a results store");
  auto db = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>("report");
  auto roles = std::make_shared<report::BackendRoles>();
  cmd->add_option("store", *db, "results store (SQLite) written by `formbench study`")->required();
  cmd->add_option("-o,--out", *out, "output folder")->capture_default_str();
  cmd->add_option("--native", roles->native, "backend that plays the native framework")->capture_default_str();
  cmd->add_option("--accelerated", roles->accelerated, "backend that plays the accelerated engine")->capture_default_str();
  cmd->callback([db, out, roles] {
    auto s = report::write_report(*db, *out, *roles);
    fmt::print("report: {} measurements{}, {} figures drawn, {} not drawn (no data)\n{}\n", s.measurements,
               s.machines > 1 ? fmt::format(" of {} machines (one report each, linked from the index)", s.machines) : "",
               s.figures_drawn, s.figures_missing, s.index.string());
  });
}

}  // namespace fb::cli
