#include "collector/otlp/otlp_logs_request.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace ck::collector::otlp {
namespace {

using nlohmann::json;

TEST(OtlpLogsRequestTest, SeverityShortNamesFollowTheLogDataModel) {
  const std::pair<int, std::string> expected[] = {
      {0, ""},       {1, "TRACE"},   {2, "TRACE2"}, {4, "TRACE4"}, {5, "DEBUG"},  {8, "DEBUG4"},
      {9, "INFO"},   {10, "INFO2"},  {13, "WARN"},  {15, "WARN3"}, {17, "ERROR"}, {20, "ERROR4"},
      {21, "FATAL"}, {24, "FATAL4"}, {25, ""},      {-1, ""},      {1000, ""}};
  for (const auto& [number, name] : expected) {
    EXPECT_EQ(OtlpSeverityShortName(number), name) << number;
  }
}

TEST(OtlpLogsRequestTest, RendersBodiesAsText) {
  EXPECT_EQ(RenderOtlpLogBody(nullptr), "");
  EXPECT_EQ(RenderOtlpLogBody("line with \"quotes\"\n"), "line with \"quotes\"\n");
  EXPECT_EQ(RenderOtlpLogBody(42), "42");
  EXPECT_EQ(RenderOtlpLogBody(-7), "-7");
  EXPECT_EQ(RenderOtlpLogBody(true), "true");
  EXPECT_EQ(RenderOtlpLogBody(1.5), "1.5");
  EXPECT_EQ(RenderOtlpLogBody(json::array({"a", 1, nullptr})), R"(["a",1,null])");
  EXPECT_EQ(RenderOtlpLogBody(json{{"msg", "hi"}, {"n", 2}}), R"({"msg":"hi","n":2})");
}

OtlpWireLogRecord Wire() {
  OtlpWireLogRecord wire;
  wire.time_unix_nano = 1718000000123000000ull;
  wire.observed_time_unix_nano = 1718000000124000000ull;
  wire.severity_number = kOtlpSeverityWarn;
  wire.body = "disk almost full";
  wire.attributes = {{"disk", "/data"}, {"free", 3}, {"disk", "/var"}};
  wire.trace_id = "5759E988BD862E3FE1BE46A994272793";
  wire.span_id = "53995c3f42cd8ad8";
  return wire;
}

TEST(OtlpLogsRequestTest, FlattensAcceptedRecords) {
  OtlpLogsRequest request;
  AddOtlpLogRecord(Wire(), "feed-api", "ck-logger", {0, 0, 0}, &request);
  ASSERT_EQ(request.records.size(), 1u);
  const OtlpLogRecord& record = request.records[0];
  EXPECT_EQ(record.service_name, "feed-api");
  EXPECT_EQ(record.scope_name, "ck-logger");
  EXPECT_EQ(record.time_unix_nano, 1718000000123000000);
  EXPECT_EQ(record.observed_time_unix_nano, 1718000000124000000);
  EXPECT_EQ(record.severity_number, 13);
  EXPECT_EQ(record.severity_text, "WARN") << "filled from the number when not sent";
  EXPECT_EQ(record.body, "disk almost full");
  EXPECT_EQ(record.attributes, (json{{"disk", "/var"}, {"free", 3}})) << "last value wins";
  EXPECT_EQ(record.trace_id, "5759e988bd862e3fe1be46a994272793");
  EXPECT_EQ(record.span_id, "53995c3f42cd8ad8");
  EXPECT_EQ(request.rejected_log_records, 0);
  EXPECT_EQ(request.error_message, "");
}

TEST(OtlpLogsRequestTest, KeepsSentSeverityTextAndClearsZeroIds) {
  OtlpWireLogRecord wire = Wire();
  wire.severity_text = "warning";
  wire.trace_id = std::string(32, '0');
  wire.span_id = "";
  wire.time_unix_nano = std::numeric_limits<uint64_t>::max();
  OtlpLogsRequest request;
  AddOtlpLogRecord(std::move(wire), "feed-api", "", {0, 0, 0}, &request);
  ASSERT_EQ(request.records.size(), 1u);
  EXPECT_EQ(request.records[0].severity_text, "warning");
  EXPECT_EQ(request.records[0].trace_id, "") << "an all-zero id means no trace";
  EXPECT_EQ(request.records[0].span_id, "");
  EXPECT_EQ(request.records[0].time_unix_nano, 0) << "beyond INT64_MAX is unknown";
}

TEST(OtlpLogsRequestTest, RejectsBadIdsAndKeepsTheFirstReason) {
  OtlpLogsRequest request;
  OtlpWireLogRecord short_trace = Wire();
  short_trace.trace_id = "5759e988";
  AddOtlpLogRecord(std::move(short_trace), "s", "", {1, 2, 3}, &request);
  OtlpWireLogRecord bad_span = Wire();
  bad_span.span_id = "zz995c3f42cd8ad8";
  AddOtlpLogRecord(std::move(bad_span), "s", "", {1, 2, 4}, &request);
  AddOtlpLogRecord(Wire(), "s", "", {1, 2, 5}, &request);
  EXPECT_EQ(request.records.size(), 1u);
  EXPECT_EQ(request.rejected_log_records, 2);
  EXPECT_EQ(request.error_message,
            "resourceLogs[1].scopeLogs[2].logRecords[3]: traceId must be empty or 32 hex digits, "
            "got \"5759e988\"");
}

}  // namespace
}  // namespace ck::collector::otlp
