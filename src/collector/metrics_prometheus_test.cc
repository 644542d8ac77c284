// The CloudWatch -> PromQL mapping and label naming (metrics_prometheus.h), and the alarm
// datapoint source over a real store (metric_alarm_source.h).
#include "collector/metrics_prometheus.h"

#include <gtest/gtest.h>

#include "collector/metric_alarm_source.h"
#include "collector/metrics_test_support.h"

namespace ck::collector {
namespace {

MetricAlarmSpec Alarm(std::string metric_namespace, std::string metric,
                      std::vector<Dimension> dimensions, std::optional<Statistic> statistic,
                      std::string extended = "", int period = 60) {
  MetricAlarmSpec spec;
  spec.name = "a";
  spec.namespace_name = std::move(metric_namespace);
  spec.metric_name = std::move(metric);
  spec.dimensions = std::move(dimensions);
  spec.statistic = statistic;
  spec.extended_statistic = std::move(extended);
  spec.period_seconds = period;
  return spec;
}

TEST(MetricsPrometheusTest, DimensionLabelNames) {
  EXPECT_EQ(DimensionLabelName("ServiceName"), "service_name");
  EXPECT_EQ(DimensionLabelName("TaskID"), "task_id");
  EXPECT_EQ(DimensionLabelName("HTTPCode"), "http_code");
  EXPECT_EQ(DimensionLabelName("LogGroup"), "log_group");
  EXPECT_EQ(DimensionLabelName("instance"), "instance");
  EXPECT_EQ(DimensionLabelName("Service Name"), "service_name");
  EXPECT_EQ(DimensionLabelName("p99Latency"), "p99_latency");
  EXPECT_EQ(DimensionLabelName("99Problems"), "_99_problems");
  EXPECT_EQ(DimensionLabelName("caf\xc3\xa9"), "caf__");
  EXPECT_EQ(DimensionLabelName("__name__"), "exported__name__");
  EXPECT_EQ(DimensionLabelName(""), "_");
}

TEST(MetricsPrometheusTest, LabelsAvoidCollisions) {
  auto labels = CloudWatchMetricLabels(
      {"N", "M", {{"Namespace", "a"}, {"ServiceName", "b"}, {"service_name", "c"}}});
  std::vector<std::pair<std::string, std::string>> expected = {{"namespace", "N"},
                                                               {"metric", "M"},
                                                               {"exported_namespace", "a"},
                                                               {"service_name", "b"},
                                                               {"exported_service_name", "c"}};
  EXPECT_EQ(labels, expected);
  EXPECT_TRUE(IsScrapedNamespace("ck/list-api"));
  EXPECT_FALSE(IsScrapedNamespace("CuddleKube"));
}

TEST(MetricsPrometheusTest, ScrapedMetricsMapBackToTheirSeries) {
  PromQLOptions options{
      .scrape_interval_s = 15,
      .scraped_type = [](std::string_view,
                         std::string_view metric) -> std::optional<metrics::PrometheusType> {
        if (metric == "latency_seconds") return metrics::PrometheusType::kHistogram;
        return std::nullopt;
      }};
  const std::vector<Dimension> route = {{"route", "/list"}, {"job", "x"}};
  EXPECT_EQ(AlarmPromQL(Alarm("ck/api", "latency_seconds", route, std::nullopt, "p99.9"), options),
            "histogram_quantile(0.999, sum by (le) (increase(latency_seconds_bucket{job=\"api\","
            "exported_job=\"x\",route=\"/list\"}[1m])))");
  EXPECT_EQ(AlarmPromQL(Alarm("ck/api", "latency_seconds", {}, Statistic::kAverage), options),
            "increase(latency_seconds_sum{job=\"api\"}[1m]) / "
            "increase(latency_seconds_count{job=\"api\"}[1m])");
  EXPECT_EQ(
      AlarmPromQL(Alarm("ck/api", "latency_seconds", {}, Statistic::kMaximum), options),
      "histogram_quantile(1, sum by (le) (increase(latency_seconds_bucket{job=\"api\"}[1m])))");
  // Counters by their _total name when no scrape said otherwise.
  EXPECT_EQ(AlarmPromQL(Alarm("ck/api", "hits_total", {}, Statistic::kAverage), options),
            "rate(hits_total{job=\"api\"}[1m]) * 15");
  EXPECT_EQ(
      AlarmPromQL(Alarm("ck/api", "hits_total", {}, Statistic::kSampleCount, "", 300), options),
      "count_over_time(hits_total{job=\"api\"}[5m])");
  EXPECT_EQ(AlarmPromQL(Alarm("ck/api", "queue_depth", {}, std::nullopt, "p50"), options),
            "quantile_over_time(0.5, queue_depth{job=\"api\"}[1m])");
  EXPECT_EQ(AlarmPromQL(Alarm("ck/api", "queue_depth", {}, Statistic::kSum, "", 10), options),
            "sum_over_time(queue_depth{job=\"api\"}[10s])");
  EXPECT_EQ(AlarmPromQL(Alarm("ck/scrape", "up", {{"job", "api"}}, Statistic::kMinimum), options),
            "min_over_time(up{job=\"api\"}[1m])");
}

TEST(MetricsPrometheusTest, OtherNamespacesMapToTheExportedFamily) {
  PromQLOptions options;
  EXPECT_EQ(
      AlarmPromQL(Alarm("App", "Errors", {{"Route", "a\"b"}}, Statistic::kSampleCount, "", 120),
                  options),
      "avg_over_time(ck_cloudwatch_metric{namespace=\"App\",metric=\"Errors\",route="
      "\"a\\\"b\",statistic=\"SampleCount\"}[2m]) * 2");
  EXPECT_EQ(AlarmPromQL(Alarm("App", "Errors", {}, Statistic::kSum, "", 30), options),
            "avg_over_time(ck_cloudwatch_metric{namespace=\"App\",metric=\"Errors\",statistic="
            "\"Sum\"}[1m]) * 0.5");
  EXPECT_EQ(AlarmPromQL(Alarm("App", "Latency", {}, std::nullopt, "p10"), options),
            "min_over_time(ck_cloudwatch_metric{namespace=\"App\",metric=\"Latency\",statistic="
            "\"p10\"}[1m])");
  // "ck/" alone names no job.
  EXPECT_EQ(AlarmPromQL(Alarm("ck/", "x", {}, Statistic::kMaximum), options),
            "max_over_time(ck_cloudwatch_metric{namespace=\"ck/\",metric=\"x\",statistic="
            "\"Maximum\"}[1m])");
}

class MetricsAlarmSourceTest : public ::testing::Test {
 protected:
  MetricsAlarmSourceTest() : directory_("metrics-alarm-source") {
    auto store = metrics::MetricStore::Open(
        {.path = (directory_.path() / "m.sqlite3").string(), .clock = &clock_});
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    if (store.ok()) store_ = std::move(*store);
  }

