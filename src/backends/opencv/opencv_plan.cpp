#include "backends/opencv/opencv_plan.h"

#include <sstream>
#include <vector>

namespace fb::opencv_plan {
namespace {

// Graphviz's line breaks in a label are the two characters \n or \l.
std::vector<std::string> label_lines(const std::string& part) {
  std::vector<std::string> lines;
  std::string cur;
  for (size_t i = 0; i < part.size(); ++i) {
    if (part[i] == '\\' && i + 1 < part.size() && (part[i + 1] == 'n' || part[i + 1] == 'l')) {
      if (!cur.empty()) lines.push_back(cur);
      cur.clear();
      ++i;
    } else {
      cur += part[i];
    }
  }
  if (!cur.empty()) lines.push_back(cur);
  return lines;
}

std::string without_prefix(const std::string& name) {
  const std::string onnx = "onnx_node!";  // OpenCV's prefix for layers named after ONNX nodes
  return name.rfind(onnx, 0) == 0 ? name.substr(onnx.size()) : name;
}

// One node's label: "name\ntype\n(params...)" per layer, " | " between the
// layers of a fused cluster, "{...}" around a cluster; "output: ..." last.
std::string layer_line(std::string label) {
  if (!label.empty() && label.front() == '{') label = label.substr(1, label.rfind('}') - 1);
  std::string types, names, output;
  size_t at = 0;
  while (at <= label.size()) {
    const size_t bar = label.find(" | ", at);
    const auto lines = label_lines(label.substr(at, bar == std::string::npos ? std::string::npos : bar - at));
    if (lines.size() >= 2) {
      types += (types.empty() ? "" : " + ") + lines[1];
      names += (names.empty() ? "" : ", ") + without_prefix(lines[0]);
    }
    for (const auto& l : lines)
      if (l.rfind("output: ", 0) == 0) output = l.substr(8);
    if (bar == std::string::npos) break;
    at = bar + 3;
  }
  if (types.empty()) return {};
  return "  " + types + (output.empty() ? "" : " -> " + output) + "   (" + names + ")\n";
}

}  // namespace

std::string readable(const std::string& dump) {
  std::istringstream in(dump);
  std::string line, out;
  while (std::getline(in, line)) {
    const size_t begin = line.find("[label=\"");
    if (begin == std::string::npos) continue;
    const size_t end = line.find("\" ", begin + 8);
    if (end == std::string::npos) continue;
    out += layer_line(line.substr(begin + 8, end - begin - 8));
  }
  return out;
}

}  // namespace fb::opencv_plan
