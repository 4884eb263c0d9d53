// Any bytes become valid UTF-8 text, and every JSON dump survives them.
#include <gtest/gtest.h>

#include "common/json_dump.h"
#include "common/utf8.h"

namespace fb {
namespace {

const std::string kFffd = "\xef\xbf\xbd";  // U+FFFD

TEST(Utf8, ValidTextIsUnchanged) {
  const std::string s = "plain ascii, caf\xc3\xa9, \xe2\x82\xac, \xf0\x9f\x98\x80, tab\t, newline\n";
  EXPECT_EQ(valid_utf8(s), s);
  const std::string with_nul("a\0b", 3);
  EXPECT_EQ(valid_utf8(with_nul), with_nul);
}

TEST(Utf8, InvalidBytesBecomeReplacementCharacters) {
  EXPECT_EQ(valid_utf8("a\xff" "b"), "a" + kFffd + "b");
  EXPECT_EQ(valid_utf8("\x80"), kFffd);                 // a lone continuation byte
  EXPECT_EQ(valid_utf8("x\xe2\x82"), "x" + kFffd);      // truncated at the end
  EXPECT_EQ(valid_utf8("\xc0\xaf").find('/'), std::string::npos);  // an overlong '/' is not decoded
  EXPECT_EQ(valid_utf8("\xed\xa0\x80").find("\xed"), std::string::npos);  // a surrogate
}

TEST(Utf8, TailIsCutBetweenCharacters) {
  std::string euros;
  for (int i = 0; i < 10; ++i) euros += "\xe2\x82\xac";
  // 10 bytes from the end fall inside a character: the cut moves to the next one.
  EXPECT_EQ(text_tail(euros, 10), "..." + euros.substr(euros.size() - 9));
  EXPECT_EQ(text_tail("short", 10), "short");
  EXPECT_EQ(text_tail("ab\xff" "cd", 3), "..." + kFffd + "cd");
}

TEST(JsonDump, NeverThrowsOnBytesThatAreNotUtf8) {
  nlohmann::json j = {{"error", "bad \xff byte"}, {"ok", "caf\xc3\xa9"}};
  EXPECT_THROW((void)j.dump(), nlohmann::json::type_error);  // what every dump did before
  const std::string out = dump_json(j);
  EXPECT_EQ(out, "{\"error\":\"bad " + kFffd + " byte\",\"ok\":\"caf\xc3\xa9\"}");
  EXPECT_EQ(nlohmann::json::parse(out)["error"], "bad " + kFffd + " byte");
  EXPECT_EQ(dump_json(nlohmann::json{{"a", 1}}, 2), "{\n  \"a\": 1\n}");
}

}  // namespace
}  // namespace fb
