#include "collector/logs/log_line_fields.h"

#include <gtest/gtest.h>

namespace ck::collector::logs {
namespace {

TEST(ParseRfc3339MillisTest, AcceptsOurLoggerAndCommonForms) {
  // 2026-11-26T06:45:08.123Z
  const int64_t expected = 1'795'675'508'123;
  EXPECT_EQ(ParseRfc3339Millis("2026-11-26T06:45:08.123Z"), expected);
  EXPECT_EQ(ParseRfc3339Millis("2026-11-26t06:45:08.123z"), expected);
  EXPECT_EQ(ParseRfc3339Millis("2026-11-26 06:45:08.123456789Z"), expected);
  EXPECT_EQ(ParseRfc3339Millis("2026-11-26T07:45:08.123+01:00"), expected);
  EXPECT_EQ(ParseRfc3339Millis("2026-11-26T01:15:08.123-05:30"), expected);
  EXPECT_EQ(ParseRfc3339Millis("2026-11-26T06:45:08Z"), expected - 123);
  EXPECT_EQ(ParseRfc3339Millis("2026-11-26T06:45:08.1Z"), expected - 23);
  EXPECT_EQ(ParseRfc3339Millis("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseRfc3339Millis("1969-12-31T23:59:59Z"), -1000);
  EXPECT_EQ(ParseRfc3339Millis("2024-02-29T00:00:00Z"), 1'709'164'800'000);
}

TEST(ParseRfc3339MillisTest, RejectsMalformed) {
  for (const char* text :
       {"", "2026-11-26", "2026-11-26T06:45:08", "2026-11-26T06:45:08.Z", "2026-13-01T00:00:00Z",
        "2025-02-29T00:00:00Z", "2026-11-26T24:00:00Z", "2026-11-26T06:45:08.123Zjunk",
        "2026-11-26T06:45:08+0100", "26-11-26T06:45:08Z", "2026-11-26T06:45:08.123+01:0"}) {
    EXPECT_EQ(ParseRfc3339Millis(text), std::nullopt) << text;
  }
}

TEST(NormalizeTraceIdTest, XRayAndW3C) {
  EXPECT_EQ(NormalizeTraceId("1-5F84C7A1-0123456789ABCDEF01234567"),
            "1-5f84c7a1-0123456789abcdef01234567");
  EXPECT_EQ(NormalizeTraceId("5f84c7a10123456789abcdef01234567"),
            "1-5f84c7a1-0123456789abcdef01234567");
  EXPECT_EQ(NormalizeTraceId("00000000000000000000000000000000"), "");
  EXPECT_EQ(NormalizeTraceId("5f84c7a10123456789abcdef0123456"), "");
  EXPECT_EQ(NormalizeTraceId("2-5f84c7a1-0123456789abcdef01234567"), "");
  EXPECT_EQ(NormalizeTraceId(""), "");
}

TEST(LogLineParserTest, ReadsTopLevelMembersOnly) {
  LogLineParser parser;
  LogLineFields fields = parser.Parse(
      R"({"ts":"2026-11-26T06:45:08.123Z","level":"info","nested":{"trace_id":"1-00000000-000000000000000000000001","ts":"2020-01-01T00:00:00Z"},"list":[1,{"a":"b"}],"trace_id":"5f84c7a10123456789abcdef01234567","span_id":"53995c3f42cd8ad8"})");
  EXPECT_EQ(fields.timestamp_ms, 1'795'675'508'123);
  EXPECT_EQ(fields.trace_id, "1-5f84c7a1-0123456789abcdef01234567");

  fields = parser.Parse(R"({"nested":{"trace_id":"1-5f84c7a1-0123456789abcdef01234567"}})");
  EXPECT_EQ(fields.trace_id, "");
  fields = parser.Parse(R"(  {"trace_id" : "1-5f84c7a1-0123456789abcdef01234567"}  )");
  EXPECT_EQ(fields.trace_id, "1-5f84c7a1-0123456789abcdef01234567");
  EXPECT_EQ(fields.timestamp_ms, std::nullopt);
}

TEST(LogLineParserTest, IgnoresWhatIsNotOneJsonObject) {
  LogLineParser parser;
  for (const char* line : {
           "trace_id 1-5f84c7a1-0123456789abcdef01234567",
           R"(["trace_id","1-5f84c7a1-0123456789abcdef01234567"])",
           R"({"trace_id":"1-5f84c7a1-0123456789abcdef01234567")",
           R"({"trace_id":"1-5f84c7a1-0123456789abcdef01234567"} {"a":1})",
           R"({"trace_id":"1-5f84c7a1-0123456789abcdef01234567"} x)",
           R"({"a" 1, "trace_id":"1-5f84c7a1-0123456789abcdef01234567"})",
           "{\"trace_id\":\"1-5f84c7a1-0123456789abcdef01234567\",\"bad\":\"\xff\"}",
           R"({"trace_id":42,"ts":1700000000})",
           R"({"ts":"yesterday"})",
       }) {
    LogLineFields fields = parser.Parse(line);
    EXPECT_EQ(fields.trace_id, "") << line;
    EXPECT_EQ(fields.timestamp_ms, std::nullopt) << line;
  }
}

TEST(LogLineParserTest, TraceOnlyModeSkipsTimestamps) {
  LogLineParser parser;
  LogLineFields fields = parser.Parse(R"({"ts":"2026-11-26T06:45:08.123Z"})", false);
  EXPECT_EQ(fields.timestamp_ms, std::nullopt);
}

}  // namespace
}  // namespace ck::collector::logs
