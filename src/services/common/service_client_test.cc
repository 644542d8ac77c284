// ServiceClient against an in-process discovery registry and backends on port 0.
#include <utility>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "services/common/service_client.h"
#include "services/common/service_test_support.h"

namespace ck::services {
namespace {

namespace asio = boost::asio;
using testing::FakeDiscovery;
using ::testing::HasSubstr;
using testing::TestServer;

// A backend answering "<name> <Host header> <target>".
std::unique_ptr<TestServer> Backend(std::string name) {
  return std::make_unique<TestServer>([name](http::HttpRequest request) {
    std::string text = name + " " + std::string(http::HeaderValue(request, "Host")) + " " +
                       std::string(request.target());
    return Respond(http::MakeResponse(http::HttpStatus::ok, "text/plain", text));
  });
}

// A port nothing listens on.
uint16_t DeadPort() {
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

class ServiceClientTest : public ::testing::Test {
 protected:
  ServiceClientOptions Options() {
    ServiceClientOptions options;
    options.discovery_url = discovery_->url();
    options.clock = &clock_;
    return options;
  }

  Result<http::HttpResponse> Get(ServiceClient& client, const std::string& url) {
    std::optional<Result<http::HttpResponse>> result;
    asio::co_spawn(
        io_,
        [&]() -> asio::awaitable<void> {
          result.emplace(co_await client.Send(url, http::HttpRequest(http::Verb::get, "/", 11)));
        },
        asio::detached);
    io_.restart();
    io_.run();
    return std::move(*result);
  }

  std::string GetBody(ServiceClient& client, const std::string& url) {
    auto response = Get(client, url);
    EXPECT_TRUE(response.ok()) << response.status().ToString();
    return response.ok() ? response->body() : "";
  }

  asio::io_context io_;
  FakeClock clock_{WallTime{} + std::chrono::hours(1000)};
  std::unique_ptr<FakeDiscovery> discovery_ = std::make_unique<FakeDiscovery>();
};

TEST_F(ServiceClientTest, RoundRobinOverHealthyInstancesOnly) {
  auto a = Backend("a");
  auto b = Backend("b");
  auto c = Backend("c");
  discovery_->Add("echo", a->port());
  discovery_->Add("echo", b->port(), /*healthy=*/false);
  discovery_->Add("echo", c->port());
  ServiceClient client(io_.get_executor(), Options());
  std::vector<std::string> seen;
  for (int i = 0; i < 4; ++i) {
    std::string body = GetBody(client, "http://echo.cuddle-kube.local/path?q=1");
    seen.push_back(body.substr(0, 1));
    EXPECT_EQ(body.substr(1), " echo.cuddle-kube.local /path?q=1");
  }
  EXPECT_THAT(seen, ::testing::ElementsAre("a", "c", "a", "c"));
}

TEST_F(ServiceClientTest, CachesTheDiscoveryAnswerForAboutASecond) {
  auto a = Backend("a");
  discovery_->Add("echo", a->port());
  ServiceClient client(io_.get_executor(), Options());
  for (int i = 0; i < 3; ++i) GetBody(client, "http://echo.cuddle-kube.local/");
  EXPECT_EQ(discovery_->lookups(), 1);
  EXPECT_EQ(client.stats().discovery_lookups, 1u);
  clock_.Advance(std::chrono::milliseconds(1001));
  GetBody(client, "http://echo.cuddle-kube.local/");
  EXPECT_EQ(discovery_->lookups(), 2);
}

TEST_F(ServiceClientTest, NewInstancesAreSeenAfterTheCacheExpires) {
  auto a = Backend("a");
  auto b = Backend("b");
  discovery_->Add("echo", a->port());
  ServiceClient client(io_.get_executor(), Options());
  EXPECT_EQ(GetBody(client, "http://echo.cuddle-kube.local/")[0], 'a');
  discovery_->Set("echo", {{"echo-2", "127.0.0.1", b->port(), "v2", true}});
  clock_.Advance(std::chrono::seconds(2));
  EXPECT_EQ(GetBody(client, "http://echo.cuddle-kube.local/")[0], 'b');
}

TEST_F(ServiceClientTest, NoHealthyInstancesIsAClearError) {
  auto a = Backend("a");
  discovery_->Add("list-api", a->port(), /*healthy=*/false);
  ServiceClient client(io_.get_executor(), Options());
  auto response = Get(client, "http://list-api.cuddle-kube.local/");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(response.status().message(), "list-api is unavailable: no healthy instances");
}

TEST_F(ServiceClientTest, UnknownServiceIsAClearError) {
  ServiceClient client(io_.get_executor(), Options());
  auto response = Get(client, "http://ghost.cuddle-kube.local/");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().message(), "ghost is unavailable: unknown to the discovery registry");
}

TEST_F(ServiceClientTest, UndeliveredRequestIsRetriedOnAnotherInstance) {
  auto live = Backend("live");
  discovery_->Add("echo", DeadPort());
  discovery_->Add("echo", live->port());
  ServiceClient client(io_.get_executor(), Options());
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(GetBody(client, "http://echo.cuddle-kube.local/").substr(0, 4), "live");
  }
  EXPECT_EQ(client.stats().retries, 2u);  // every other request started on the dead instance
}

TEST_F(ServiceClientTest, SingleDeadInstanceNamesTheConnectFailure) {
  discovery_->Add("echo", DeadPort());
  ServiceClient client(io_.get_executor(), Options());
  auto response = Get(client, "http://echo.cuddle-kube.local/");
  ASSERT_FALSE(response.ok());
  EXPECT_THAT(response.status().message(), HasSubstr("echo is unavailable: connect to 127.0.0.1:"));
}

TEST_F(ServiceClientTest, StaleAnswerServesWhileDiscoveryIsDown) {
  auto a = Backend("a");
  discovery_->Add("echo", a->port());
  ServiceClient client(io_.get_executor(), Options());
  GetBody(client, "http://echo.cuddle-kube.local/");
  discovery_.reset();  // the registry goes away
  clock_.Advance(std::chrono::seconds(5));
  EXPECT_EQ(GetBody(client, "http://echo.cuddle-kube.local/")[0], 'a');
  clock_.Advance(std::chrono::seconds(60));
  auto response = Get(client, "http://echo.cuddle-kube.local/");
  ASSERT_FALSE(response.ok());
  EXPECT_THAT(response.status().message(),
              HasSubstr("echo is unavailable: discovery registry unreachable"));
}

TEST_F(ServiceClientTest, WithoutDiscoveryUrlTheErrorSaysSo) {
  ServiceClient client(io_.get_executor(), {});
  auto response = Get(client, "http://echo.cuddle-kube.local/");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().message(), "echo is unavailable: CK_DISCOVERY_URL is not set");
}

