#pragma once
// One function per subcommand: each adds its options to the app and sets the
// callback that runs it. The callbacks call one library function and print.
#include <CLI/CLI.hpp>

namespace fb::cli {

void add_list_command(CLI::App& app);
void add_describe_command(CLI::App& app);
void add_measure_command(CLI::App& app);
void add_bench_command(CLI::App& app);
void add_machine_command(CLI::App& app);
void add_report_command(CLI::App& app);
void add_study_command(CLI::App& app);
void add_merge_command(CLI::App& app);
void add_export_command(CLI::App& app);
void add_explain_command(CLI::App& app);
void add_run_command(CLI::App& app);
void add_profile_command(CLI::App& app);
void add_export_onnx_command(CLI::App& app);
void add_compare_command(CLI::App& app);

}  // namespace fb::cli
