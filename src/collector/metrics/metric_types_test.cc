#include "collector/metrics/metric_types.h"

#include <gtest/gtest.h>

#include "collector/metrics/statistics.h"

namespace ck::collector::metrics {
namespace {

TEST(MetricTypesTest, NormalizeSortsDimensionsAndDefaultsTheUnit) {
  MetricDatum datum{.key = {"ns", "m", {{"b", "2"}, {"a", "1"}}}, .unit = "", .values = {1}};
  ASSERT_TRUE(NormalizeDatum(datum).ok());
  EXPECT_EQ(datum.key.dimensions, (std::vector<Dimension>{{"a", "1"}, {"b", "2"}}));
  EXPECT_EQ(datum.unit, "None");
}

TEST(MetricTypesTest, NormalizeNamesTheBadField) {
  auto error = [](MetricDatum datum) { return NormalizeDatum(datum).message(); };
  MetricDatum base{.key = {"ns", "m", {}}, .values = {1}};
  MetricDatum datum = base;
  datum.key.metric_namespace = "";
  EXPECT_EQ(error(datum), "Namespace must be 1 to 255 characters");
  datum = base;
  datum.key.metric_namespace = ":x";
  EXPECT_EQ(error(datum), "Namespace must not start with ':'");
  datum = base;
  datum.key.metric_name = std::string(256, 'm');
  EXPECT_EQ(error(datum), "MetricName must be 1 to 255 characters");
  datum = base;
  datum.key.dimensions = {{"a", std::string(1025, 'v')}};
  EXPECT_EQ(error(datum), "Dimension \"a\" value must be 1 to 1024 characters");
  datum = base;
  datum.key.dimensions = {{"a", "\xff"}};
  EXPECT_EQ(error(datum), "Dimension \"a\" value is not valid UTF-8");
  datum = base;
  datum.values.clear();
  EXPECT_EQ(error(datum), "a datum needs values or a statistic set");
  datum = base;
  datum.counts = {1, 2};
  EXPECT_EQ(error(datum), "Counts must have as many entries as Values");
  datum = base;
  datum.counts = {0};
  EXPECT_EQ(error(datum), "Counts must be positive");
  datum = base;
  datum.values = {3e108};
  EXPECT_EQ(error(datum), "values must be finite and within +-2^360");
  datum = base;
  datum.statistic_values = StatisticSet{.sample_count = 1, .sum = 1, .minimum = 2, .maximum = 1};
  EXPECT_EQ(error(datum), "StatisticValues.Minimum must not exceed Maximum");
  datum.statistic_values = StatisticSet{.sample_count = 0};
  EXPECT_EQ(error(datum), "StatisticValues.SampleCount must be positive");
  datum = base;
  datum.timestamp_ms = -1;
  EXPECT_EQ(error(datum), "Timestamp must not be before 1970");
}

TEST(MetricTypesTest, UnitsAndUtf8) {
  EXPECT_TRUE(IsValidUnit("Bytes/Second"));
  EXPECT_TRUE(IsValidUnit("None"));
  EXPECT_FALSE(IsValidUnit("bytes"));
  EXPECT_TRUE(IsValidUtf8("caf\xc3\xa9 \xf0\x9f\x90\xa2"));
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // a surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xe2\x82"));          // truncated
}

TEST(MetricTypesTest, SeriesKeyEncodingRoundTrips) {
  SeriesKey key{"ck/list-api", "Latency", {{"Service", "list-api"}, {"Version", "v2"}}};
  SeriesKey decoded;
  ASSERT_TRUE(DecodeSeriesKey(EncodeSeriesKey(key), &decoded));
  EXPECT_EQ(decoded, key);
  EXPECT_FALSE(DecodeSeriesKey(EncodeSeriesKey(key) + "x", &decoded));
  EXPECT_FALSE(DecodeSeriesKey(std::string("\x05") + "ab", &decoded));
  EXPECT_EQ(SeriesKeyToString(key), "ck/list-api/Latency{Service=list-api,Version=v2}");
}

TEST(StatisticsTest, ParsesCloudWatchStatisticNames) {
  auto parsed = ParseStatistics({"Average", "p99", "p99.99", "p0", "p100", "p50.5"});
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ((*parsed)[0].kind, StatisticKind::kAverage);
  EXPECT_EQ((*parsed)[1].kind, StatisticKind::kPercentile);
  EXPECT_DOUBLE_EQ((*parsed)[1].quantile, 0.99);
  EXPECT_DOUBLE_EQ((*parsed)[2].quantile, 0.9999);
  EXPECT_DOUBLE_EQ((*parsed)[4].quantile, 1.0);
  EXPECT_DOUBLE_EQ((*parsed)[5].quantile, 0.505);
  for (const char* bad :
       {"p", "p100.5", "p99.999", "p-1", "P99", "average", "p9x", "p99.", "p01"}) {
    EXPECT_EQ(ParseStatistics({bad}).status().code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(ParseStatistics({"Sum", "Sum", "Sum", "Sum", "Sum", "Sum"}).status(),
            InvalidArgument("at most 5 statistics per request"));
}

TEST(StatisticsTest, Periods) {
  for (int64_t period : {1, 5, 10, 30, 60, 120, 300, 86400})
    EXPECT_TRUE(ValidatePeriod(period).ok());
  for (int64_t period : {0, -60, 2, 15, 45, 90})
    EXPECT_FALSE(ValidatePeriod(period).ok()) << period;
}

}  // namespace
}  // namespace ck::collector::metrics