TEST_F(ServiceClientTest, ProxyGetsAbsoluteFormAndDiscoveryIsNotAsked) {
  auto proxy = Backend("proxy");
  ServiceClientOptions options = Options();
  options.http_proxy = proxy->url();
  options.no_proxy = "localhost,127.0.0.1";
  ServiceClient client(io_.get_executor(), options);
  EXPECT_EQ(GetBody(client, "http://list-api.cuddle-kube.local/x?y=1"),
            "proxy list-api.cuddle-kube.local http://list-api.cuddle-kube.local/x?y=1");
  EXPECT_EQ(discovery_->lookups(), 0);
  EXPECT_EQ(client.stats().proxied, 1u);
  EXPECT_TRUE(client.UsesProxy("list-api.cuddle-kube.local"));
  EXPECT_FALSE(client.UsesProxy("localhost"));
}

TEST_F(ServiceClientTest, NoProxyDomainSuffixGoesDirect) {
  auto proxy = Backend("proxy");
  auto a = Backend("a");
  discovery_->Add("echo", a->port());
  ServiceClientOptions options = Options();
  options.http_proxy = "127.0.0.1:" + std::to_string(proxy->port());  // scheme optional
  options.no_proxy = " .cuddle-kube.local, example.com";
  ServiceClient client(io_.get_executor(), options);
  EXPECT_EQ(GetBody(client, "http://echo.cuddle-kube.local/")[0], 'a');
  EXPECT_FALSE(client.UsesProxy("echo.cuddle-kube.local"));
  EXPECT_FALSE(client.UsesProxy("api.example.com"));
  EXPECT_TRUE(client.UsesProxy("notexample.com"));
  options.no_proxy = "*";
  ServiceClient none(io_.get_executor(), options);
  EXPECT_FALSE(none.UsesProxy("anything"));
}

