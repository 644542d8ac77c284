// The collector as a whole: real UDP datagrams in, the X-Ray API over real HTTP out.
#include "collector/collector.h"

#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/post.hpp>
#include <filesystem>
#include <thread>

#include "collector/model/xray_document.h"
#include "collector/otlp/otlp_trace_protobuf.h"
#include "http/client.h"
#include "http/url.h"

namespace ck::collector {
namespace {

namespace asio = boost::asio;
using nlohmann::json;

constexpr const char* kTrace = "1-5f84c7a1-0123456789abcdef01234567";

double Now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

class CollectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() /
                 ("ck-collector-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(directory_);
    CollectorOptions options;
    options.data_dir = directory_.string();
    options.xray_port = 0;
    options.otlp_port = 0;
    auto started = Collector::Start(io_, options);
    ASSERT_TRUE(started.ok()) << started.status().message();
    collector_ = std::move(*started);
    thread_ = std::thread([this] { io_.run(); });
  }

  void TearDown() override {
    if (collector_) asio::post(io_, [this] { collector_->Shutdown(); });
    if (thread_.joinable()) thread_.join();
    collector_.reset();
    std::filesystem::remove_all(directory_);
  }

  void SendDatagram(const std::string& payload) {
    asio::io_context io;
    asio::ip::udp::socket socket(io, asio::ip::udp::v4());
    socket.send_to(asio::buffer(payload), collector_->udp_endpoint());
  }

  void SendSegment(const json& document) {
    SendDatagram(std::string(kDaemonHeader) + "\n" + document.dump());
  }

