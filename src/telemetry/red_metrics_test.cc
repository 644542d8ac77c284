#include "telemetry/red_metrics.h"

#include <gtest/gtest.h>

namespace ck::telemetry {
namespace {

// The lines of `text` that start with `prefix`.
std::string Lines(const std::string& text, const std::string& prefix) {
  std::string out;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(at, end - at);
    if (line.rfind(prefix, 0) == 0) out += line + "\n";
    at = end + 1;
  }
  return out;
}

TEST(RedMetricsTest, ClassifiesOutcomesAndMethods) {
  EXPECT_EQ(OutcomeOfHttpStatus(200), DependencyOutcome::kOk);
  EXPECT_EQ(OutcomeOfHttpStatus(303), DependencyOutcome::kOk);
  EXPECT_EQ(OutcomeOfHttpStatus(404), DependencyOutcome::kError);
  EXPECT_EQ(OutcomeOfHttpStatus(429), DependencyOutcome::kThrottle);
  EXPECT_EQ(OutcomeOfHttpStatus(503), DependencyOutcome::kFault);
  EXPECT_EQ(OutcomeOfHttpStatus(0), DependencyOutcome::kFault);
  EXPECT_EQ(OutcomeName(DependencyOutcome::kThrottle), "throttle");
  EXPECT_EQ(MethodLabel(http::Verb::get), "GET");
  EXPECT_EQ(MethodLabel(http::Verb::delete_), "DELETE");
  EXPECT_EQ(MethodLabel(http::Verb::propfind), "OTHER");
  EXPECT_EQ(MethodLabel(http::Verb::unknown), "OTHER");
}

TEST(RedMetricsTest, RecordsServedRequestsByRouteMethodAndCode) {
  MetricsRegistry registry;
  auto server = HttpServerMetrics::Create(registry, "list-api");
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  (*server)->Record("/", http::Verb::get, 200, 0.002);
  (*server)->Record("/", http::Verb::get, 200, 0.02);
  (*server)->Record("/", http::Verb::get, 502, 3);
  (*server)->Record("/img/*", http::Verb::head, 404, 0.0001);
  const std::string text = registry.Render();
  EXPECT_EQ(Lines(text, "ck_http_server_requests_total"),
            "ck_http_server_requests_total{service=\"list-api\",route=\"/\",method=\"GET\","
            "code=\"200\"} 2\n"
            "ck_http_server_requests_total{service=\"list-api\",route=\"/\",method=\"GET\","
            "code=\"502\"} 1\n"
            "ck_http_server_requests_total{service=\"list-api\",route=\"/img/*\",method=\"HEAD\","
            "code=\"404\"} 1\n");
  EXPECT_EQ(Lines(text, "ck_http_server_request_duration_seconds_count"),
            "ck_http_server_request_duration_seconds_count{service=\"list-api\",route=\"/\","
            "method=\"GET\"} 3\n"
            "ck_http_server_request_duration_seconds_count{service=\"list-api\",route=\"/img/*\","
            "method=\"HEAD\"} 1\n");
  EXPECT_NE(text.find("ck_http_server_request_duration_seconds_bucket{service=\"list-api\","
                      "route=\"/\",method=\"GET\",le=\"0.0025\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("ck_http_server_request_duration_seconds_bucket{service=\"list-api\","
                      "route=\"/\",method=\"GET\",le=\"2.5\"} 2\n"),
            std::string::npos);
  // Declared once per registry.
  EXPECT_EQ(HttpServerMetrics::Create(registry, "other").status().code(),
            StatusCode::kAlreadyExists);
}

TEST(RedMetricsTest, CountsExactlyBeyondTheSeriesCache) {
  MetricsRegistry registry;
  auto server = HttpServerMetrics::Create(registry, "s");
  ASSERT_TRUE(server.ok());
  for (int round = 0; round < 3; ++round) {
    for (int route = 0; route < 100; ++route) {  // more label sets than the cache keeps
      (*server)->Record("/r" + std::to_string(route), http::Verb::get, 200, 0.001);
    }
  }
  const std::string text = registry.Render();
  for (int route : {0, 63, 64, 99}) {
    const std::string line = "ck_http_server_requests_total{service=\"s\",route=\"/r" +
                             std::to_string(route) + "\",method=\"GET\",code=\"200\"} 3\n";
    EXPECT_NE(text.find(line), std::string::npos) << line;
  }
}

TEST(RedMetricsTest, RecordsDependencyCallsByOutcome) {
  MetricsRegistry registry;
  auto calls = DependencyMetrics::Create(registry, "register-api");
  ASSERT_TRUE(calls.ok());
  (*calls)->Record("DynamoDB", "PutItem", DependencyOutcome::kOk, 0.003);
  (*calls)->Record("DynamoDB", "PutItem", DependencyOutcome::kFault, 0.2);
  (*calls)->Record("validate-api", "POST", DependencyOutcome::kError, 0.001);
  const std::string text = registry.Render();
  EXPECT_EQ(Lines(text, "ck_dependency_requests_total"),
            "ck_dependency_requests_total{service=\"register-api\",dependency=\"DynamoDB\","
            "operation=\"PutItem\",outcome=\"fault\"} 1\n"
            "ck_dependency_requests_total{service=\"register-api\",dependency=\"DynamoDB\","
            "operation=\"PutItem\",outcome=\"ok\"} 1\n"
            "ck_dependency_requests_total{service=\"register-api\",dependency=\"validate-api\","
            "operation=\"POST\",outcome=\"error\"} 1\n");
  EXPECT_EQ(Lines(text, "ck_dependency_request_duration_seconds_sum"),
            "ck_dependency_request_duration_seconds_sum{service=\"register-api\","
            "dependency=\"DynamoDB\",operation=\"PutItem\"} 0.203\n"
            "ck_dependency_request_duration_seconds_sum{service=\"register-api\","
            "dependency=\"validate-api\",operation=\"POST\"} 0.001\n");
}

TEST(RedMetricsTest, EmitterCountersReadTheEmitterWhenScraped) {
  MetricsRegistry registry;
  UdpEmitter emitter({.max_queue_documents = 1, .start_paused = true});
  ASSERT_TRUE(AddEmitterMetrics(registry, "feed-api", &emitter).ok());
  emitter.Emit({{"name", "a"}});
  emitter.Emit({{"name", "b"}});  // queue full: dropped
  EXPECT_EQ(registry.Render(),
            "# HELP ck_tracing_queued_segments Trace segments waiting in the emitter's queue.\n"
            "# TYPE ck_tracing_queued_segments gauge\n"
            "ck_tracing_queued_segments{service=\"feed-api\"} 1\n"
            "# HELP ck_tracing_segments_dropped_total Trace segments not sent: queue_full (the "
            "emitter's queue was full), too_large (no datagram could hold it), send_error (the "
            "send failed).\n"
            "# TYPE ck_tracing_segments_dropped_total counter\n"
            "ck_tracing_segments_dropped_total{service=\"feed-api\",reason=\"queue_full\"} 1\n"
            "ck_tracing_segments_dropped_total{service=\"feed-api\",reason=\"send_error\"} 0\n"
            "ck_tracing_segments_dropped_total{service=\"feed-api\",reason=\"too_large\"} 0\n"
            "# HELP ck_tracing_segments_sent_total Trace segment datagrams handed to the kernel "
            "for the X-Ray daemon address.\n"
            "# TYPE ck_tracing_segments_sent_total counter\n"
            "ck_tracing_segments_sent_total{service=\"feed-api\"} 0\n");

  MetricsRegistry off;
  ASSERT_TRUE(AddEmitterMetrics(off, "feed-api", nullptr).ok());
  EXPECT_NE(off.Render().find("ck_tracing_segments_sent_total{service=\"feed-api\"} 0\n"),
            std::string::npos);
}

}  // namespace
}  // namespace ck::telemetry
