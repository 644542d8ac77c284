// The host's GET /metrics: RED per matched route (never the raw path), per dependency, and the
// scrape itself neither counted, traced nor routed to the service.
#include <utility>

#include <gtest/gtest.h>

#include "services/common/json_body.h"
#include "services/common/service_test_support.h"

namespace ck::services {
namespace {

namespace asio = boost::asio;
using testing::Call;
using testing::FakeDiscovery;
using testing::FakeXRayDaemon;
using testing::TestHost;
using testing::TestServer;

constexpr char kSampled[] = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1";

asio::awaitable<http::HttpResponse> CallBackend(ServiceContext* context,
                                                telemetry::RequestSpan* span) {
  auto answer = co_await context->services->PostJson(context->UrlFor("backend", "/"),
                                                     nlohmann::json::object(), span);
  if (!answer.ok()) co_return JsonError(http::HttpStatus::bad_gateway, answer.status().message());
  co_return http::MakeResponse(answer->result(), "text/plain", "");
}

ServiceDefinition MeasuredService() {
  ServiceDefinition definition;
  definition.name = "echo";
  definition.add_routes = [](Router& router, ServiceContext* context) {
    router.Add(http::Verb::get, "/items", [](http::HttpRequest) {
      return Respond(http::MakeResponse(http::HttpStatus::ok, "text/plain", "items"));
    });
    router.AddPrefix(http::Verb::get, "/img/", [](http::HttpRequest) {
      return Respond(http::MakeResponse(http::HttpStatus::ok, "image/png", "png"));
    });
    router.Add(http::Verb::post, "/call",
               [context](http::HttpRequest, telemetry::RequestSpan* span) {
                 return CallBackend(context, span);
               });
  };
  return definition;
}

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

TEST(ServiceHostMetricsTest, CountsRequestsPerRouteAndCallsPerDependency) {
  FakeXRayDaemon daemon;
  FakeDiscovery discovery;
  TestServer backend([](http::HttpRequest) -> asio::awaitable<http::HttpResponse> {
    co_return http::MakeResponse(http::HttpStatus::service_unavailable, "text/plain", "busy");
  });
  discovery.Add("backend", backend.port());
  TestHost host(
      MeasuredService(),
      LoadServiceConfig("echo", MapEnvironment({{"AWS_XRAY_DAEMON_ADDRESS", daemon.address()},
                                                {"CK_DISCOVERY_URL", discovery.url()}})));
  for (auto [verb, path, status] : std::vector<std::tuple<http::Verb, std::string, unsigned>>{
           {http::Verb::get, "/items", 200},
           {http::Verb::get, "/items?page=2", 200},
           {http::Verb::head, "/items", 200},
           {http::Verb::get, "/img/a.png", 200},
           {http::Verb::get, "/img/b.png", 200},
           {http::Verb::get, "/no/such/path", 404},
           {http::Verb::post, "/items", 405},
           {http::Verb::post, "/call", 503},
       }) {
    auto response = Call(verb, host.url(path));
    ASSERT_TRUE(response.ok()) << path << ": " << response.status().ToString();
    EXPECT_EQ(response->result_int(), status) << path;
  }

  // Scraped twice, the second time with a sampled trace header: neither scrape is a request,
  // and neither records a segment.
  ASSERT_TRUE(host.service().FlushTelemetry(std::chrono::seconds(5)));
  const uint64_t emitted_before = host.service().telemetry_stats().emitted;
  ASSERT_TRUE(Call(http::Verb::get, host.url("/metrics")).ok());
  auto scrape = Call(http::Verb::get, host.url("/metrics"), "", {{"X-Amzn-Trace-Id", kSampled}});
  ASSERT_TRUE(scrape.ok());
  EXPECT_EQ(scrape->result_int(), 200u);
  EXPECT_EQ((*scrape)[http::Field::content_type], "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ((*scrape)["X-Amzn-Trace-Id"], "");  // not traced
  const std::string text = scrape->body();

  EXPECT_EQ(Lines(text, "ck_http_server_requests_total{"),
            "ck_http_server_requests_total{service=\"echo\",route=\"/call\",method=\"POST\","
            "code=\"503\"} 1\n"
            "ck_http_server_requests_total{service=\"echo\",route=\"/img/*\",method=\"GET\","
            "code=\"200\"} 2\n"
            "ck_http_server_requests_total{service=\"echo\",route=\"/items\",method=\"GET\","
            "code=\"200\"} 2\n"
            "ck_http_server_requests_total{service=\"echo\",route=\"/items\",method=\"HEAD\","
            "code=\"200\"} 1\n"
            "ck_http_server_requests_total{service=\"echo\",route=\"unmatched\",method=\"GET\","
            "code=\"404\"} 1\n"
            "ck_http_server_requests_total{service=\"echo\",route=\"unmatched\",method=\"POST\","
            "code=\"405\"} 1\n");
  EXPECT_EQ(Lines(text, "ck_http_server_request_duration_seconds_count{"),
            "ck_http_server_request_duration_seconds_count{service=\"echo\",route=\"/call\","
            "method=\"POST\"} 1\n"
            "ck_http_server_request_duration_seconds_count{service=\"echo\",route=\"/img/*\","
            "method=\"GET\"} 2\n"
            "ck_http_server_request_duration_seconds_count{service=\"echo\",route=\"/items\","
            "method=\"GET\"} 2\n"
            "ck_http_server_request_duration_seconds_count{service=\"echo\",route=\"/items\","
            "method=\"HEAD\"} 1\n"
            "ck_http_server_request_duration_seconds_count{service=\"echo\",route=\"unmatched\","
            "method=\"GET\"} 1\n"
            "ck_http_server_request_duration_seconds_count{service=\"echo\",route=\"unmatched\","
            "method=\"POST\"} 1\n");
  EXPECT_EQ(Lines(text, "ck_dependency_requests_total{"),
            "ck_dependency_requests_total{service=\"echo\",dependency=\"backend\","
            "operation=\"POST\",outcome=\"fault\"} 1\n");
  EXPECT_EQ(Lines(text, "ck_dependency_request_duration_seconds_count{"),
            "ck_dependency_request_duration_seconds_count{service=\"echo\",dependency=\"backend\","
            "operation=\"POST\"} 1\n");
  for (const char* present :
       {"\nck_tracing_segments_sent_total{service=\"echo\"} ", "\nprocess_cpu_seconds_total ",
        "\nprocess_resident_memory_bytes ", "\nprocess_open_fds "}) {
    EXPECT_NE(text.find(present), std::string::npos) << present;
  }
  EXPECT_EQ(text.find("/metrics"), std::string::npos) << "the scrape route is not a route";

  ASSERT_TRUE(host.service().FlushTelemetry(std::chrono::seconds(5)));
  EXPECT_EQ(host.service().telemetry_stats().emitted, emitted_before);
}

TEST(ServiceHostMetricsTest, MetricsAnswerBeforeAnyServiceRoute) {
  // A catch-all prefix route (like the site's HTML 404 page) must not shadow /metrics.
  ServiceDefinition definition;
  definition.name = "site";
  definition.add_routes = [](Router& router, ServiceContext*) {
    router.AddPrefix(http::Verb::get, "/", [](http::HttpRequest) {
      return Respond(http::MakeResponse(http::HttpStatus::not_found, "text/html", "<p>404</p>"));
    });
  };
  TestHost host(std::move(definition), LoadServiceConfig("site", MapEnvironment({})));
  auto page = Call(http::Verb::get, host.url("/anything"));
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->result_int(), 404u);
  auto scrape = Call(http::Verb::get, host.url("/metrics"));
  ASSERT_TRUE(scrape.ok());
  EXPECT_EQ(scrape->result_int(), 200u);
  EXPECT_NE(scrape->body().find("ck_http_server_requests_total{service=\"site\",route=\"/*\","
                                "method=\"GET\",code=\"404\"} 1\n"),
            std::string::npos)
      << scrape->body();
}

}  // namespace
}  // namespace ck::services
