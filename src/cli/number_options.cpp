#include "cli/number_options.h"

#include <fmt/core.h>

namespace fb::cli {

CLI::Option* add_real_option(CLI::App& cmd, const std::string& name, double& target, double min, double max,
                             const std::string& help) {
  const std::string range = max == kUnbounded ? fmt::format("at least {:g}", min) : fmt::format("{:g}..{:g}", min, max);
  return cmd
      .add_option_function<std::string>(
          name, [&target, name, min, max](const std::string& s) { target = parse_real(s, name, min, max); },
          help + " (" + range + ")")
      ->default_str(fmt::format("{:g}", target));
}

CLI::Option* add_duration_option(CLI::App& cmd, const std::string& name, double& target, double min_s, double max_s,
                                 const std::string& help) {
  const std::string range = max_s == kUnbounded ? "at least " + format_duration(min_s)
                                                : format_duration(min_s) + ".." + format_duration(max_s);
  return cmd
      .add_option_function<std::string>(
          name, [&target, name, min_s, max_s](const std::string& s) { target = parse_duration(s, name, min_s, max_s); },
          help + "; e.g. 90s, 15m, 2h (" + range + ")")
      ->default_str(format_duration(target));
}

std::string duration_flag(double seconds) { return fmt::format("{:.6f}", seconds); }

}  // namespace fb::cli