class CapturingSink final : public telemetry::SegmentSink {
 public:
  void Emit(nlohmann::json document) override { documents.push_back(std::move(document)); }
  std::vector<nlohmann::json> documents;
};

// A tracer and one request span, as the host makes them for a handled request.
class TracedClientTest : public ServiceClientTest {
 protected:
  telemetry::RequestSpan StartSpan(std::string trace_header) {
    http::HttpRequest incoming(http::Verb::post, "/", 11);
    incoming.set("X-Amzn-Trace-Id", trace_header);
    return tracer_.StartRequest(incoming);
  }

  Result<http::HttpResponse> PostJson(ServiceClient& client, const std::string& url,
                                      telemetry::RequestSpan* span) {
    std::optional<Result<http::HttpResponse>> result;
    nlohmann::json payload = {{"ckid", "ck1"}};
    asio::co_spawn(
        io_,
        [&]() -> asio::awaitable<void> {
          result.emplace(co_await client.PostJson(url, payload, span));
        },
        asio::detached);
    io_.restart();
    io_.run();
    return std::move(*result);
  }

  // The segment `span` emits when it ends.
  nlohmann::json EndSegment(telemetry::RequestSpan& span) {
    span.End(200);
    EXPECT_EQ(sink_.documents.size(), 1u);
    return sink_.documents.empty() ? nlohmann::json() : sink_.documents.back();
  }

  CapturingSink sink_;
  telemetry::Sampler sampler_{clock_, telemetry::SystemRandom::Instance()};
  telemetry::Tracer tracer_{{.service_name = "feed-api"}, &sink_, sampler_, clock_};
};

constexpr char kRoot[] = "1-5759e988-bd862e3fe1be46a994272793";

TEST_F(TracedClientTest, CallIsARemoteSubsegmentWhoseIdTheCalleeGetsAsParent) {
  std::string seen;
  auto backend = std::make_unique<TestServer>([&seen](http::HttpRequest request) {
    seen = std::string(http::HeaderValue(request, "X-Amzn-Trace-Id")) + "|" +
           std::string(http::HeaderValue(request, "traceparent")) + "|" +
           std::string(http::HeaderValue(request, "Content-Type")) + "|" + request.body();
    return Respond(http::MakeResponse(http::HttpStatus::created, "application/json", "{}"));
  });
  discovery_->Add("happiness-api", backend->port());
  ServiceClient client(io_.get_executor(), Options());
  telemetry::RequestSpan span = StartSpan(std::string("Root=") + kRoot + ";Sampled=1");
  auto result = PostJson(client, client.UrlFor("happiness-api"), &span);
  ASSERT_TRUE(result.ok() && result->result() == http::HttpStatus::created);

  nlohmann::json segment = EndSegment(span);
  ASSERT_EQ(segment["subsegments"].size(), 1u) << segment.dump();
  const nlohmann::json& call = segment["subsegments"][0];
  const std::string id = call["id"];
  EXPECT_EQ(call["name"], "happiness-api");
  EXPECT_EQ(call["namespace"], "remote");
  EXPECT_EQ(call["http"]["request"]["method"], "POST");
  EXPECT_EQ(call["http"]["request"]["url"], "http://happiness-api.cuddle-kube.local/");
  EXPECT_EQ(call["http"]["request"]["traced"], true);
  EXPECT_EQ(call["http"]["response"]["status"], 201);
  EXPECT_EQ(call["http"]["response"]["content_length"], 2);
  EXPECT_EQ(seen, std::string("Root=") + kRoot + ";Parent=" + id + ";Sampled=1|00-" +
                      "5759e988bd862e3fe1be46a994272793-" + id +
                      "-01|application/json|{\"ckid\":\"ck1\"}");
}

