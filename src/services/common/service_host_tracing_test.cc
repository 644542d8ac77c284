// The host's tracing: a segment per handled request sent to a fake X-Ray daemon over real UDP,
// the echoed X-Amzn-Trace-Id, W3C traceparent on ingress, unsampled health checks, a handler's
// exception as the segment's cause, and trace ids on the host's log lines.
#include <utility>

#include <atomic>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/json_body.h"
#include "services/common/service_test_support.h"

namespace ck::services {
namespace {

namespace asio = boost::asio;
using testing::Call;
using testing::CapturedLog;
using testing::FakeXRayDaemon;
using testing::TestHost;
using Json = nlohmann::json;

constexpr char kRoot[] = "1-5759e988-bd862e3fe1be46a994272793";

ServiceDefinition TracedEchoService() {
  ServiceDefinition definition;
  definition.name = "echo";
  definition.add_routes = [](Router& router, ServiceContext*) {
    router.Add(http::Verb::post, "/", [](http::HttpRequest request, telemetry::RequestSpan* span) {
      span->Log(LogLevel::kInfo, "echoing");
      return Respond(http::MakeResponse(http::HttpStatus::ok, "text/plain", request.body()));
    });
    router.Add(http::Verb::get, "/throw",
               [](http::HttpRequest) -> asio::awaitable<http::HttpResponse> {
                 throw std::runtime_error("boom");
               });
    router.Add(http::Verb::get, "/missing", [](http::HttpRequest) {
      return Respond(JsonError(http::HttpStatus::not_found, "nothing here"));
    });
  };
  return definition;
}

class ServiceHostTracingTest : public ::testing::Test {
 protected:
  ServiceConfig Config() {
    return LoadServiceConfig("echo",
                             MapEnvironment({{"AWS_XRAY_DAEMON_ADDRESS", daemon_.address()}}));
  }
  FakeXRayDaemon daemon_;
};

TEST_F(ServiceHostTracingTest, EachRequestIsASegmentAndTheHeaderIsEchoed) {
  CapturedLog log;
  TestHost host(TracedEchoService(), Config());
  auto response = Call(http::Verb::post, host.url(), "hi",
                       {{"X-Amzn-Trace-Id", std::string("Root=") + kRoot + ";Sampled=1"},
                        {"X-Forwarded-For", "10.0.0.7, 10.0.0.1"}});
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ((*response)["X-Amzn-Trace-Id"], std::string("Root=") + kRoot + ";Sampled=1");

  auto segments = daemon_.Segments(kRoot, {"echo"});
  ASSERT_EQ(segments.size(), 1u);
  const Json& segment = segments["echo"];
  EXPECT_FALSE(segment.contains("parent_id"));  // the caller sent no Parent
  EXPECT_EQ(segment["origin"], "AWS::ECS::Container");
  EXPECT_EQ(segment["http"]["request"]["method"], "POST");
  EXPECT_EQ(segment["http"]["request"]["client_ip"], "10.0.0.7");
  EXPECT_EQ(segment["http"]["response"]["status"], 200);
  EXPECT_EQ(segment["http"]["response"]["content_length"], 2);

  for (std::string msg : {"echoing", "request"}) {
    std::vector<Json> lines = log.Lines(msg);
    ASSERT_EQ(lines.size(), 1u) << msg;
    EXPECT_EQ(lines[0]["trace_id"], kRoot);
    EXPECT_EQ(lines[0]["span_id"], segment["id"]);
  }
}

TEST_F(ServiceHostTracingTest, TraceparentIsHonouredAndErrorsAreFlagged) {
  TestHost host(TracedEchoService(), Config());
  auto response =
      Call(http::Verb::get, host.url("/missing"), "",
           {{"traceparent", "00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01"}});
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->result(), http::HttpStatus::not_found);
  EXPECT_EQ((*response)["X-Amzn-Trace-Id"], std::string("Root=") + kRoot + ";Sampled=1");
  auto segments = daemon_.Segments(kRoot, {"echo"});
  ASSERT_EQ(segments.size(), 1u);
  EXPECT_EQ(segments["echo"]["parent_id"], "53995c3f42cd8ad8");
  EXPECT_EQ(segments["echo"]["error"], true);
  EXPECT_FALSE(segments["echo"].contains("fault"));
}

TEST_F(ServiceHostTracingTest, AThrowingHandlerIsAFaultWithTheExceptionAsCause) {
  CapturedLog log;
  TestHost host(TracedEchoService(), Config());
  auto response = Call(http::Verb::get, host.url("/throw"), "",
                       {{"X-Amzn-Trace-Id", std::string("Root=") + kRoot + ";Sampled=1"}});
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->result(), http::HttpStatus::internal_server_error);
  auto segments = daemon_.Segments(kRoot, {"echo"});
  ASSERT_EQ(segments.size(), 1u);
  const Json& segment = segments["echo"];
  EXPECT_EQ(segment["fault"], true);
  EXPECT_EQ(segment["http"]["response"]["status"], 500);
  ASSERT_EQ(segment["cause"]["exceptions"].size(), 1u);
  EXPECT_EQ(segment["cause"]["exceptions"][0]["type"], "std::runtime_error");
  EXPECT_EQ(segment["cause"]["exceptions"][0]["message"], "boom");
  std::vector<Json> failed = log.Lines("handler failed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0]["trace_id"], kRoot);
  EXPECT_EQ(failed[0]["span_id"], segment["id"]);
}

TEST_F(ServiceHostTracingTest, HealthChecksAreNeverSampled) {
  TestHost host(TracedEchoService(), Config());
  // "?" asks the service to decide: the HealthChecks rule says no.
  auto health = Call(http::Verb::get, host.url("/health"), "",
                     {{"X-Amzn-Trace-Id", std::string("Root=") + kRoot + ";Sampled=?"}});
  ASSERT_TRUE(health.ok());
  EXPECT_EQ((*health)["X-Amzn-Trace-Id"], std::string("Root=") + kRoot + ";Sampled=0");
  // Without a header, a new trace starts, unsampled.
  auto plain = Call(http::Verb::get, host.url("/health"));
  ASSERT_TRUE(plain.ok());
  EXPECT_THAT(std::string((*plain)["X-Amzn-Trace-Id"]),
              ::testing::MatchesRegex("Root=1-[0-9a-f]{8}-[0-9a-f]{24};Sampled=0"));
  ASSERT_TRUE(host.service().FlushTelemetry(std::chrono::seconds(5)));
  telemetry::EmitterStats stats = host.service().telemetry_stats();
  EXPECT_EQ(stats.emitted, 0u);
  EXPECT_EQ(stats.queued, 0u);
}

// The collector's sampling rules replace the local ones: the host polls GetSamplingRules on the
// daemon's TCP port (the same number as its UDP port).
TEST_F(ServiceHostTracingTest, SamplingRulesComeFromTheCollector) {
  asio::io_context io;
  std::atomic<int> polls{0};
  http::HttpServer rules(io, http::ServerOptions{}, [&polls](http::HttpRequest request) {
    if (request.target() == "/GetSamplingRules") ++polls;
    // Sample every request: the local default would take one per second plus 5%.
    Json answer = {{"SamplingRuleRecords",
                    {{{"SamplingRule",
                       {{"RuleName", "Everything"},
                        {"Priority", 1},
                        {"FixedRate", 1.0},
                        {"ReservoirSize", 0},
                        {"ServiceName", "*"},
                        {"Host", "*"},
                        {"HTTPMethod", "*"},
                        {"URLPath", "*"},
                        {"Version", 1}}}}}}};
    return Respond(http::MakeResponse(http::HttpStatus::ok, "application/json", answer.dump()));
  });
  const std::string address = daemon_.address();
  const uint16_t port = static_cast<uint16_t>(std::stoi(address.substr(address.rfind(':') + 1)));
  auto endpoint = rules.Listen("127.0.0.1", port);
  ASSERT_TRUE(endpoint.ok()) << endpoint.status().ToString();
  rules.Start();
  std::thread thread([&io] { io.run(); });

  TestHost host(TracedEchoService(), Config());
  for (int i = 0; i < 200 && polls.load() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_GT(polls.load(), 0);
  // The rules are installed right after the answer; a request that raced it may use the old
  // rules, so count only what follows a request that was sampled under the new ones.
  constexpr int kRequests = 6;
  int sampled = 0;
  for (int i = 0; i < kRequests + 50 && sampled < kRequests; ++i) {
    auto response = Call(http::Verb::post, host.url(), "x");
    ASSERT_TRUE(response.ok());
    const std::string echoed((*response)["X-Amzn-Trace-Id"]);
    sampled = echoed.ends_with("Sampled=1") ? sampled + 1 : 0;
  }
  EXPECT_EQ(sampled, kRequests) << "every request is sampled under the collector's rule";
  asio::post(io, [&] { rules.Shutdown([&] { io.stop(); }); });
  thread.join();
}

}  // namespace
}  // namespace ck::services
