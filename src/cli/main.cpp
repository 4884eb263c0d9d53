// formbench: how much does hardware-specific acceleration speed up this
// architecture on this hardware, and why?
#include <fmt/core.h>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "common/error.h"

int main(int argc, char** argv) {
  CLI::App app{"formbench: measures how much hardware-specific acceleration speeds up a CNN architecture"};
  app.require_subcommand(1);
  fb::cli::add_list_command(app);
  fb::cli::add_describe_command(app);
  fb::cli::add_measure_command(app);
  fb::cli::add_bench_command(app);
  fb::cli::add_machine_command(app);
  fb::cli::add_report_command(app);
  fb::cli::add_study_command(app);
  fb::cli::add_merge_command(app);
  fb::cli::add_export_command(app);
  fb::cli::add_explain_command(app);
  fb::cli::add_run_command(app);
  fb::cli::add_profile_command(app);
  fb::cli::add_export_onnx_command(app);
  fb::cli::add_compare_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "formbench: error: {}\n", e.what());
    return 2;
  } catch (const fb::UsageError& e) {
    fmt::print(stderr, "formbench: error: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "formbench: failed: {}\n", e.what());
    return 1;
  }
  return 0;
}
