#include "cli/verbs/trace_render.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

#include "cli/verbs/terminal_text.h"
#include "collector/service_graph.h"

namespace ck::cli {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr double kWindowStart = 1700000000;  // 2023-11-14 22:13:20 UTC
constexpr double kWindowEnd = kWindowStart + 300;

RenderOptions Plain() { return RenderOptions{.color = false, .utc = true}; }

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) lines.push_back(line);
  return lines;
}

// The line containing `needle`, or "" (and a test failure) when none does.
std::string LineWith(const std::string& text, const std::string& needle) {
  for (const std::string& line : Lines(text)) {
    if (line.find(needle) != std::string::npos) return line;
  }
  ADD_FAILURE() << "no line contains '" << needle << "' in:\n" << text;
  return "";
}

bool IsAscii(const std::string& text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

json Summary(uint64_t ok, uint64_t errors, uint64_t throttles, uint64_t faults) {
  return {
      {"OkCount", ok},
      {"ErrorStatistics",
       {{"ThrottleCount", throttles}, {"OtherCount", errors}, {"TotalCount", errors + throttles}}},
      {"FaultStatistics", {{"OtherCount", faults}, {"TotalCount", faults}}},
      {"TotalCount", ok + errors + throttles + faults},
      {"TotalResponseTime", 1.0}};
}

json Histogram(std::vector<std::pair<double, int>> buckets) {
  json out = json::array();
  for (const auto& [value, count] : buckets) out.push_back({{"Value", value}, {"Count", count}});
  return out;
}

json Edge(int reference, json summary, json histogram) {
  return {{"ReferenceId", reference},
          {"StartTime", kWindowStart},
          {"EndTime", kWindowEnd},
          {"SummaryStatistics", std::move(summary)},
          {"ResponseTimeHistogram", std::move(histogram)},
          {"Aliases", json::array()}};
}

json Service(int reference, const std::string& name, const std::string& type, bool root,
             json summary, json histogram, json edges) {
  return {{"ReferenceId", reference},
          {"Name", name},
          {"Names", json::array({name})},
          {"Type", type},
          {"State", "active"},
          {"Root", root},
          {"SummaryStatistics", std::move(summary)},
          {"ResponseTimeHistogram", histogram},
          {"DurationHistogram", histogram},
          {"Edges", std::move(edges)}};
}

// client -> public-site -> register-api -> DynamoDB over 5 minutes, in the collector's order
// (by node key: DynamoDB, public-site, register-api, client); 2 of the 10 DynamoDB calls fault.
json RegisterGraph() {
  json client = {
      {"ReferenceId", 3},
      {"Name", "client"},
      {"Type", "client"},
      {"Root", true},
      {"State", "unknown"},
      {"Edges", json::array({Edge(1, Summary(30, 0, 0, 0), Histogram({{0.01, 20}, {0.05, 10}}))})}};
  return {
      {"Services",
       {Service(0, "DynamoDB", "AWS::DynamoDB::Table", false, Summary(8, 0, 0, 2),
                Histogram({{0.004, 8}, {0.02, 2}}), json::array()),
        Service(1, "public-site", "AWS::ECS::Container", true, Summary(30, 0, 0, 0),
                Histogram({{0.05, 9}, {0.5, 1}, {0.01, 20}}),
                json::array({Edge(2, Summary(6, 1, 1, 2), Histogram({{0.03, 10}}))})),
        Service(2, "register-api", "AWS::ECS::Container", false, Summary(6, 1, 1, 2),
                Histogram({{0.03, 10}}),
                json::array({Edge(0, Summary(8, 0, 0, 2), Histogram({{0.004, 8}, {0.02, 2}}))})),
        client}},
      {"StartTime", kWindowStart},
      {"EndTime", kWindowEnd},
      {"ContainsOldGroupVersions", false}};
}

TEST(HistogramQuantileTest, NearestRankOverBucketsInAnyOrder) {
  json histogram = Histogram({{0.5, 1}, {0.01, 20}, {0.05, 9}});
  EXPECT_EQ(HistogramQuantile(histogram, 0.5), 0.01);  // rank 15 of 30
  EXPECT_EQ(HistogramQuantile(histogram, 0.7), 0.05);  // rank 21
  EXPECT_EQ(HistogramQuantile(histogram, 0.99), 0.5);  // rank 30
  EXPECT_EQ(HistogramQuantile(histogram, 0.0), 0.01);
  EXPECT_EQ(HistogramQuantile(histogram, 1.0), 0.5);
}

TEST(HistogramQuantileTest, EmptyOrMalformedHasNoQuantile) {
  EXPECT_EQ(HistogramQuantile(json::array(), 0.5), std::nullopt);
  EXPECT_EQ(HistogramQuantile(json::object(), 0.5), std::nullopt);
  EXPECT_EQ(HistogramQuantile(json::parse(R"([{"Value": "x", "Count": 3}, {"Count": 2}])"), 0.5),
            std::nullopt);
  // Buckets without a usable count are skipped, the rest still count.
  EXPECT_EQ(HistogramQuantile(
                json::parse(R"([{"Value": 1, "Count": -4}, {"Value": 2, "Count": 1}])"), 0.5),
            2.0);
}

TEST(HistogramQuantileTest, AgreesWithTheCollectorsHistogram) {
  collector::ResponseHistogram histogram;
  for (int i = 1; i <= 200; ++i) histogram.Add(0.0005 * i * (i % 7 + 1));
  const json buckets = histogram.ToJson();
  for (double q : {0.01, 0.25, 0.5, 0.9, 0.99, 1.0}) {
    ASSERT_TRUE(HistogramQuantile(buckets, q).has_value());
    EXPECT_DOUBLE_EQ(*HistogramQuantile(buckets, q), histogram.Quantile(q)) << "q=" << q;
  }
}

TEST(ServiceMapTest, RowsFollowTheRequestFlow) {
  auto rows = ServiceMapRows(RegisterGraph());
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  std::vector<std::string> names;
  for (const ServiceMapRow& row : *rows) names.push_back(row.name);
  EXPECT_THAT(names, ElementsAre("client", "public-site", "register-api", "DynamoDB",
                                 "client -> public-site", "public-site -> register-api",
                                 "register-api -> DynamoDB"));
  EXPECT_TRUE((*rows)[0].is_client);
  EXPECT_FALSE((*rows)[0].has_stats);
  EXPECT_TRUE((*rows)[6].is_edge);
  EXPECT_EQ((*rows)[6].type, "AWS::DynamoDB::Table");
}

TEST(ServiceMapTest, RatesSharesAndQuantiles) {
  auto rows = ServiceMapRows(RegisterGraph());
  ASSERT_TRUE(rows.ok());
  const ServiceMapRow& site = (*rows)[1];
  EXPECT_EQ(site.total, 30u);
  ASSERT_TRUE(site.requests_per_minute.has_value());
  EXPECT_DOUBLE_EQ(*site.requests_per_minute, 6.0);  // 30 requests in 5 minutes
  EXPECT_EQ(site.p50, 0.01);
  EXPECT_EQ(site.p99, 0.5);
  const ServiceMapRow& register_api = (*rows)[2];
  EXPECT_EQ(register_api.ok, 6u);
  EXPECT_EQ(register_api.errors, 1u);
  EXPECT_EQ(register_api.throttles, 1u);
  EXPECT_EQ(register_api.faults, 2u);
  const ServiceMapRow& dynamodb_edge = (*rows)[6];
  EXPECT_EQ(dynamodb_edge.faults, 2u);
  EXPECT_EQ(dynamodb_edge.p99, 0.02);
}

TEST(ServiceMapTest, BreadthFirstFromSeveralRootsAndCycles) {
  // A worker root besides the site, a cycle a <-> b reachable from nobody, callees sorted by name.
  json graph = {
      {"StartTime", kWindowStart},
      {"EndTime", kWindowEnd},
      {"Services",
       {Service(0, "zeta-api", "AWS::ECS::Container", false, Summary(1, 0, 0, 0), json::array(),
                json::array()),
        Service(1, "site", "AWS::ECS::Container", true, Summary(1, 0, 0, 0), json::array(),
                {Edge(0, Summary(1, 0, 0, 0), json::array()),
                 Edge(2, Summary(1, 0, 0, 0), json::array())}),
        Service(2, "alpha-api", "AWS::ECS::Container", false, Summary(1, 0, 0, 0), json::array(),
                json::array({Edge(0, Summary(1, 0, 0, 0), json::array())})),
        Service(3, "worker", "AWS::ECS::Container", true, Summary(1, 0, 0, 0), json::array(),
                json::array()),
        Service(4, "b", "AWS::ECS::Container", false, Summary(1, 0, 0, 0), json::array(),
                json::array({Edge(5, Summary(1, 0, 0, 0), json::array())})),
        Service(5, "a", "AWS::ECS::Container", false, Summary(1, 0, 0, 0), json::array(),
                json::array({Edge(4, Summary(1, 0, 0, 0), json::array())}))}}};
  auto rows = ServiceMapRows(graph);
  ASSERT_TRUE(rows.ok());
  std::vector<std::string> names;
  for (const ServiceMapRow& row : *rows) names.push_back(row.name);
  EXPECT_THAT(names,
              ElementsAre("site", "alpha-api", "zeta-api", "worker", "a", "b", "site -> alpha-api",
                          "site -> zeta-api", "alpha-api -> zeta-api", "a -> b", "b -> a"));
}

TEST(ServiceMapTest, RendersAlignedTableWithFaultMarkers) {
  auto text = RenderServiceMap(RegisterGraph(), Plain());
  ASSERT_TRUE(text.ok()) << text.status().message();
  EXPECT_THAT(*text, HasSubstr("Service map 22:13:20 - 22:18:20 (5m): 4 nodes, 3 edges"));
  const std::string edge = LineWith(*text, "register-api -> DynamoDB");
  EXPECT_EQ(edge.substr(0, 3), "!  ");
  EXPECT_THAT(edge, HasSubstr("AWS::DynamoDB::Table"));
  EXPECT_THAT(edge, HasSubstr("20.0"));    // 5xx share
  EXPECT_THAT(edge, HasSubstr("4.0ms"));   // p50
  EXPECT_THAT(edge, HasSubstr("20.0ms"));  // p99
  EXPECT_EQ(LineWith(*text, "client -> public-site").substr(0, 3), "   ");
  const std::string client = LineWith(*text, "   client  ");
  EXPECT_EQ(client.back(), '-');  // the client has no statistics of its own
  EXPECT_THAT(*text, HasSubstr("! = faults (5xx)"));
  EXPECT_TRUE(IsAscii(*text));
  EXPECT_THAT(*text, Not(HasSubstr("\x1b")));

  // Every table row ends in the right-aligned P99 column, so all rows have one length.
  std::vector<std::string> table;
  for (const std::string& line : Lines(*text)) {
    if (line.find("NODE") != std::string::npos || line.find("EDGE") != std::string::npos ||
        line.find(" -> ") != std::string::npos || line.find("AWS::") != std::string::npos ||
        line.find("client  ") != std::string::npos) {
      table.push_back(line);
    }
  }
  ASSERT_EQ(table.size(), 9u);
  for (const std::string& line : table) EXPECT_EQ(line.size(), table.front().size()) << line;
}

TEST(ServiceMapTest, ColorOnlyWhenAsked) {
  auto text = RenderServiceMap(RegisterGraph(), RenderOptions{.color = true, .utc = true});
  ASSERT_TRUE(text.ok());
  EXPECT_THAT(LineWith(*text, "register-api -> DynamoDB"), HasSubstr("\x1b[31m"));
}

TEST(ServiceMapTest, EmptyGraphSaysSo) {
  json graph = {{"Services", json::array()}, {"StartTime", kWindowStart}, {"EndTime", kWindowEnd}};
  auto text = RenderServiceMap(graph, Plain());
  ASSERT_TRUE(text.ok());
  EXPECT_THAT(*text, HasSubstr("No services in the service map 22:13:20 - 22:18:20 (5m)"));
  EXPECT_FALSE(RenderServiceMap(json::object(), Plain()).ok());
  EXPECT_FALSE(RenderServiceMap(json::array(), Plain()).ok());
}

TEST(ServiceMapTest, HostileAndUnicodeNamesKeepTheTerminalAndColumnsIntact) {
  json graph = {
      {"StartTime", kWindowStart},
      {"EndTime", kWindowEnd},
      {"Services",
       {Service(0, "evil\x1b]0;pwned\x07", "AWS::ECS::Container", true, Summary(1, 0, 0, 0),
                json::array(), json::array({Edge(1, Summary(1, 0, 0, 0), json::array())})),
        Service(1, "caf\xc3\xa9-api", "AWS::ECS::Container", false, Summary(1, 0, 0, 0),
                Histogram({{0.001, 1}}), json::array())}}};
  auto text = RenderServiceMap(graph, Plain());
  ASSERT_TRUE(text.ok());
  EXPECT_THAT(*text, Not(HasSubstr("\x1b")));
  EXPECT_THAT(*text, Not(HasSubstr("\x07")));
  EXPECT_THAT(*text, HasSubstr("evil?]0;pwned?"));
  const std::string cafe = LineWith(*text, "AWS::ECS::Container  ");
  const std::string header = LineWith(*text, "NODE");
  EXPECT_EQ(DisplayWidth(LineWith(*text, "caf\xc3\xa9-api ")), DisplayWidth(header));
  EXPECT_EQ(DisplayWidth(cafe), DisplayWidth(header));
}

// Two traces, oldest first as a page might list them: an OK list and a register whose DynamoDB
// call failed its TLS handshake.
json TraceSummaries() {
  return json::parse(R"([
    {"Id": "1-6553f100-aaaaaaaaaaaaaaaaaaaaaaaa", "StartTime": 1700000000.25, "Duration": 0.012,
     "ResponseTime": 0.012, "HasFault": false, "HasError": false, "HasThrottle": false,
     "IsPartial": false,
     "Http": {"HttpURL": "http://127.0.0.1:8080/list", "HttpStatus": 200, "HttpMethod": "GET"},
     "FaultRootCauses": [], "ErrorRootCauses": []},
    {"Id": "1-6553f101-bbbbbbbbbbbbbbbbbbbbbbbb", "StartTime": 1700000001.5, "Duration": 0.0412,
     "ResponseTime": 0.0412, "HasFault": true, "HasError": false, "HasThrottle": false,
     "IsPartial": false,
     "Http": {"HttpURL": "http://127.0.0.1:8080/register?name=a-very-long-name-that-goes-on-and-on",
              "HttpStatus": 500, "HttpMethod": "POST"},
     "FaultRootCauses": [{"ClientImpacting": true, "Services": [
        {"Name": "register-api", "Names": ["register-api"], "Type": "AWS::ECS::Container",
         "Inferred": false, "EntityPath": [
           {"Name": "register-api", "Exceptions": [], "Remote": false},
           {"Name": "DynamoDB", "Remote": true, "Exceptions": [
              {"Name": "TLSHandshakeError", "Message": "certificate verify failed"}]}]}]}],
     "ErrorRootCauses": []}
  ])");
}

