#include "cli/verbs/terminal_text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace ck::cli {
namespace {

using ::testing::HasSubstr;

constexpr double kWindowStart = 1700000000;  // 2023-11-14 22:13:20 UTC

TEST(FormattingTest, Durations) {
  EXPECT_EQ(FormatSeconds(0.0004), "0.40ms");
  EXPECT_EQ(FormatSeconds(0.0123), "12.3ms");
  EXPECT_EQ(FormatSeconds(1.25), "1.25s");
  EXPECT_EQ(FormatSeconds(125), "2m05s");
  EXPECT_EQ(FormatSeconds(-1), "0.00ms");
  EXPECT_EQ(FormatWindow(300), "5m");
  EXPECT_EQ(FormatWindow(5400), "1h30m");
  EXPECT_EQ(FormatWindow(45), "45s");
  EXPECT_EQ(FormatClock(kWindowStart + 0.0625, /*utc=*/true, /*with_millis=*/true), "22:13:20.063");
  EXPECT_EQ(FormatClock(kWindowStart + 59.9996, true, true), "22:14:20.000");
}

TEST(FormattingTest, Lookback) {
  EXPECT_EQ(ParseLookback("30s").value(), 30);
  EXPECT_EQ(ParseLookback("5m").value(), 300);
  EXPECT_EQ(ParseLookback("2h").value(), 7200);
  EXPECT_EQ(ParseLookback("1h30m").value(), 5400);
  EXPECT_EQ(ParseLookback("1.5m").value(), 90);
  for (const char* bad : {"", "5", "m", "5x", "0s", "-5m", "1..5m", "5m3", "1e3s"}) {
    EXPECT_FALSE(ParseLookback(bad).ok()) << bad;
  }
}

TEST(FormattingTest, TerminalSafety) {
  EXPECT_EQ(TerminalSafe("a\x1b[31mb\r\n"), "a?[31mb??");
  EXPECT_EQ(TerminalSafe("caf\xc3\xa9"), "caf\xc3\xa9");
  EXPECT_EQ(DisplayWidth("caf\xc3\xa9"), 4u);
  EXPECT_EQ(TerminalSafe("\xff\xc3"), "??");
  EXPECT_EQ(TerminalSafe("\xc2\x9b"
                         "2J"),
            "?"
            "?2J");                                // C1 CSI, then its lone continuation byte
  EXPECT_EQ(TerminalSafe("\xe0\x80\xaf"), "???");  // overlong
}

TEST(FormattingTest, Truncation) {
  EXPECT_EQ(Truncate("register-api", 12), "register-api");
  EXPECT_EQ(Truncate("register-api", 8), "regis...");
  EXPECT_EQ(Truncate("register-api", 3), "register-api");  // too narrow to cut
  // Cut by code points, never inside one.
  EXPECT_EQ(Truncate("caf\xc3\xa9-caf\xc3\xa9-api", 7), "caf\xc3\xa9...");
  EXPECT_EQ(DisplayWidth(Truncate("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 5)), 5u);
}

TEST(FormattingTest, Percentages) {
  EXPECT_EQ(Percent(1, 8), "12.5");
  EXPECT_EQ(Percent(2, 3), "66.7");
  EXPECT_EQ(Percent(0, 5), "0.0");
  EXPECT_EQ(Percent(3, 0), "-");
}

TEST(TextTableTest, PadsColumnsAndAlignsWithoutTrailingSpaces) {
  TextTable table({Align::kLeft, Align::kRight, Align::kLeft});
  table.AddRow({{"NAME"}, {"COUNT"}, {"NOTE"}});
  table.AddRow({{"caf\xc3\xa9-api"}, {"7"}, {""}});
  table.AddLine("  raw line  ");
  table.AddRow({{"db"}, {"12345678"}});  // fewer cells than columns
  EXPECT_EQ(table.Render(false),
            "NAME         COUNT  NOTE\n"
            "caf\xc3\xa9-api         7\n"
            "  raw line\n"
            "db        12345678\n");
}

TEST(TextTableTest, ColourOnlyWhenAskedAndDataCannotInjectEscapes) {
  TextTable table({Align::kLeft, Align::kLeft});
  table.AddRow({{"a\x1b[2Jb", "\x1b[31m"}, {"ok"}});
  table.AddLine("cause", "\x1b[33m");
  EXPECT_EQ(table.Render(false), "a?[2Jb  ok\ncause\n");
  const std::string colored = table.Render(true);
  EXPECT_THAT(colored, HasSubstr("\x1b[31ma?[2Jb\x1b[0m  ok\n"));
  EXPECT_THAT(colored, HasSubstr("\x1b[33mcause\x1b[0m\n"));
}

}  // namespace
}  // namespace ck::cli
