#include "collector/alarms/alarm_format.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace ck::collector {
namespace {

constexpr int64_t kMoment = 1795675500000;  // 2026-11-26T06:45:00Z, a Thursday

TEST(AlarmFormatTest, JavaDoubles) {
  EXPECT_EQ(FormatJavaDouble(9), "9.0");
  EXPECT_EQ(FormatJavaDouble(0), "0.0");
  EXPECT_EQ(FormatJavaDouble(-0.0), "-0.0");
  EXPECT_EQ(FormatJavaDouble(10.25), "10.25");
  EXPECT_EQ(FormatJavaDouble(-3.5), "-3.5");
  EXPECT_EQ(FormatJavaDouble(1.0166666666666666), "1.0166666666666666");
  EXPECT_EQ(FormatJavaDouble(0.0666851903306472), "0.0666851903306472");
  EXPECT_EQ(FormatJavaDouble(0.001), "0.001");
  EXPECT_EQ(FormatJavaDouble(0.0001), "1.0E-4");
  EXPECT_EQ(FormatJavaDouble(1234567.0), "1234567.0");
  EXPECT_EQ(FormatJavaDouble(1e7), "1.0E7");
  EXPECT_EQ(FormatJavaDouble(12345678.9), "1.23456789E7");
  EXPECT_EQ(FormatJavaDouble(100), "100.0");
  EXPECT_EQ(FormatJavaDouble(std::nan("")), "NaN");
  EXPECT_EQ(FormatJavaDouble(std::numeric_limits<double>::infinity()), "Infinity");
  EXPECT_EQ(FormatJavaDouble(-std::numeric_limits<double>::infinity()), "-Infinity");
}

TEST(AlarmFormatTest, Timestamps) {
  EXPECT_EQ(FormatIsoMillis(kMoment + 42), "2026-11-26T06:45:00.042Z");
  EXPECT_EQ(FormatReasonDataMillis(kMoment + 999), "2026-11-26T06:45:00.999+0000");
  EXPECT_EQ(FormatReasonDatapointTime(kMoment), "26/11/26 06:45:00");
  EXPECT_EQ(FormatCompositeReasonTime(kMoment), "Thursday 26 November, 2026 06:45:00 UTC");
  EXPECT_EQ(FormatCompositeReasonTime(1704067200000), "Monday 01 January, 2024 00:00:00 UTC");
  EXPECT_EQ(FormatIsoMillis(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIsoMillis(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatReasonDatapointTime(951782400000), "29/02/00 00:00:00");  // leap day 2000
}

TEST(AlarmFormatTest, ParseIsoMillis) {
  EXPECT_EQ(ParseIsoMillis("2026-11-26T06:45:00.042Z"), kMoment + 42);
  EXPECT_EQ(ParseIsoMillis("2026-11-26T06:45:00Z"), kMoment);
  EXPECT_EQ(ParseIsoMillis("2026-11-26T06:45:00.5+0000"), kMoment + 500);
  EXPECT_EQ(ParseIsoMillis("2026-11-26T06:45:00.123456+00:00"), kMoment + 123);
  EXPECT_EQ(ParseIsoMillis("1795675500"), kMoment);
  EXPECT_EQ(ParseIsoMillis("1795675500.25"), kMoment + 250);
  EXPECT_EQ(ParseIsoMillis(FormatIsoMillis(-1)), -1);
  EXPECT_EQ(ParseIsoMillis("2026-11-26T06:45:00+0100"), std::nullopt);
  EXPECT_EQ(ParseIsoMillis("2026-13-26T06:45:00Z"), std::nullopt);
  EXPECT_EQ(ParseIsoMillis("2026-11-26T06:45:00."), std::nullopt);
  EXPECT_EQ(ParseIsoMillis("2026-11-26 06:45:00Z"), std::nullopt);
  EXPECT_EQ(ParseIsoMillis(""), std::nullopt);
  EXPECT_EQ(ParseIsoMillis("1e300"), std::nullopt);
  EXPECT_EQ(ParseIsoMillis("soon"), std::nullopt);
}

}  // namespace
}  // namespace ck::collector
