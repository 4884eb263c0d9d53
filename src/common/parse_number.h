#pragma once
// The one strict parser for every number a user writes: CLI options,
// descriptor knobs, spec values. The whole text must be the number (no
// prefix reads: "1.2.3" is refused, not read as 1.2), it must be finite and
// inside the stated range, and every refusal names the option and the range.
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

namespace fb {

// A whole decimal integer in [min, max]. `what` names the option or field
// ("--batch", "pattern:standard depth") and starts every error message.
int64_t parse_int(std::string_view text, std::string_view what, int64_t min = std::numeric_limits<int64_t>::min(),
                  int64_t max = std::numeric_limits<int64_t>::max());

// A finite decimal number in [min, max] (no NaN, no infinity, no hex).
double parse_real(std::string_view text, std::string_view what, double min = std::numeric_limits<double>::lowest(),
                  double max = std::numeric_limits<double>::max());

// Seconds: "90", "90s", "1.5m", "2h", "1h30m" (a bare number only alone),
// finite and in [min_s, max_s].
double parse_duration(std::string_view text, std::string_view what, double min_s = 0,
                      double max_s = std::numeric_limits<double>::max());

// Checks a number that arrived already typed (a TOML float, a CLI default):
// finite and in [min, max], else the same message as parse_real.
double check_real(double v, std::string_view what, double min, double max);
// The same for a duration in seconds.
double check_duration(double seconds, std::string_view what, double min_s, double max_s);

// "90s", "15m", "2h30m": the form the messages print ranges in.
std::string format_duration(double seconds);

}  // namespace fb
