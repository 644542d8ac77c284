#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "collector/model/xray_document.h"
#include "collector/otlp/otlp_trace_decoder.h"
#include "collector/otlp/otlp_trace_protobuf.h"

namespace ck::collector::otlp {
namespace {

using nlohmann::json;

constexpr char kTraceA[] = "5759e988bd862e3fe1be46a994272793";
constexpr char kTraceB[] = "6759e988bd862e3fe1be46a994272794";
constexpr uint64_t kT0 = 1718000000ull * 1000000000ull;

OtlpSpan MakeSpan(std::string trace, std::string id, std::string parent, int kind,
                  OtlpAttributes attributes) {
  OtlpSpan span;
  span.trace_id = std::move(trace);
  span.span_id = std::move(id);
  span.parent_span_id = std::move(parent);
  span.name = "op-" + span.span_id.substr(0, 2);
  span.kind = kind;
  span.start_time_unix_nano = kT0;
  span.end_time_unix_nano = kT0 + 5'000'000;
  span.attributes = std::move(attributes);
  return span;
}

// Two traces interleaved over two services; in trace A public-site calls list-api (a traced
// callee: its SERVER span is in the other resource) and list-api calls DynamoDB from an INTERNAL
// span (segment id: the SERVER span two levels up). One span has a bad id.
OtlpTraceRequest TwoTraceRequest() {
  OtlpTraceRequest request;
  OtlpResourceSpans& site = request.resource_spans.emplace_back();
  site.resource_attributes = {{"service.name", "public-site"}, {"cloud.platform", "aws_ecs"}};
  OtlpScopeSpans& site_scope = site.scope_spans.emplace_back();
  site_scope.scope_name = "site";
  site_scope.spans = {
      MakeSpan(kTraceA, "a100000000000001", "", kOtlpSpanKindServer, {{"http.route", "/"}}),
      MakeSpan(kTraceB, "b100000000000001", "", kOtlpSpanKindServer, {}),
      MakeSpan(kTraceA, "a100000000000002", "a100000000000001", kOtlpSpanKindClient,
               {{"peer.service", "list-api"}}),
      MakeSpan(kTraceB, "bad", "", kOtlpSpanKindServer, {}),
  };
  OtlpResourceSpans& list = request.resource_spans.emplace_back();
  list.resource_attributes = {{"service.name", "list-api"}};
  OtlpScopeSpans& first_scope = list.scope_spans.emplace_back();
  first_scope.scope_name = "http";
  first_scope.spans = {MakeSpan(kTraceA, "a100000000000003", "a100000000000002",
                                kOtlpSpanKindServer, {{"http.response.status_code", 200}})};
  OtlpScopeSpans& second_scope = list.scope_spans.emplace_back();
  second_scope.scope_name = "db";
  second_scope.spans = {
      MakeSpan(kTraceA, "a100000000000004", "a100000000000003", kOtlpSpanKindInternal, {}),
      MakeSpan(kTraceA, "a100000000000005", "a100000000000004", kOtlpSpanKindClient,
               {{"db.system", "dynamodb"}, {"db.operation", "Query"}}),
  };
  return request;
}

std::vector<std::string> StoredForms(const std::vector<Span>& spans) {
  std::vector<std::string> out;
  for (const Span& span : spans) out.push_back(StoredSpanJson(span).dump());
  return out;
}

TEST(OtlpTraceGroupTest, GroupsByTraceInOrderOfFirstSpan) {
  const OtlpTraceRequest request = TwoTraceRequest();
  OtlpDecodeResult decoded = MapOtlpTraceRequest(request, SpanDetail::kIndex);
  EXPECT_EQ(decoded.rejected_spans, 1);
  ASSERT_EQ(decoded.positions.size(), 6u);
  EXPECT_EQ(decoded.positions[2], (OtlpSpanPosition{0, 0, 2}));
  EXPECT_EQ(decoded.positions[5], (OtlpSpanPosition{1, 1, 1}));
  std::vector<OtlpTraceGroup> groups = GroupOtlpSpansByTrace(request, std::move(decoded));
  ASSERT_EQ(groups.size(), 2u);
  ASSERT_EQ(groups[0].spans.size(), 5u);
  ASSERT_EQ(groups[1].spans.size(), 1u);
  EXPECT_EQ(groups[0].spans[0].id, "a100000000000001");
  EXPECT_EQ(groups[0].spans[4].id, "a100000000000005");
  EXPECT_EQ(groups[1].spans[0].trace_id, "1-6759e988-bd862e3fe1be46a994272794");
  for (const OtlpTraceGroup& group : groups) {
    for (const Span& span : group.spans) EXPECT_TRUE(span.metadata.empty()) << span.id;
  }
}

TEST(OtlpTraceGroupTest, EachGroupDecodesToItsSpansWithMetadata) {
  const OtlpTraceRequest request = TwoTraceRequest();
  const OtlpDecodeResult full = MapOtlpTraceRequest(request, SpanDetail::kFull);
  ASSERT_EQ(full.spans.size(), 6u);
  std::vector<OtlpTraceGroup> groups =
      GroupOtlpSpansByTrace(request, MapOtlpTraceRequest(request, SpanDetail::kIndex));
  ASSERT_EQ(groups.size(), 2u);

  auto group_a = DecodeOtlpTraceProtobuf(groups[0].protobuf);
  ASSERT_TRUE(group_a.ok()) << group_a.status().message();
  EXPECT_EQ(group_a->rejected_spans, 0);
  const std::vector<Span> expected_a = {full.spans[0], full.spans[2], full.spans[3], full.spans[4],
                                        full.spans[5]};
  EXPECT_EQ(StoredForms(group_a->spans), StoredForms(expected_a));
  // What depends on other spans of the trace survives the split.
  EXPECT_TRUE(group_a->spans[1].traced);
  EXPECT_EQ(group_a->spans[4].segment_id, "a100000000000003");
  EXPECT_EQ(group_a->spans[4].namespace_name, "aws");
  EXPECT_EQ(group_a->spans[0].metadata["otel"]["http.route"], "/");
  EXPECT_EQ(group_a->spans[3].metadata["otel.span"]["scope"], "db");

  auto group_b = DecodeOtlpTraceProtobuf(groups[1].protobuf);
  ASSERT_TRUE(group_b.ok());
  EXPECT_EQ(StoredForms(group_b->spans), StoredForms({full.spans[1]}));
  // Only its own resource and span: the bad span and trace A are not in it.
  auto request_b = ParseOtlpTraceProtobuf(groups[1].protobuf);
  ASSERT_TRUE(request_b.ok());
  ASSERT_EQ(request_b->resource_spans.size(), 1u);
  ASSERT_EQ(request_b->resource_spans[0].scope_spans.size(), 1u);
  EXPECT_EQ(request_b->resource_spans[0].scope_spans[0].spans.size(), 1u);
}

TEST(OtlpTraceGroupTest, IndexDetailDiffersOnlyInMetadata) {
  const OtlpTraceRequest request = TwoTraceRequest();
  OtlpDecodeResult full = MapOtlpTraceRequest(request, SpanDetail::kFull);
  const OtlpDecodeResult index = MapOtlpTraceRequest(request, SpanDetail::kIndex);
  ASSERT_EQ(full.spans.size(), index.spans.size());
  for (Span& span : full.spans) span.metadata = json::object();
  EXPECT_EQ(StoredForms(full.spans), StoredForms(index.spans));
}

TEST(OtlpTraceGroupTest, SubsetEncodingKeepsResourceAndScope) {
  const OtlpTraceRequest request = TwoTraceRequest();
  const std::string bytes = EncodeOtlpTraceProtobuf(request, {{1, 1, 1}});
  auto subset = ParseOtlpTraceProtobuf(bytes);
  ASSERT_TRUE(subset.ok());
  ASSERT_EQ(subset->resource_spans.size(), 1u);
  EXPECT_EQ(subset->resource_spans[0].resource_attributes,
            request.resource_spans[1].resource_attributes);
  ASSERT_EQ(subset->resource_spans[0].scope_spans.size(), 1u);
  EXPECT_EQ(subset->resource_spans[0].scope_spans[0].scope_name, "db");
  ASSERT_EQ(subset->resource_spans[0].scope_spans[0].spans.size(), 1u);
  EXPECT_EQ(subset->resource_spans[0].scope_spans[0].spans[0].span_id, "a100000000000005");
  // Positions outside the request are left out.
  EXPECT_EQ(EncodeOtlpTraceProtobuf(request, {{5, 0, 0}}), "");
}

}  // namespace
}  // namespace ck::collector::otlp
