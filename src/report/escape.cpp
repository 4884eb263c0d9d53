#include "report/escape.h"

#include <cstdlib>

#include "common/error.h"

namespace fb::report {
namespace {

const char* const kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is not
// one (bad lead byte, bad or missing continuation, overlong, surrogate, > U+10FFFF).
size_t utf8_sequence(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  size_t n;
  unsigned lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c == 0xE0) n = 3, lo = 0xA0;
  else if (c == 0xED) n = 3, hi = 0x9F;
  else if (c >= 0xE1 && c <= 0xEF) n = 3;
  else if (c == 0xF0) n = 4, lo = 0x90;
  else if (c >= 0xF1 && c <= 0xF3) n = 4;
  else if (c == 0xF4) n = 4, hi = 0x8F;
  else return 0;
  if (i + n > s.size()) return 0;
  if (b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k)
    if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
  return n;
}

bool is_control(char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; }

// valid_utf8, then every control character replaced by `with` (tab and
// newline kept when `keep_lines`).
std::string clean(std::string_view s, const char* with, bool keep_lines) {
  std::string o;
  for (char c : valid_utf8(s)) {
    if (is_control(c) && !(keep_lines && (c == '\t' || c == '\n'))) o += with;
    else o += c;
  }
  return o;
}

bool is_plain_number(std::string_view s) {
  std::string t(s);
  char* end = nullptr;
  std::strtod(t.c_str(), &end);
  return !t.empty() && end == t.c_str() + t.size() && t.find_first_of(" \t\r\n") == std::string::npos;
}

}  // namespace

std::string valid_utf8(std::string_view s) {
  std::string o;
  o.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t n = utf8_sequence(s, i);
    if (n == 0) {
      o += kReplacement;
      ++i;
    } else {
      o.append(s.substr(i, n));
      i += n;
    }
  }
  return o;
}

std::string html_escape(std::string_view s) {
  std::string o;
  for (char c : clean(s, kReplacement, true)) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      case '\'': o += "&#39;"; break;
      default: o += c;
    }
  }
  return o;
}

std::string markdown_escape(std::string_view s) {
  std::string o;
  for (char c : clean(s, " ", false)) {
    if (std::string_view("\\`*_[]<>|&~!").find(c) != std::string_view::npos) o += '\\';
    o += c;
  }
  return o;
}

std::string csv_field(std::string_view s) {
  std::string text(s);
  if (!text.empty() && std::string_view("=+-@\t\r").find(text[0]) != std::string_view::npos && !is_plain_number(text))
    text.insert(0, "'");
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string q = "\"";
  for (char c : text) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string gnuplot_string(std::string_view s) {
  std::string q = "'";
  for (char c : clean(s, " ", false)) q += c == '\'' ? std::string("''") : std::string(1, c);
  return q + "'";
}

std::string gnuplot_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& line : lines) out += (out.empty() ? "" : ".\"\\n\".") + gnuplot_string(line);
  return out.empty() ? "''" : out;
}

}  // namespace fb::report

namespace fb::report {

std::string gnuplot_path(const std::string& path) {
  std::string q = "'";
  for (char c : path) {
    if (is_control(c))
      throw UsageError("the path '" + valid_utf8(path) +
                       "' holds a newline or another control character, which gnuplot cannot be given; "
                       "choose an output folder without one");
    q += c == '\'' ? std::string("''") : std::string(1, c);
  }
  return q + "'";
}

}  // namespace fb::report
