#include "collector/metrics/metric_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <thread>

namespace ck::collector::metrics {
namespace {

constexpr int64_t kStartMs = 1'704'067'200'000;  // 2024-01-01T00:00:00Z, a whole day
constexpr int64_t kMinute = 60'000;
constexpr int64_t kHour = 3'600'000;
constexpr int64_t kDay = 24 * kHour;

const std::vector<std::string> kAllPlain = {"SampleCount", "Sum", "Average", "Minimum", "Maximum"};

class MetricStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() /
                 ("ck-metric-store-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(directory_);
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  std::unique_ptr<MetricStore> Open(MetricStoreOptions options = {}) {
    options.path = (directory_ / "metrics.sqlite3").string();
    options.clock = &clock_;
    auto store = MetricStore::Open(options);
    EXPECT_TRUE(store.ok()) << store.status().message();
    return store.ok() ? std::move(*store) : nullptr;
  }

  static SeriesKey Latency() {
    return SeriesKey{"ck/list-api", "Latency", {{"Service", "list-api"}}};
  }

  static Status PutLatency(MetricStore& store, int64_t timestamp_ms, double value,
                           int resolution = 60) {
    return store.Put("ck/list-api", "Latency", {{"Service", "list-api"}}, timestamp_ms, value,
                     "Milliseconds", resolution);
  }

  static std::vector<StatisticsDatapoint> Query(MetricStore& store, int64_t start_ms,
                                                int64_t end_ms, int64_t period_s,
                                                std::vector<std::string> statistics = kAllPlain,
                                                SeriesKey key = Latency()) {
    auto points = store.GetStatistics(StatisticsRequest{.key = std::move(key),
                                                        .start_ms = start_ms,
                                                        .end_ms = end_ms,
                                                        .period_s = period_s,
                                                        .statistics = std::move(statistics)});
    EXPECT_TRUE(points.ok()) << points.status().message();
    return points.ok() ? *points : std::vector<StatisticsDatapoint>{};
  }

  static std::vector<int64_t> Timestamps(const std::vector<StatisticsDatapoint>& points) {
    std::vector<int64_t> out;
    for (const auto& point : points) out.push_back(point.timestamp_ms);
    return out;
  }

  static std::optional<double> Percentile(const StatisticsDatapoint& point,
                                          const std::string& name) {
    for (const auto& [key, value] : point.percentiles) {
      if (key == name) return value;
    }
    return std::nullopt;
  }

  FakeClock clock_{WallTime(std::chrono::milliseconds(kStartMs + kHour))};
  std::filesystem::path directory_;
};

TEST_F(MetricStoreTest, StatisticsPerMinuteAreExact) {
  auto store = Open();
  int64_t minute = kStartMs + 10 * kMinute;
  for (double value : {4.0, 1.0, 2.5, 8.5})
    ASSERT_TRUE(PutLatency(*store, minute + 7'000, value).ok());
  ASSERT_TRUE(PutLatency(*store, minute + kMinute + 59'999, 10).ok());

  auto points = Query(*store, minute, minute + 3 * kMinute, 60);
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points[0].timestamp_ms, minute);
  EXPECT_EQ(points[0].unit, "Milliseconds");
  EXPECT_EQ(points[0].sample_count, 4);
  EXPECT_EQ(points[0].sum, 16);
  EXPECT_EQ(points[0].average, 4);
  EXPECT_EQ(points[0].minimum, 1);
  EXPECT_EQ(points[0].maximum, 8.5);
  EXPECT_EQ(points[1].timestamp_ms, minute + kMinute);
  EXPECT_EQ(points[1].sample_count, 1);
  EXPECT_EQ(points[1].sum, 10);

  // Only the statistics asked for are filled.
  auto sums = Query(*store, minute, minute + 3 * kMinute, 180, {"Sum"});
  ASSERT_EQ(sums.size(), 1u);
  EXPECT_EQ(sums[0].sum, 26);
  EXPECT_FALSE(sums[0].sample_count.has_value());
  EXPECT_FALSE(sums[0].average.has_value());
}

TEST_F(MetricStoreTest, ValuesWithCountsAndStatisticSets) {
  auto store = Open();
  MetricDatum weighted{.key = Latency(), .timestamp_ms = kStartMs, .unit = "Milliseconds"};
  weighted.values = {1, 2};
  weighted.counts = {3, 1};
  MetricDatum set{.key = Latency(), .timestamp_ms = kStartMs + kMinute, .unit = "Milliseconds"};
  set.statistic_values = StatisticSet{.sample_count = 4, .sum = 10, .minimum = 1, .maximum = 4};
  MetricDatum uniform{.key = Latency(), .timestamp_ms = kStartMs + 2 * kMinute};
  uniform.statistic_values = StatisticSet{.sample_count = 3, .sum = 6, .minimum = 2, .maximum = 2};
  ASSERT_TRUE(store->PutMetricData({weighted, set, uniform}).ok());

  auto points =
      Query(*store, kStartMs, kStartMs + 3 * kMinute, 60, {"SampleCount", "Sum", "Average", "p50"});
  ASSERT_EQ(points.size(), 3u);
  EXPECT_EQ(points[0].sample_count, 4);
  EXPECT_EQ(points[0].sum, 5);
  EXPECT_EQ(points[0].average, 1.25);
  EXPECT_EQ(Percentile(points[0], "p50"), 1);  // clamped to the exact minimum
  EXPECT_EQ(points[1].sample_count, 4);
  EXPECT_EQ(points[1].sum, 10);
  EXPECT_EQ(points[1].average, 2.5);
  EXPECT_TRUE(points[1].percentiles.empty()) << "unequal statistic set: no percentiles";
  EXPECT_EQ(Percentile(points[2], "p50"), 2);
  // A period that includes the unequal set has no percentiles either.
  auto whole = Query(*store, kStartMs, kStartMs + 3 * kMinute, 180, {"SampleCount", "p50"});
  ASSERT_EQ(whole.size(), 1u);
  EXPECT_EQ(whole[0].sample_count, 11);
  EXPECT_TRUE(whole[0].percentiles.empty());
}

TEST_F(MetricStoreTest, PercentilesWithinOnePercent) {
  auto store = Open();
  MetricDatum datum{.key = Latency(), .timestamp_ms = kStartMs, .unit = "Milliseconds"};
  for (int i = 1; i <= 1000; ++i) datum.values.push_back(i);
  ASSERT_TRUE(store->PutMetricData({datum}).ok());
  ASSERT_TRUE(store->Flush().ok());

  auto points =
      Query(*store, kStartMs, kStartMs + kMinute, 60, {"p0", "p50", "p90", "p99", "p99.9", "p100"});
  ASSERT_EQ(points.size(), 1u);
  // The exact answer is the value of rank q * 999 among 1..1000: floor(q * 999) + 1.
  EXPECT_EQ(Percentile(points[0], "p0"), 1);  // clamped to the exact minimum
  for (auto [name, exact] : std::vector<std::pair<std::string, double>>{
           {"p50", 500}, {"p90", 900}, {"p99", 990}, {"p99.9", 999}, {"p100", 1000}}) {
    std::optional<double> value = Percentile(points[0], name);
    ASSERT_TRUE(value.has_value()) << name;
    EXPECT_NEAR(*value, exact, exact * Distribution::kRelativeAccuracy) << name;
  }
  EXPECT_LE(*Percentile(points[0], "p100"), 1000);  // never above the exact maximum
}

TEST_F(MetricStoreTest, PeriodsAreAlignedToMultiplesOfThePeriod) {
  auto store = Open();
  ASSERT_TRUE(PutLatency(*store, kStartMs + 10'000, 1).ok());
  ASSERT_TRUE(PutLatency(*store, kStartMs + 301'000, 2).ok());
  ASSERT_TRUE(PutLatency(*store, kStartMs + 650'000, 3).ok());
  ASSERT_TRUE(PutLatency(*store, kStartMs + 900'000, 4).ok());  // at the (exclusive) end

  // The start (37 s past a 5-minute boundary) is rounded down to the period.
  auto points = Query(*store, kStartMs + 37'000, kStartMs + 900'000, 300, {"Sum"});
  EXPECT_EQ(Timestamps(points),
            (std::vector<int64_t>{kStartMs, kStartMs + 300'000, kStartMs + 600'000}));
  EXPECT_EQ(points[2].sum, 3);

  auto hourly = Query(*store, kStartMs + 5 * kMinute, kStartMs + kHour, 3600, {"Sum"});
  ASSERT_EQ(hourly.size(), 1u);
  EXPECT_EQ(hourly[0].timestamp_ms, kStartMs);
  EXPECT_EQ(hourly[0].sum, 10);
}

TEST_F(MetricStoreTest, HighResolutionSecondsAndMinuteRollups) {
  auto store = Open();
  ASSERT_TRUE(PutLatency(*store, kStartMs + 1'200, 1, 1).ok());
  ASSERT_TRUE(PutLatency(*store, kStartMs + 1'700, 3, 1).ok());
  ASSERT_TRUE(PutLatency(*store, kStartMs + 2'500, 5, 1).ok());
  ASSERT_TRUE(PutLatency(*store, kStartMs + 3'000, 100, 60).ok());  // standard resolution

  auto seconds = Query(*store, kStartMs, kStartMs + 10'000, 1, {"SampleCount", "Sum"});
  EXPECT_EQ(Timestamps(seconds), (std::vector<int64_t>{kStartMs + 1'000, kStartMs + 2'000}));
  EXPECT_EQ(seconds[0].sample_count, 2);
  EXPECT_EQ(seconds[0].sum, 4);
  EXPECT_EQ(seconds[1].sum, 5);

  auto five = Query(*store, kStartMs, kStartMs + 10'000, 5, {"Sum"});
  ASSERT_EQ(five.size(), 1u);
  EXPECT_EQ(five[0].sum, 9);  // the standard-resolution put is not in 1-second data

  ASSERT_TRUE(store->Flush().ok());
  auto minute = Query(*store, kStartMs, kStartMs + kMinute, 60, {"SampleCount", "Sum"});
  ASSERT_EQ(minute.size(), 1u);
  EXPECT_EQ(minute[0].sample_count, 4);
  EXPECT_EQ(minute[0].sum, 109);

  auto bad_period = store->GetStatistics({.key = Latency(),
                                          .start_ms = kStartMs,
                                          .end_ms = kStartMs + kMinute,
                                          .period_s = 7,
                                          .statistics = {"Sum"}});
  EXPECT_EQ(bad_period.status(),
            InvalidArgument("Period must be 1, 5, 10, 30 or a multiple of 60 seconds, got 7"));

  auto listed = store->ListMetrics({});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->metrics.size(), 1u);
  EXPECT_TRUE(listed->metrics[0].high_resolution);
}

TEST_F(MetricStoreTest, RetentionDropsSecondsAfterThreeHoursAndMinutesAfterFifteenDays) {
  clock_.Set(WallTime(std::chrono::milliseconds(kStartMs + 30'000)));
  auto store = Open({.retention_interval_s = 1'000'000});
  ASSERT_TRUE(PutLatency(*store, kStartMs + 1'000, 7, 1).ok());
  ASSERT_TRUE(store->Flush().ok());
  EXPECT_EQ(Query(*store, kStartMs, kStartMs + kMinute, 1, {"Sum"}).size(), 1u);

  clock_.Advance(std::chrono::milliseconds(3 * kHour));  // the second is now 3 h 29 s old
  EXPECT_TRUE(Query(*store, kStartMs, kStartMs + kMinute, 1, {"Sum"}).empty());
  EXPECT_EQ(Query(*store, kStartMs, kStartMs + kMinute, 60, {"Sum"}).size(), 1u);
  ASSERT_TRUE(store->ApplyRetention().ok());
  EXPECT_EQ(store->stats().buckets_pruned, 1u);
  EXPECT_EQ(store->stats().series, 1u);

  clock_.Set(WallTime(std::chrono::milliseconds(kStartMs + 15 * kDay + kMinute)));
  EXPECT_TRUE(Query(*store, kStartMs, kStartMs + kMinute, 60, {"Sum"}).empty());
  ASSERT_TRUE(store->ApplyRetention().ok());
  MetricStoreStats stats = store->stats();
  EXPECT_EQ(stats.buckets_pruned, 2u);
  EXPECT_EQ(stats.series, 0u);
  EXPECT_EQ(stats.series_expired, 1u);
  EXPECT_TRUE(store->ListMetrics({})->metrics.empty());

  // Too old or too far ahead for the store.
  EXPECT_EQ(PutLatency(*store, kStartMs, 1).message(),
            "Timestamp is more than 1296000 s in the past");
  int64_t now_ms = kStartMs + 15 * kDay + kMinute;
  EXPECT_EQ(PutLatency(*store, now_ms + 2 * kHour + 1, 1).message(),
            "Timestamp is more than 7200 s in the future");
  EXPECT_EQ(store->stats().datums_rejected, 2u);

  // Expired series are gone from the file too.
  store.reset();
  auto reopened = Open();
  EXPECT_EQ(reopened->stats().series, 0u);
}

TEST_F(MetricStoreTest, ConfigurableRetentionAppliedByFlush) {
  clock_.Set(WallTime(std::chrono::milliseconds(kStartMs)));
  auto store = Open(
      {.high_resolution_retention_s = 10, .standard_retention_s = 120, .retention_interval_s = 60});
  ASSERT_TRUE(PutLatency(*store, kStartMs, 1, 1).ok());
  ASSERT_TRUE(store->Flush().ok());  // the first flush applies retention (nothing to prune yet)
  clock_.Advance(std::chrono::seconds(30));
  ASSERT_TRUE(store->Flush().ok());  // 30 s since retention ran: not yet
  EXPECT_EQ(store->stats().buckets_pruned, 0u);
  clock_.Advance(std::chrono::seconds(30));
  ASSERT_TRUE(store->Flush().ok());
  EXPECT_EQ(store->stats().buckets_pruned, 1u);  // the 1-second datapoint, 60 s old
  clock_.Advance(std::chrono::seconds(61));
  ASSERT_TRUE(store->Flush().ok());
  EXPECT_EQ(store->stats().buckets_pruned, 2u);
  EXPECT_EQ(store->stats().series, 0u);
}

TEST_F(MetricStoreTest, FlushedDataSurvivesReopen) {
  {
    auto store = Open();
    ASSERT_TRUE(PutLatency(*store, kStartMs + 1'000, 10, 1).ok());
    ASSERT_TRUE(store->Flush().ok());
    // A second flush into the same buckets merges with what is stored.
    ASSERT_TRUE(PutLatency(*store, kStartMs + 1'500, 20, 1).ok());
    ASSERT_TRUE(PutLatency(*store, kStartMs + 40'000, 30).ok());
    ASSERT_TRUE(store->Flush().ok());
    EXPECT_EQ(store->stats().buckets_written, 4u);  // 2 + (second again, minute again)
  }
  clock_.Set(WallTime(std::chrono::milliseconds(kStartMs + kHour)));
  auto store = Open();
  auto minute =
      Query(*store, kStartMs, kStartMs + kMinute, 60, {"SampleCount", "Sum", "p50", "Maximum"});
  ASSERT_EQ(minute.size(), 1u);
  EXPECT_EQ(minute[0].sample_count, 3);
  EXPECT_EQ(minute[0].sum, 60);
  EXPECT_EQ(minute[0].maximum, 30);
  EXPECT_NEAR(*Percentile(minute[0], "p50"), 20, 0.2);
  auto seconds = Query(*store, kStartMs, kStartMs + kMinute, 1, {"Sum"});
  ASSERT_EQ(seconds.size(), 1u);
  EXPECT_EQ(seconds[0].sum, 30);
  auto listed = store->ListMetrics({});
  ASSERT_EQ(listed->metrics.size(), 1u);
  EXPECT_EQ(listed->metrics[0].unit, "Milliseconds");
  EXPECT_TRUE(listed->metrics[0].high_resolution);
  // New series continue the id sequence instead of reusing the stored one.
  ASSERT_TRUE(store->Put("ck/list-api", "Errors", {}, kStartMs, 1).ok());
  ASSERT_TRUE(store->Flush().ok());
  EXPECT_EQ(Query(*store, kStartMs, kStartMs + kMinute, 60, {"Sum"}).at(0).sum, 60);
}

TEST_F(MetricStoreTest, UnflushedPutsAreQueryableButNotYetDurable) {
  auto writer = Open();
  ASSERT_TRUE(PutLatency(*writer, kStartMs, 5).ok());
  EXPECT_EQ(Query(*writer, kStartMs, kStartMs + kMinute, 60, {"Sum"}).at(0).sum, 5);
  EXPECT_EQ(writer->stats().unflushed_buckets, 1u);

  auto other = Open();  // another process opening the file sees only flushed data
  EXPECT_TRUE(other->ListMetrics({})->metrics.empty());
  ASSERT_TRUE(writer->Flush().ok());
  EXPECT_EQ(writer->stats().unflushed_buckets, 0u);
  other.reset();
  auto after_flush = Open();
  EXPECT_EQ(Query(*after_flush, kStartMs, kStartMs + kMinute, 60, {"Sum"}).at(0).sum, 5);
}

TEST_F(MetricStoreTest, QueriesDuringFlushesSeeEachPutExactlyOnce) {
  auto store = Open();
  constexpr int kPuts = 3000;
  std::atomic<bool> done{false};
  std::thread writer([&] {
    for (int i = 0; i < kPuts; ++i) {
      EXPECT_TRUE(PutLatency(*store, kStartMs + (i % 5) * kMinute, 1).ok());
      if (i % 50 == 0) {
        EXPECT_TRUE(store->Flush().ok());
      }
    }
    done = true;
  });
  // Puts only add, so the count a query sees never shrinks and never exceeds what was put: a
  // datapoint counted twice (or lost) while moving to the database would break either.
  double last_seen = 0;
  bool finished = false;
  while (!finished) {
    finished = done;
    auto points = Query(*store, kStartMs, kStartMs + 5 * kMinute, 300, {"SampleCount"});
    double seen = points.empty() ? 0 : *points[0].sample_count;
    EXPECT_GE(seen, last_seen);
    EXPECT_LE(seen, kPuts);
    last_seen = seen;
  }
  writer.join();
  EXPECT_EQ(last_seen, kPuts);
}

TEST_F(MetricStoreTest, SeriesCapDropsNewSeriesAndCountsThem) {
  auto store = Open({.max_series = 2});
  ASSERT_TRUE(store->Put("ns", "a", {}, kStartMs, 1).ok());
  ASSERT_TRUE(store->Put("ns", "b", {}, kStartMs, 1).ok());
  Status dropped = store->Put("ns", "c", {}, kStartMs, 1);
  EXPECT_EQ(dropped,
            ResourceExhausted("1 of 1 datums dropped: the store holds its limit of 2 series"));
  EXPECT_TRUE(store->Put("ns", "a", {}, kStartMs + kMinute, 2).ok())
      << "known series still accepted";

  MetricDatum known{.key = {"ns", "b", {}}, .timestamp_ms = kStartMs, .values = {3}};
  MetricDatum unknown{.key = {"ns", "d", {}}, .timestamp_ms = kStartMs, .values = {4}};
  EXPECT_EQ(store->PutMetricData({known, unknown}).code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(Query(*store, kStartMs, kStartMs + kMinute, 60, {"Sum"}, {"ns", "b", {}}).at(0).sum, 4);
  MetricStoreStats stats = store->stats();
  EXPECT_EQ(stats.series, 2u);
  EXPECT_EQ(stats.datums_dropped_series_limit, 2u);
  EXPECT_EQ(stats.datums_accepted, 4u);
}

TEST_F(MetricStoreTest, UnflushedCapDropsUntilTheNextFlush) {
  auto store = Open({.max_unflushed_buckets = 3});
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(PutLatency(*store, kStartMs + i * kMinute, 1).ok());
  ASSERT_TRUE(PutLatency(*store, kStartMs + 30'000, 1).ok()) << "an existing bucket grows freely";
  EXPECT_EQ(PutLatency(*store, kStartMs + 3 * kMinute, 1),
            ResourceExhausted("1 of 1 datums dropped: too many datapoints waiting for a flush"));
  EXPECT_EQ(store->stats().datums_dropped_unflushed_limit, 1u);
  ASSERT_TRUE(store->Flush().ok());
  EXPECT_TRUE(PutLatency(*store, kStartMs + 3 * kMinute, 1).ok());
}

TEST_F(MetricStoreTest, InvalidBatchStoresNothing) {
  auto store = Open();
  MetricDatum good{.key = Latency(), .timestamp_ms = kStartMs, .values = {1}};
  MetricDatum bad{.key = Latency(), .timestamp_ms = kStartMs, .unit = "Parsecs", .values = {1}};
  EXPECT_EQ(store->PutMetricData({good, bad}),
            InvalidArgument("MetricData[1]: Unit \"Parsecs\" is not a CloudWatch unit"));
  EXPECT_EQ(store->Put("ns", "m", {{"a", "1"}, {"a", "2"}}, kStartMs, 1),
            InvalidArgument("Dimension \"a\" is given twice"));
  EXPECT_EQ(store->Put("ns", "m", {}, kStartMs, std::nan("")),
            InvalidArgument("values must be finite and within +-2^360"));
  EXPECT_EQ(store->Put("ns", "m", {}, kStartMs, 1, "None", 5),
            InvalidArgument("StorageResolution must be 1 or 60"));
  std::vector<Dimension> many;
  for (int i = 0; i < 31; ++i) many.push_back({"d" + std::to_string(i), "v"});
  EXPECT_EQ(store->Put("ns", "m", many, kStartMs, 1),
            InvalidArgument("a metric has at most 30 dimensions, got 31"));
  EXPECT_EQ(store->stats().datums_accepted, 0u);
  EXPECT_EQ(store->stats().series, 0u);
}

TEST_F(MetricStoreTest, QueryValidationAndUnknownSeries) {
  auto store = Open();
  ASSERT_TRUE(PutLatency(*store, kStartMs, 1).ok());
  auto request = [&](int64_t start, int64_t end, int64_t period, std::vector<std::string> stats) {
    return store->GetStatistics({.key = Latency(),
                                 .start_ms = start,
                                 .end_ms = end,
                                 .period_s = period,
                                 .statistics = stats});
  };
  EXPECT_EQ(
      request(kStartMs, kStartMs + 2 * kDay, 60, {"Sum"}).status(),
      InvalidArgument("the request covers 2880 periods; at most 1440 datapoints per request"));
  EXPECT_TRUE(request(kStartMs, kStartMs + kDay, 60, {"Sum"}).ok()) << "1440 periods are fine";
  EXPECT_EQ(request(kStartMs, kStartMs, 60, {"Sum"}).status(),
            InvalidArgument("StartTime must be before EndTime"));
  EXPECT_EQ(request(kStartMs, kStartMs + kMinute, 60, {"p101"}).status(),
            InvalidArgument("unknown statistic \"p101\" (expected SampleCount, Sum, Average, "
                            "Minimum, Maximum or pNN.NN)"));
  EXPECT_EQ(request(kStartMs, kStartMs + kMinute, 60, {}).status(),
            InvalidArgument("at least one statistic is required"));
  auto unknown = store->GetStatistics({.key = {"ck/list-api", "Latency", {}},
                                       .start_ms = kStartMs,
                                       .end_ms = kStartMs + kMinute,
                                       .statistics = {"Sum"}});
  ASSERT_TRUE(unknown.ok());
  EXPECT_TRUE(unknown->empty());
  // Dimension order in the request does not matter.
  ASSERT_TRUE(store->Put("ns", "m", {{"b", "2"}, {"a", "1"}}, kStartMs, 3).ok());
  EXPECT_EQ(Query(*store, kStartMs, kStartMs + kMinute, 60, {"Sum"},
                  {"ns", "m", {{"a", "1"}, {"b", "2"}}})
                .at(0)
                .sum,
            3);
}

TEST_F(MetricStoreTest, ListMetricsFiltersAndPages) {
  auto store = Open();
  ASSERT_TRUE(store->Put("A", "Latency", {{"Service", "y"}}, kStartMs, 1).ok());
  ASSERT_TRUE(store->Put("A", "Latency", {{"Service", "x"}}, kStartMs, 1).ok());
  ASSERT_TRUE(store->Put("A", "Errors", {{"Service", "x"}}, kStartMs, 1, "Count").ok());
  ASSERT_TRUE(store->Put("B", "Latency", {}, kStartMs, 1).ok());
  auto names = [](const ListMetricsResult& result) {
    std::vector<std::string> out;
    for (const ListedMetric& metric : result.metrics) out.push_back(SeriesKeyToString(metric.key));
    return out;
  };

  auto in_a = store->ListMetrics({.metric_namespace = "A"});
  ASSERT_TRUE(in_a.ok());
  EXPECT_EQ(names(*in_a), (std::vector<std::string>{"A/Errors{Service=x}", "A/Latency{Service=x}",
                                                    "A/Latency{Service=y}"}));
  EXPECT_EQ(in_a->metrics[0].unit, "Count");
  EXPECT_TRUE(in_a->next_token.empty());
  EXPECT_EQ(
      names(*store->ListMetrics({.metric_name = "Latency"})),
      (std::vector<std::string>{"A/Latency{Service=x}", "A/Latency{Service=y}", "B/Latency{}"}));
  EXPECT_EQ(names(*store->ListMetrics({.dimensions = {{"Service", "y"}}})),
            (std::vector<std::string>{"A/Latency{Service=y}"}));
  EXPECT_EQ(store->ListMetrics({.dimensions = {{"Service", std::nullopt}}})->metrics.size(), 3u);

  auto first = store->ListMetrics({.limit = 2});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(names(*first),
            (std::vector<std::string>{"A/Errors{Service=x}", "A/Latency{Service=x}"}));
  ASSERT_FALSE(first->next_token.empty());
  auto second = store->ListMetrics({.next_token = first->next_token, .limit = 2});
  EXPECT_EQ(names(*second), (std::vector<std::string>{"A/Latency{Service=y}", "B/Latency{}"}));
  EXPECT_TRUE(second->next_token.empty());

  EXPECT_EQ(store->ListMetrics({.next_token = "zz"}).status(),
            InvalidArgument("invalid NextToken"));
  EXPECT_EQ(store->ListMetrics({.limit = 501}).status(),
            InvalidArgument("the page size must be 1 to 500"));
}

}  // namespace
}  // namespace ck::collector::metrics
