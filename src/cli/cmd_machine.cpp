#include <fmt/core.h>
#include <unistd.h>

#include "cli/commands.h"
#include "measure/machine_probe.h"

namespace fb::cli {

void add_machine_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("machine", "Probe peak fp32 GFLOP/s and the bandwidth of each cache level and DRAM; cache them for rooflines");
  auto threads = std::make_shared<int>(static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN)));
  auto json = std::make_shared<bool>(false);
  cmd->add_option("--threads", *threads, "threads to probe with")->capture_default_str()->check(CLI::PositiveNumber);
  cmd->add_flag("--json", *json, "machine-readable output");
  cmd->callback([threads, json] {
    MachineLimits m = probe_machine(*threads);
    store_machine_limits(m);
    for (const auto& n : m.noisy)
      fmt::print(stderr, "warning: {} was probed while other processes used the CPU; run `formbench machine` again "
                         "on a quiet machine\n", n);
    if (*json) {
      nlohmann::json levels = nlohmann::json::array();
      for (const auto& l : m.levels) levels.push_back(to_json(l));
      fmt::print("{}\n", nlohmann::json{{"cpu_model", m.cpu_model}, {"threads", m.threads},
                                        {"peak_gflops", m.peak_gflops}, {"bandwidth_gbs", m.bandwidth_gbs},
                                        {"levels", levels}, {"cache_file", machine_cache_path()}}.dump(2));
      return;
    }
    fmt::print("cpu:        {}\nthreads:    {}\n", m.cpu_model, m.threads);
    fmt::print("peak fp32:  {:.1f} GFLOP/s (oneDNN sgemm)\nbandwidth:  {:.1f} GB/s (triad)\n", m.peak_gflops,
               m.bandwidth_gbs);
    for (const auto& l : m.levels)
      fmt::print("{:<5} read: {:.1f} GB/s{}\n", l.name, l.bandwidth_gbs,
                 l.capacity_bytes ? fmt::format(" (holds {:.0f} KiB on {} thread{}; {:.0f} KiB per instance)",
                                                l.capacity_bytes / 1024.0, m.threads, m.threads == 1 ? "" : "s",
                                                l.size_bytes / 1024.0)
                                  : "");
    fmt::print("ridge:      {:.1f} FLOP/byte\nmethod:     {}\ncached in:  {}\n", m.peak_gflops / m.bandwidth_gbs,
               m.method, machine_cache_path());
  });
}

}  // namespace fb::cli
