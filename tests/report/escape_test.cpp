// Each output context's escape, checked on hostile text byte for byte.
#include <gtest/gtest.h>

#include "common/error.h"
#include "report/escape.h"

namespace fb::report {
namespace {

const std::string kFFFD = "\xEF\xBF\xBD";

TEST(Escape, HtmlEscapesBothQuotesAndMarkup) {
  EXPECT_EQ(html_escape("<a href='x' title=\"y\">&</a>"),
            "&lt;a href=&#39;x&#39; title=&quot;y&quot;&gt;&amp;&lt;/a&gt;");
  EXPECT_EQ(html_escape("tab\tnl\nbell\a"), "tab\tnl\nbell" + kFFFD);
  EXPECT_EQ(html_escape("bad\xFF"), "bad" + kFFFD);
}

TEST(Escape, InvalidUtf8BecomesReplacementCharacters) {
  EXPECT_EQ(valid_utf8("\xC3\xBC ok"), "\xC3\xBC ok");                       // ü kept
  EXPECT_EQ(valid_utf8("\xC0\xAF"), kFFFD + kFFFD);                          // overlong '/'
  EXPECT_EQ(valid_utf8("\xED\xA0\x80"), kFFFD + kFFFD + kFFFD);              // a UTF-16 surrogate
  EXPECT_EQ(valid_utf8("\xE2\x82"), kFFFD + kFFFD);                          // cut in the middle
  EXPECT_EQ(valid_utf8("\xF0\x9F\x98\x80"), "\xF0\x9F\x98\x80");             // U+1F600 kept
}

TEST(Escape, MarkdownKeepsOneLineAndEscapesInlineSyntax) {
  EXPECT_EQ(markdown_escape("a|b `c` *d* _e_ [l](u) <i>&x ~s~ !\nnext\\"),
            "a\\|b \\`c\\` \\*d\\* \\_e\\_ \\[l\\](u) \\<i\\>\\&x \\~s\\~ \\! next\\\\");
}

TEST(Escape, CsvFollowsRfc4180AndDefusesFormulas) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field("cr\rhere"), "\"cr\rhere\"");
  EXPECT_EQ(csv_field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
  EXPECT_EQ(csv_field("@SUM(1+1)"), "'@SUM(1+1)");
  EXPECT_EQ(csv_field("+cmd"), "'+cmd");
  EXPECT_EQ(csv_field("-2+3"), "'-2+3");
  EXPECT_EQ(csv_field("@x,\"y"), "\"'@x,\"\"y\"");
  EXPECT_EQ(csv_field("-1.5"), "-1.5");  // a number stays a number
  EXPECT_EQ(csv_field("-1e+30"), "-1e+30");
  EXPECT_EQ(csv_field(""), "");
}

TEST(Escape, GnuplotStringIsSingleQuotedWithNothingToExpand) {
  EXPECT_EQ(gnuplot_string("it's `touch M` $(touch M) @m \\n \"q\""), "'it''s `touch M` $(touch M) @m \\n \"q\"'");
  EXPECT_EQ(gnuplot_string("two\nlines\r\x01"), "'two lines  '");
  EXPECT_EQ(gnuplot_string("x\\'; system('touch M') #"), "'x\\''; system(''touch M'') #'");
}

// A title of several lines: each line a literal, the newlines ours alone.
TEST(Escape, GnuplotLinesJoinLiteralsWithOurOwnNewline) {
  EXPECT_EQ(gnuplot_lines({"it's", "`touch M`\n\"x"}), "'it''s'.\"\\n\".'`touch M` \"x'");
  EXPECT_EQ(gnuplot_lines({"one"}), "'one'");
  EXPECT_EQ(gnuplot_lines({}), "''");
}

TEST(Escape, GnuplotPathIsExactOrRefused) {
  EXPECT_EQ(gnuplot_path("/tmp/it's/a`b`.svg"), "'/tmp/it''s/a`b`.svg'");
  try {
    gnuplot_path("/tmp/two\nlines/f.svg");
    FAIL() << "a path with a newline was accepted";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("holds a newline or another control character"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("choose an output folder without one"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace fb::report
