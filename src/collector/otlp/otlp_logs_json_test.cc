#include "collector/otlp/otlp_logs_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace ck::collector::otlp {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

// The shape @opentelemetry/exporter-logs-otlp-http (JSON) sends: one resource, one scope.
constexpr char kExporterRequest[] = R"({"resourceLogs":[{
  "resource":{"attributes":[
    {"key":"service.name","value":{"stringValue":"register-api"}},
    {"key":"telemetry.sdk.language","value":{"stringValue":"nodejs"}}],"droppedAttributesCount":0},
  "scopeLogs":[{"scope":{"name":"register","version":"1.2.0"},"logRecords":[
    {"timeUnixNano":"1718000000123000000","observedTimeUnixNano":"1718000000123456789",
     "severityNumber":17,"severityText":"ERROR",
     "body":{"stringValue":"PutItem failed: unable to get local issuer certificate"},
     "attributes":[{"key":"table","value":{"stringValue":"residents"}},
                   {"key":"attempt","value":{"intValue":"3"}}],
     "droppedAttributesCount":0,"flags":1,"eventName":"",
     "traceId":"5759e988bd862e3fe1be46a994272793","spanId":"53995c3f42cd8ad8"},
    {"timeUnixNano":"1718000000200000000","observedTimeUnixNano":"1718000000200000000",
     "severityNumber":9,"body":{"kvlistValue":{"values":[
        {"key":"msg","value":{"stringValue":"registered"}},
        {"key":"count","value":{"intValue":2}}]}}}]}]}]})";

TEST(OtlpLogsJsonTest, DecodesWhatTheJsExporterSends) {
  auto request = DecodeOtlpLogsJson(kExporterRequest);
  ASSERT_TRUE(request.ok()) << request.status().message();
  ASSERT_EQ(request->records.size(), 2u);
  EXPECT_EQ(request->rejected_log_records, 0);

  const OtlpLogRecord& error = request->records[0];
  EXPECT_EQ(error.service_name, "register-api");
  EXPECT_EQ(error.scope_name, "register");
  EXPECT_EQ(error.time_unix_nano, 1718000000123000000);
  EXPECT_EQ(error.observed_time_unix_nano, 1718000000123456789);
  EXPECT_EQ(error.severity_number, kOtlpSeverityError);
  EXPECT_EQ(error.severity_text, "ERROR");
  EXPECT_EQ(error.body, "PutItem failed: unable to get local issuer certificate");
  EXPECT_EQ(error.attributes, (json{{"table", "residents"}, {"attempt", 3}}));
  EXPECT_EQ(error.trace_id, "5759e988bd862e3fe1be46a994272793");
  EXPECT_EQ(error.span_id, "53995c3f42cd8ad8");

  const OtlpLogRecord& info = request->records[1];
  EXPECT_EQ(info.severity_text, "INFO");
  EXPECT_EQ(info.body, R"({"count":2,"msg":"registered"})") << "a map body as JSON text";
  EXPECT_EQ(info.attributes, json::object());
  EXPECT_EQ(info.trace_id, "");
  EXPECT_EQ(info.span_id, "");
}

TEST(OtlpLogsJsonTest, ReadsSnakeCaseEnumNamesAndLegacyKeys) {
  auto request = DecodeOtlpLogsJson(R"({"resource_logs":[{
      "instrumentation_library_logs":[{"instrumentation_library":{"name":"legacy"},
        "log_records":[{"time_unix_nano":1718000000000000000,
          "severity_number":"SEVERITY_NUMBER_WARN2",
          "severity_text":null,"body":{"bool_value":true},
          "trace_id":"5759E988BD862E3FE1BE46A994272793","span_id":"0000000000000000"}]}]}]})");
  ASSERT_TRUE(request.ok()) << request.status().message();
  ASSERT_EQ(request->records.size(), 1u);
  const OtlpLogRecord& record = request->records[0];
  EXPECT_EQ(record.service_name, "unknown_service");
  EXPECT_EQ(record.scope_name, "legacy");
  EXPECT_EQ(record.time_unix_nano, 1718000000000000000);
  EXPECT_EQ(record.severity_number, 14);
  EXPECT_EQ(record.severity_text, "WARN2");
  EXPECT_EQ(record.body, "true");
  EXPECT_EQ(record.trace_id, "5759e988bd862e3fe1be46a994272793") << "hex is case-insensitive";
  EXPECT_EQ(record.span_id, "");
}

