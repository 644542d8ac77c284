#include "collector/query/trace_summary.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "collector/query/test_traces.h"

namespace ck::collector {
namespace {

using nlohmann::json;
using test_traces::MakeSegment;
using test_traces::MakeSubsegment;
using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

const ServiceId kPublicSite{"public-site", "AWS::ECS::Container"};
const ServiceId kRegisterApi{"register-api", "AWS::ECS::Container"};
const ServiceId kDynamoDb{"DynamoDB", "AWS::DynamoDB::Table"};
const ServiceId kClient{"client", "client"};

std::vector<std::pair<ServiceId, ServiceId>> EdgePairs(const TraceSummary& summary) {
  std::vector<std::pair<ServiceId, ServiceId>> pairs;
  for (const TraceEdge& edge : summary.edges) pairs.emplace_back(edge.source, edge.target);
  return pairs;
}

const TraceEdge* FindEdge(const TraceSummary& summary, std::string_view source,
                          std::string_view target) {
  for (const TraceEdge& edge : summary.edges) {
    if (edge.source.name == source && edge.target.name == target) return &edge;
  }
  return nullptr;
}

TEST(TraceSummaryTest, RegistrationWithTlsFault) {
  TraceSummary summary = SummarizeTrace(test_traces::RegistrationWithTlsFault());
  EXPECT_EQ(summary.id, test_traces::kRegistrationTraceId);
  EXPECT_DOUBLE_EQ(summary.start_time, 1000.0);
  EXPECT_NEAR(summary.duration, 0.25, 1e-9);
  EXPECT_NEAR(summary.response_time, 0.25, 1e-9);
  EXPECT_TRUE(summary.has_fault);
  EXPECT_FALSE(summary.has_error);
  EXPECT_FALSE(summary.has_throttle);
  EXPECT_FALSE(summary.is_partial);
  EXPECT_EQ(summary.http.url, "http://localhost:8080/register");
  EXPECT_EQ(summary.http.status, 500);
  EXPECT_EQ(summary.http.method, "POST");
  EXPECT_EQ(summary.http.user_agent, "Mozilla/5.0 (X11; Linux x86_64)");
  EXPECT_EQ(summary.http.client_ip, "203.0.113.7");
  ASSERT_TRUE(summary.entry_point.has_value());
  EXPECT_EQ(*summary.entry_point, kPublicSite);
  EXPECT_THAT(summary.service_ids, ElementsAre(kDynamoDb, kPublicSite, kRegisterApi));

  EXPECT_THAT(EdgePairs(summary), UnorderedElementsAre(std::pair(kClient, kPublicSite),
                                                       std::pair(kPublicSite, kRegisterApi),
                                                       std::pair(kRegisterApi, kDynamoDb)));
  const TraceEdge* db_edge = FindEdge(summary, "register-api", "DynamoDB");
  ASSERT_NE(db_edge, nullptr);
  EXPECT_TRUE(db_edge->facts.fault);
  EXPECT_TRUE(db_edge->facts.inferred);
  EXPECT_FALSE(db_edge->facts.ok);
  EXPECT_NEAR(db_edge->facts.response_time, 0.19, 1e-9);
  const TraceEdge* api_edge = FindEdge(summary, "public-site", "register-api");
  ASSERT_NE(api_edge, nullptr);
  EXPECT_EQ(api_edge->facts.http.status, 500);
  EXPECT_EQ(api_edge->facts.http.url, "http://register-api.cuddle-kube.local/register");

  ASSERT_EQ(summary.fault_root_causes.size(), 1u);
  const RootCause& cause = summary.fault_root_causes[0];
  EXPECT_TRUE(cause.client_impacting);
  ASSERT_EQ(cause.services.size(), 1u);
  EXPECT_EQ(cause.services[0].id, kRegisterApi);
  EXPECT_FALSE(cause.services[0].inferred);
  const auto& path = cause.services[0].entity_path;
  ASSERT_EQ(path.size(), 2u);
  EXPECT_EQ(path[0].name, "register-api");
  EXPECT_FALSE(path[0].remote);
  EXPECT_TRUE(path[0].exceptions.empty());
  EXPECT_EQ(path[1].name, "DynamoDB");
  EXPECT_TRUE(path[1].remote);
  ASSERT_EQ(path[1].exceptions.size(), 1u);
  EXPECT_EQ(path[1].exceptions[0].name, "TLSError");
  EXPECT_THAT(path[1].exceptions[0].message, ::testing::HasSubstr("certificate verify failed"));
  EXPECT_TRUE(summary.error_root_causes.empty());
}

TEST(TraceSummaryTest, NodesCarryTheirOwnAndTheirSubsegmentsAnnotations) {
  TraceSummary summary = SummarizeTrace(test_traces::RegistrationWithTlsFault());
  const TraceNode* api = nullptr;
  const TraceNode* db = nullptr;
  for (const TraceNode& node : summary.nodes) {
    if (node.id == kRegisterApi) api = &node;
    if (node.id == kDynamoDb) db = &node;
  }
  ASSERT_NE(api, nullptr);
  ASSERT_NE(db, nullptr);
  EXPECT_FALSE(api->inferred);
  EXPECT_TRUE(db->inferred);
  std::vector<std::string> keys;
  for (const auto& [key, value] : api->facts.annotations) keys.push_back(key);
  EXPECT_THAT(keys, UnorderedElementsAre("version", "attempt", "table"));
  EXPECT_TRUE(summary.facts.inferred);
  EXPECT_TRUE(summary.facts.fault);
  EXPECT_FALSE(summary.facts.ok);
}

TEST(TraceSummaryTest, OrderOfSpansDoesNotMatter) {
  std::vector<Span> spans = test_traces::ListResidents();
  json expected = TraceSummaryToJson(SummarizeTrace(spans));
  std::reverse(spans.begin(), spans.end());
  EXPECT_EQ(TraceSummaryToJson(SummarizeTrace(spans)), expected);
  std::rotate(spans.begin(), spans.begin() + 2, spans.end());
  EXPECT_EQ(TraceSummaryToJson(SummarizeTrace(spans)), expected);
}

TEST(TraceSummaryTest, JsonUsesXRayFieldNames) {
  json out = TraceSummaryToJson(SummarizeTrace(test_traces::RegistrationWithTlsFault()));
  EXPECT_EQ(out["Id"], test_traces::kRegistrationTraceId);
  EXPECT_EQ(out["Duration"], 0.25);
  EXPECT_EQ(out["ResponseTime"], 0.25);
  EXPECT_EQ(out["StartTime"], 1000.0);
  EXPECT_EQ(out["HasFault"], true);
  EXPECT_EQ(out["HasError"], false);
  EXPECT_EQ(out["HasThrottle"], false);
  EXPECT_EQ(out["IsPartial"], false);
  EXPECT_EQ(out["Http"], json::parse(R"J({
      "HttpURL": "http://localhost:8080/register", "HttpStatus": 500, "HttpMethod": "POST",
      "UserAgent": "Mozilla/5.0 (X11; Linux x86_64)", "ClientIp": "203.0.113.7"})J"));
  EXPECT_EQ(out["EntryPoint"], json::parse(R"J({
      "Name": "public-site", "Names": ["public-site"], "Type": "AWS::ECS::Container"})J"));
  EXPECT_EQ(out["ServiceIds"].size(), 3u);
  EXPECT_EQ(out["ServiceIds"][0], json::parse(R"J({
      "Name": "DynamoDB", "Names": ["DynamoDB"], "Type": "AWS::DynamoDB::Table"})J"));
  EXPECT_EQ(out["Annotations"]["version"], json::parse(R"J([{
      "AnnotationValue": {"StringValue": "v2"},
      "ServiceIds": [{"Name": "register-api", "Names": ["register-api"],
                      "Type": "AWS::ECS::Container"}]}])J"));
  EXPECT_EQ(out["Annotations"]["attempt"][0]["AnnotationValue"],
            json::parse(R"J({"NumberValue": 1.0})J"));
  EXPECT_EQ(out["FaultRootCauses"], json::parse(R"J([{
      "ClientImpacting": true,
      "Services": [{
        "Name": "register-api", "Names": ["register-api"], "Type": "AWS::ECS::Container",
        "Inferred": false,
        "EntityPath": [
          {"Name": "register-api", "Exceptions": [], "Remote": false},
          {"Name": "DynamoDB", "Remote": true, "Exceptions": [
            {"Name": "TLSError",
             "Message": "certificate verify failed: unable to get local issuer certificate"}]}
        ]}]}])J"));
  EXPECT_EQ(out["ErrorRootCauses"], json::array());
  ASSERT_EQ(out["ResponseTimeRootCauses"].size(), 1u);
  const json& slow = out["ResponseTimeRootCauses"][0]["Services"][0];
  EXPECT_EQ(slow["Name"], "register-api");
  EXPECT_EQ(slow["EntityPath"].back()["Name"], "DynamoDB");
  EXPECT_TRUE(slow["EntityPath"].back().contains("Coverage"));
  EXPECT_FALSE(slow["EntityPath"].back().contains("Exceptions"));
}

