#include "telemetry/text_format.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace ck::telemetry {
namespace {

TEST(FormatMetricValueTest, MatchesGoShortestFloatFormatting) {
  const double inf = std::numeric_limits<double>::infinity();
  const std::vector<std::pair<double, std::string>> cases = {
      {0, "0"},
      {-0.0, "0"},
      {1, "1"},
      {-1, "-1"},
      {2.5, "2.5"},
      {0.1, "0.1"},
      {0.001, "0.001"},
      {0.0025, "0.0025"},
      {0.0001, "0.0001"},
      {0.00001, "1e-05"},
      {0.000123, "0.000123"},
      {100, "100"},
      {100000, "100000"},
      {123456, "123456"},
      {999999, "999999"},
      {1e6, "1e+06"},
      {1234567, "1.234567e+06"},
      {12345.678, "12345.678"},
      {-0.5, "-0.5"},
      {1e21, "1e+21"},
      {1.5e300, "1.5e+300"},
      {5e-324, "5e-324"},
      {1.0 / 3, "0.3333333333333333"},
      {inf, "+Inf"},
      {-inf, "-Inf"},
      {std::nan(""), "NaN"},
  };
  for (const auto& [value, expected] : cases) {
    EXPECT_EQ(FormatMetricValue(value), expected) << "value " << value;
  }
}

TEST(TextFormatTest, EscapesLabelValuesAndHelp) {
  std::string label;
  AppendEscapedLabelValue(label, "a\\b\"c\nd");
  EXPECT_EQ(label, "a\\\\b\\\"c\\nd");
  std::string help;
  AppendEscapedHelp(help, "a\\b\"c\nd");
  EXPECT_EQ(help, "a\\\\b\"c\\nd");
}

TEST(TextFormatTest, ValidatesNamesAndUtf8) {
  EXPECT_TRUE(IsValidMetricName("ck_http_server_requests_total"));
  EXPECT_TRUE(IsValidMetricName("_x9"));
  EXPECT_FALSE(IsValidMetricName("9x"));
  EXPECT_FALSE(IsValidMetricName("a:b"));
  EXPECT_FALSE(IsValidMetricName(""));
  EXPECT_TRUE(IsValidUtf8("caf\xC3\xA9 \xF0\x9F\x90\xB1"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));          // truncated
  EXPECT_EQ(ToValidUtf8("a\xFF"
                        "b\xE2\x82"),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD\xEF\xBF\xBD");
}

}  // namespace
}  // namespace ck::telemetry
