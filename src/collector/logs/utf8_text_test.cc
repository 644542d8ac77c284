#include "collector/logs/utf8_text.h"

#include <gtest/gtest.h>

namespace ck::collector::logs {
namespace {

std::string Sanitize(std::string_view input) {
  std::string out;
  Utf8Append appended = AppendValidUtf8(input, SIZE_MAX, true, out);
  EXPECT_EQ(appended.consumed, input.size());
  EXPECT_FALSE(appended.full);
  return out;
}

TEST(AppendValidUtf8Test, KeepsValidText) {
  const std::string text =
      "plain ascii, caf\xC3\xA9, \xE2\x82\xAC, \xF0\x9F\x90\xA2 and more ascii";
  EXPECT_EQ(Sanitize(text), text);
  EXPECT_EQ(Sanitize(""), "");
}

TEST(AppendValidUtf8Test, ReplacesEachIllFormedSubpart) {
  EXPECT_EQ(Sanitize("a\xFF"
                     "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(Sanitize("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // overlong
  EXPECT_EQ(Sanitize("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(Sanitize("\xE2\x82"
                     "x"),
            "\xEF\xBF\xBD"
            "x");                          // truncated 3-byte: one U+FFFD
  EXPECT_EQ(Sanitize("\xF4\x90\x80\x80"),  // above U+10FFFF
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(Sanitize("end\xF0\x9F\x90"), "end\xEF\xBF\xBD");  // truncated at the very end
}

TEST(AppendValidUtf8Test, LeavesAnIncompleteTailWhenMoreMayCome) {
  std::string out;
  Utf8Append appended = AppendValidUtf8("ab\xF0\x9F\x90", SIZE_MAX, false, out);
  EXPECT_EQ(appended.consumed, 2u);
  EXPECT_FALSE(appended.full);
  EXPECT_EQ(out, "ab");
  out.clear();
  appended = AppendValidUtf8("ab\xFF", SIZE_MAX, false, out);  // can never become valid
  EXPECT_EQ(appended.consumed, 3u);
  EXPECT_EQ(out, "ab\xEF\xBF\xBD");
}

TEST(AppendValidUtf8Test, StopsAtCharacterBoundaryBeforeTheLimit) {
  const std::string euro = "\xE2\x82\xAC";
  const std::string text = "ab" + euro + euro;  // 8 bytes
  for (size_t limit = 2; limit <= 8; ++limit) {
    std::string out;
    Utf8Append appended = AppendValidUtf8(text, limit, true, out);
    const size_t expected = limit < 5 ? 2 : limit < 8 ? 5 : 8;
    EXPECT_EQ(appended.consumed, expected) << limit;
    EXPECT_EQ(out, text.substr(0, expected)) << limit;
    EXPECT_EQ(appended.full, expected < text.size()) << limit;
  }
  // A replacement character also counts 3 bytes against the limit.
  std::string out;
  Utf8Append appended = AppendValidUtf8("a\xFF", 3, true, out);
  EXPECT_EQ(appended.consumed, 1u);
  EXPECT_TRUE(appended.full);
  // Long ASCII runs stop exactly at the limit.
  out.clear();
  appended = AppendValidUtf8(std::string(100, 'x'), 37, true, out);
  EXPECT_EQ(appended.consumed, 37u);
  EXPECT_TRUE(appended.full);
}

}  // namespace
}  // namespace ck::collector::logs
