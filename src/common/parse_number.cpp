#include "common/parse_number.h"

#include <charconv>
#include <cmath>
#include <fmt/core.h>

#include "common/error.h"

namespace fb {
namespace {

std::string quoted(std::string_view what, std::string_view text) {
  return fmt::format("{}: '{}'", what, text);
}

std::string int_range(int64_t min, int64_t max) {
  constexpr int64_t lo = std::numeric_limits<int64_t>::min(), hi = std::numeric_limits<int64_t>::max();
  if (min == lo && max == hi) return "it must fit in 64 bits";
  if (max == hi) return fmt::format("at least {}", min);
  return fmt::format("{}..{}", min, max);
}

std::string real_range(double min, double max) {
  if (min == std::numeric_limits<double>::lowest() && max == std::numeric_limits<double>::max())
    return "a finite number";
  if (max == std::numeric_limits<double>::max()) return fmt::format("at least {:g}", min);
  return fmt::format("{:g}..{:g}", min, max);
}

std::string duration_range(double min_s, double max_s) {
  if (max_s == std::numeric_limits<double>::max()) return "at least " + format_duration(min_s);
  return format_duration(min_s) + ".." + format_duration(max_s);
}

}  // namespace

int64_t parse_int(std::string_view text, std::string_view what, int64_t min, int64_t max) {
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  const bool whole = ptr == text.data() + text.size() && !text.empty();
  if (ec == std::errc::result_out_of_range && whole)
    throw UsageError(quoted(what, text) + " is out of range (" + int_range(min, max) + ")");
  if (ec != std::errc() || !whole) {
    const bool unbounded = min == std::numeric_limits<int64_t>::min() && max == std::numeric_limits<int64_t>::max();
    throw UsageError(quoted(what, text) + " is not a whole number" + (unbounded ? "" : "; expected " + int_range(min, max)));
  }
  if (v < min || v > max) throw UsageError(quoted(what, text) + " is out of range (" + int_range(min, max) + ")");
  return v;
}

double check_real(double v, std::string_view what, double min, double max) {
  if (!std::isfinite(v) || v < min || v > max)
    throw UsageError(fmt::format("{}: {:g} is out of range ({})", what, v, real_range(min, max)));
  return v;
}

double parse_real(std::string_view text, std::string_view what, double min, double max) {
  double v = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v, std::chars_format::general);
  const bool whole = ptr == text.data() + text.size() && !text.empty();
  if (ec == std::errc::result_out_of_range && whole)
    throw UsageError(quoted(what, text) + " is out of range (" + real_range(min, max) + ")");
  if (ec != std::errc() || !whole || !std::isfinite(v))
    throw UsageError(quoted(what, text) + " is not a number; expected " + real_range(min, max));
  if (v < min || v > max) throw UsageError(quoted(what, text) + " is out of range (" + real_range(min, max) + ")");
  return v;
}

double check_duration(double seconds, std::string_view what, double min_s, double max_s) {
  if (!std::isfinite(seconds) || seconds < min_s || seconds > max_s)
    throw UsageError(fmt::format("{}: {:g} s is out of range ({})", what, seconds, duration_range(min_s, max_s)));
  return seconds;
}

double parse_duration(std::string_view text, std::string_view what, double min_s, double max_s) {
  auto bad = [&] {
    return UsageError(quoted(what, text) + " is not a duration; write e.g. 90s, 15m, 2h or 1h30m");
  };
  if (text.empty()) throw bad();
  double total = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = i;
    while (j < text.size() && ((text[j] >= '0' && text[j] <= '9') || text[j] == '.')) ++j;
    double v = 0;
    auto [ptr, ec] = std::from_chars(text.data() + i, text.data() + j, v, std::chars_format::fixed);
    if (j == i || ec != std::errc() || ptr != text.data() + j) throw bad();  // "", "1.2.3", "."
    double unit = 1;
    if (j < text.size()) {
      switch (text[j]) {
        case 's': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h': unit = 3600; break;
        case 'd': unit = 86400; break;
        default: throw bad();
      }
      ++j;
    } else if (i != 0) {
      throw bad();  // "1h30" is ambiguous
    }
    total += v * unit;
    i = j;
  }
  if (!std::isfinite(total) || total < min_s || total > max_s)
    throw UsageError(quoted(what, text) + " is out of range (" + duration_range(min_s, max_s) + ")");
  return total;
}

std::string format_duration(double seconds) {
  if (seconds >= 86400 && std::fmod(seconds, 86400) == 0) return fmt::format("{:g}d", seconds / 86400);
  if (seconds >= 3600 && std::fmod(seconds, 3600) == 0) return fmt::format("{:g}h", seconds / 3600);
  if (seconds >= 60 && std::fmod(seconds, 60) == 0) return fmt::format("{:g}m", seconds / 60);
  return fmt::format("{:g}s", seconds);
}

}  // namespace fb
