#include "collector/service_graph.h"

#include <gtest/gtest.h>

namespace ck::collector {
namespace {

Span MakeSegment(const std::string& name, const std::string& id, const std::string& parent,
                 double start, double duration, int status) {
  Span span;
  span.kind = SpanKind::kSegment;
  span.trace_id = "1-5f84c7a1-0123456789abcdef01234567";
  span.id = id;
  span.segment_id = id;
  span.parent_id = parent;
  span.name = name;
  span.service = name;
  span.start_time = start;
  span.end_time = start + duration;
  span.http_status = status;
  span.error = status >= 400 && status < 500;
  span.throttle = status == 429;
  span.fault = status >= 500;
  return span;
}

Span MakeCall(const std::string& service, const std::string& callee, const std::string& ns,
              const std::string& id, double start, double duration, bool fault) {
  Span span;
  span.kind = SpanKind::kSubsegment;
  span.trace_id = "1-5f84c7a1-0123456789abcdef01234567";
  span.id = id;
  span.parent_id = "seg";
  span.segment_id = "seg";
  span.service = service;
  span.name = callee;
  span.namespace_name = ns;
  span.traced = ns == "remote";
  span.start_time = start;
  span.end_time = start + duration;
  span.fault = fault;
  return span;
}

// client -> public-site -> register-api -> DynamoDB (fault), register-api -> validate-api.
std::vector<Span> RegisterTrace(double at, bool fault) {
  return {MakeSegment("validate-api", "v1", "c2", at + 0.01, 0.002, 200),
          MakeSegment("register-api", "r1", "c1", at + 0.005, 0.05, fault ? 502 : 201),
          MakeCall("register-api", "validate-api", "remote", "c2", at + 0.01, 0.003, false),
          MakeCall("register-api", "DynamoDB", "aws", "c3", at + 0.02, 0.03, fault),
          MakeSegment("public-site", "p1", "", at, 0.06, fault ? 502 : 303),
          MakeCall("public-site", "register-api", "remote", "c1", at + 0.004, 0.052, fault)};
}

const GraphNode* Find(const GraphSnapshot& graph, const std::string& name) {
  for (const auto& [key, node] : graph.nodes) {
    if (node.name == name) return &node;
  }
  return nullptr;
}

TEST(ServiceGraphTest, BuildsExactlyTheExpectedNodesAndEdges) {
  ServiceGraph graph;
  for (const Span& span : RegisterTrace(1000, false)) graph.Add(span);
  for (const Span& span : RegisterTrace(1001, true)) graph.Add(span);
  GraphSnapshot snapshot = graph.Query(960, 1080);
  ASSERT_EQ(snapshot.nodes.size(), 5u);
  const GraphNode* client = Find(snapshot, "client");
  const GraphNode* site = Find(snapshot, "public-site");
  const GraphNode* reg = Find(snapshot, "register-api");
  const GraphNode* dynamodb = Find(snapshot, "DynamoDB");
  ASSERT_TRUE(client && site && reg && dynamodb && Find(snapshot, "validate-api"));
  EXPECT_EQ(dynamodb->type, "AWS::DynamoDB::Table");
  EXPECT_TRUE(dynamodb->inferred);
  EXPECT_EQ(client->edges.size(), 1u);
  EXPECT_EQ(site->edges.size(), 1u);
  EXPECT_EQ(reg->edges.size(), 2u);
  const GraphStats& to_dynamodb = reg->edges.at(NodeKey("DynamoDB", "AWS::DynamoDB::Table"));
  EXPECT_EQ(to_dynamodb.ok, 1u);
  EXPECT_EQ(to_dynamodb.fault, 1u);
  EXPECT_EQ(reg->Stats().fault, 1u);
  EXPECT_EQ(dynamodb->Stats().Total(), 2u);
  // The traced callee joins the node its own segments created (no duplicate "remote" node).
  EXPECT_TRUE(reg->edges.count(NodeKey("validate-api", "AWS::ECS::Container")));
}

TEST(ServiceGraphTest, WindowsSelectByTime) {
  ServiceGraph graph(60, 10);
  for (const Span& span : RegisterTrace(1000, false)) graph.Add(span);
  for (const Span& span : RegisterTrace(1300, true)) graph.Add(span);
  EXPECT_EQ(Find(graph.Query(960, 1020), "register-api")->Stats().fault, 0u);
  EXPECT_EQ(Find(graph.Query(1260, 1320), "register-api")->Stats().fault, 1u);
  EXPECT_EQ(Find(graph.Query(960, 1320), "register-api")->Stats().Total(), 2u);
  EXPECT_TRUE(graph.Query(2000, 3000).nodes.empty());
}

TEST(ServiceGraphTest, KeepsABoundedNumberOfWindows) {
  ServiceGraph graph(60, 3);
  for (int minute = 0; minute < 10; ++minute) {
    for (const Span& span : RegisterTrace(60.0 * minute, false)) graph.Add(span);
  }
  EXPECT_TRUE(graph.Query(0, 360).nodes.empty());
  EXPECT_FALSE(graph.Query(420, 600).nodes.empty());
}

TEST(ServiceGraphTest, HistogramQuantiles) {
  ResponseHistogram histogram;
  for (int i = 0; i < 99; ++i) histogram.Add(0.010);
  histogram.Add(2.0);
  EXPECT_NEAR(histogram.Quantile(0.5), 0.010, 0.003);
  EXPECT_NEAR(histogram.Quantile(0.995), 2.0, 0.5);
  EXPECT_EQ(histogram.Total(), 100u);
  EXPECT_EQ(ResponseHistogram().Quantile(0.5), 0);
}

TEST(ServiceGraphTest, RendersXRayShapes) {
  nlohmann::json json = GraphJson(ServiceGraph::FromSpans(RegisterTrace(1000, true)), 1000, 1060);
  ASSERT_EQ(json["Services"].size(), 5u);
  int with_fault_edge = 0;
  for (const auto& service : json["Services"]) {
    EXPECT_TRUE(service.contains("ReferenceId"));
    EXPECT_TRUE(service.contains("Edges"));
    for (const auto& edge : service["Edges"]) {
      EXPECT_TRUE(edge["SummaryStatistics"].contains("FaultStatistics"));
      if (edge["SummaryStatistics"]["FaultStatistics"]["TotalCount"] == 1) ++with_fault_edge;
    }
  }
  // client -> public-site, public-site -> register-api, register-api -> DynamoDB.
  EXPECT_EQ(with_fault_edge, 3);
}

}  // namespace
}  // namespace ck::collector