  void Put(int64_t timestamp_ms, double value, int resolution = 60) {
    ASSERT_TRUE(
        store_->Put("App", "Latency", {{"Service", "s"}}, timestamp_ms, value, "None", resolution)
            .ok());
  }

  testing::TestClock clock_;
  testing::TempDirectory directory_;
  std::unique_ptr<metrics::MetricStore> store_;
};

constexpr int64_t kMinuteMs = 1'764'139'500'000;  // 06:45:00

TEST_F(MetricsAlarmSourceTest, AlignedPeriodsComeStraightFromTheStore) {
  Put(kMinuteMs - 90'000, 4);   // 06:43:30
  Put(kMinuteMs - 30'000, 10);  // 06:44:30
  Put(kMinuteMs - 20'000, 20);
  StoreDatapointSource source(*store_);
  MetricAlarmSpec alarm = Alarm("App", "Latency", {{"Service", "s"}}, Statistic::kAverage);
  std::vector<std::optional<double>> expected = {std::nullopt, 4.0, 15.0};
  EXPECT_EQ(source.Datapoints(alarm, kMinuteMs, 3), expected);
  alarm.dimensions.clear();
  EXPECT_EQ(source.Datapoints(alarm, kMinuteMs, 3),
            std::vector<std::optional<double>>(3, std::nullopt));
}

TEST_F(MetricsAlarmSourceTest, UnalignedPeriodsAreAssembled) {
  // A 5-minute alarm evaluated at 06:44 looks at 06:34-06:39 and 06:39-06:44, which the store's
  // epoch-aligned 5-minute periods (06:35-06:40, 06:40-06:45) do not match.
  Put(kMinuteMs - 5 * 60'000 + 1000, 1);  // 06:40:01
  Put(kMinuteMs - 2 * 60'000, 3);         // 06:43:00
  Put(kMinuteMs - 90'000, 8);             // 06:43:30
  StoreDatapointSource source(*store_);
  MetricAlarmSpec alarm = Alarm("App", "Latency", {{"Service", "s"}}, Statistic::kSum, "", 300);
  std::vector<std::optional<double>> expected = {std::nullopt, 12.0};
  EXPECT_EQ(source.Datapoints(alarm, kMinuteMs - 60'000, 2), expected);
  alarm.statistic = Statistic::kAverage;
  expected = {std::nullopt, 4.0};
  EXPECT_EQ(source.Datapoints(alarm, kMinuteMs - 60'000, 2), expected);
  alarm.statistic = Statistic::kMaximum;
  expected = {std::nullopt, 8.0};
  EXPECT_EQ(source.Datapoints(alarm, kMinuteMs - 60'000, 2), expected);
  // A percentile of the assembled period: the highest of the minutes' (within the sketch's 1%).
  alarm.statistic.reset();
  alarm.extended_statistic = "p100";
  std::vector<std::optional<double>> percentiles = source.Datapoints(alarm, kMinuteMs - 60'000, 2);
  ASSERT_EQ(percentiles.size(), 2u);
  EXPECT_EQ(percentiles[0], std::nullopt);
  ASSERT_TRUE(percentiles[1].has_value());
  EXPECT_NEAR(*percentiles[1], 8, 0.08);

  // 20-second periods from 10-second datapoints (high-resolution puts only).
  Put(kMinuteMs - 20'000, 5, 1);  // 06:44:40
  Put(kMinuteMs - 5'000, 7, 1);   // 06:44:55
  alarm = Alarm("App", "Latency", {{"Service", "s"}}, Statistic::kSum, "", 20);
  expected = {std::nullopt, 12.0};
  EXPECT_EQ(source.Datapoints(alarm, kMinuteMs, 2), expected);
}

}  // namespace
}  // namespace ck::collector