  // Waits until the collector has received `count` datagrams and stored what they held.
  void AwaitDatagrams(uint64_t count) {
    for (int i = 0; i < 500 && collector_->StatsJson()["datagrams_received"] < count; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    collector_->Flush();
  }

  std::pair<int, json> Call(const std::string& path, const json& body) {
    auto url = http::ParseUrl(
        "http://127.0.0.1:" + std::to_string(collector_->api_endpoint().port()) + path);
    EXPECT_TRUE(url.ok());
    http::HttpRequest request{http::Verb::post, url->target, 11};
    request.set(http::Field::content_type, "application/json");
    request.body() = body.dump();
    auto response = http::SendBlocking(*url, std::move(request));
    EXPECT_TRUE(response.ok()) << response.status().message();
    if (!response.ok()) return {0, json()};
    return {response->result_int(),
            json::parse(response->body(), nullptr, /*allow_exceptions=*/false)};
  }

  asio::io_context io_;
  std::unique_ptr<Collector> collector_;
  std::thread thread_;
  std::filesystem::path directory_;
};

json Segment(const std::string& name, const std::string& id, const std::string& parent,
             double start, int status, json subsegments = json::array()) {
  json document = {{"name", name},
                   {"id", id},
                   {"trace_id", kTrace},
                   {"start_time", start},
                   {"end_time", start + 0.05},
                   {"origin", "AWS::ECS::Container"},
                   {"http",
                    {{"request", {{"method", "POST"}, {"url", "http://" + name + "/"}}},
                     {"response", {{"status", status}}}}},
                   {"subsegments", subsegments}};
  if (!parent.empty()) document["parent_id"] = parent;
  if (status >= 500) document["fault"] = true;
  return document;
}

TEST_F(CollectorTest, AnswersTheXRayApiFromDatagrams) {
  const double at = Now() - 5;
  json dynamodb = {{"name", "DynamoDB"},
                   {"id", "3333333333333333"},
                   {"namespace", "aws"},
                   {"start_time", at + 0.01},
                   {"end_time", at + 0.02},
                   {"fault", true},
                   {"aws", {{"operation", "PutItem"}, {"table_name", "cuddlykube"}}},
                   {"cause",
                    {{"exceptions",
                      {{{"id", "4444444444444444"},
                        {"type", "TLSHandshakeError"},
                        {"message", "certificate verify failed"}}}}}}};
  json call = {
      {"name", "register-api"},
      {"id", "2222222222222222"},
      {"namespace", "remote"},
      {"start_time", at + 0.001},
      {"end_time", at + 0.03},
      {"fault", true},
      {"http",
       {{"request", {{"method", "POST"}, {"traced", true}}}, {"response", {{"status", 502}}}}}};
  SendSegment(Segment("register-api", "1111111111111111", "2222222222222222", at + 0.005, 502,
                      json::array({dynamodb})));
  SendSegment(Segment("public-site", "0000000000000001", "", at, 502, json::array({call})));
  SendDatagram("garbage without a header");
  AwaitDatagrams(3);
  json stats = collector_->StatsJson();
  EXPECT_EQ(stats["datagrams_rejected"], 1);
  EXPECT_EQ(stats["spans_stored"], 4);

  auto [status, graph] = Call("/ServiceGraph", {{"StartTime", at - 60}, {"EndTime", Now()}});
  ASSERT_EQ(status, 200) << graph.dump();
  std::set<std::string> names;
  for (const json& service : graph["Services"]) names.insert(service["Name"]);
  EXPECT_EQ(names, (std::set<std::string>{"client", "public-site", "register-api", "DynamoDB"}));

  auto [summaries_status, summaries] =
      Call("/TraceSummaries",
           {{"StartTime", at - 60}, {"EndTime", Now()}, {"FilterExpression", "fault = true"}});
  ASSERT_EQ(summaries_status, 200) << summaries.dump();
  ASSERT_EQ(summaries["TraceSummaries"].size(), 1u);
  EXPECT_EQ(summaries["TraceSummaries"][0]["Id"], kTrace);

  auto [none_status, none] = Call(
      "/TraceSummaries", {{"StartTime", at - 60}, {"EndTime", Now()}, {"FilterExpression", "ok"}});
  ASSERT_EQ(none_status, 200);
  EXPECT_TRUE(none["TraceSummaries"].empty());

  auto [bad_status, bad] =
      Call("/TraceSummaries",
           {{"StartTime", at - 60}, {"EndTime", Now()}, {"FilterExpression", "responsetime >"}});
  EXPECT_EQ(bad_status, 400);
  EXPECT_FALSE(bad.value("Message", "").empty());

  auto [traces_status, traces] = Call("/Traces", {{"TraceIds", {kTrace}}});
  ASSERT_EQ(traces_status, 200);
  ASSERT_EQ(traces["Traces"].size(), 1u);
  ASSERT_EQ(traces["Traces"][0]["Segments"].size(), 2u);
  bool found_cause = false;
  for (const json& segment : traces["Traces"][0]["Segments"]) {
    found_cause |= segment["Document"].get<std::string>().find("certificate verify failed") !=
                   std::string::npos;
  }
  EXPECT_TRUE(found_cause);
}

// OTLP spans are stored one row per trace and request, and read back with their metadata.
TEST_F(CollectorTest, AnswersTheXRayApiFromOtlpSpans) {
  const uint64_t at_ns = static_cast<uint64_t>((Now() - 5) * 1e9);
  otlp::OtlpTraceRequest request;
  otlp::OtlpResourceSpans& resource = request.resource_spans.emplace_back();
  resource.resource_attributes = {{"service.name", "list-api"}};
  otlp::OtlpScopeSpans& scope = resource.scope_spans.emplace_back();
  for (const char* trace :
       {"5f84c7a10123456789abcdef01234567", "5f84c7a10123456789abcdef01234568"}) {
    otlp::OtlpSpan server;
    server.trace_id = trace;
    server.span_id = std::string("a") + trace[31] + "00000000000001";
    server.name = "GET /list";
    server.kind = otlp::kOtlpSpanKindServer;
    server.start_time_unix_nano = at_ns;
    server.end_time_unix_nano = at_ns + 20'000'000;
    server.attributes = {{"http.response.status_code", 200}, {"ck.note", "kept"}};
    otlp::OtlpSpan query = server;
    query.span_id = std::string("b") + trace[31] + "00000000000002";
    query.parent_span_id = server.span_id;
    query.name = "DynamoDB.Query";
    query.kind = otlp::kOtlpSpanKindClient;
    query.attributes = {{"db.system", "dynamodb"}};
    scope.spans.push_back(server);
    scope.spans.push_back(query);
  }
  auto url = http::ParseUrl(
      "http://127.0.0.1:" + std::to_string(collector_->otlp_endpoint()->port()) + "/v1/traces");
  ASSERT_TRUE(url.ok());
  http::HttpRequest post{http::Verb::post, url->target, 11};
  post.set(http::Field::content_type, "application/x-protobuf");
  post.body() = otlp::EncodeOtlpTraceProtobuf(request);
  auto response = http::SendBlocking(*url, std::move(post));
  ASSERT_TRUE(response.ok()) << response.status().message();
  ASSERT_EQ(response->result_int(), 200) << response->body();
  collector_->Flush();
  json stats = collector_->StatsJson();
  EXPECT_EQ(stats["spans_stored"], 4);
  EXPECT_EQ(stats["store"]["spans_stored"], 4);

  auto [status, traces] = Call("/Traces", {{"TraceIds", {"1-5f84c7a1-0123456789abcdef01234567"}}});
  ASSERT_EQ(status, 200) << traces.dump();
  ASSERT_EQ(traces["Traces"].size(), 1u);
  ASSERT_EQ(traces["Traces"][0]["Segments"].size(), 1u);
  json document = json::parse(traces["Traces"][0]["Segments"][0]["Document"].get<std::string>());
  EXPECT_EQ(document["name"], "list-api");
  EXPECT_EQ(document["metadata"]["otel"]["ck.note"], "kept");
  ASSERT_EQ(document["subsegments"].size(), 1u);
  EXPECT_EQ(document["subsegments"][0]["name"], "DynamoDB");

  auto [graph_status, graph] =
      Call("/ServiceGraph", {{"StartTime", Now() - 60}, {"EndTime", Now()}});
  ASSERT_EQ(graph_status, 200);
  std::set<std::string> names;
  for (const json& service : graph["Services"]) names.insert(service["Name"]);
  EXPECT_EQ(names, (std::set<std::string>{"client", "list-api", "DynamoDB"}));
}

TEST_F(CollectorTest, ServesSamplingRulesAndTargets) {
  auto [status, rules] = Call("/GetSamplingRules", json::object());
  ASSERT_EQ(status, 200);
  ASSERT_GE(rules["SamplingRuleRecords"].size(), 2u);
  std::string rule_name = rules["SamplingRuleRecords"][0]["SamplingRule"]["RuleName"];
  auto [targets_status, targets] = Call("/SamplingTargets", {{"SamplingStatisticsDocuments",
                                                              {{{"RuleName", rule_name},
                                                                {"ClientID", "abc"},
                                                                {"RequestCount", 3},
                                                                {"SampledCount", 1},
                                                                {"BorrowCount", 0},
                                                                {"Timestamp", Now()}}}}});
  ASSERT_EQ(targets_status, 200) << targets.dump();
  ASSERT_EQ(targets["SamplingTargetDocuments"].size(), 1u);
  EXPECT_EQ(targets["SamplingTargetDocuments"][0]["RuleName"], rule_name);
}

TEST_F(CollectorTest, GroupsFilterTheGraph) {
  auto [created, group] =
      Call("/CreateGroup", {{"GroupName", "faults"}, {"FilterExpression", "fault"}});
  ASSERT_EQ(created, 200) << group.dump();
  auto [duplicate, error] =
      Call("/CreateGroup", {{"GroupName", "faults"}, {"FilterExpression", "fault"}});
  EXPECT_EQ(duplicate, 400);
  auto [bad, bad_error] =
      Call("/CreateGroup", {{"GroupName", "broken"}, {"FilterExpression", "service("}});
  EXPECT_EQ(bad, 400);
  auto [listed, groups] = Call("/Groups", json::object());
  ASSERT_EQ(listed, 200);
  EXPECT_EQ(groups["Groups"].size(), 2u);  // Default and faults

  const double at = Now() - 5;
  SendSegment(Segment("list-api", "0000000000000002", "", at, 200));
  AwaitDatagrams(1);
  auto [status, graph] =
      Call("/ServiceGraph", {{"StartTime", at - 60}, {"EndTime", Now()}, {"GroupName", "faults"}});
  ASSERT_EQ(status, 200) << graph.dump();
  EXPECT_TRUE(graph["Services"].empty());
  auto [all_status, all] = Call("/ServiceGraph", {{"StartTime", at - 60}, {"EndTime", Now()}});
  EXPECT_EQ(all["Services"].size(), 2u);  // client and list-api
}

TEST_F(CollectorTest, RejectsBadRequestsInXRayShape) {
  auto [status, error] = Call("/TraceSummaries", {{"StartTime", "yesterday"}});
  EXPECT_EQ(status, 400);
  EXPECT_NE(error.value("Message", ""), "");
  // Mistyped fields are the caller's error, never a crash of the query thread.
  for (const json& body :
       {json{{"GroupName", 5}}, json{{"GroupName", "g"}, {"FilterExpression", 7}},
        json{{"SamplingStatisticsDocuments", {{{"RuleName", 1}, {"ClientID", 2}}}}}}) {
    for (const char* path : {"/CreateGroup", "/GetGroup", "/SamplingTargets"}) {
      auto [typed, typed_error] = Call(path, body);
      EXPECT_GE(typed, 400) << path << " " << body.dump();
      EXPECT_LT(typed, 500) << path << " " << body.dump();
    }
  }
  auto [still, still_rules] = Call("/GetSamplingRules", json::object());
  EXPECT_EQ(still, 200);
  auto [unknown, unknown_error] = Call("/Nope", json::object());
  EXPECT_EQ(unknown, 404);
  auto [too_many, too_many_error] =
      Call("/Traces", {{"TraceIds", {kTrace, kTrace, kTrace, kTrace, kTrace, kTrace}}});
  EXPECT_EQ(too_many, 400);
}

}  // namespace
}  // namespace ck::collector
