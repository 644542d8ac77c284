#include "collector/otlp/otlp_logs_protobuf.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "collector/otlp/protobuf_writer.h"

namespace ck::collector::otlp {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

std::string Bytes(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

ProtobufWriter StringValue(std::string_view text) {
  ProtobufWriter any;
  any.WriteString(1, text);  // AnyValue.string_value
  return any;
}

ProtobufWriter KeyValue(std::string_view key, const ProtobufWriter& value) {
  ProtobufWriter kv;
  kv.WriteString(1, key);
  kv.WriteMessage(2, value);
  return kv;
}

// A LogRecord with every field logs.proto defines, in field-number order.
ProtobufWriter FullRecord() {
  ProtobufWriter record;
  record.WriteFixed64(1, 1718000000123000000ull);         // time_unix_nano
  record.WriteVarint(2, 17);                              // severity_number ERROR
  record.WriteString(3, "ERROR");                         // severity_text
  record.WriteMessage(5, StringValue("PutItem failed"));  // body
  ProtobufWriter attempt;
  attempt.WriteVarint(3, 3);                                         // int_value
  record.WriteMessage(6, KeyValue("attempt", attempt));              // attributes
  record.WriteVarint(7, 0);                                          // dropped_attributes_count
  record.WriteFixed32(8, 1);                                         // flags
  record.WriteString(9, Bytes("5759e988bd862e3fe1be46a994272793"));  // trace_id
  record.WriteString(10, Bytes("53995c3f42cd8ad8"));                 // span_id
  record.WriteFixed64(11, 1718000000123456789ull);                   // observed_time_unix_nano
  record.WriteString(12, "registration.failed");                     // event_name
  return record;
}

// ExportLogsServiceRequest > ResourceLogs(service) > ScopeLogs(scope, records...).
std::string Request(std::string_view service, std::string_view scope,
                    const std::vector<ProtobufWriter>& records, uint32_t scope_field = 2) {
  ProtobufWriter scope_logs;
  for (const ProtobufWriter& record : records) scope_logs.WriteMessage(2, record);
  if (!scope.empty()) {
    ProtobufWriter info;
    info.WriteString(1, scope);
    scope_logs.WriteMessage(1, info);  // after the records, as a writer may put it
  }
  ProtobufWriter resource;
  if (!service.empty()) resource.WriteMessage(1, KeyValue("service.name", StringValue(service)));
  ProtobufWriter resource_logs;
  resource_logs.WriteMessage(scope_field, scope_logs);
  resource_logs.WriteMessage(1, resource);  // after the scopes, too
  resource_logs.WriteString(3, "https://opentelemetry.io/schemas/1.26.0");
  ProtobufWriter request;
  request.WriteMessage(1, resource_logs);
  return request.data();
}

TEST(OtlpLogsProtobufTest, DecodesEveryLogRecordField) {
  auto request = DecodeOtlpLogsProtobuf(Request("register-api", "register", {FullRecord()}));
  ASSERT_TRUE(request.ok()) << request.status().message();
  ASSERT_EQ(request->records.size(), 1u);
  const OtlpLogRecord& record = request->records[0];
  EXPECT_EQ(record.service_name, "register-api");
  EXPECT_EQ(record.scope_name, "register");
  EXPECT_EQ(record.time_unix_nano, 1718000000123000000);
  EXPECT_EQ(record.observed_time_unix_nano, 1718000000123456789);
  EXPECT_EQ(record.severity_number, kOtlpSeverityError);
  EXPECT_EQ(record.severity_text, "ERROR");
  EXPECT_EQ(record.body, "PutItem failed");
  EXPECT_EQ(record.attributes, (json{{"attempt", 3}}));
  EXPECT_EQ(record.trace_id, "5759e988bd862e3fe1be46a994272793");
  EXPECT_EQ(record.span_id, "53995c3f42cd8ad8");
  EXPECT_EQ(request->rejected_log_records, 0);
}

TEST(OtlpLogsProtobufTest, DefaultsAndLegacyFieldNumber) {
  ProtobufWriter bare;
  bare.WriteVarint(2, 10);  // INFO2, no text, no body, no ids
  auto request = DecodeOtlpLogsProtobuf(Request("", "", {bare}, /*scope_field=*/1000));
  ASSERT_TRUE(request.ok()) << request.status().message();
  ASSERT_EQ(request->records.size(), 1u);
  const OtlpLogRecord& record = request->records[0];
  EXPECT_EQ(record.service_name, "unknown_service");
  EXPECT_EQ(record.scope_name, "");
  EXPECT_EQ(record.severity_text, "INFO2");
  EXPECT_EQ(record.body, "");
  EXPECT_EQ(record.time_unix_nano, 0);
  EXPECT_EQ(record.trace_id, "");
}

TEST(OtlpLogsProtobufTest, RendersStructuredBodiesAndRepairsUtf8) {
  ProtobufWriter list;
  list.WriteMessage(1, KeyValue("msg", StringValue("caf\xff")));
  ProtobufWriter body;
  body.WriteMessage(6, list);  // kvlist_value
  ProtobufWriter record;
  record.WriteMessage(5, body);
  record.WriteString(3, "bad\xc3");
  auto request = DecodeOtlpLogsProtobuf(Request("s", "", {record}));
  ASSERT_TRUE(request.ok()) << request.status().message();
  ASSERT_EQ(request->records.size(), 1u);
  EXPECT_EQ(request->records[0].body, "{\"msg\":\"caf\xef\xbf\xbd\"}");
  EXPECT_EQ(request->records[0].severity_text, "bad\xef\xbf\xbd");
}

TEST(OtlpLogsProtobufTest, SkipsFieldsOfTheWrongWireType) {
  ProtobufWriter record = FullRecord();
  record.WriteString(1, "not a fixed64");  // time_unix_nano as bytes: ignored
  record.WriteVarint(9, 5);                // trace_id as a varint: ignored
  auto request = DecodeOtlpLogsProtobuf(Request("s", "", {record}));
  ASSERT_TRUE(request.ok()) << request.status().message();
  ASSERT_EQ(request->records.size(), 1u);
  EXPECT_EQ(request->records[0].time_unix_nano, 1718000000123000000);
  EXPECT_EQ(request->records[0].trace_id, "5759e988bd862e3fe1be46a994272793");
}

TEST(OtlpLogsProtobufTest, RejectsRecordsWithBadIdLengths) {
  ProtobufWriter short_trace;
  short_trace.WriteString(9, Bytes("5759e988"));
  ProtobufWriter long_span;
  long_span.WriteString(10, Bytes("53995c3f42cd8ad800"));
  ProtobufWriter zero_ids;
  zero_ids.WriteString(9, std::string(16, '\0'));
  zero_ids.WriteString(10, std::string(8, '\0'));
  auto request =
      DecodeOtlpLogsProtobuf(Request("s", "", {FullRecord(), short_trace, long_span, zero_ids}));
  ASSERT_TRUE(request.ok()) << request.status().message();
  ASSERT_EQ(request->records.size(), 2u);
  EXPECT_EQ(request->records[1].trace_id, "") << "all-zero ids mean no trace";
  EXPECT_EQ(request->records[1].span_id, "");
  EXPECT_EQ(request->rejected_log_records, 2);
  EXPECT_EQ(request->error_message,
            "resourceLogs[0].scopeLogs[0].logRecords[1]: traceId must be empty or 32 hex digits, "
            "got \"5759e988\"");
}

TEST(OtlpLogsProtobufTest, FailsOnMalformedBytes) {
  std::string valid = Request("s", "scope", {FullRecord()});
  for (size_t cut : {size_t{1}, valid.size() / 2, valid.size() - 1}) {
    auto request = DecodeOtlpLogsProtobuf(std::string_view(valid).substr(0, cut));
    ASSERT_FALSE(request.ok()) << cut;
    EXPECT_EQ(request.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(request.status().message(),
                HasSubstr("request body is not a valid protobuf ExportLogsServiceRequest"));
  }
  EXPECT_FALSE(DecodeOtlpLogsProtobuf("\x0b").ok()) << "group wire type";
  auto empty = DecodeOtlpLogsProtobuf("");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->records.empty());
}

TEST(OtlpLogsProtobufTest, EncodedRecordsDecodeToTheSameRecords) {
  ProtobufWriter second;
  second.WriteVarint(2, 21);
  ProtobufWriter body;
  body.WriteVarint(3, static_cast<uint64_t>(-5));  // int_value -5
  second.WriteMessage(5, body);
  auto original =
      DecodeOtlpLogsProtobuf(Request("register-api", "register", {FullRecord(), second}));
  ASSERT_TRUE(original.ok());
  ASSERT_EQ(original->records.size(), 2u);
  EXPECT_EQ(original->records[1].body, "-5");
  EXPECT_EQ(original->records[1].severity_text, "FATAL");

  auto again = DecodeOtlpLogsProtobuf(EncodeOtlpLogsProtobuf(*original));
  ASSERT_TRUE(again.ok()) << again.status().message();
  ASSERT_EQ(again->records.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    const OtlpLogRecord& a = original->records[i];
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