TEST(TraceSummariesTest, RootCauseNamesThePathAndTheException) {
  const json summaries = TraceSummaries();
  EXPECT_EQ(RootCauseText(summaries[1]),
            "register-api > DynamoDB: TLSHandshakeError: certificate verify failed");
  EXPECT_EQ(RootCauseText(summaries[0]), "");
}

TEST(TraceSummariesTest, NewestFirstWithFlagsAndTruncatedUrl) {
  auto text = RenderTraceSummaries(TraceSummaries(), Plain());
  ASSERT_TRUE(text.ok()) << text.status().message();
  const std::vector<std::string> lines = Lines(*text);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_THAT(lines[0], HasSubstr("TRACE ID"));
  EXPECT_THAT(lines[1], HasSubstr("22:13:21.500  1-6553f101-bbbbbbbbbbbbbbbbbbbbbbbb  POST"));
  EXPECT_THAT(lines[1], HasSubstr("500"));
  EXPECT_THAT(lines[1], HasSubstr("41.2ms"));
  EXPECT_THAT(lines[1], HasSubstr("...  F      register-api > DynamoDB: TLSHandshakeError"));
  EXPECT_THAT(lines[1], Not(HasSubstr("and-on")));
  EXPECT_THAT(lines[2], HasSubstr("22:13:20.250  1-6553f100-aaaaaaaaaaaaaaaaaaaaaaaa  GET"));
  EXPECT_THAT(lines[2], HasSubstr("12.0ms"));
  // The URL column lines up: the flags start at the same column on every row.
  EXPECT_EQ(lines[0].find("FLAGS"), lines[1].find("  F  ") + 2);
  EXPECT_EQ(lines[0].find("FLAGS"), lines[2].find("  -") + 2);
  EXPECT_TRUE(IsAscii(*text));
}

