#include "collector/metrics/prometheus_text.h"

#include <gtest/gtest.h>

#include <cmath>

namespace ck::collector::metrics {
namespace {

// A /metrics page as a Cuddle Kube service (or any Prometheus client library) serves it.
constexpr const char* kScrape =
    R"(# HELP ck_http_requests_total Requests served, by route and status.
# TYPE ck_http_requests_total counter
ck_http_requests_total{route="/list",code="200"} 1027 1700000000000
ck_http_requests_total{route="/register", code="500",} 3

# An ordinary comment, then a sample whose labels need escaping.
ck_file_open_errors{path="C:\\data\\residents.db",error="cannot open:\n\"locked\""} 2
# TYPE ck_build_info gauge
ck_build_info{version="1.4.0",commit="abc123"}	1
ck_temperature_celsius -3.5e1
ck_queue_depth{queue="orders"} NaN
ck_ratio +Inf -42

# HELP ck_request_duration_seconds Request latency.\nIn seconds, with a \\ backslash.
# TYPE ck_request_duration_seconds histogram
ck_request_duration_seconds_bucket{route="/list",le="0.005"} 10
ck_request_duration_seconds_bucket{route="/list",le="0.01"} 25
ck_request_duration_seconds_bucket{route="/list",le="0.1"} 90
ck_request_duration_seconds_bucket{route="/list",le="+Inf"} 100
ck_request_duration_seconds_sum{route="/list"} 2.75
ck_request_duration_seconds_count{route="/list"} 100
# TYPE ck_gc_pause_seconds summary
ck_gc_pause_seconds{quantile="0.5"} 0.002
ck_gc_pause_seconds{quantile="0.99"} 0.0125
ck_gc_pause_seconds_sum 1.5
ck_gc_pause_seconds_count 600
)";

const PrometheusFamily* Find(const PrometheusExposition& exposition, const std::string& name) {
  for (const PrometheusFamily& family : exposition.families) {
    if (family.name == name) return &family;
  }
  return nullptr;
}

TEST(PrometheusTextTest, ParsesARealisticScrape) {
  auto parsed = ParsePrometheusText(kScrape);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  std::vector<std::string> names;
  for (const PrometheusFamily& family : parsed->families) {
    names.push_back(family.name + ":" + std::string(PrometheusTypeName(family.type)) + ":" +
                    std::to_string(family.samples.size()));
  }
  EXPECT_EQ(names,
            (std::vector<std::string>{
                "ck_http_requests_total:counter:2", "ck_file_open_errors:untyped:1",
                "ck_build_info:gauge:1", "ck_temperature_celsius:untyped:1",
                "ck_queue_depth:untyped:1", "ck_ratio:untyped:1",
                "ck_request_duration_seconds:histogram:6", "ck_gc_pause_seconds:summary:4"}));

  const PrometheusFamily& requests = *Find(*parsed, "ck_http_requests_total");
  EXPECT_EQ(requests.help, "Requests served, by route and status.");
  EXPECT_EQ(requests.samples[0].labels,
            (std::vector<PrometheusLabel>{{"route", "/list"}, {"code", "200"}}));
  EXPECT_EQ(requests.samples[0].value, 1027);
  EXPECT_EQ(requests.samples[0].timestamp_ms, 1700000000000);
  EXPECT_EQ(requests.samples[1].labels,
            (std::vector<PrometheusLabel>{{"route", "/register"}, {"code", "500"}}));
  EXPECT_FALSE(requests.samples[1].timestamp_ms.has_value());

  const PrometheusSample& escaped = Find(*parsed, "ck_file_open_errors")->samples[0];
  EXPECT_EQ(escaped.labels[0].value, "C:\\data\\residents.db");
  EXPECT_EQ(escaped.labels[1].value, "cannot open:\n\"locked\"");

  EXPECT_EQ(Find(*parsed, "ck_build_info")->samples[0].value, 1);
  EXPECT_EQ(Find(*parsed, "ck_temperature_celsius")->samples[0].value, -35);
  EXPECT_TRUE(std::isnan(Find(*parsed, "ck_queue_depth")->samples[0].value));
  const PrometheusSample& ratio = Find(*parsed, "ck_ratio")->samples[0];
  EXPECT_TRUE(std::isinf(ratio.value) && ratio.value > 0);
  EXPECT_EQ(ratio.timestamp_ms, -42);

  const PrometheusFamily& histogram = *Find(*parsed, "ck_request_duration_seconds");
  EXPECT_EQ(histogram.help, "Request latency.\nIn seconds, with a \\ backslash.");
  EXPECT_EQ(histogram.samples[3].name, "ck_request_duration_seconds_bucket");
  EXPECT_EQ(histogram.samples[3].labels[1], (PrometheusLabel{"le", "+Inf"}));
  EXPECT_EQ(histogram.samples[4].name, "ck_request_duration_seconds_sum");
  EXPECT_EQ(histogram.samples[4].value, 2.75);
  EXPECT_EQ(histogram.samples[5].name, "ck_request_duration_seconds_count");
  const PrometheusFamily& summary = *Find(*parsed, "ck_gc_pause_seconds");
  EXPECT_EQ(summary.samples[1].labels[0], (PrometheusLabel{"quantile", "0.99"}));
  EXPECT_EQ(summary.samples[3].value, 600);
}

TEST(PrometheusTextTest, EmptyAndCommentOnlyInputs) {
  for (const char* text : {"", "\n\n", "# just a comment\n", "   \t\n# EOF", "\r\n"}) {
    auto parsed = ParsePrometheusText(text);
    ASSERT_TRUE(parsed.ok()) << parsed.status().message();
    EXPECT_TRUE(parsed->families.empty());
  }
  // HELP/TYPE without samples still declare a family; CRLF line ends are tolerated.
  auto declared = ParsePrometheusText("# HELP up Whether the target is up.\r\n# TYPE up gauge\r\n");
  ASSERT_TRUE(declared.ok());
  ASSERT_EQ(declared->families.size(), 1u);
  EXPECT_EQ(declared->families[0].help, "Whether the target is up.");
  EXPECT_EQ(declared->families[0].type, PrometheusType::kGauge);
}

TEST(PrometheusTextTest, ValueSpellings) {
  auto parsed = ParsePrometheusText("a 1\nb -Inf\nc inf\nd nan\ne .5\nf 1E3\ng +7\n");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  std::vector<double> values;
  for (const auto& family : parsed->families) values.push_back(family.samples[0].value);
  EXPECT_EQ(values[0], 1);
  EXPECT_TRUE(std::isinf(values[1]) && values[1] < 0);
  EXPECT_TRUE(std::isinf(values[2]) && values[2] > 0);
  EXPECT_TRUE(std::isnan(values[3]));
  EXPECT_EQ(values[4], 0.5);
  EXPECT_EQ(values[5], 1000);
  EXPECT_EQ(values[6], 7);
}

TEST(PrometheusTextTest, MalformedLinesReportLineAndReason) {
  struct Case {
    std::string text;
    std::string error;
  };
  std::vector<Case> cases = {
      {"ok 1\n9bad 1\n", "line 2: invalid metric name"},
      {"a{code=\"200\" 1\n", "line 1: expected ',' or '}' after the value of label \"code\""},
      {"a{code=200} 1\n", "line 1: expected '\"' to open the value of label \"code\""},
      {"a{code} 1\n", "line 1: expected '=' after label name \"code\""},
      {"a{1x=\"v\"} 1\n", "line 1: invalid label name"},
      {"a{code=\"200} 1\n", "line 1: unterminated value of label \"code\""},
      {"a{path=\"c:\\d\"} 1\n", "line 1: invalid escape sequence in the value of label \"path\""},
      {"a{x=\"1\",x=\"2\"} 1\n", "line 1: duplicate label \"x\""},
      {"a{x=\"\xff\"} 1\n", "line 1: the value of label \"x\" is not valid UTF-8"},
      {"a\n", "line 1: missing value for \"a\""},
      {"a{x=\"1\"}\n", "line 1: missing value for \"a\""},
      {"a one\n", "line 1: invalid value \"one\""},
      {"a 1e999\n", "line 1: invalid value \"1e999\""},
      {"a 0x10\n", "line 1: invalid value \"0x10\""},
      {"a 1 12.5\n", "line 1: invalid timestamp \"12.5\""},
      {"a 1 12 extra\n", "line 1: unexpected text after the timestamp"},
      {"a-b 1\n", "line 1: unexpected character after metric name \"a\""},
      {"# TYPE a counter\n# TYPE a gauge\n",
       "line 2: second TYPE line for metric name \"a\", or TYPE reported after samples"},
      {"a 1\n# TYPE a counter\n",
       "line 2: second TYPE line for metric name \"a\", or TYPE reported after samples"},
      {"# HELP a one\n# HELP a two\n", "line 2: second HELP line for metric name \"a\""},
      {"# TYPE a timer\n", "line 1: unknown metric type \"timer\""},
      {"# TYPE a counter extra\n", "line 1: unexpected text after the type in # TYPE line"},
      {"# HELP 1a text\n", "line 1: invalid metric name in # HELP line"},
      {"# HELP a bad \\t escape\n", "line 1: invalid escape sequence in HELP text"},
      {"# TYPE h histogram\nh_bucket 1\n",
       "line 2: histogram bucket \"h_bucket\" needs a numeric \"le\" label"},
      {"# TYPE h histogram\nh_bucket{le=\"x\"} 1\n",
       "line 2: histogram bucket \"h_bucket\" needs a numeric \"le\" label"},
      {"# TYPE h histogram\nh 1\n",
       "line 2: histogram sample \"h\" needs a _bucket, _sum or _count suffix"},
      {"# TYPE s summary\ns 1\n",
       "line 2: summary sample \"s\" needs a numeric \"quantile\" label"},
  };
  for (const Case& test : cases) {
    auto parsed = ParsePrometheusText(test.text);
    EXPECT_EQ(parsed.status(), InvalidArgument(test.error)) << test.text;
  }
}

TEST(PrometheusTextTest, SampleLimit) {
  std::string text;
  for (size_t i = 0; i <= kMaxPrometheusSamples; ++i)
    text += "a{i=\"" + std::to_string(i) + "\"} 1\n";
  EXPECT_EQ(ParsePrometheusText(text).status(),
            InvalidArgument("line 100001: more than 100000 samples"));
}

}  // namespace
}  // namespace ck::collector::metrics
