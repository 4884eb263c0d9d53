#include "models/descriptor.h"

#include <sstream>

#include "common/error.h"
#include "common/parse_number.h"

namespace fb {

Descriptor Descriptor::parse(const std::string& text) {
  Descriptor d;
  std::istringstream in(text);
  std::string token;
  while (in >> token) {
    auto eq = token.find('=');
    if (eq == std::string::npos) {
      if (!d.head.empty())
        throw UsageError("'" + text + "': two names ('" + d.head + "' and '" + token +
                         "'); fields are written key=value");
      if (!d.fields.empty())
        throw UsageError("'" + text + "': the name '" + token + "' must come before the key=value fields");
      d.head = token;
      continue;
    }
    std::string key = token.substr(0, eq), value = token.substr(eq + 1);
    if (key.empty() || value.empty())
      throw UsageError("'" + text + "': '" + token + "' is not of the form key=value");
    if (d.get(key)) throw UsageError("'" + text + "': '" + key + "' is given twice");
    d.fields.emplace_back(key, value);
  }
  if (d.head.empty()) throw UsageError("'" + text + "': no model name given");
  return d;
}

std::string Descriptor::str() const {
  std::string s = head;
  for (const auto& [k, v] : fields) s += " " + k + "=" + v;
  return s;
}

std::optional<std::string> Descriptor::get(const std::string& key) const {
  for (const auto& [k, v] : fields)
    if (k == key) return v;
  return std::nullopt;
}

void Descriptor::set(const std::string& key, const std::string& value) {
  for (auto& [k, v] : fields)
    if (k == key) {
      v = value;
      return;
    }
  fields.emplace_back(key, value);
}

bool Descriptor::erase(const std::string& key) {
  for (auto it = fields.begin(); it != fields.end(); ++it)
    if (it->first == key) {
      fields.erase(it);
      return true;
    }
  return false;
}

long long parse_integer(const std::string& text, const std::string& what) { return parse_int(text, what); }

}  // namespace fb