TEST(TraceSummariesTest, EmptyListIsEmptyText) {
  auto text = RenderTraceSummaries(json::array(), Plain());
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "");
  EXPECT_FALSE(RenderTraceSummaries(json::object(), Plain()).ok());
}

json Document(const json& document) {
  return {{"Id", document["id"]}, {"Document", document.dump()}};
}

// public-site (0-100 ms) calls register-api over HTTP (10-90 ms); register-api's segment hangs
// under that call, reads its config locally and calls DynamoDB (50-90 ms), which fails its TLS
// handshake. The API lists register-api's document first; public-site's subsegments are not in
// start order.
json TlsFaultTrace() {
  const double t = kWindowStart;
  json site = {
      {"id", "1111111111111111"},
      {"name", "public-site"},
      {"trace_id", "1-6553f100-0123456789abcdef01234567"},
      {"start_time", t},
      {"end_time", t + 0.1},
      {"fault", true},
      {"http",
       {{"request", {{"method", "POST"}, {"url", "http://127.0.0.1:8080/register"}}},
        {"response", {{"status", 500}}}}},
      {"subsegments",
       {{{"id", "2222222222222222"},
         {"name", "register-api"},
         {"namespace", "remote"},
         {"start_time", t + 0.01},
         {"end_time", t + 0.09},
         {"fault", true},
         {"http",
          {{"request",
            {{"method", "POST"}, {"url", "http://register-api/register"}, {"traced", true}}},
           {"response", {{"status", 500}}}}}},
        {{"id", "6666666666666666"},
         {"name", "render"},
         {"start_time", t + 0.001},
         {"end_time", t + 0.005}}}}};
  json register_api = {{"id", "3333333333333333"},
                       {"name", "register-api"},
                       {"trace_id", "1-6553f100-0123456789abcdef01234567"},
                       {"parent_id", "2222222222222222"},
                       {"start_time", t + 0.012},
                       {"end_time", t + 0.088},
                       {"fault", true},
                       {"http", {{"response", {{"status", 500}}}}},
                       {"subsegments",
                        {{{"id", "5555555555555555"},
                          {"name", "DynamoDB"},
                          {"namespace", "aws"},
                          {"start_time", t + 0.05},
                          {"end_time", t + 0.09},
                          {"fault", true},
                          {"aws", {{"operation", "PutItem"}, {"table_name", "users"}}},
                          {"cause",
                           {{"exceptions",
                             {{{"id", "5555555555555500"},
                               {"type", "TLSHandshakeError"},
                               {"message", "certificate verify failed"},
                               {"remote", true}}}}}}},
                         {{"id", "4444444444444444"},
                          {"name", "config"},
                          {"start_time", t + 0.013},
                          {"end_time", t + 0.02}}}}};
  return {{"Id", "1-6553f100-0123456789abcdef01234567"},
          {"Duration", 0.1},
          {"LimitExceeded", false},
          {"Segments", {Document(register_api), Document(site)}}};
}

