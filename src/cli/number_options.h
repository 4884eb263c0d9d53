#pragma once
// CLI options whose values go through the shared strict parser
// (common/parse_number.h) instead of CLI11's own conversion, so that every
// number on the command line is whole-string, finite and range-checked, and
// refused with a message naming the option and its range.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "common/parse_number.h"

namespace fb::cli {

inline constexpr double kUnbounded = std::numeric_limits<double>::max();

template <typename T>
CLI::Option* add_int_option(CLI::App& cmd, const std::string& name, T& target, int64_t min, int64_t max,
                            const std::string& help) {
  return cmd
      .add_option_function<std::string>(
          name, [&target, name, min, max](const std::string& s) { target = static_cast<T>(parse_int(s, name, min, max)); },
          help + " (" + std::to_string(min) + ".." + std::to_string(max) + ")")
      ->default_str(std::to_string(target));
}

// A comma-separated list of integers, each in [min, max]: "--batch 1,8,32".
template <typename T>
CLI::Option* add_int_list_option(CLI::App& cmd, const std::string& name, std::vector<T>& target, int64_t min,
                                 int64_t max, const std::string& help) {
  std::string def;
  for (const T& v : target) def += (def.empty() ? "" : ",") + std::to_string(v);
  return cmd
      .add_option_function<std::vector<std::string>>(
          name,
          [&target, name, min, max](const std::vector<std::string>& v) {
            target.clear();
            for (const auto& s : v) target.push_back(static_cast<T>(parse_int(s, name, min, max)));
          },
          help + " (each " + std::to_string(min) + ".." + std::to_string(max) + ")")
      ->delimiter(',')
      ->default_str(def);
}

CLI::Option* add_real_option(CLI::App& cmd, const std::string& name, double& target, double min, double max,
                             const std::string& help);

// Seconds written as 90, 90s, 15m, 2h or 1h30m.
CLI::Option* add_duration_option(CLI::App& cmd, const std::string& name, double& target, double min_s, double max_s,
                                 const std::string& help);

// Seconds as a flag value a child's add_duration_option reads back exactly
// enough (no exponent form, which the duration grammar does not take).
std::string duration_flag(double seconds);

}  // namespace fb::cli
