#include "collector/otlp/otlp_http.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "collector/otlp/gzip.h"
#include "collector/otlp/otlp_logs_json.h"
#include "collector/otlp/otlp_logs_protobuf.h"
#include "collector/otlp/otlp_trace_json.h"
#include "collector/otlp/otlp_trace_protobuf.h"
#include "collector/otlp/protobuf_reader.h"

namespace ck::collector::otlp {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

OtlpTraceRequest TwoSpanRequest() {
  OtlpTraceRequest request;
  OtlpResourceSpans& resource = request.resource_spans.emplace_back();
  resource.resource_attributes = {{"service.name", "public-site"}};
  OtlpScopeSpans& scope = resource.scope_spans.emplace_back();
  for (std::string id : {"a1a2a3a4a5a6a7a1", "b1b2b3b4b5b6b7b1"}) {
    OtlpSpan& span = scope.spans.emplace_back();
    span.trace_id = "5759e988bd862e3fe1be46a994272793";
    span.span_id = id;
    span.name = "GET /";
    span.kind = kOtlpSpanKindServer;
    span.start_time_unix_nano = 1718000000000000000ull;
    span.end_time_unix_nano = 1718000000100000000ull;
  }
  return request;
}

struct RpcStatus {
  int code = -1;
  std::string message;
};

// google.rpc.Status from a protobuf reply body.
RpcStatus DecodeProtobufStatus(std::string_view body) {
  RpcStatus status;
  ProtobufReader reader(body);
  while (!reader.AtEnd()) {
    auto field = reader.Next();
    if (!field.ok()) return RpcStatus{};
    if (field->Is(1, WireType::kVarint)) status.code = field->AsInt32();
    if (field->Is(2, WireType::kLengthDelimited)) status.message = std::string(field->bytes);
  }
  return status;
}

// ExportTraceServiceResponse.partial_success from a protobuf reply body.
std::pair<int64_t, std::string> DecodeProtobufPartialSuccess(std::string_view body) {
  std::pair<int64_t, std::string> out{-1, ""};
  ProtobufReader reader(body);
  while (!reader.AtEnd()) {
    auto field = reader.Next();
    if (!field.ok() || !field->Is(1, WireType::kLengthDelimited)) continue;
    auto inner = reader.Enter(field->bytes);
    if (!inner.ok()) continue;
    out.first = 0;
    while (!inner->AtEnd()) {
      auto f = inner->Next();
      if (!f.ok()) break;
      if (f->Is(1, WireType::kVarint)) out.first = f->AsInt64();
      if (f->Is(2, WireType::kLengthDelimited)) out.second = std::string(f->bytes);
    }
  }
  return out;
}

TEST(OtlpHttpTest, AcceptsProtobufWithAnEmptyResponse) {
  std::vector<Span> spans;
  OtlpReply reply = HandleTraceExport("application/x-protobuf", "",
                                      EncodeOtlpTraceProtobuf(TwoSpanRequest()), {}, &spans);
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.content_type, "application/x-protobuf");
  EXPECT_EQ(reply.body, "") << "an empty ExportTraceServiceResponse";
  EXPECT_FALSE(reply.retry_after_seconds);
  EXPECT_EQ(spans.size(), 2u);
}

TEST(OtlpHttpTest, AcceptsJsonWithAnEmptyObject) {
  std::vector<Span> spans(1);  // replies append
  OtlpReply reply = HandleTraceExport("Application/JSON; charset=utf-8", "identity",
                                      EncodeOtlpTraceJson(TwoSpanRequest()), {}, &spans);
  EXPECT_EQ(reply.status, 200);
  EXPECT_EQ(reply.content_type, "application/json");
  EXPECT_EQ(reply.body, "{}");
  EXPECT_EQ(spans.size(), 3u);
}

TEST(OtlpHttpTest, ReportsPartialSuccessInTheRequestEncoding) {
  OtlpTraceRequest request = TwoSpanRequest();
  request.resource_spans[0].scope_spans[0].spans[1].span_id = "0000000000000000";

  std::vector<Span> spans;
  OtlpReply protobuf =
      HandleTraceExport("application/x-protobuf", "", EncodeOtlpTraceProtobuf(request), {}, &spans);
  EXPECT_EQ(protobuf.status, 200);
  EXPECT_EQ(protobuf.rejected_spans, 1);
  auto [rejected, message] = DecodeProtobufPartialSuccess(protobuf.body);
  EXPECT_EQ(rejected, 1);
  EXPECT_THAT(message, HasSubstr("spans[1]: spanId must be 16 hex digits"));
  EXPECT_EQ(spans.size(), 1u);

  OtlpReply json_reply =
      HandleTraceExport("application/json", "", EncodeOtlpTraceJson(request), {}, &spans);
  EXPECT_EQ(json_reply.status, 200);
  json body = json::parse(json_reply.body);
  EXPECT_EQ(body["partialSuccess"]["rejectedSpans"], "1") << "int64 as a string in proto3 JSON";
  EXPECT_THAT(body["partialSuccess"]["errorMessage"].get<std::string>(), HasSubstr("spanId"));
  EXPECT_EQ(spans.size(), 2u);
}

