#include "common/utf8.h"

#include <nlohmann/json.hpp>

namespace fb {

std::string valid_utf8(std::string_view bytes) {
  // nlohmann's serializer already decodes UTF-8 strictly (overlongs,
  // surrogates and truncated sequences included); its "replace" mode writes
  // U+FFFD for each bad sequence, and parsing the result back undoes the escaping.
  const nlohmann::json s = std::string(bytes);
  return nlohmann::json::parse(s.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)).get<std::string>();
}

std::string text_tail(std::string_view bytes, size_t max_bytes) {
  if (bytes.size() <= max_bytes) return valid_utf8(bytes);
  size_t start = bytes.size() - max_bytes;
  // A UTF-8 character is at most 4 bytes: at most 3 continuation bytes (10xxxxxx) to skip.
  for (int i = 0; i < 3 && start < bytes.size() && (static_cast<unsigned char>(bytes[start]) & 0xC0) == 0x80; ++i)
    ++start;
  return "..." + valid_utf8(bytes.substr(start));
}

}  // namespace fb
