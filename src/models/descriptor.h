#pragma once
// The one-line descriptor form used everywhere a configuration is named:
// a head token followed by key=value fields, e.g.
//   "pattern:dw_bottleneck depth=30 width=128 res=224"
// It is at once the CLI argument, the store key and the reproducer printed on
// failure, so parse(print(x)) == x must always hold.
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fb {

struct Descriptor {
  std::string head;
  std::vector<std::pair<std::string, std::string>> fields;  // in written order

  // Throws UsageError for a malformed token or a repeated key.
  static Descriptor parse(const std::string& text);
  std::string str() const;

  std::optional<std::string> get(const std::string& key) const;
  void set(const std::string& key, const std::string& value);  // replaces or appends
  bool erase(const std::string& key);
};

// A whole decimal integer that fits in 64 bits, or a UsageError naming `what`
// (the shared strict parser, common/parse_number.h, without a range).
long long parse_integer(const std::string& text, const std::string& what);

}  // namespace fb
