#include "backends/opencv/opencv_message.h"

#include <regex>
#include <sstream>

namespace fb::opencv_message {

std::string useful_line(const std::string& what) {
  // The location header OpenCV puts in front of every message (nested ones
  // too: the importer wraps a layer's error), with the function it names:
  // where in OpenCV's sources, not what failed.
  static const std::regex header(R"(OpenCV\([^)]*\) \S+:\d+: error: \([-\d]+:[^)]*\)( in function '[^']*')?)");
  const std::string text = std::regex_replace(what, header, "");
  // Continuation lines start with "> " (one per nesting level).
  std::istringstream lines(text);
  std::string s, line;
  while (std::getline(lines, line)) {
    const auto begin = line.find_first_not_of("> \t");
    if (begin == std::string::npos) continue;
    const auto end = line.find_last_not_of(" \t\r");
    s += (s.empty() ? "" : " ") + line.substr(begin, end - begin + 1);
  }
  constexpr size_t kMax = 400;
  if (s.size() > kMax) s = s.substr(0, kMax - 3) + "...";
  return s.empty() ? "(OpenCV gave no message)" : s;
}

}  // namespace fb::opencv_message
