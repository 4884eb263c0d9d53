#pragma once
// Text from outside formbench (a child's output, a store, a file name) may hold
// any bytes; JSON, SQLite text columns, terminals and HTML need valid UTF-8.
// Invalid bytes become U+FFFD (the replacement character): the standard choice
// of every decoder (browsers, Python's errors="replace", nlohmann's dump), it
// cannot be mistaken for text the child printed itself (as "\xff" could), and a
// reader sees at once that something was unprintable.
#include <cstddef>
#include <string>
#include <string_view>

namespace fb {

// `bytes` with every ill-formed UTF-8 sequence replaced by U+FFFD; valid text
// comes back unchanged.
std::string valid_utf8(std::string_view bytes);

// The last `max_bytes` (about) of `bytes` as valid UTF-8, prefixed with "..."
// when cut; the cut moves forward to a character boundary, so a multi-byte
// character is never split into replacement characters.
std::string text_tail(std::string_view bytes, size_t max_bytes);

}  // namespace fb
