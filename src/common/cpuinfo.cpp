#include "common/cpuinfo.h"

#include <fstream>
#include <iterator>
#include <sstream>

namespace fb {

std::string read_cpuinfo() {
  std::ifstream in("/proc/cpuinfo");
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string cpuinfo_value(const std::string& cpuinfo, const std::string& key) {
  std::istringstream in(cpuinfo);
  std::string line;
  while (std::getline(in, line)) {
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string k = line.substr(0, colon);
    k.erase(k.find_last_not_of(" \t") + 1);
    if (k == key) {
      const auto v = line.find_first_not_of(' ', colon + 1);
      return v == std::string::npos ? "" : line.substr(v);
    }
  }
  return "";
}

std::set<std::string> cpu_flags(const std::string& cpuinfo) {
  std::istringstream flags(cpuinfo_value(cpuinfo, "flags"));
  return {std::istream_iterator<std::string>(flags), {}};
}

}  // namespace fb