TEST(TraceSummaryTest, BooleanAnnotationsAndAbsentHttpFields) {
  json out = TraceSummaryToJson(SummarizeTrace(test_traces::ListResidents()));
  EXPECT_EQ(out["Annotations"]["cache_hit"][0]["AnnotationValue"],
            json::parse(R"J({"BooleanValue": false})J"));
  EXPECT_EQ(out["Annotations"]["load"][0]["AnnotationValue"],
            json::parse(R"J({"NumberValue": 0.75})J"));
  EXPECT_EQ(out["FaultRootCauses"], json::array());
  EXPECT_FALSE(out.contains("Users"));

  std::vector<Span> spans = {MakeSegment("1-5f84c7a1-000000000000000000000001", "feed-api",
                                         "7000000000000001", "", 10, 11)};
  json bare = TraceSummaryToJson(SummarizeTrace(spans));
  EXPECT_EQ(bare["Http"], json::object());
}

TEST(TraceSummaryTest, SameAnnotationValueFromTwoServicesIsGrouped) {
  std::vector<Span> spans = test_traces::RegistrationWithTlsFault();
  spans[0].annotations["version"] = std::string("v2");  // public-site too
  spans[3].annotations["version"] = std::string("v3");  // a subsegment of register-api
  TraceSummary summary = SummarizeTrace(spans);
  const auto& values = summary.annotations.at("version");
  ASSERT_EQ(values.size(), 2u);
  const auto& v2 = values[0].value == AnnotationValue(std::string("v2")) ? values[0] : values[1];
  const auto& v3 = values[0].value == AnnotationValue(std::string("v3")) ? values[0] : values[1];
  EXPECT_THAT(v2.service_ids, UnorderedElementsAre(kPublicSite, kRegisterApi));
  EXPECT_THAT(v3.service_ids, ElementsAre(kRegisterApi));
}

