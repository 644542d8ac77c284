#include "telemetry/tracer.h"

#include <gtest/gtest.h>

#include <cstdio>

namespace ck::telemetry {
namespace {

class CapturingSink final : public SegmentSink {
 public:
  void Emit(nlohmann::json document) override { documents.push_back(std::move(document)); }
  std::vector<nlohmann::json> documents;
};

class TracerTest : public ::testing::Test {
 protected:
  TracerTest()
      : clock_(WallTime(std::chrono::seconds(1700000000))),
        random_({0x1111111111111111ULL, 0x2222222222222222ULL, 0x3333333333333333ULL,
                 0x4444444444444444ULL, 0x5555555555555555ULL}),
        sampler_(clock_, random_),
        tracer_(TracerOptions{"register-api", true, "AWS::ECS::Container"}, &sink_, sampler_,
                clock_, random_) {}

  http::HttpRequest Request(std::string target, std::string trace_header) {
    http::HttpRequest request(http::Verb::post, target, 11);
    request.set(http::Field::host, "register-api.cuddle-kube.local:8080");
    request.set(http::Field::user_agent, "test-agent");
    if (!trace_header.empty()) request.set("X-Amzn-Trace-Id", trace_header);
    return request;
  }

  FakeClock clock_;
  SequenceRandom random_;
  Sampler sampler_;
  CapturingSink sink_;
  Tracer tracer_;
};

constexpr char kIncoming[] =
    "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a:1";

TEST_F(TracerTest, RecordsASegmentWithSubsegmentsLinkedByParentIds) {
  RequestSpan span = tracer_.StartRequest(Request("/register?x=1", kIncoming), "10.1.1.1");
  ASSERT_TRUE(span.sampled());
  EXPECT_EQ(span.trace_id(), "1-5759e988-bd862e3fe1be46a994272793");

  clock_.Advance(std::chrono::milliseconds(10));
  Subsegment call = span.StartSubsegment("validate-api", kNamespaceRemote);
  http::HttpRequest outgoing(http::Verb::post, "/validate", 11);
  call.Inject(outgoing, "http://validate-api.cuddle-kube.local/validate");
  EXPECT_EQ(
      http::HeaderValue(outgoing, "X-Amzn-Trace-Id"),
      "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=" + call.id() + ";Sampled=1;Lineage=a:1");
  EXPECT_EQ(http::HeaderValue(outgoing, "traceparent"),
            "00-5759e988bd862e3fe1be46a994272793-" + call.id() + "-01");
  clock_.Advance(std::chrono::milliseconds(5));
  call.End(200, 2);

  Subsegment db = span.StartSubsegment("DynamoDB", kNamespaceAws);
  db.SetAws({.operation = "PutItem", .table_name = "residents", .region = "us-east-1"});
  db.EndWithError("TLSHandshakeError",
                  "TLS handshake with 127.0.0.1:8000 failed: certificate verify failed");
  span.RecordException("TLSHandshakeError", "registration failed", true);

  http::HttpResponse response = http::MakeResponse(http::HttpStatus::service_unavailable,
                                                   "application/json", "{\"error\":\"x\"}");
  span.EchoHeader(response);
  EXPECT_EQ(response["X-Amzn-Trace-Id"], "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");
  clock_.Advance(std::chrono::milliseconds(5));
  span.End(response);

  ASSERT_EQ(sink_.documents.size(), 1u);
  const nlohmann::json& segment = sink_.documents[0];
  EXPECT_EQ(segment["name"], "register-api");
  EXPECT_EQ(segment["id"], span.span_id());
  EXPECT_EQ(segment["parent_id"], "53995c3f42cd8ad8");
  EXPECT_EQ(segment["origin"], "AWS::ECS::Container");
  EXPECT_DOUBLE_EQ(segment["start_time"].get<double>(), 1700000000.0);
  EXPECT_DOUBLE_EQ(segment["end_time"].get<double>(), 1700000000.02);
  EXPECT_EQ(segment["http"]["request"]["url"],
            "http://register-api.cuddle-kube.local:8080/register?x=1");
  EXPECT_EQ(segment["http"]["request"]["client_ip"], "10.1.1.1");
  EXPECT_EQ(segment["http"]["request"]["user_agent"], "test-agent");
  EXPECT_EQ(segment["http"]["response"]["status"], 503);
  EXPECT_EQ(segment["fault"], true);
  EXPECT_EQ(segment["cause"]["exceptions"][0]["remote"], true);
  ASSERT_EQ(segment["subsegments"].size(), 2u);
  const nlohmann::json& remote = segment["subsegments"][0];
  EXPECT_EQ(remote["namespace"], "remote");
  EXPECT_EQ(remote["http"]["request"]["traced"], true);
  EXPECT_EQ(remote["http"]["response"]["status"], 200);
  EXPECT_FALSE(remote.contains("fault"));
  const nlohmann::json& aws = segment["subsegments"][1];
  EXPECT_EQ(aws["namespace"], "aws");
  EXPECT_EQ(aws["aws"]["operation"], "PutItem");
  EXPECT_EQ(aws["aws"]["table_name"], "residents");
  EXPECT_EQ(aws["fault"], true);
  EXPECT_EQ(aws["cause"]["exceptions"][0]["type"], "TLSHandshakeError");
  EXPECT_EQ(aws["cause"]["exceptions"][0]["message"],
            "TLS handshake with 127.0.0.1:8000 failed: certificate verify failed");
}

TEST_F(TracerTest, UnsampledRequestsPropagateButEmitNothing) {
  RequestSpan span = tracer_.StartRequest(
      Request("/register", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0"), "");
  EXPECT_FALSE(span.sampled());
  EXPECT_EQ(span.span_id().size(), 16u);
  Subsegment call = span.StartSubsegment("validate-api", kNamespaceRemote);
  EXPECT_EQ(call.OutgoingContext().sampled, Sampled::kNo);
  EXPECT_EQ(call.OutgoingContext().parent_id, call.id());
  call.End(200);
  span.End(200);
  EXPECT_TRUE(sink_.documents.empty());
}

TEST_F(TracerTest, RequestedSamplingIsDecidedAndEchoed) {
  RequestSpan first = tracer_.StartRequest(
      Request("/register", "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=?"), "");
  EXPECT_TRUE(first.sampled());  // the reservoir's one request this second
  http::HttpResponse response(http::HttpStatus::ok, 11);
  first.EchoHeader(response);
  EXPECT_EQ(response["X-Amzn-Trace-Id"], "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1");
}

TEST_F(TracerTest, NewTraceWhenNoContextAndHealthIsNotSampled) {
  RequestSpan health =
      tracer_.StartRequest(http::HttpRequest(http::Verb::get, "/health", 11), "127.0.0.1");
  EXPECT_FALSE(health.sampled());
  EXPECT_TRUE(IsValidXRayTraceId(health.trace_id()));
  EXPECT_EQ(health.trace_id().substr(2, 8), "6553f100");  // 1700000000 in hex
  EXPECT_EQ(health.OutgoingContext().parent_id, health.span_id());
}

TEST_F(TracerTest, ForwardedClientAndThrottle) {
  http::HttpRequest request = Request("/register", kIncoming);
  request.set("X-Forwarded-For", " 203.0.113.9 , 10.0.0.1");
  request.set("X-Forwarded-Proto", "https");
  {
    RequestSpan span = tracer_.StartRequest(request, "10.0.0.1");
    span.End(429);
  }
  ASSERT_EQ(sink_.documents.size(), 1u);
  const nlohmann::json& segment = sink_.documents[0];
  EXPECT_EQ(segment["http"]["request"]["client_ip"], "203.0.113.9");
  EXPECT_EQ(segment["http"]["request"]["x_forwarded_for"], true);
  EXPECT_EQ(segment["http"]["request"]["url"],
            "https://register-api.cuddle-kube.local:8080/register");
  EXPECT_EQ(segment["error"], true);
  EXPECT_EQ(segment["throttle"], true);
}

TEST_F(TracerTest, LateSubsegmentIsSentIndependentlyAndAbandonedSpansEnd) {
  Subsegment late;
  std::string segment_id;
  {
    RequestSpan span = tracer_.StartRequest(Request("/register", kIncoming), "");
    segment_id = span.span_id();
    late = span.StartSubsegment("feed-api", kNamespaceRemote);
  }  // destroyed without End(): emitted without a response
  ASSERT_EQ(sink_.documents.size(), 1u);
  EXPECT_FALSE(sink_.documents[0]["http"].contains("response"));
  late.EndWithStatus(Unavailable("connection refused"));
  ASSERT_EQ(sink_.documents.size(), 2u);
  const nlohmann::json& independent = sink_.documents[1];
  EXPECT_EQ(independent["type"], "subsegment");
  EXPECT_EQ(independent["parent_id"], segment_id);
  EXPECT_EQ(independent["trace_id"], "1-5759e988-bd862e3fe1be46a994272793");
  EXPECT_EQ(independent["cause"]["exceptions"][0]["type"], "UNAVAILABLE");
}

TEST_F(TracerTest, DisabledTracerPassesTheDecisionThrough) {
  Tracer disabled(TracerOptions{"svc", false, ""}, &sink_, sampler_, clock_, random_);
  RequestSpan span = disabled.StartRequest(Request("/register", kIncoming), "");
  EXPECT_FALSE(span.sampled());
  EXPECT_EQ(span.OutgoingContext().sampled, Sampled::kYes);
  Subsegment call = span.StartSubsegment("x", kNamespaceRemote);
  EXPECT_TRUE(call.AddAnnotation("k", true).ok());
  call.End(500);
  span.End(500);
  EXPECT_TRUE(sink_.documents.empty());
}

TEST_F(TracerTest, LogLinesCarryTraceAndSpanIds) {
  std::FILE* out = std::tmpfile();
  Logger::Global().Configure("register-api", LogLevel::kInfo, out);
  RequestSpan span = tracer_.StartRequest(Request("/register", kIncoming), "");
  span.Log(LogLevel::kInfo, "inside");
  {
    LogScope scope = span.ActivateLogContext();
    EXPECT_EQ(LogContext::Current().span_id, span.span_id());
  }
  EXPECT_EQ(LogContext::Current().trace_id, "");  // restored
  Logger::Global().Info("outside");
  Logger::Global().Configure("ck", LogLevel::kInfo, stdout);
  std::rewind(out);
  char buffer[4096];
  std::string first = std::fgets(buffer, sizeof(buffer), out);
  std::string second = std::fgets(buffer, sizeof(buffer), out);
  std::fclose(out);
  auto inside = nlohmann::json::parse(first);
  EXPECT_EQ(inside["trace_id"], span.trace_id());
  EXPECT_EQ(inside["span_id"], span.span_id());
  EXPECT_FALSE(nlohmann::json::parse(second).contains("trace_id"));
}

}  // namespace
}  // namespace ck::telemetry