TEST(OtlpHttpTest, InflatesGzipBodies) {
  std::vector<Span> spans;
  for (std::string_view encoding : {"gzip", " GZIP ", "x-gzip"}) {
    OtlpReply reply = HandleTraceExport("application/json", encoding,
                                        Gzip(EncodeOtlpTraceJson(TwoSpanRequest())), {}, &spans);
    EXPECT_EQ(reply.status, 200) << reply.body;
  }
  EXPECT_EQ(spans.size(), 6u);
}

TEST(OtlpHttpTest, GzipBombIs413WithoutDecoding) {
  OtlpLimits limits;
  limits.max_decompressed_bytes = 1 << 20;
  // Valid JSON padded with 16 MiB of spaces: tiny compressed, far over the limit inflated.
  std::string padded = EncodeOtlpTraceJson(TwoSpanRequest()) + std::string(16 << 20, ' ');
  std::string bomb = Gzip(padded);
  ASSERT_LT(bomb.size(), limits.max_body_bytes);
  std::vector<Span> spans;
  OtlpReply reply = HandleTraceExport("application/x-protobuf", "gzip", bomb, limits, &spans);
  EXPECT_EQ(reply.status, 413);
  EXPECT_EQ(reply.content_type, "application/x-protobuf");
  RpcStatus status = DecodeProtobufStatus(reply.body);
  EXPECT_THAT(status.message, HasSubstr("more than 1048576 bytes"));
  EXPECT_TRUE(spans.empty());
}

TEST(OtlpHttpTest, OversizedBodiesAre413) {
  OtlpLimits limits;
  limits.max_body_bytes = 100;
  std::string body = EncodeOtlpTraceJson(TwoSpanRequest());
  ASSERT_GT(body.size(), 100u);
  std::vector<Span> spans;
  OtlpReply reply = HandleTraceExport("application/json", "", body, limits, &spans);
  EXPECT_EQ(reply.status, 413);
  EXPECT_THAT(json::parse(reply.body)["message"].get<std::string>(), HasSubstr("limit of 100"));
  limits = OtlpLimits{};
  limits.max_decompressed_bytes = 100;
  EXPECT_EQ(HandleTraceExport("application/json", "identity", body, limits, &spans).status, 413);
  EXPECT_TRUE(spans.empty());
}

TEST(OtlpHttpTest, UnsupportedContentTypeOrEncodingIs415) {
  std::vector<Span> spans;
  std::string body = EncodeOtlpTraceJson(TwoSpanRequest());
  for (std::string_view type : {"text/plain", "", "application/grpc", "application/jsonx"}) {
    OtlpReply reply = HandleTraceExport(type, "", body, {}, &spans);
    EXPECT_EQ(reply.status, 415) << type;
    EXPECT_EQ(reply.content_type, "application/json");
    json status = json::parse(reply.body);
    EXPECT_EQ(status["code"], 12);
    EXPECT_THAT(status["message"].get<std::string>(), HasSubstr("application/x-protobuf"));
  }
  OtlpReply brotli = HandleTraceExport("application/json", "br", body, {}, &spans);
  EXPECT_EQ(brotli.status, 415);
  EXPECT_THAT(json::parse(brotli.body)["message"].get<std::string>(), HasSubstr("\"br\""));
  EXPECT_TRUE(spans.empty());
}