TEST(WaterfallTest, SegmentsHangUnderTheCallThatProducedThem) {
  auto rows = WaterfallRows(TlsFaultTrace());
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  std::vector<std::string> tree;
  for (const WaterfallRow& row : *rows) {
    tree.push_back(std::string(2 * row.depth, ' ') + row.name);
  }
  EXPECT_THAT(tree, ElementsAre("public-site", "  render", "  register-api", "    register-api",
                                "      config", "      DynamoDB"));
  EXPECT_TRUE((*rows)[0].is_segment);
  EXPECT_FALSE((*rows)[2].is_segment);
  EXPECT_TRUE((*rows)[3].is_segment);
  EXPECT_EQ((*rows)[5].detail, "PutItem table=users");
  EXPECT_THAT((*rows)[5].causes,
              ElementsAre("TLSHandshakeError: certificate verify failed (remote)"));
}

TEST(WaterfallTest, RendersBarsDetailsAndCauses) {
  auto text = RenderTraceWaterfall(TlsFaultTrace(), Plain());
  ASSERT_TRUE(text.ok()) << text.status().message();
  EXPECT_THAT(*text, HasSubstr("Trace 1-6553f100-0123456789abcdef01234567\n"
                               "started 22:13:20.000, duration 100.0ms, 2 segments, 4 subsegments, "
                               "fault\n"));
  const std::string root = LineWith(*text, "public-site");
  EXPECT_EQ(root.substr(0, 3), "F  ");
  EXPECT_THAT(root, HasSubstr("|" + std::string(kWaterfallBarWidth, '=') + "|"));
  EXPECT_THAT(root, HasSubstr("POST http://127.0.0.1:8080/register"));
  // DynamoDB ran from 50 % to 90 % of the trace.
  const std::string dynamodb = LineWith(*text, "DynamoDB");
  EXPECT_THAT(dynamodb, HasSubstr("|" + std::string(20, '.') + std::string(16, '=') +
                                  std::string(4, '.') + "|"));
  EXPECT_THAT(dynamodb, HasSubstr("aws"));
  EXPECT_THAT(dynamodb, HasSubstr("40.0ms"));
  EXPECT_THAT(dynamodb, HasSubstr("PutItem table=users"));
  // The cause follows its span, indented under the span's name.
  const std::vector<std::string> lines = Lines(*text);
  auto at = std::find(lines.begin(), lines.end(), dynamodb);
  ASSERT_NE(at + 1, lines.end());
  EXPECT_EQ(*(at + 1), "           cause: TLSHandshakeError: certificate verify failed (remote)");
  EXPECT_EQ(dynamodb.find("DynamoDB"), std::string("F        ").size());
  EXPECT_TRUE(IsAscii(*text));
  // Rows and header share one layout: the bars start in the same column everywhere.
  const size_t bar_column = root.find('|');
  EXPECT_EQ(dynamodb.find('|'), bar_column);
  EXPECT_EQ(LineWith(*text, "NAME").find("0 "), bar_column);
}

