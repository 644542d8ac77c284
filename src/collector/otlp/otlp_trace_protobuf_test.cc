#include "collector/otlp/otlp_trace_protobuf.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "collector/otlp/protobuf_writer.h"

namespace ck::collector::otlp {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

const json& Attribute(const OtlpAttributes& attributes, std::string_view key) {
  for (const auto& [name, value] : attributes) {
    if (name == key) return value;
  }
  static const json kMissing = "missing";
  return kMissing;
}

std::string Bytes(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

// ExportTraceServiceRequest > ResourceSpans > (field `scope_field`) ScopeSpans > one Span.
std::string RequestWithSpan(const ProtobufWriter& span, uint32_t scope_field = 2) {
  ProtobufWriter scope_spans;
  scope_spans.WriteMessage(2, span);
  ProtobufWriter resource_spans;
  resource_spans.WriteMessage(scope_field, scope_spans);
  ProtobufWriter request;
  request.WriteMessage(1, resource_spans);
  return request.data();
}

TEST(OtlpTraceProtobufTest, ReadsSpanFieldsAndSkipsUnknownOnes) {
  ProtobufWriter status;
  status.WriteString(2, "throttled");
  status.WriteVarint(3, kOtlpStatusError);
  ProtobufWriter span;
  span.WriteString(1, Bytes("5759e988bd862e3fe1be46a994272793"));
  span.WriteString(2, Bytes("53995C3F42CD8AD8"));
  span.WriteString(3, "tracestate=1");  // trace_state: read past
  span.WriteString(4, Bytes("a1a2a3a4a5a6a7a1"));
  span.WriteFixed32(16, 1);  // flags: read past
  span.WriteString(5, "GET /");
  span.WriteVarint(6, kOtlpSpanKindServer);
  span.WriteFixed64(7, 1718000000000000000ull);
  span.WriteFixed64(8, 1718000000100000000ull);
  span.WriteMessage(15, status);
  span.WriteVarint(200, 1);      // a field from the future
  span.WriteVarint(5, 12);       // name with the wrong wire type: treated as unknown
  span.WriteString(13, "link");  // links: read past
  auto request = ParseOtlpTraceProtobuf(RequestWithSpan(span));
  ASSERT_TRUE(request.ok()) << request.status().message();
  const OtlpSpan& parsed = request->resource_spans.at(0).scope_spans.at(0).spans.at(0);
  EXPECT_EQ(parsed.trace_id, "5759e988bd862e3fe1be46a994272793");
  EXPECT_EQ(parsed.span_id, "53995c3f42cd8ad8");
  EXPECT_EQ(parsed.parent_span_id, "a1a2a3a4a5a6a7a1");
  EXPECT_EQ(parsed.name, "GET /");
  EXPECT_EQ(parsed.kind, kOtlpSpanKindServer);
  EXPECT_EQ(parsed.start_time_unix_nano, 1718000000000000000ull);
  EXPECT_EQ(parsed.end_time_unix_nano, 1718000000100000000ull);
  EXPECT_EQ(parsed.status_code, kOtlpStatusError);
  EXPECT_EQ(parsed.status_message, "throttled");
}

TEST(OtlpTraceProtobufTest, BytesValuesInvalidUtf8AndLegacyLibrarySpans) {
  ProtobufWriter any;
  any.WriteString(7, std::string("\x00\x01\x02", 3));  // bytes_value
  ProtobufWriter key_value;
  key_value.WriteString(1, "y");
  key_value.WriteMessage(2, any);
  ProtobufWriter span;
  span.WriteString(5, "bad\xff name");
  span.WriteMessage(9, key_value);
  auto request = ParseOtlpTraceProtobuf(RequestWithSpan(span, 1000));
  ASSERT_TRUE(request.ok()) << request.status().message();
  const OtlpSpan& parsed = request->resource_spans.at(0).scope_spans.at(0).spans.at(0);
  EXPECT_EQ(parsed.name, "bad\xef\xbf\xbd name") << "invalid UTF-8 replaced by U+FFFD";
  EXPECT_EQ(Attribute(parsed.attributes, "y"), "AAEC") << "bytes as base64";
}

TEST(OtlpTraceProtobufTest, EmptyInputIsAnEmptyRequest) {
  auto request = ParseOtlpTraceProtobuf("");
  ASSERT_TRUE(request.ok());
  EXPECT_TRUE(request->resource_spans.empty());
}

TEST(OtlpTraceProtobufTest, RoundTripsThroughTheEncoder) {
  OtlpTraceRequest request;
  OtlpResourceSpans& resource = request.resource_spans.emplace_back();
  resource.resource_attributes = {{"service.name", "list-api"}};
  OtlpScopeSpans& scope = resource.scope_spans.emplace_back();
  scope.scope_name = "ck";
  scope.scope_version = "2";
  OtlpSpan& span = scope.spans.emplace_back();
  span.trace_id = "5759e988bd862e3fe1be46a994272793";
  span.span_id = "53995c3f42cd8ad8";
  span.parent_span_id = "a1a2a3a4a5a6a7a1";
  span.name = "DynamoDB.Query";
  span.kind = -3;
  span.start_time_unix_nano = 1;
  span.end_time_unix_nano = UINT64_MAX;
  span.attributes = {{"s", "x"},
                     {"i", -7},
                     {"d", 0.25},
                     {"b", true},
                     {"a", json::array({1, "two", nullptr})},
                     {"k", {{"inner", {{"deeper", 1}}}}}};
  OtlpEvent& event = span.events.emplace_back();
  event.name = "exception";
  event.time_unix_nano = 5;
  event.attributes = {{"exception.type", "E"}};
  span.status_code = kOtlpStatusError;
  span.status_message = "boom";

  auto parsed = ParseOtlpTraceProtobuf(EncodeOtlpTraceProtobuf(request));
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  const OtlpScopeSpans& parsed_scope = parsed->resource_spans.at(0).scope_spans.at(0);
  EXPECT_EQ(parsed_scope.scope_name, "ck");
  EXPECT_EQ(parsed_scope.scope_version, "2");
  const OtlpSpan& back = parsed_scope.spans.at(0);
  EXPECT_EQ(back.trace_id, span.trace_id);
  EXPECT_EQ(back.span_id, span.span_id);
  EXPECT_EQ(back.parent_span_id, span.parent_span_id);
  EXPECT_EQ(back.name, span.name);
  EXPECT_EQ(back.kind, -3);
  EXPECT_EQ(back.start_time_unix_nano, 1u);
  EXPECT_EQ(back.end_time_unix_nano, UINT64_MAX);
  EXPECT_EQ(back.attributes, span.attributes);
  ASSERT_EQ(back.events.size(), 1u);
  EXPECT_EQ(back.events[0].name, "exception");
  EXPECT_EQ(back.events[0].time_unix_nano, 5u);
  EXPECT_EQ(back.events[0].attributes, event.attributes);
  EXPECT_EQ(back.status_code, kOtlpStatusError);
  EXPECT_EQ(back.status_message, "boom");
}

TEST(OtlpTraceProtobufTest, IdsThatAreNotHexStayInvalidWhenEncoded) {
  OtlpTraceRequest request;
  OtlpSpan& span =
      request.resource_spans.emplace_back().scope_spans.emplace_back().spans.emplace_back();
  span.trace_id = "zzzzzzzzzzzzzzzz";  // 16 characters: as raw bytes it would look valid
  span.span_id = "abc";
  auto parsed = ParseOtlpTraceProtobuf(EncodeOtlpTraceProtobuf(request));
  ASSERT_TRUE(parsed.ok());
  const OtlpSpan& back = parsed->resource_spans.at(0).scope_spans.at(0).spans.at(0);
  EXPECT_EQ(back.trace_id, "00");
  EXPECT_EQ(back.span_id, "00");
}

TEST(OtlpTraceProtobufTest, FailuresSayWhatIsWrongAndWhere) {
  std::string nested = "leaf";
  for (int i = 0; i < 60; ++i) {
    ProtobufWriter array;
    array.WriteString(1, nested);  // ArrayValue.values
    ProtobufWriter any;
    any.WriteString(5, array.data());  // AnyValue.array_value
    nested = any.data();
  }
  ProtobufWriter key_value;
  key_value.WriteString(1, "deep");
  key_value.WriteString(2, nested);
  ProtobufWriter deep_span;
  deep_span.WriteString(9, key_value.data());
  struct Case {
    std::string body;
    std::string reason;
  };
  for (const Case& c : {
           Case{std::string("\x0a\x05\x0a\x03", 4), "runs past the end"},
           Case{std::string("\x0b\x00", 2), "group wire type in field 1"},
           Case{"not protobuf at all", "invalid wire type 6"},
           Case{std::string("\x08") + std::string(10, '\xff') + "\x01",
                "varint longer than 64 bits"},
           Case{RequestWithSpan(deep_span), "nested deeper than 100 levels"},
       }) {
    SCOPED_TRACE(c.reason);
    auto request = ParseOtlpTraceProtobuf(c.body);
    ASSERT_FALSE(request.ok());
    EXPECT_EQ(request.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(request.status().message(),
                HasSubstr("not a valid protobuf ExportTraceServiceRequest"));
    EXPECT_THAT(request.status().message(), HasSubstr(c.reason));
  }
}

}  // namespace
}  // namespace ck::collector::otlp
