#include "telemetry/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <thread>
#include <vector>

namespace ck::telemetry {
namespace {

TEST(MetricsRegistryTest, RendersCounterFamilyExactly) {
  MetricsRegistry registry;
  auto requests =
      registry.AddCounter("ck_test_requests_total", "Requests served.", {"route", "code"});
  ASSERT_TRUE(requests.ok()) << requests.status().ToString();
  (*requests)->WithLabels({"/list", "200"}).Increment(3);
  (*requests)->WithLabels({"/", "200"}).Increment();
  (*requests)->WithLabels({"/list", "500"}).Add(0.5);
  EXPECT_EQ(registry.Render(),
            "# HELP ck_test_requests_total Requests served.\n"
            "# TYPE ck_test_requests_total counter\n"
            "ck_test_requests_total{route=\"/\",code=\"200\"} 1\n"
            "ck_test_requests_total{route=\"/list\",code=\"200\"} 3\n"
            "ck_test_requests_total{route=\"/list\",code=\"500\"} 0.5\n");
}

TEST(MetricsRegistryTest, CounterIgnoresNegativeAndNaNAmounts) {
  MetricsRegistry registry;
  auto family = registry.AddCounter("ck_test_total", "Test.");
  ASSERT_TRUE(family.ok());
  Counter& counter = (*family)->Get();
  counter.Add(-5);
  counter.Add(std::nan(""));
  counter.Add(1.25);
  counter.Increment(2);
  EXPECT_EQ(counter.Value(), 3.25);
}

TEST(MetricsRegistryTest, UnlabelledFamiliesShowZeroAndLabelledOnesAppearWhenUsed) {
  MetricsRegistry registry;
  ASSERT_TRUE(registry.AddCounter("ck_a_total", "A.").ok());
  auto gauge = registry.AddGauge("ck_b", "B.", {"service"});
  ASSERT_TRUE(gauge.ok());
  EXPECT_EQ(registry.Render(),
            "# HELP ck_a_total A.\n"
            "# TYPE ck_a_total counter\n"
            "ck_a_total 0\n");
  (*gauge)->WithLabels({"list-api"}).Set(-2.5);
  (*gauge)->WithLabels({"feed-api"}).Set(1e6);
  EXPECT_EQ(registry.Render(),
            "# HELP ck_a_total A.\n"
            "# TYPE ck_a_total counter\n"
            "ck_a_total 0\n"
            "# HELP ck_b B.\n"
            "# TYPE ck_b gauge\n"
            "ck_b{service=\"feed-api\"} 1e+06\n"
            "ck_b{service=\"list-api\"} -2.5\n");
}

TEST(MetricsRegistryTest, GaugeSetsAddsAndKeepsSpecialValues) {
  MetricsRegistry registry;
  auto family = registry.AddGauge("ck_test_value", "Value.");
  ASSERT_TRUE(family.ok());
  Gauge& gauge = (*family)->Get();
  gauge.Set(10);
  gauge.Increment();
  gauge.Decrement();
  gauge.Decrement();
  gauge.Add(0.5);
  EXPECT_EQ(gauge.Value(), 9.5);
  gauge.Set(std::numeric_limits<double>::infinity());
  EXPECT_NE(registry.Render().find("ck_test_value +Inf\n"), std::string::npos);
  gauge.Set(std::nan(""));
  EXPECT_NE(registry.Render().find("ck_test_value NaN\n"), std::string::npos);
}

TEST(MetricsRegistryTest, RendersHistogramCumulativeBucketsSumAndCount) {
  MetricsRegistry registry;
  auto family =
      registry.AddHistogram("ck_test_duration_seconds", "Durations.", {"route"}, {0.01, 0.1, 1});
  ASSERT_TRUE(family.ok()) << family.status().ToString();
  Histogram& list = (*family)->WithLabels({"/list"});
  list.Observe(0.005);
  list.Observe(0.01);  // upper bounds are inclusive
  list.Observe(0.5);
  list.Observe(7);
  list.Observe(std::nan(""));  // ignored
  EXPECT_EQ(registry.Render(),
            "# HELP ck_test_duration_seconds Durations.\n"
            "# TYPE ck_test_duration_seconds histogram\n"
            "ck_test_duration_seconds_bucket{route=\"/list\",le=\"0.01\"} 2\n"
            "ck_test_duration_seconds_bucket{route=\"/list\",le=\"0.1\"} 2\n"
            "ck_test_duration_seconds_bucket{route=\"/list\",le=\"1\"} 3\n"
            "ck_test_duration_seconds_bucket{route=\"/list\",le=\"+Inf\"} 4\n"
            "ck_test_duration_seconds_sum{route=\"/list\"} 7.515\n"
            "ck_test_duration_seconds_count{route=\"/list\"} 4\n");
}

TEST(MetricsRegistryTest, UnlabelledHistogramUsesDefaultSecondsBuckets) {
  MetricsRegistry registry;
  auto family = registry.AddHistogram("ck_test_seconds", "Durations.");
  ASSERT_TRUE(family.ok());
  EXPECT_EQ(registry.Render(),
            "# HELP ck_test_seconds Durations.\n"
            "# TYPE ck_test_seconds histogram\n"
            "ck_test_seconds_bucket{le=\"0.001\"} 0\n"
            "ck_test_seconds_bucket{le=\"0.0025\"} 0\n"
            "ck_test_seconds_bucket{le=\"0.005\"} 0\n"
            "ck_test_seconds_bucket{le=\"0.01\"} 0\n"
            "ck_test_seconds_bucket{le=\"0.025\"} 0\n"
            "ck_test_seconds_bucket{le=\"0.05\"} 0\n"
            "ck_test_seconds_bucket{le=\"0.1\"} 0\n"
            "ck_test_seconds_bucket{le=\"0.25\"} 0\n"
            "ck_test_seconds_bucket{le=\"0.5\"} 0\n"
            "ck_test_seconds_bucket{le=\"1\"} 0\n"
            "ck_test_seconds_bucket{le=\"2.5\"} 0\n"
            "ck_test_seconds_bucket{le=\"5\"} 0\n"
            "ck_test_seconds_bucket{le=\"10\"} 0\n"
            "ck_test_seconds_bucket{le=\"+Inf\"} 0\n"
            "ck_test_seconds_sum 0\n"
            "ck_test_seconds_count 0\n");
}

TEST(MetricsRegistryTest, EscapesLabelValuesAndHelpText) {
  MetricsRegistry registry;
  auto family =
      registry.AddCounter("ck_test_total", "Help with \\ backslash\nand \"quotes\".", {"path"});
  ASSERT_TRUE(family.ok());
  (*family)->WithLabels({"a\\b\"c\nd"}).Increment();
  EXPECT_EQ(registry.Render(),
            "# HELP ck_test_total Help with \\\\ backslash\\nand \"quotes\".\n"
            "# TYPE ck_test_total counter\n"
            "ck_test_total{path=\"a\\\\b\\\"c\\nd\"} 1\n");
}

TEST(MetricsRegistryTest, ReplacesInvalidUtf8InLabelValues) {
  MetricsRegistry registry;
  auto family = registry.AddCounter("ck_test_total", "Test.", {"name"});
  ASSERT_TRUE(family.ok());
  (*family)->WithLabels({"caf\xC3\xA9"}).Increment();
  (*family)->WithLabels({"bad\xFF"}).Increment();
  (*family)->WithLabels({"bad\xFE"}).Increment();  // the same series once sanitised
  EXPECT_EQ((*family)->size(), 2u);
  EXPECT_EQ(registry.Render(),
            "# HELP ck_test_total Test.\n"
            "# TYPE ck_test_total counter\n"
            "ck_test_total{name=\"bad\xEF\xBF\xBD\"} 2\n"
            "ck_test_total{name=\"caf\xC3\xA9\"} 1\n");
}

TEST(MetricsRegistryTest, SortsFamiliesByNameAndSeriesByLabelValues) {
  MetricsRegistry registry;
  auto zeta = registry.AddGauge("ck_zeta", "Z.", {"k"});
  auto alpha = registry.AddGauge("ck_alpha", "A.", {"k"});
  ASSERT_TRUE(zeta.ok() && alpha.ok());
  for (const char* key : {"b", "c", "a"}) {
    (*zeta)->WithLabels({key}).Set(1);
    (*alpha)->WithLabels({key}).Set(2);
  }
  EXPECT_EQ(registry.Render(),
            "# HELP ck_alpha A.\n# TYPE ck_alpha gauge\n"
            "ck_alpha{k=\"a\"} 2\nck_alpha{k=\"b\"} 2\nck_alpha{k=\"c\"} 2\n"
            "# HELP ck_zeta Z.\n# TYPE ck_zeta gauge\n"
            "ck_zeta{k=\"a\"} 1\nck_zeta{k=\"b\"} 1\nck_zeta{k=\"c\"} 1\n");
}

TEST(MetricsRegistryTest, ValidatesDeclarations) {
  MetricsRegistry registry;
  EXPECT_EQ(registry.AddCounter("1abc_total", "x").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.AddCounter("a-b_total", "x").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.AddCounter("ns:name_total", "x").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.AddCounter("", "x").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.AddCounter("ck_requests", "x").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.AddGauge("ck_things_total", "x").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.AddGauge("ck_no_help", "").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.AddGauge("ck_g", "x", {"__reserved"}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.AddGauge("ck_g", "x", {"bad-label"}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.AddGauge("ck_g", "x", {"a", "a"}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.AddHistogram("ck_h_seconds", "x", {"le"}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.AddHistogram("ck_h_seconds", "x", {}, {}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.AddHistogram("ck_h_seconds", "x", {}, {1, 1}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(
      registry.AddHistogram("ck_h_seconds", "x", {}, {1, std::numeric_limits<double>::infinity()})
          .status()
          .code(),
      StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.AddCounterCallback("ck_cb_total", "x", {}, nullptr).code(),
            StatusCode::kInvalidArgument);
  // A failed declaration takes no name.
  EXPECT_TRUE(registry.AddGauge("ck_g", "x", {"a"}).ok());

  ASSERT_TRUE(registry.AddHistogram("ck_h_seconds", "x").ok());
  EXPECT_EQ(registry.AddGauge("ck_h_seconds", "x").status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(registry.AddGauge("ck_h_seconds_sum", "x").status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(registry.AddCounter("ck_metrics_overflow_total", "x").status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(registry.AddGaugeCallback("ck_g", "x", [] { return 1.0; }).code(),
            StatusCode::kAlreadyExists);
}

TEST(MetricsRegistryTest, ConcurrentUpdatesSumExactly) {
  MetricsRegistry registry;
  auto counters = registry.AddCounter("ck_test_total", "Test.", {"k"});
  auto gauges = registry.AddGauge("ck_test_gauge", "Test.");
  auto histograms = registry.AddHistogram("ck_test_seconds", "Test.", {}, {1, 2});
  ASSERT_TRUE(counters.ok() && gauges.ok() && histograms.ok());
  constexpr int kThreads = 8;
  constexpr int kIterations = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kIterations; ++i) {
        // Each thread also looks the child up itself, racing the creation of the series.
        (*counters)->WithLabels({i % 2 == 0 ? "even" : "odd"}).Increment();
        (*gauges)->Get().Add(t % 2 == 0 ? 1 : -0.5);
        (*histograms)->Get().Observe(i % 3 == 0 ? 0.5 : 1.5);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ((*counters)->WithLabels({"even"}).Value(), kThreads * kIterations / 2);
  EXPECT_EQ((*counters)->WithLabels({"odd"}).Value(), kThreads * kIterations / 2);
  EXPECT_EQ((*gauges)->Get().Value(), (kThreads / 2) * kIterations * 0.5);
  Histogram::Snapshot snapshot = (*histograms)->Get().Read();
  const uint64_t low = kThreads * ((kIterations + 2) / 3);
  EXPECT_EQ(snapshot.count, static_cast<uint64_t>(kThreads * kIterations));
  EXPECT_EQ(snapshot.cumulative, (std::vector<uint64_t>{low, snapshot.count, snapshot.count}));
  EXPECT_EQ(snapshot.sum, low * 0.5 + (snapshot.count - low) * 1.5);
}

TEST(MetricsRegistryTest, CapsSeriesAndCountsOverflow) {
  MetricsRegistry registry(/*max_series_per_family=*/3);
  auto family = registry.AddCounter("ck_test_total", "Test.", {"user", "code"});
  ASSERT_TRUE(family.ok());
  for (const char* user : {"a", "b", "c", "d", "e"})
    (*family)->WithLabels({user, "200"}).Increment();
  (*family)->WithLabels({"a", "200"}).Increment();   // existing series still count
  (*family)->WithLabels({"only-one"}).Increment(4);  // wrong number of values
  EXPECT_EQ((*family)->size(), 4u);
  EXPECT_EQ(registry.Render(),
            "# HELP ck_metrics_overflow_total Label sets that got no series of their own because "
            "the metric had reached its series limit (or had the wrong number of label values); "
            "they are counted in the metric's __overflow__ series.\n"
            "# TYPE ck_metrics_overflow_total counter\n"
            "ck_metrics_overflow_total{metric=\"ck_test_total\"} 3\n"
            "# HELP ck_test_total Test.\n"
            "# TYPE ck_test_total counter\n"
            "ck_test_total{user=\"__overflow__\",code=\"__overflow__\"} 6\n"
            "ck_test_total{user=\"a\",code=\"200\"} 2\n"
            "ck_test_total{user=\"b\",code=\"200\"} 1\n"
            "ck_test_total{user=\"c\",code=\"200\"} 1\n");
}

TEST(MetricsRegistryTest, CallbackFamiliesReadAtScrapeTime) {
  MetricsRegistry registry(/*max_series_per_family=*/2);
  double depth = 3;
  ASSERT_TRUE(
      registry.AddGaugeCallback("ck_test_queue_depth", "Depth.", [&] { return depth; }).ok());
  std::vector<Sample> samples = {{{"b"}, 2}, {{"a"}, 1}, {{"a"}, 9}, {{"x", "y"}, 5}, {{"c"}, 3}};
  ASSERT_TRUE(registry
                  .AddCounterCallback("ck_test_restarts_total", "Restarts.", {"service"},
                                      [&] { return samples; })
                  .ok());
  depth = 7;
  // {a}=9 repeats a label set (dropped); {x,y} has too many values and {c} is over the cap of 2.
  EXPECT_EQ(registry.Render(),
            "# HELP ck_metrics_overflow_total Label sets that got no series of their own because "
            "the metric had reached its series limit (or had the wrong number of label values); "
            "they are counted in the metric's __overflow__ series.\n"
            "# TYPE ck_metrics_overflow_total counter\n"
            "ck_metrics_overflow_total{metric=\"ck_test_restarts_total\"} 2\n"
            "# HELP ck_test_queue_depth Depth.\n"
            "# TYPE ck_test_queue_depth gauge\n"
            "ck_test_queue_depth 7\n"
            "# HELP ck_test_restarts_total Restarts.\n"
            "# TYPE ck_test_restarts_total counter\n"
            "ck_test_restarts_total{service=\"a\"} 1\n"
            "ck_test_restarts_total{service=\"b\"} 2\n");
}

TEST(MetricsRegistryTest, ACallbackThatThrowsShowsNoSeries) {
  MetricsRegistry registry;
  ASSERT_TRUE(registry
                  .AddGaugeCallback("ck_test_broken", "Broken.", {"k"},
                                    []() -> std::vector<Sample> { throw std::runtime_error("x"); })
                  .ok());
  EXPECT_EQ(registry.Render(), "");
}

TEST(MetricsHttpTest, ServesTextFormatOnGetMetricsOnly) {
  MetricsRegistry registry;
  ASSERT_TRUE(registry.AddCounter("ck_test_total", "Test.").ok());
  http::HttpRequest get(http::Verb::get, "/metrics", 11);
  http::HttpRequest query(http::Verb::get, "/metrics?x=1", 11);
  http::HttpRequest head(http::Verb::head, "/metrics", 11);
  EXPECT_TRUE(IsMetricsRequest(get));
  EXPECT_TRUE(IsMetricsRequest(query));
  EXPECT_TRUE(IsMetricsRequest(head));
  EXPECT_FALSE(IsMetricsRequest(http::HttpRequest(http::Verb::post, "/metrics", 11)));
  EXPECT_FALSE(IsMetricsRequest(http::HttpRequest(http::Verb::get, "/metrics/x", 11)));
  EXPECT_FALSE(IsMetricsRequest(http::HttpRequest(http::Verb::get, "/", 11)));

  http::HttpResponse response = MetricsResponse(registry, get);
  EXPECT_EQ(response.result(), http::HttpStatus::ok);
  EXPECT_EQ(response[http::Field::content_type], "text/plain; version=0.0.4; charset=utf-8");
  const std::string expected =
      "# HELP ck_test_total Test.\n# TYPE ck_test_total counter\nck_test_total 0\n";
  EXPECT_EQ(response.body(), expected);
  http::HttpResponse head_response = MetricsResponse(registry, head);
  EXPECT_EQ(head_response.body(), "");
  EXPECT_EQ(head_response[http::Field::content_length], std::to_string(expected.size()));
}

}  // namespace
}  // namespace ck::telemetry