TEST(TraceSummaryTest, ThrottledOrderHasErrorRootCauseAtTheDatastore) {
  TraceSummary summary = SummarizeTrace(test_traces::ThrottledOrder());
  EXPECT_TRUE(summary.has_error);
  EXPECT_TRUE(summary.has_throttle);
  EXPECT_FALSE(summary.has_fault);
  EXPECT_TRUE(summary.facts.throttle);
  EXPECT_TRUE(summary.facts.error);
  ASSERT_EQ(summary.error_root_causes.size(), 1u);
  const RootCauseService& service = summary.error_root_causes[0].services[0];
  EXPECT_EQ(service.id.name, "order-api");
  ASSERT_EQ(service.entity_path.size(), 2u);
  EXPECT_EQ(service.entity_path[1].name, "DynamoDB");
  EXPECT_EQ(service.entity_path[1].exceptions[0].name, "ProvisionedThroughputExceededException");
  EXPECT_TRUE(summary.error_root_causes[0].client_impacting);
}

TEST(TraceSummaryTest, ResponseTimeRootCauseFollowsTheSlowestChain) {
  TraceSummary summary = SummarizeTrace(test_traces::ListResidents());
  ASSERT_EQ(summary.response_time_root_causes.size(), 1u);
  const RootCauseService& service = summary.response_time_root_causes[0].services[0];
  EXPECT_EQ(service.id.name, "list-api");
  ASSERT_EQ(service.entity_path.size(), 2u);
  EXPECT_EQ(service.entity_path[0].name, "list-api");
  EXPECT_NEAR(service.entity_path[0].coverage, 0.045 / 0.08, 1e-6);
  EXPECT_EQ(service.entity_path[1].name, "DynamoDB");  // slower than "render"
  EXPECT_NEAR(service.entity_path[1].coverage, 0.03 / 0.08, 1e-6);
  EXPECT_TRUE(service.entity_path[1].remote);
}

TEST(TraceSummaryTest, InProgressSpanMakesTracePartial) {
  std::vector<Span> spans = test_traces::ListResidents();
  spans[4].in_progress = true;
  spans[4].end_time = 0;
  TraceSummary summary = SummarizeTrace(spans);
  EXPECT_TRUE(summary.is_partial);
  EXPECT_TRUE(summary.facts.partial);
  EXPECT_NEAR(summary.duration, 0.08, 1e-9);
}

TEST(TraceSummaryTest, CompletedDocumentReplacesInProgressOne) {
  std::vector<Span> spans = test_traces::ListResidents();
  Span in_progress = spans[2];
  in_progress.in_progress = true;
  in_progress.end_time = 0;
  in_progress.http_status = 0;
  spans.insert(spans.begin(), in_progress);
  TraceSummary summary = SummarizeTrace(spans);
  EXPECT_FALSE(summary.is_partial);
  int list_api_nodes = 0;
  for (const TraceNode& node : summary.nodes) list_api_nodes += node.id.name == "list-api";
  EXPECT_EQ(list_api_nodes, 1);
}

TEST(TraceSummaryTest, MissingParentMakesTracePartialAndEarliestSegmentIsRoot) {
  std::vector<Span> spans = test_traces::RegistrationWithTlsFault();
  spans.erase(spans.begin(), spans.begin() + 2);  // public-site never arrived
  TraceSummary summary = SummarizeTrace(spans);
  EXPECT_TRUE(summary.is_partial);
  ASSERT_TRUE(summary.entry_point.has_value());
  EXPECT_EQ(*summary.entry_point, kRegisterApi);
  EXPECT_NEAR(summary.response_time, 0.21, 1e-9);
  EXPECT_EQ(summary.http.url, "http://register-api.cuddle-kube.local/register");
  EXPECT_NE(FindEdge(summary, "client", "register-api"), nullptr);
}

