#include "collector/otlp/otlp_trace_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>

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

TEST(OtlpTraceJsonTest, ReadsSnakeCaseKeysEnumNamesAndNumericForms) {
  auto request = ParseOtlpTraceJson(R"({"resource_spans":[{
      "resource":{"attributes":[{"key":"service.name","value":{"string_value":"feed-api"}}]},
      "scope_spans":[{"scope":{"name":"ck","version":"1.0"},"spans":[{
        "trace_id":"5759E988BD862E3FE1BE46A994272793","span_id":"53995c3f42cd8ad8",
        "parent_span_id":null,"name":"GET /feed","kind":"SPAN_KIND_SERVER",
        "start_time_unix_nano":1718000000000000000,"endTimeUnixNano":"1718000000500000000",
        "unknownField":{"x":[1,2]},
        "status":{"code":"STATUS_CODE_ERROR","message":"boom"},
        "events":[{"time_unix_nano":1.7180000001e18,"name":"exception"}]}]}]}]})");
  ASSERT_TRUE(request.ok()) << request.status().message();
  ASSERT_EQ(request->resource_spans.size(), 1u);
  const OtlpResourceSpans& resource = request->resource_spans[0];
  EXPECT_EQ(Attribute(resource.resource_attributes, "service.name"), "feed-api");
  const OtlpScopeSpans& scope = resource.scope_spans.at(0);
  EXPECT_EQ(scope.scope_name, "ck");
  EXPECT_EQ(scope.scope_version, "1.0");
  const OtlpSpan& span = scope.spans.at(0);
  EXPECT_EQ(span.trace_id, "5759e988bd862e3fe1be46a994272793") << "hex is case-insensitive";
  EXPECT_EQ(span.span_id, "53995c3f42cd8ad8");
  EXPECT_EQ(span.parent_span_id, "");
  EXPECT_EQ(span.kind, kOtlpSpanKindServer);
  EXPECT_EQ(span.start_time_unix_nano, 1718000000000000000ull);
  EXPECT_EQ(span.end_time_unix_nano, 1718000000500000000ull);
  EXPECT_EQ(span.status_code, kOtlpStatusError);
  EXPECT_EQ(span.status_message, "boom");
  ASSERT_EQ(span.events.size(), 1u);
  EXPECT_EQ(span.events[0].time_unix_nano, 1718000000100000000ull);
}

TEST(OtlpTraceJsonTest, ReadsEveryAnyValueKind) {
  auto request = ParseOtlpTraceJson(R"({"resourceSpans":[{"resource":{"attributes":[
      {"key":"s","value":{"stringValue":"text"}},
      {"key":"b","value":{"boolValue":true}},
      {"key":"i","value":{"intValue":"-9007199254740993"}},
      {"key":"j","value":{"intValue":42}},
      {"key":"d","value":{"doubleValue":"Infinity"}},
      {"key":"f","value":{"doubleValue":"2.5"}},
      {"key":"a","value":{"arrayValue":{"values":[{"intValue":1},{"stringValue":"x"},{}]}}},
      {"key":"k","value":{"kvlistValue":{"values":[{"key":"inner","value":{"boolValue":false}}]}}},
      {"key":"y","value":{"bytesValue":"AAEC"}},
      {"key":"n","value":null},
      {"key":"e","value":{}}]}}]})");
  ASSERT_TRUE(request.ok()) << request.status().message();
  const OtlpAttributes& attributes = request->resource_spans.at(0).resource_attributes;
  EXPECT_EQ(Attribute(attributes, "s"), "text");
  EXPECT_EQ(Attribute(attributes, "b"), true);
  EXPECT_EQ(Attribute(attributes, "i").get<int64_t>(), -9007199254740993LL) << "no precision lost";
  EXPECT_EQ(Attribute(attributes, "j"), 42);
  EXPECT_TRUE(std::isinf(Attribute(attributes, "d").get<double>()));
  EXPECT_EQ(Attribute(attributes, "f"), 2.5);
  EXPECT_EQ(Attribute(attributes, "a"), json::parse(R"([1,"x",null])"));
  EXPECT_EQ(Attribute(attributes, "k"), json::parse(R"({"inner":false})"));
  EXPECT_EQ(Attribute(attributes, "y"), "AAEC");
  EXPECT_TRUE(Attribute(attributes, "n").is_null());
  EXPECT_TRUE(Attribute(attributes, "e").is_null());
}

TEST(OtlpTraceJsonTest, ReadsPreOneZeroInstrumentationLibrarySpans) {
  auto request = ParseOtlpTraceJson(R"({"resourceSpans":[{"instrumentationLibrarySpans":[{
      "instrumentationLibrary":{"name":"old"},"spans":[{"name":"legacy"}]}]}]})");
  ASSERT_TRUE(request.ok()) << request.status().message();
  const OtlpScopeSpans& scope = request->resource_spans.at(0).scope_spans.at(0);
  EXPECT_EQ(scope.scope_name, "old");
  EXPECT_EQ(scope.spans.at(0).name, "legacy");
}

