#pragma once
// The last level a row's misses were simulated with, as its record states it
// (cache_sim.ll_geometry: valgrind's SIZE,ASSOC,LINE in bytes), so a figure
// can say in words which cache its misses are of: "6 MiB, 12-way, 64 B lines".
#include <compare>
#include <cstdint>
#include <string>

namespace fb::report {

struct LlGeometry {
  int64_t size_bytes = 0, assoc = 0, line_bytes = 0;
  std::string words() const;        // "6 MiB, 12-way, 64 B lines"
  std::string short_words() const;  // "6 MiB/12-way/64 B", for a legend entry
  auto operator<=>(const LlGeometry&) const = default;
};

// The record's text; UsageError naming the field when it is not three whole
// numbers in range (a store may come from someone else).
LlGeometry parse_ll_geometry(const std::string& text);

// A size in the largest binary unit that states it exactly to two decimals:
// "6 MiB", "1.5 MiB", "32 KiB", else bytes: "6000001 B".
std::string size_words(int64_t bytes);

}  // namespace fb::report