TEST(TraceSummaryTest, OrphanSubsegmentsOnly) {
  std::vector<Span> spans = test_traces::RegistrationWithTlsFault();
  std::vector<Span> orphans = {spans[3]};
  TraceSummary summary = SummarizeTrace(orphans);
  EXPECT_TRUE(summary.is_partial);
  EXPECT_FALSE(summary.entry_point.has_value());
  EXPECT_EQ(summary.response_time, 0);
  EXPECT_THAT(EdgePairs(summary), ElementsAre(std::pair(kRegisterApi, kDynamoDb)));
  ASSERT_EQ(summary.fault_root_causes.size(), 1u);
  EXPECT_FALSE(summary.fault_root_causes[0].client_impacting);
  EXPECT_EQ(summary.fault_root_causes[0].services[0].entity_path.size(), 1u);
}

TEST(TraceSummaryTest, UntracedRemoteCallBecomesInferredRemoteNode) {
  Span site = MakeSegment("1-5f84c7a1-000000000000000000000002", "happiness-api",
                          "8000000000000001", "", 50, 51);
  Span call = MakeSubsegment(site, "api.quotable.io", "remote", "9000000000000001", 50.1, 50.9);
  call.http_status = 503;
  call.fault = true;
  TraceSummary summary = SummarizeTrace(std::vector<Span>{site, call});
  EXPECT_THAT(summary.service_ids, ElementsAre(ServiceId{"api.quotable.io", "remote"},
                                               ServiceId{"happiness-api", "AWS::ECS::Container"}));
  EXPECT_FALSE(summary.has_fault);  // X-Ray's HasFault is the root segment's, which answered fine
  EXPECT_FALSE(summary.facts.fault);
  EXPECT_TRUE(summary.facts.ok);
  ASSERT_EQ(summary.fault_root_causes.size(), 1u);
  EXPECT_FALSE(summary.fault_root_causes[0].client_impacting);
  EXPECT_TRUE(summary.fault_root_causes[0].services[0].entity_path.back().remote);
}

TEST(TraceSummaryTest, SegmentParentedDirectlyByAnotherServiceAddsEdge) {
  Span gateway =
      MakeSegment("1-5f84c7a1-000000000000000000000003", "gateway", "a000000000000001", "", 1, 2);
  Span site =
      MakeSegment(gateway.trace_id, "public-site", "a000000000000002", gateway.id, 1.1, 1.9);
  Span again = MakeSegment(gateway.trace_id, "public-site", "a000000000000003", site.id, 1.2, 1.3);
  TraceSummary summary = SummarizeTrace(std::vector<Span>{gateway, site, again});
  EXPECT_THAT(
      EdgePairs(summary),
      UnorderedElementsAre(std::pair(kClient, ServiceId{"gateway", "AWS::ECS::Container"}),
                           std::pair(ServiceId{"gateway", "AWS::ECS::Container"}, kPublicSite)));
  EXPECT_FALSE(summary.is_partial);
}

TEST(TraceSummaryTest, CyclicParentsTerminate) {
  Span a = MakeSegment("1-5f84c7a1-000000000000000000000004", "a", "b000000000000001",
                       "b000000000000002", 1, 2);
  Span b = MakeSegment(a.trace_id, "b", "b000000000000002", "b000000000000001", 1, 3);
  Span self = MakeSubsegment(a, "self", "remote", "b000000000000003", 1, 2);
  self.parent_id = self.id;
  self.segment_id = self.id;
  self.fault = true;
  a.fault = true;
  b.fault = true;
  TraceSummary summary = SummarizeTrace(std::vector<Span>{a, b, self});
  EXPECT_TRUE(summary.is_partial);
  ASSERT_TRUE(summary.entry_point.has_value());
  EXPECT_EQ(summary.entry_point->name, "a");
  EXPECT_FALSE(summary.fault_root_causes.empty());
}

TEST(TraceSummaryTest, EmptyTrace) {
  TraceSummary summary = SummarizeTrace(std::vector<Span>{});
  EXPECT_TRUE(summary.id.empty());
  EXPECT_FALSE(summary.is_partial);
  EXPECT_TRUE(summary.nodes.empty());
  EXPECT_TRUE(summary.edges.empty());
  json out = TraceSummaryToJson(summary);
  EXPECT_FALSE(out.contains("EntryPoint"));
  EXPECT_EQ(out["ServiceIds"], json::array());
}

}  // namespace
}  // namespace ck::collector
