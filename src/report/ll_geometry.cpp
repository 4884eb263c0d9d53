#include "report/ll_geometry.h"

#include <fmt/core.h>

#include <sstream>
#include <vector>

#include "common/error.h"
#include "common/parse_number.h"

namespace fb::report {
namespace {

// Far above any cache, far below overflow of the arithmetic here.
constexpr int64_t kMaxSize = int64_t{1} << 50, kMaxWays = 1 << 20, kMaxLine = 1 << 20;
constexpr size_t kMaxShown = 48;  // of a malformed field's text in the message

}  // namespace

std::string size_words(int64_t bytes) {
  static const std::pair<int64_t, const char*> units[] = {{int64_t{1} << 40, "TiB"}, {1 << 30, "GiB"}, {1 << 20, "MiB"}, {1 << 10, "KiB"}};
  for (const auto& [unit, name] : units) {
    if (bytes < unit || bytes * 100 % unit != 0) continue;
    std::string n = fmt::format("{:.2f}", static_cast<double>(bytes) / static_cast<double>(unit));
    while (n.back() == '0') n.pop_back();
    if (n.back() == '.') n.pop_back();
    return n + " " + name;
  }
  return fmt::format("{} B", bytes);
}

std::string LlGeometry::words() const {
  return fmt::format("{}, {}-way, {} B lines", size_words(size_bytes), assoc, line_bytes);
}

std::string LlGeometry::short_words() const { return fmt::format("{}/{}-way/{} B", size_words(size_bytes), assoc, line_bytes); }

LlGeometry parse_ll_geometry(const std::string& text) {
  const std::string shown = text.size() <= kMaxShown ? "'" + text + "'" : fmt::format("({} bytes)", text.size());
  const std::string what = "record field cache_sim.ll_geometry " + shown;
  std::vector<std::string> parts;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, ',');) parts.push_back(part);
  if (parts.size() != 3 || text.back() == ',') throw UsageError(what + " is not SIZE,ASSOC,LINE in bytes");
  return {parse_int(parts[0], what + ": size", 1, kMaxSize), parse_int(parts[1], what + ": associativity", 1, kMaxWays),
          parse_int(parts[2], what + ": line size", 1, kMaxLine)};
}

}  // namespace fb::report
