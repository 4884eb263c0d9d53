#pragma once
// Text from a store (model and backend names, descriptors, environment
// strings) comes from other machines through `merge`, so the report treats it
// as hostile. Each output format gets its own escape; nothing from a store is
// ever written where the format would run or interpret it.
#include <string>
#include <string_view>
#include <vector>

namespace fb::report {

// Valid UTF-8 kept; each byte of an invalid sequence becomes U+FFFD.
std::string valid_utf8(std::string_view s);

// For HTML text and attribute values (quoted with either quote): & < > " '
// escaped; control characters other than tab and newline become U+FFFD.
std::string html_escape(std::string_view s);

// For one line of Markdown (a list item or a table cell): newlines and other
// control characters become spaces, and every character Markdown or GFM
// tables give meaning inline (\ ` * _ [ ] < > | & ~ !) is backslash-escaped.
std::string markdown_escape(std::string_view s);

// One RFC 4180 field: quoted when it holds , " CR or LF, with " doubled.
// A text cell starting with = + - @ tab or CR that is not a plain number gets
// a leading ' so a spreadsheet shows it instead of evaluating it as a formula.
std::string csv_field(std::string_view s);

// A gnuplot single-quoted string literal: the one form in which gnuplot
// expands nothing (no `command`, no @macro, no \ escapes). ' is doubled
// (gnuplot's rule); newlines and other control characters become spaces so the
// literal stays on its line.
std::string gnuplot_string(std::string_view s);

// Several lines of text (a figure title) as one gnuplot string expression:
// each a gnuplot_string, joined by a newline constant of our own.
std::string gnuplot_lines(const std::vector<std::string>& lines);

// A path as a gnuplot single-quoted literal, byte for byte (a path cannot be
// cleaned without naming another file). Throws UsageError when it holds a
// control character, which a one-line gnuplot literal cannot carry.
std::string gnuplot_path(const std::string& path);

}  // namespace fb::report
