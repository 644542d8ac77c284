#include "collector/insights/time_period.h"

#include <gtest/gtest.h>

namespace ck::collector::insights {
namespace {

// 2024-05-01 12:34:56.789 UTC, a Wednesday.
constexpr int64_t kWednesday = 1714566896789;

int64_t Floor(int64_t ms, std::string_view period) {
  return FloorToPeriod(ms, *ParsePeriod(period)).value();
}
int64_t Ceil(int64_t ms, std::string_view period) {
  return CeilToPeriod(ms, *ParsePeriod(period)).value();
}

TEST(TimePeriodTest, ParsesCountAndUnit) {
  EXPECT_EQ(ParsePeriod("5m"), (Period{5, PeriodUnit::kMinute}));
  EXPECT_EQ(ParsePeriod("100ms"), (Period{100, PeriodUnit::kMillisecond}));
  EXPECT_EQ(ParsePeriod("30s"), (Period{30, PeriodUnit::kSecond}));
  EXPECT_EQ(ParsePeriod("1h"), (Period{1, PeriodUnit::kHour}));
  EXPECT_EQ(ParsePeriod("2d"), (Period{2, PeriodUnit::kDay}));
  EXPECT_EQ(ParsePeriod("1w"), (Period{1, PeriodUnit::kWeek}));
  EXPECT_EQ(ParsePeriod("3mo"), (Period{3, PeriodUnit::kMonth}));
  EXPECT_EQ(ParsePeriod("1q"), (Period{1, PeriodUnit::kQuarter}));
  EXPECT_EQ(ParsePeriod("1y"), (Period{1, PeriodUnit::kYear}));
  EXPECT_EQ(ParsePeriod("15min"), (Period{15, PeriodUnit::kMinute}));
  EXPECT_EQ(ParsePeriod("2Hours"), (Period{2, PeriodUnit::kHour}));
  for (const char* bad : {"", "m", "0m", "5", "5x", "5 m", "-5m", "10000000m", "1.5h"}) {
    EXPECT_EQ(ParsePeriod(bad), std::nullopt) << bad;
  }
}

TEST(TimePeriodTest, FixedPeriodsAlignToTheEpoch) {
  EXPECT_EQ(FormatTimestamp(Floor(kWednesday, "5m")), "2024-05-01 12:30:00.000");
  EXPECT_EQ(FormatTimestamp(Floor(kWednesday, "1h")), "2024-05-01 12:00:00.000");
  EXPECT_EQ(FormatTimestamp(Floor(kWednesday, "1d")), "2024-05-01 00:00:00.000");
  EXPECT_EQ(FormatTimestamp(Floor(kWednesday, "10s")), "2024-05-01 12:34:50.000");
  EXPECT_EQ(FormatTimestamp(Floor(kWednesday, "250ms")), "2024-05-01 12:34:56.750");
  EXPECT_EQ(FixedPeriodMillis(*ParsePeriod("5m")), 300000);
  EXPECT_EQ(FixedPeriodMillis(*ParsePeriod("1mo")), std::nullopt);
}

TEST(TimePeriodTest, WeeksStartOnMonday) {
  EXPECT_EQ(FormatTimestamp(Floor(kWednesday, "1w")), "2024-04-29 00:00:00.000");
  EXPECT_EQ(FormatTimestamp(Ceil(kWednesday, "1w")), "2024-05-06 00:00:00.000");
  // Before the epoch too: 1969-12-31 was a Wednesday.
  EXPECT_EQ(FormatTimestamp(Floor(-1, "1w")), "1969-12-29 00:00:00.000");
}

TEST(TimePeriodTest, CalendarPeriodsFollowTheCalendar) {
  EXPECT_EQ(FormatTimestamp(Floor(kWednesday, "1mo")), "2024-05-01 00:00:00.000");
  EXPECT_EQ(FormatTimestamp(Floor(kWednesday, "2mo")), "2024-05-01 00:00:00.000");
  EXPECT_EQ(FormatTimestamp(Floor(kWednesday, "1q")), "2024-04-01 00:00:00.000");
  EXPECT_EQ(FormatTimestamp(Floor(kWednesday, "1y")), "2024-01-01 00:00:00.000");
  EXPECT_EQ(FormatTimestamp(Ceil(kWednesday, "1mo")), "2024-06-01 00:00:00.000");
  EXPECT_EQ(FormatTimestamp(Ceil(kWednesday, "1q")), "2024-07-01 00:00:00.000");
  EXPECT_EQ(FormatTimestamp(Ceil(kWednesday, "1y")), "2025-01-01 00:00:00.000");
}

TEST(TimePeriodTest, CeilKeepsAlignedTimestamps) {
  const int64_t hour = Floor(kWednesday, "1h");
  EXPECT_EQ(Ceil(hour, "1h"), hour);
  EXPECT_EQ(FormatTimestamp(Ceil(kWednesday, "1h")), "2024-05-01 13:00:00.000");
  EXPECT_EQ(FormatTimestamp(Ceil(kWednesday, "1d")), "2024-05-02 00:00:00.000");
}

TEST(TimePeriodTest, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(FormatTimestamp(0), "1970-01-01 00:00:00.000");
  EXPECT_EQ(FormatTimestamp(-1), "1969-12-31 23:59:59.999");
  EXPECT_EQ(FormatTimestamp(951782400000), "2000-02-29 00:00:00.000");
  EXPECT_EQ(FormatTimestamp(kMaxTimestampMs), "9999-12-31 23:59:59.999");
  EXPECT_EQ(FormatTimestamp(kMinTimestampMs), "0001-01-01 00:00:00.000");
}

TEST(TimePeriodTest, RefusesTimestampsOutsideTheValidRange) {
  EXPECT_EQ(FloorToPeriod(kMaxTimestampMs + 1, *ParsePeriod("1m")), std::nullopt);
  EXPECT_EQ(CeilToPeriod(kMaxTimestampMs, *ParsePeriod("1y")), std::nullopt);
  EXPECT_EQ(FloorToPeriod(INT64_MIN, *ParsePeriod("1000000w")), std::nullopt);
}

}  // namespace
}  // namespace ck::collector::insights
