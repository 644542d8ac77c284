#include "collector/metrics/prometheus_scrape.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "collector/metrics/metric_store.h"

namespace ck::collector::metrics {
namespace {

constexpr int64_t kScrape1 = 1'700'000'040'000;  // on a minute boundary
constexpr int64_t kScrape2 = kScrape1 + 15'000;

PrometheusExposition Parse(const std::string& text) {
  auto parsed = ParsePrometheusText(text);
  EXPECT_TRUE(parsed.ok()) << parsed.status().message();
  return parsed.ok() ? *parsed : PrometheusExposition{};
}

std::string Histogram(int b1, int b2, int b3, int inf, double sum, int count) {
  return "# TYPE ck_request_duration_seconds histogram\n"
         "ck_request_duration_seconds_bucket{route=\"/list\",le=\"0.01\"} " +
         std::to_string(b1) + "\n" +
         "ck_request_duration_seconds_bucket{route=\"/list\",le=\"0.1\"} " + std::to_string(b2) +
         "\n" + "ck_request_duration_seconds_bucket{route=\"/list\",le=\"1\"} " +
         std::to_string(b3) + "\n" +
         "ck_request_duration_seconds_bucket{route=\"/list\",le=\"+Inf\"} " + std::to_string(inf) +
         "\n" + "ck_request_duration_seconds_sum{route=\"/list\"} " + std::to_string(sum) + "\n" +
         "ck_request_duration_seconds_count{route=\"/list\"} " + std::to_string(count) + "\n";
}

std::string Scrape(int ok_requests, int failed_requests, int inflight,
                   const std::string& histogram) {
  return "# TYPE ck_http_requests_total counter\n"
         "ck_http_requests_total{route=\"/list\",code=\"200\"} " +
         std::to_string(ok_requests) + "\n" +
         "ck_http_requests_total{route=\"/list\",code=\"500\"} " + std::to_string(failed_requests) +
         "\n" + "# TYPE ck_inflight gauge\nck_inflight " + std::to_string(inflight) + "\n" +
         histogram;
}

const MetricDatum* Find(const ScrapeMapping& mapping, const std::string& key) {
  for (const MetricDatum& datum : mapping.datums) {
    if (SeriesKeyToString(datum.key) == key) return &datum;
  }
  return nullptr;
}

TEST(PrometheusScrapeTest, CountersBecomeIncreasesGaugesValuesHistogramsDistributions) {
  ScrapeState state;
  ScrapeTarget target{.job = "list-api"};
  ScrapeMapping first = ScrapeToDatapoints(
      Parse(Scrape(100, 5, 3, Histogram(10, 50, 60, 60, 5, 60))), target, kScrape1, state);
  // Only the gauge: counters and histograms need a previous scrape.
  ASSERT_EQ(first.datums.size(), 1u);
  EXPECT_EQ(SeriesKeyToString(first.datums[0].key), "ck/list-api/ck_inflight{}");
  EXPECT_EQ(first.datums[0].values, std::vector<double>{3});
  EXPECT_EQ(first.datums[0].timestamp_ms, kScrape1);
  EXPECT_EQ(state.size(), 3u);

  ScrapeMapping second = ScrapeToDatapoints(
      Parse(Scrape(200, 2, 7, Histogram(30, 80, 100, 101, 9.5, 101))), target, kScrape2, state);
  EXPECT_EQ(second.counter_resets, 1u);
  EXPECT_EQ(second.samples_skipped, 0u);
  ASSERT_EQ(second.datums.size(), 4u);

  const MetricDatum* ok = Find(second, "ck/list-api/ck_http_requests_total{code=200,route=/list}");
  ASSERT_NE(ok, nullptr);
  EXPECT_EQ(ok->values, std::vector<double>{100});
  EXPECT_EQ(ok->unit, "Count");
  EXPECT_EQ(ok->timestamp_ms, kScrape2);
  const MetricDatum* failed =
      Find(second, "ck/list-api/ck_http_requests_total{code=500,route=/list}");
  ASSERT_NE(failed, nullptr);
  EXPECT_EQ(failed->values, std::vector<double>{2})
      << "after a reset the new value is the increase";
  EXPECT_EQ(Find(second, "ck/list-api/ck_inflight{}")->values, std::vector<double>{7});

  const MetricDatum* latency = Find(second, "ck/list-api/ck_request_duration_seconds{route=/list}");
  ASSERT_NE(latency, nullptr);
  EXPECT_EQ(latency->unit, "Seconds");
  ASSERT_TRUE(latency->statistic_values.has_value());
  EXPECT_EQ(latency->statistic_values->sample_count, 41);
  EXPECT_EQ(latency->statistic_values->sum, 4.5);
  EXPECT_EQ(latency->statistic_values->minimum, 0.01 / 2);
  EXPECT_EQ(latency->statistic_values->maximum, 1);
  // Bucket midpoints; +Inf observations stand at the largest finite bound.
  EXPECT_EQ(latency->values, (std::vector<double>{0.01 / 2, (0.01 + 0.1) / 2, (0.1 + 1) / 2, 1}));
  EXPECT_EQ(latency->counts, (std::vector<double>{20, 10, 10, 1}));
}

TEST(PrometheusScrapeTest, HistogramPercentilesThroughTheStore) {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("ck-scrape-" + std::to_string(::getpid()) + ".sqlite3");
  std::filesystem::remove(path);
  FakeClock clock{WallTime(std::chrono::milliseconds(kScrape2 + 1000))};
  auto store = MetricStore::Open({.path = path.string(), .clock = &clock});
  ASSERT_TRUE(store.ok()) << store.status().message();

  ScrapeState state;
  ScrapeTarget target{.job = "list-api", .instance = "127.0.0.1:7001"};
  ScrapeToDatapoints(Parse(Histogram(10, 50, 60, 60, 5, 60)), target, kScrape1, state);
  ScrapeMapping mapped =
      ScrapeToDatapoints(Parse(Histogram(30, 80, 100, 101, 9.5, 101)), target, kScrape2, state);
  ASSERT_TRUE((*store)->PutMetricData(mapped.datums).ok());
  auto points =
      (*store)->GetStatistics({.key = {"ck/list-api",
                                       "ck_request_duration_seconds",
                                       {{"instance", "127.0.0.1:7001"}, {"route", "/list"}}},
                               .start_ms = kScrape2 - 60'000,
                               .end_ms = kScrape2 + 60'000,
                               .period_s = 60,
                               .statistics = {"SampleCount", "Sum", "p50", "p99"}});
  ASSERT_TRUE(points.ok()) << points.status().message();
  ASSERT_EQ(points->size(), 1u);
  const StatisticsDatapoint& point = points->front();
  EXPECT_EQ(point.sample_count, 41);
  EXPECT_EQ(point.sum, 4.5);
  ASSERT_EQ(point.percentiles.size(), 2u);
  // 20 of 41 observations are at most 0.01 s, 30 at most 0.1 s, 40 at most 1 s.
  EXPECT_NEAR(point.percentiles[0].second, 0.055, 0.055 * 0.01);  // p50: the (0.01, 0.1] bucket
  EXPECT_NEAR(point.percentiles[1].second, 0.55, 0.55 * 0.01);    // p99: the (0.1, 1] bucket
  store->reset();
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + "-wal");
  std::filesystem::remove(path.string() + "-shm");
}

TEST(PrometheusScrapeTest, HistogramResetAndQuietPeriods) {
  ScrapeState state;
  ScrapeTarget target{.job = "j"};
  ScrapeToDatapoints(Parse(Histogram(10, 50, 60, 60, 5, 60)), target, kScrape1, state);
  ScrapeMapping quiet =
      ScrapeToDatapoints(Parse(Histogram(10, 50, 60, 60, 5, 60)), target, kScrape2, state);
  EXPECT_TRUE(quiet.datums.empty()) << "no observations, no datum";
  ScrapeMapping restarted =
      ScrapeToDatapoints(Parse(Histogram(1, 2, 2, 3, 1.25, 3)), target, kScrape2 + 15'000, state);
  EXPECT_EQ(restarted.counter_resets, 1u);
  ASSERT_EQ(restarted.datums.size(), 1u);
  EXPECT_EQ(restarted.datums[0].statistic_values->sample_count, 3);
  EXPECT_EQ(restarted.datums[0].statistic_values->sum, 1.25);
  EXPECT_EQ(restarted.datums[0].counts, (std::vector<double>{1, 1, 1}));
  EXPECT_EQ(restarted.datums[0].values, (std::vector<double>{0.01 / 2, (0.01 + 0.1) / 2, 1}));
}

TEST(PrometheusScrapeTest, SummariesLabelsAndSkippedSamples) {
  ScrapeState state;
  ScrapeTarget target{.job = "order-api", .instance = "10.0.0.7:9100"};
  std::string wide = "wide{";
  for (int i = 0; i < 30; ++i) wide += "l" + std::to_string(i) + "=\"v\",";
  wide += "} 1\n";
  std::string page =
      "# TYPE ck_gc_pause_seconds summary\n"
      "ck_gc_pause_seconds{quantile=\"0.99\"} 0.0125\n"
      "ck_gc_pause_seconds_sum 1.5\n"
      "ck_gc_pause_seconds_count 600\n"
      "# TYPE ck_queue_bytes gauge\n"
      "ck_queue_bytes{queue=\"orders\",instance=\"pod-1\",empty=\"\"} 4096\n"
      "ck_queue_bytes{queue=\"orders\",instance=\"pod-1\",empty=\"\"} 4096\n"
      "ck_nan NaN\n" +
      wide;
  ScrapeMapping first = ScrapeToDatapoints(Parse(page), target, kScrape1, state);
  EXPECT_EQ(first.samples_skipped, 3u);  // the duplicate, NaN, 31 dimensions with "instance"
  std::vector<std::string> keys;
  for (const MetricDatum& datum : first.datums)
    keys.push_back(SeriesKeyToString(datum.key) + " " + datum.unit);
  EXPECT_EQ(keys,
            (std::vector<std::string>{
                "ck/order-api/ck_gc_pause_seconds{instance=10.0.0.7:9100,quantile=0.99} Seconds",
                "ck/order-api/"
                "ck_queue_bytes{exported_instance=pod-1,instance=10.0.0.7:9100,queue=orders} Bytes",
            }));
  ScrapeMapping second =
      ScrapeToDatapoints(Parse("# TYPE ck_gc_pause_seconds summary\nck_gc_pause_seconds_sum "
                               "2\nck_gc_pause_seconds_count 650\n"),
                         target, kScrape2, state);
  ASSERT_EQ(second.datums.size(), 2u);
  EXPECT_EQ(SeriesKeyToString(second.datums[0].key),
            "ck/order-api/ck_gc_pause_seconds_sum{instance=10.0.0.7:9100}");
  EXPECT_EQ(second.datums[0].values, std::vector<double>{0.5});
  EXPECT_EQ(second.datums[0].unit, "Seconds");
  EXPECT_EQ(second.datums[1].values, std::vector<double>{50});
  EXPECT_EQ(second.datums[1].unit, "Count");
}

TEST(PrometheusScrapeTest, SeriesThatVanishStartOver) {
  ScrapeState state;
  ScrapeTarget target{.job = "j"};
  ScrapeToDatapoints(Parse("# TYPE c counter\nc 10\n"), target, kScrape1, state);
  EXPECT_TRUE(ScrapeToDatapoints(Parse("up 1\n"), target, kScrape2, state).datums.size() == 1);
  EXPECT_EQ(state.size(), 0u);
  // The counter is back: a first observation again, so no increase is invented.
  EXPECT_TRUE(
      ScrapeToDatapoints(Parse("# TYPE c counter\nc 50\n"), target, kScrape2 + 15'000, state)
          .datums.empty());
}

TEST(PrometheusScrapeTest, UnitsFromNames) {
  EXPECT_EQ(UnitForMetricName("process_cpu_seconds_total", true), "Seconds");
  EXPECT_EQ(UnitForMetricName("http_requests_total", true), "Count");
  EXPECT_EQ(UnitForMetricName("go_memstats_alloc_bytes", false), "Bytes");
  EXPECT_EQ(UnitForMetricName("db_latency_milliseconds", false), "Milliseconds");
  EXPECT_EQ(UnitForMetricName("cpu_percent", false), "Percent");
  EXPECT_EQ(UnitForMetricName("queue_depth", false), "None");
}

}  // namespace
}  // namespace ck::collector::metrics
