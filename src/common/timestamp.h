#pragma once
// The one timestamp format records carry: ISO-8601 UTC, e.g. "2026-11-24T11:26:44Z".
#include <ctime>
#include <string>

namespace fb {

inline std::string utc_timestamp() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace fb