TEST_F(TracedClientTest, CalleeErrorStatusesMarkTheSubsegment) {
  std::atomic<int> status = 429;
  auto backend = std::make_unique<TestServer>([&status](http::HttpRequest) {
    return Respond(http::MakeJsonError(static_cast<http::HttpStatus>(status.load()), "no"));
  });
  discovery_->Add("list-api", backend->port());
  ServiceClient client(io_.get_executor(), Options());
  telemetry::RequestSpan span = StartSpan(std::string("Root=") + kRoot + ";Sampled=1");
  ASSERT_TRUE(PostJson(client, client.UrlFor("list-api"), &span).ok());
  status = 503;
  ASSERT_TRUE(PostJson(client, client.UrlFor("list-api"), &span).ok());
  nlohmann::json segment = EndSegment(span);
  ASSERT_EQ(segment["subsegments"].size(), 2u);
  const nlohmann::json& throttled = segment["subsegments"][0];
  EXPECT_EQ(throttled["error"], true);
  EXPECT_EQ(throttled["throttle"], true);
  EXPECT_FALSE(throttled.contains("fault"));
  const nlohmann::json& failed = segment["subsegments"][1];
  EXPECT_EQ(failed["fault"], true);
  EXPECT_EQ(failed["http"]["response"]["status"], 503);
}

TEST_F(TracedClientTest, TransportFailureIsAFaultWithTheErrorAsCause) {
  discovery_->Add("validate-api", DeadPort());
  ServiceClient client(io_.get_executor(), Options());
  telemetry::RequestSpan span = StartSpan(std::string("Root=") + kRoot + ";Sampled=1");
  auto result = PostJson(client, client.UrlFor("validate-api"), &span);
  ASSERT_FALSE(result.ok());
  nlohmann::json segment = EndSegment(span);
  ASSERT_EQ(segment["subsegments"].size(), 1u);
  const nlohmann::json& call = segment["subsegments"][0];
  EXPECT_EQ(call["name"], "validate-api");
  EXPECT_EQ(call["fault"], true);
  ASSERT_EQ(call["cause"]["exceptions"].size(), 1u);
  EXPECT_EQ(call["cause"]["exceptions"][0]["type"], "UNAVAILABLE");
  EXPECT_EQ(call["cause"]["exceptions"][0]["message"], result.status().message());
  EXPECT_THAT(result.status().message(), HasSubstr("Connection refused"));
}

TEST_F(TracedClientTest, UnsampledCallsStillCarryIdsAndNoSpanSendsNoTraceHeaders) {
  std::vector<std::string> seen;
  auto backend = std::make_unique<TestServer>([&seen](http::HttpRequest request) {
    seen.emplace_back(http::HeaderValue(request, "X-Amzn-Trace-Id"));
    return Respond(http::MakeResponse(http::HttpStatus::ok, "application/json", "{}"));
  });
  discovery_->Add("echo", backend->port());
  ServiceClient client(io_.get_executor(), Options());
  telemetry::RequestSpan span = StartSpan(std::string("Root=") + kRoot + ";Sampled=0");
  ASSERT_TRUE(PostJson(client, client.UrlFor("echo"), &span).ok());
  ASSERT_TRUE(PostJson(client, client.UrlFor("echo"), nullptr).ok());
  span.End(200);
  EXPECT_TRUE(sink_.documents.empty());
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_THAT(seen[0], ::testing::MatchesRegex(std::string("Root=") + kRoot +
                                               ";Parent=[0-9a-f]{16};Sampled=0"));
  EXPECT_EQ(seen[1], "");
}

TEST(DiscoveryAnswerTest, ParsesTheContractShapeAndRejectsGarbage) {
  auto instances = ParseDiscoveryAnswer(
      R"({"service":"list-api","instances":[{"id":"list-api-v1-1","address":"127.0.0.1",)"
      R"("port":41234,"version":"v1","healthy":true}]})");
  ASSERT_TRUE(instances.ok()) << instances.status().ToString();
  ASSERT_EQ(instances->size(), 1u);
  EXPECT_EQ((*instances)[0].id, "list-api-v1-1");
  EXPECT_EQ((*instances)[0].port, 41234);
  EXPECT_TRUE((*instances)[0].healthy);
  EXPECT_FALSE(ParseDiscoveryAnswer("nope").ok());
  EXPECT_FALSE(ParseDiscoveryAnswer(R"({"instances":[{"address":"x","port":0}]})").ok());
  EXPECT_FALSE(ParseDiscoveryAnswer(R"({"instances":[{"port":80}]})").ok());
}

}  // namespace
}  // namespace ck::services