TEST(OtlpHttpTest, GarbageIs400WithADecodableStatus) {
  std::vector<Span> spans;
  OtlpReply protobuf =
      HandleTraceExport("application/x-protobuf", "", "\xff\xff\xff garbage", {}, &spans);
  EXPECT_EQ(protobuf.status, 400);
  EXPECT_EQ(protobuf.content_type, "application/x-protobuf");
  RpcStatus status = DecodeProtobufStatus(protobuf.body);
  EXPECT_EQ(status.code, 3) << "INVALID_ARGUMENT";
  EXPECT_THAT(status.message, HasSubstr("not a valid protobuf ExportTraceServiceRequest"));

  OtlpReply json_reply =
      HandleTraceExport("application/json", "", "{\"resourceSpans\":", {}, &spans);
  EXPECT_EQ(json_reply.status, 400);
  EXPECT_EQ(json_reply.content_type, "application/json");
  json body = json::parse(json_reply.body);
  EXPECT_EQ(body["code"], 3);
  EXPECT_THAT(body["message"].get<std::string>(), HasSubstr("not valid JSON"));

  OtlpReply corrupt_gzip =
      HandleTraceExport("application/json", "gzip", "\x1f\x8b garbage", {}, &spans);
  EXPECT_EQ(corrupt_gzip.status, 400);
  EXPECT_THAT(json::parse(corrupt_gzip.body)["message"].get<std::string>(), HasSubstr("gzip"));
  EXPECT_TRUE(spans.empty());
}

TEST(OtlpHttpTest, OverloadedRepliesCarryRetryAfter) {
  OtlpReply unavailable = OtlpOverloaded("application/x-protobuf", 2);
  EXPECT_EQ(unavailable.status, 503);
  EXPECT_EQ(unavailable.retry_after_seconds, 2);
  EXPECT_EQ(unavailable.content_type, "application/x-protobuf");
  EXPECT_EQ(DecodeProtobufStatus(unavailable.body).code, 14) << "UNAVAILABLE";

  OtlpReply throttled = OtlpOverloaded("application/json", 5, 429);
  EXPECT_EQ(throttled.status, 429);
  EXPECT_EQ(throttled.retry_after_seconds, 5);
  EXPECT_EQ(json::parse(throttled.body)["code"], 8) << "RESOURCE_EXHAUSTED";
}

TEST(OtlpHttpTest, ErrorRepliesAreValidUtf8EvenForHostileHeaders) {
  OtlpReply reply = HandleTraceExport("application/x-protobuf", "\xff\xfe", "", {}, nullptr);
  EXPECT_EQ(reply.status, 415);
  RpcStatus status = DecodeProtobufStatus(reply.body);
  EXPECT_THAT(status.message, HasSubstr("\xef\xbf\xbd"));
  OtlpReply json_reply = HandleTraceExport("text/\xff", "", "", {}, nullptr);
  EXPECT_NO_THROW(json::parse(json_reply.body));
}

TEST(OtlpHttpTest, EncodingForContentType) {
  EXPECT_EQ(OtlpEncodingFor("application/x-protobuf"), OtlpEncoding::kProtobuf);
  EXPECT_EQ(OtlpEncodingFor(" application/json ;charset=UTF-8"), OtlpEncoding::kJson);
  EXPECT_EQ(OtlpEncodingFor("application/protobuf"), std::nullopt);
  EXPECT_EQ(OtlpEncodingFor(""), std::nullopt);
}

// ---- /v1/logs ----

OtlpLogsRequest TwoRecordRequest() {
  OtlpLogsRequest request;
  for (std::string body : {"registered 7", "PutItem failed"}) {
    OtlpLogRecord& record = request.records.emplace_back();
    record.service_name = "register-api";
    record.time_unix_nano = 1718000000000000000;
    record.severity_number = kOtlpSeverityInfo;
    record.severity_text = "INFO";
    record.body = body;
    record.trace_id = "5759e988bd862e3fe1be46a994272793";
    record.span_id = "53995c3f42cd8ad8";
  }
  return request;
}

TEST(OtlpHttpTest, LogsAcceptProtobufAndJsonWithEmptyResponses) {
  std::vector<OtlpLogRecord> records;
  OtlpReply protobuf = HandleLogsExport("application/x-protobuf", "",
                                        EncodeOtlpLogsProtobuf(TwoRecordRequest()), {}, &records);
  EXPECT_EQ(protobuf.status, 200);
  EXPECT_EQ(protobuf.content_type, "application/x-protobuf");
  EXPECT_EQ(protobuf.body, "") << "an empty ExportLogsServiceResponse";
  EXPECT_EQ(protobuf.rejected_log_records, 0);

  OtlpReply json_reply = HandleLogsExport("application/json; charset=utf-8", "",
                                          EncodeOtlpLogsJson(TwoRecordRequest()), {}, &records);
  EXPECT_EQ(json_reply.status, 200);
  EXPECT_EQ(json_reply.content_type, "application/json");
  EXPECT_EQ(json_reply.body, "{}");
  ASSERT_EQ(records.size(), 4u) << "replies append";
  EXPECT_EQ(records[1].body, "PutItem failed");
  EXPECT_EQ(records[3].service_name, "register-api");
}