TEST(OtlpTraceJsonTest, EmptyRequestsAreValid) {
  for (std::string_view text : {"{}", R"({"resourceSpans":[]})", R"({"resourceSpans":null})"}) {
    auto request = ParseOtlpTraceJson(text);
    ASSERT_TRUE(request.ok()) << text;
    EXPECT_TRUE(request->resource_spans.empty());
  }
}

TEST(OtlpTraceJsonTest, FailuresNameThePathAndTheExpectedType) {
  std::string deep = R"({"resourceSpans":)" + std::string(200, '[') + std::string(200, ']') + "}";
  // Brackets inside strings do not count towards the nesting limit.
  std::string brackets_in_string = R"({"x":")" + std::string(300, '[') + R"("})";
  EXPECT_TRUE(ParseOtlpTraceJson(brackets_in_string).ok());
  struct Case {
    std::string body;
    std::string reason;
  };
  for (const Case& c : {
           Case{"", "not valid JSON"},
           Case{"{\"resourceSpans\":[", "not valid JSON"},
           Case{"{\"a\":\"\xff\"}", "not valid JSON"},
           Case{"[]", "(top level): expected an ExportTraceServiceRequest object"},
           Case{R"({"resourceSpans":{}})", "resourceSpans: expected an array"},
           Case{R"({"resourceSpans":[5]})", "resourceSpans[0]: expected an object"},
           Case{R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"name":5}]}]}]})",
                "resourceSpans[0].scopeSpans[0].spans[0].name: expected a string"},
           Case{R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"kind":"SERVER"}]}]}]})",
                "spans[0].kind: expected an enum number"},
           Case{R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"kind":4294967298}]}]}]})",
                "spans[0].kind: expected an enum number"},
           Case{R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":-1}]}]}]})",
                "startTimeUnixNano: expected a non-negative integer"},
           Case{R"({"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":7}]}]}]})",
                "spans[0].traceId: expected a string"},
           Case{R"({"resourceSpans":[{"resource":{"attributes":[
                    {"key":"k","value":{"intValue":"1.5"}}]}}]})",
                "resourceSpans[0].resource.attributes[0].value.intValue: expected an integer"},
           Case{R"({"resourceSpans":[{"resource":{"attributes":[
                    {"key":"k","value":{"arrayValue":{"values":[{"boolValue":1}]}}}]}}]})",
                "value.arrayValue.values[0].boolValue: expected true or false"},
           Case{deep, "nested deeper than 128 levels"},
       }) {
    SCOPED_TRACE(c.body);
    auto request = ParseOtlpTraceJson(c.body);
    ASSERT_FALSE(request.ok());
    EXPECT_EQ(request.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(request.status().message(), HasSubstr(c.reason));
  }
}

TEST(OtlpTraceJsonTest, EncodeWritesOtlpJsonConventionsAndParsesBack) {
  OtlpTraceRequest request;
  OtlpResourceSpans& resource = request.resource_spans.emplace_back();
  resource.resource_attributes = {{"service.name", "list-api"}, {"n", nullptr}};
  OtlpSpan& span = resource.scope_spans.emplace_back().spans.emplace_back();
  span.trace_id = "5759e988bd862e3fe1be46a994272793";
  span.span_id = "53995c3f42cd8ad8";
  span.kind = kOtlpSpanKindClient;
  span.start_time_unix_nano = 1718000000000000001ull;
  span.attributes = {{"big", int64_t{1} << 60}, {"nan", std::nan("")}, {"list", json::array({1})}};
  json written = json::parse(EncodeOtlpTraceJson(request));
  const json& encoded_span = written["resourceSpans"][0]["scopeSpans"][0]["spans"][0];
  EXPECT_EQ(encoded_span["traceId"], "5759e988bd862e3fe1be46a994272793");
  EXPECT_EQ(encoded_span["kind"], 3);
  EXPECT_EQ(encoded_span["startTimeUnixNano"], "1718000000000000001");
  EXPECT_EQ(encoded_span["attributes"][0]["value"]["intValue"], "1152921504606846976");
  EXPECT_EQ(encoded_span["attributes"][1]["value"]["doubleValue"], "NaN");

  auto parsed = ParseOtlpTraceJson(written.dump());
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  const OtlpSpan& back = parsed->resource_spans.at(0).scope_spans.at(0).spans.at(0);
  EXPECT_EQ(back.start_time_unix_nano, span.start_time_unix_nano);
  EXPECT_EQ(Attribute(back.attributes, "big").get<int64_t>(), int64_t{1} << 60);
  EXPECT_TRUE(std::isnan(Attribute(back.attributes, "nan").get<double>()));
  EXPECT_EQ(Attribute(back.attributes, "list"), json::array({1}));
  EXPECT_TRUE(Attribute(parsed->resource_spans.at(0).resource_attributes, "n").is_null());
}

}  // namespace
}  // namespace ck::collector::otlp