TEST(OtlpLogsJsonTest, RendersEveryBodyKind) {
  const std::pair<std::string, std::string> bodies[] = {
      {R"({"stringValue":"plain"})", "plain"},
      {R"({"intValue":"-12"})", "-12"},
      {R"({"doubleValue":2.5})", "2.5"},
      {R"({"boolValue":false})", "false"},
      {R"({"bytesValue":"aGk="})", "aGk="},
      {R"({"arrayValue":{"values":[{"stringValue":"a"},{"intValue":1},{}]}})", R"(["a",1,null])"},
      {R"({})", ""},
      {R"(null)", ""},
  };
  for (const auto& [body, text] : bodies) {
    auto request = DecodeOtlpLogsJson(R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":)" +
                                      body + "}]}]}]}");
    ASSERT_TRUE(request.ok()) << body << ": " << request.status().message();
    ASSERT_EQ(request->records.size(), 1u) << body;
    EXPECT_EQ(request->records[0].body, text) << body;
  }
}

TEST(OtlpLogsJsonTest, RejectsRecordsWithBadIdsAlone) {
  auto request = DecodeOtlpLogsJson(R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[
      {"body":{"stringValue":"ok"},"traceId":"5759e988bd862e3fe1be46a994272793"},
      {"body":{"stringValue":"short"},"traceId":"5759e988bd862e3f"},
      {"body":{"stringValue":"not hex"},"spanId":"not-hex-not-hex!"}]}]}]})");
  ASSERT_TRUE(request.ok()) << request.status().message();
  ASSERT_EQ(request->records.size(), 1u);
  EXPECT_EQ(request->records[0].body, "ok");
  EXPECT_EQ(request->rejected_log_records, 2);
  EXPECT_EQ(request->error_message,
            "resourceLogs[0].scopeLogs[0].logRecords[1]: traceId must be empty or 32 hex digits, "
            "got \"5759e988bd862e3f\"");
}

TEST(OtlpLogsJsonTest, FailsOnMalformedRequestsNamingThePath) {
  const std::pair<std::string, std::string> cases[] = {
      {"not json", "request body is not valid JSON"},
      {"[]", "(top level): expected an ExportLogsServiceRequest object"},
      {R"({"resourceLogs":{}})", "resourceLogs: expected an array"},
      {R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"severityNumber":"LOUD"}]}]}]})",
       "resourceLogs[0].scopeLogs[0].logRecords[0].severityNumber: expected an enum number"},
      {R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":-1}]}]}]})",
       "logRecords[0].timeUnixNano: expected a non-negative integer"},
      {R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"traceId":7}]}]}]})",
       "logRecords[0].traceId: expected a string"},
      {R"({"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":"text"}]}]}]})",
       "logRecords[0].body: expected an AnyValue object"},
      {R"({"resourceLogs":[{"resource":[]}]})", "resourceLogs[0].resource: expected an object"},
      {std::string(200, '[') + std::string(200, ']'), "nested deeper than 128 levels"},
  };
  for (const auto& [body, message] : cases) {
    auto request = DecodeOtlpLogsJson(body);
    ASSERT_FALSE(request.ok()) << body;
    EXPECT_EQ(request.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(request.status().message(), HasSubstr(message)) << body;
  }
}

TEST(OtlpLogsJsonTest, EncodedRecordsDecodeToTheSameRecords) {
  auto original = DecodeOtlpLogsJson(kExporterRequest);
  ASSERT_TRUE(original.ok());
  OtlpLogsRequest more = *original;
  OtlpLogRecord other = more.records[0];
  other.service_name = "feed-api";
  other.scope_name = "";
  other.trace_id = "";
  more.records.push_back(other);

  std::string encoded = EncodeOtlpLogsJson(more);
  json document = json::parse(encoded);
  EXPECT_EQ(document["resourceLogs"].size(), 2u) << "one ResourceLogs per service run";
  auto again = DecodeOtlpLogsJson(encoded);
  ASSERT_TRUE(again.ok()) << again.status().message();
  ASSERT_EQ(again->records.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    const OtlpLogRecord& a = more.records[i];
    const OtlpLogRecord& b = again->records[i];
    EXPECT_EQ(b.service_name, a.service_name);
    EXPECT_EQ(b.scope_name, a.scope_name);
    EXPECT_EQ(b.time_unix_nano, a.time_unix_nano);
    EXPECT_EQ(b.observed_time_unix_nano, a.observed_time_unix_nano);
    EXPECT_EQ(b.severity_number, a.severity_number);
    EXPECT_EQ(b.severity_text, a.severity_text);
    EXPECT_EQ(b.body, a.body);
    EXPECT_EQ(b.attributes, a.attributes);
    EXPECT_EQ(b.trace_id, a.trace_id);
    EXPECT_EQ(b.span_id, a.span_id);
  }
}

}  // namespace
}  // namespace ck::collector::otlp
