#include "common/meminfo.h"

#include <fmt/core.h>

#include <fstream>
#include <sstream>
#include <string>

namespace fb {

int64_t mem_available_bytes() {
  std::ifstream in("/proc/meminfo");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string key;
    int64_t kb = 0;
    if (f >> key >> kb && key == "MemAvailable:" && kb > 0 && kb < (int64_t{1} << 53)) return kb * 1024;
  }
  return 0;
}

std::string memory_refusal(const MemoryEstimate& need, int64_t available) {
  if (available <= 0 || need.bytes <= available / 10 * 9) return {};
  auto gib = [](int64_t b) { return fmt::format("{:.2f} GiB", static_cast<double>(b) / 1073741824.0); };
  return "memory pre-flight: needs ~" + gib(need.bytes) + " (" + need.how + "), " + gib(available) +
         " available (MemAvailable); lower batch, res or width, or free memory";
}

}  // namespace fb
