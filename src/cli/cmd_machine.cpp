#include <fmt/core.h>
#include <unistd.h>

#include "cli/commands.h"
#include "measure/machine_probe.h"

namespace fb::cli {

void add_machine_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("machine", "Probe peak fp32 GFLOP/s and memory bandwidth; cache them for rooflines");
  auto threads = std::make_shared<int>(static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN)));
  auto json = std::make_shared<bool>(false);
  cmd->add_option("--threads", *threads, "threads to probe with")->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_flag("--json", *json, "machine-readable output");
  cmd->callback([threads, json] {
    MachineLimits m = probe_machine(*threads);
    store_machine_limits(m);
    if (*json) {
      fmt::print("{}\n", nlohmann::json{{"cpu_model", m.cpu_model}, {"threads", m.threads},
                                        {"peak_gflops", m.peak_gflops}, {"bandwidth_gbs", m.bandwidth_gbs},
                                        {"cache_file", machine_cache_path()}}.dump(2));
      return;
    }
    fmt::print("cpu:        {}\nthreads:    {}\n", m.cpu_model, m.threads);
    fmt::print("peak fp32:  {:.1f} GFLOP/s\nbandwidth:  {:.1f} GB/s\n", m.peak_gflops, m.bandwidth_gbs);
    fmt::print("ridge:      {:.1f} FLOP/byte\nmethod:     {}\ncached in:  {}\n", m.peak_gflops / m.bandwidth_gbs,
               m.method, machine_cache_path());
  });
}

}  // namespace fb::cli