TEST(WaterfallTest, CyclesUnreadableDocumentsAndOpenSpans) {
  const double t = kWindowStart;
  json a = {{"id", "aaaaaaaaaaaaaaaa"},
            {"name", "a"},
            {"parent_id", "bbbbbbbbbbbbbbbb"},
            {"start_time", t},
            {"end_time", t + 1}};
  json b = {{"id", "bbbbbbbbbbbbbbbb"},
            {"name", "b"},
            {"parent_id", "aaaaaaaaaaaaaaaa"},
            {"start_time", t + 0.5},
            {"in_progress", true}};
  json self = {{"id", "cccccccccccccccc"},
               {"name", "c"},
               {"parent_id", "cccccccccccccccc"},
               {"start_time", t + 0.2},
               {"end_time", t + 0.4}};
  json trace = {{"Id", "1-6553f100-0123456789abcdef01234567"},
                {"Segments",
                 {Document(a),
                  Document(b),
                  Document(self),
                  {{"Id", "dddddddddddddddd"}, {"Document", "{not json"}}}}};
  size_t unreadable = 0;
  auto rows = WaterfallRows(trace, &unreadable);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(unreadable, 1u);
  std::vector<std::string> tree;
  for (const WaterfallRow& row : *rows) tree.push_back(std::string(2 * row.depth, ' ') + row.name);
  EXPECT_THAT(tree, ElementsAre("a", "  b", "c"));
  EXPECT_TRUE((*rows)[1].in_progress);
  EXPECT_EQ((*rows)[1].end_time, t + 1);  // open spans run to the end of the trace
  auto text = RenderTraceWaterfall(trace, Plain());
  ASSERT_TRUE(text.ok());
  EXPECT_THAT(*text, HasSubstr("(1 unreadable documents skipped)"));
  EXPECT_THAT(LineWith(*text, "  b "), HasSubstr("open"));
  EXPECT_THAT(LineWith(*text, "  b "), HasSubstr(std::string(19, '=') + ">|"));
}

TEST(WaterfallTest, ShapeErrors) {
  EXPECT_FALSE(WaterfallRows(json::object()).ok());
  auto text = RenderTraceWaterfall(json{{"Id", "x"}, {"Segments", json::array()}}, Plain());
  ASSERT_TRUE(text.ok());
  EXPECT_THAT(*text, HasSubstr("no readable segment documents"));
}

}  // namespace
}  // namespace ck::cli