TEST(OtlpHttpTest, LogsReportPartialSuccessInTheRequestEncoding) {
  OtlpLogsRequest request = TwoRecordRequest();
  request.records[0].span_id = "53995c3f";  // 4 bytes: rejected

  std::vector<OtlpLogRecord> records;
  OtlpReply protobuf =
      HandleLogsExport("application/x-protobuf", "", EncodeOtlpLogsProtobuf(request), {}, &records);
  EXPECT_EQ(protobuf.status, 200);
  EXPECT_EQ(protobuf.rejected_log_records, 1);
  EXPECT_EQ(protobuf.rejected_spans, 0);
  auto [rejected, message] = DecodeProtobufPartialSuccess(protobuf.body);
  EXPECT_EQ(rejected, 1);
  EXPECT_EQ(message,
            "resourceLogs[0].scopeLogs[0].logRecords[0]: spanId must be empty or 16 hex digits, "
            "got \"53995c3f\"");
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].body, "PutItem failed");

  OtlpReply json_reply =
      HandleLogsExport("application/json", "", EncodeOtlpLogsJson(request), {}, &records);
  EXPECT_EQ(json_reply.status, 200);
  json body = json::parse(json_reply.body);
  EXPECT_EQ(body["partialSuccess"]["rejectedLogRecords"], "1") << "int64 as a string";
  EXPECT_THAT(body["partialSuccess"]["errorMessage"].get<std::string>(), HasSubstr("spanId"));
  EXPECT_FALSE(body["partialSuccess"].contains("rejectedSpans"));
  EXPECT_EQ(records.size(), 2u);
}

TEST(OtlpHttpTest, LogsInflateGzipAndEnforceTheLimits) {
  std::vector<OtlpLogRecord> records;
  OtlpReply reply =
      HandleLogsExport("application/x-protobuf", "gzip",
                       Gzip(EncodeOtlpLogsProtobuf(TwoRecordRequest())), {}, &records);
  EXPECT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(records.size(), 2u);

  OtlpLimits limits;
  limits.max_decompressed_bytes = 1 << 10;
  std::string bomb = Gzip(EncodeOtlpLogsJson(TwoRecordRequest()) + std::string(1 << 20, ' '));
  OtlpReply too_large = HandleLogsExport("application/json", "gzip", bomb, limits, &records);
  EXPECT_EQ(too_large.status, 413);
  EXPECT_EQ(json::parse(too_large.body)["code"], 3);
  EXPECT_EQ(records.size(), 2u);
}

TEST(OtlpHttpTest, LogsRefuseUnsupportedContentTypesWith415) {
  std::vector<OtlpLogRecord> records;
  OtlpReply reply =
      HandleLogsExport("text/plain", "", EncodeOtlpLogsJson(TwoRecordRequest()), {}, &records);
  EXPECT_EQ(reply.status, 415);
  EXPECT_EQ(reply.content_type, "application/json");
  json status = json::parse(reply.body);
  EXPECT_EQ(status["code"], 12) << "UNIMPLEMENTED";
  EXPECT_EQ(status["message"],
            "unsupported Content-Type \"text/plain\"; use application/x-protobuf or "
            "application/json");
  EXPECT_EQ(HandleLogsExport("application/json", "deflate", "{}", {}, &records).status, 415);
  EXPECT_TRUE(records.empty());
}

TEST(OtlpHttpTest, LogsAnswerBadBodiesWith400) {
  std::vector<OtlpLogRecord> records;
  OtlpReply protobuf = HandleLogsExport("application/x-protobuf", "", "\x0a\x05\x0a", {}, &records);
  EXPECT_EQ(protobuf.status, 400);
  EXPECT_EQ(protobuf.content_type, "application/x-protobuf");
  RpcStatus status = DecodeProtobufStatus(protobuf.body);
  EXPECT_EQ(status.code, 3) << "INVALID_ARGUMENT";
  EXPECT_THAT(status.message, HasSubstr("not a valid protobuf ExportLogsServiceRequest"));

  OtlpReply json_reply = HandleLogsExport(
      "application/json", "", R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":1}]}]}]})",
      {}, &records);
  EXPECT_EQ(json_reply.status, 400);
  json body = json::parse(json_reply.body);
  EXPECT_EQ(body["code"], 3);
  EXPECT_EQ(body["message"],
            "invalid OTLP JSON: resourceLogs[0].scopeLogs[0].logRecords[0].body: expected an "
            "AnyValue object");
  EXPECT_TRUE(records.empty());
}

}  // namespace
}  // namespace ck::collector::otlp
