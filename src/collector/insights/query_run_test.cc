// Each command of the query language over the 40-event fixture (test_events.h), with exact
// result tables. Rows come newest first unless a command orders them.
#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "collector/insights/event_pointer.h"
#include "collector/insights/query.h"
#include "collector/insights/test_events.h"

namespace ck::collector::insights {
namespace {

using Cells = std::vector<std::optional<std::string>>;
using Table = std::vector<Cells>;
using Columns = std::vector<std::string>;
constexpr std::nullopt_t kNull = std::nullopt;

QueryResult MustRun(std::string_view text, RunOptions options = {}) {
  auto result = test_events::Run(text, options);
  EXPECT_TRUE(result.ok()) << text << ": " << result.status().ToString();
  return result.ok() ? *result : QueryResult{};
}

// The result without its trailing @ptr column, whose cells must name fixture events.
Table WithoutPointers(const QueryResult& result) {
  EXPECT_FALSE(result.columns.empty());
  EXPECT_EQ(result.columns.back(), "@ptr");
  Table table;
  for (const Cells& row : result.rows) {
    EXPECT_TRUE(row.back().has_value());
    std::optional<uint64_t> id = DecodeEventPointer(row.back().value_or(""));
    EXPECT_TRUE(id.has_value() && *id >= 1001 && *id <= 1040);
    table.emplace_back(row.begin(), row.end() - 1);
  }
  return table;
}

std::string Message(uint64_t id) {
  for (const auto& event : test_events::Events()) {
    if (event.id == id) return event.message;
  }
  return "";
}

std::string Count(std::string_view query) {
  QueryResult result = MustRun(query);
  if (result.rows.size() != 1 || result.rows[0].size() != 1) return "<not one cell>";
  return result.rows[0][0].value_or("<null>");
}

TEST(QueryRunTest, FieldsSelectAndCompute) {
  QueryResult result =
      MustRun("fields @timestamp, service, status, latency_ms / 1000 as seconds | limit 3");
  EXPECT_EQ(result.columns, (Columns{"@timestamp", "service", "status", "seconds", "@ptr"}));
  EXPECT_EQ(WithoutPointers(result), (Table{
                                         {"2024-05-01 12:13:00.273", "public-site", "500", "0.048"},
                                         {"2024-05-01 12:12:40.266", "order-api", "201", "0.121"},
                                         {"2024-05-01 12:12:20.259", "feed-api", "200", "0.0075"},
                                     }));
  EXPECT_EQ(result.statistics.records_scanned, 3u);
  EXPECT_EQ(result.statistics.records_matched, 3u);
  EXPECT_FALSE(result.truncated);
}

TEST(QueryRunTest, FieldsAssignInOrderAndShadowJsonFields) {
  QueryResult result = MustRun(
      "fields toupper(service) as service, concat(service, ':', status) as key | "
      "filter ispresent(status) | limit 2");
  EXPECT_EQ(result.columns, (Columns{"service", "key", "@ptr"}));
  EXPECT_EQ(WithoutPointers(result),
            (Table{{"PUBLIC-SITE", "PUBLIC-SITE:500"}, {"ORDER-API", "ORDER-API:201"}}));
}

TEST(QueryRunTest, DefaultColumnsAreTimestampAndMessage) {
  QueryResult result = MustRun("filter route = \"/order\" | limit 2");
  EXPECT_EQ(result.columns, (Columns{"@timestamp", "@message", "@ptr"}));
  EXPECT_EQ(WithoutPointers(result), (Table{{"2024-05-01 12:12:40.266", Message(1039)},
                                            {"2024-05-01 12:10:40.224", Message(1033)}}));
}

TEST(QueryRunTest, FilterExpressions) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"filter status >= 500 and service in [\"register-api\", \"public-site\"]", "6"},
      {"filter @message like /TLS handshake/", "5"},
      {"filter @message like \"healthz\"", "2"},
      {"filter latency_ms > \"1000\"", "4"},
      {"filter level != \"info\"", "11"},
      {"filter level = \"error\" or level = 'warn'", "11"},
      {"filter level like /^(error|warn)$/", "11"},
      {"filter level =~ /^(?i)ERROR$/", "7"},
      {"filter level not in [\"info\"]", "11"},
      {"filter not level = \"info\"", "18"},
      {"filter not ispresent(service)", "7"},
      {"filter http.status = 500", "3"},
      {"filter error.type = \"TlsError\" and latency_ms < 1200", "2"},
      {"filter items.0.id = \"r1\"", "2"},
      {"filter cached", "2"},
      {"filter cached = 0", "1"},
      {"filter strlen(user) = 3", "1"},
      {"filter isIpv4InSubnet(client_ip, \"10.0.0.0/8\")", "6"},
      {"filter @logStream = \"register-api/task-2\"", "9"},
      {"filter @timestamp >= 1714565400000", "10"},
      {"filter toMillis(@timestamp) < 1714564860000", "3"},
      {"filter nosuchfield = 1 or nosuchfield != 1", "0"},
      {"filter (status = 200 or status = 201) and not route like 'list'", "19"},
  };
  for (const auto& [filter, expected] : cases) {
    EXPECT_EQ(Count(filter + " | stats count(*) as n"), expected) << filter;
  }
}

TEST(QueryRunTest, StatsAggregates) {
  QueryResult result = MustRun(
      "stats count(*) as requests, count(status) as with_status, count_distinct(service) as "
      "services, sum(latency_ms) as total, min(latency_ms) as fastest, max(latency_ms) as "
      "slowest, avg(latency_ms) as mean, pct(latency_ms, 50) as p50, pct(latency_ms, 95) as "
      "p95, stddev(latency_ms) as sd, min(level) as first_level, max(level) as last_level");
  EXPECT_EQ(result.columns,
            (Columns{"requests", "with_status", "services", "total", "fastest", "slowest", "mean",
                     "p50", "p95", "sd", "first_level", "last_level"}));
  ASSERT_EQ(result.rows.size(), 1u);
  Cells row = result.rows[0];
  ASSERT_TRUE(row[9].has_value());
  EXPECT_NEAR(std::strtod(row[9]->c_str(), nullptr), 524.32649981580, 1e-9);
  row[9] = "sd";
  EXPECT_EQ(row, (Cells{"40", "33", "6", "9283.5", "3", "2301", "281.3181818181818", "41", "1250",
                        "sd", "error", "warn"}));
}

TEST(QueryRunTest, StatsByFieldsWithSort) {
  QueryResult result =
      MustRun("stats count(*) as n, avg(latency_ms) by service | sort n desc, service asc");
  EXPECT_EQ(result.columns, (Columns{"service", "n", "avg(latency_ms)"}));
  EXPECT_EQ(result.rows, (Table{
                             {"public-site", "8", "302.25"},
                             {"register-api", "7", "703.5714285714286"},
                             {kNull, "7", kNull},
                             {"list-api", "5", "149.6"},
                             {"order-api", "5", "126.2"},
                             {"feed-api", "4", "14.375"},
                             {"validate-api", "4", "126"},
                         }));
}

TEST(QueryRunTest, StatsEarliestAndLatestKeepFirstSeenGroupOrder) {
  QueryResult result = MustRun(
      "stats earliest(msg) as first_msg, latest(msg) as last_msg, sortsFirst(route) as r1, "
      "sortsLast(route) as r2 by service");
  EXPECT_EQ(result.columns, (Columns{"service", "first_msg", "last_msg", "r1", "r2"}));
  EXPECT_EQ(result.rows,
            (Table{
                {"public-site", "request served", "render failed", "/", "/register"},
                {"order-api", "order placed", "order placed", "/order", "/order"},
                {"feed-api", "feed refreshed", "cache warm", "/feed", "/feed"},
                {"register-api", "registration accepted",
                 "dynamodb PutItem failed: TLS handshake failed", "/register", "/register"},
                {"list-api", "listed residents", "listed residents", "/list", "/list"},
                {kNull, kNull, kNull, kNull, kNull},
                {"validate-api", "slow validation", "validation passed", "/validate", "/validate"},
            }));
}

TEST(QueryRunTest, StatsByBins) {
  QueryResult five = MustRun("stats count(*) by bin(5m)");
  EXPECT_EQ(five.columns, (Columns{"bin(5m)", "count(*)"}));
  EXPECT_EQ(five.rows, (Table{{"2024-05-01 12:10:00.000", "10"},
                              {"2024-05-01 12:05:00.000", "15"},
                              {"2024-05-01 12:00:00.000", "15"}}));

  QueryResult minute = MustRun("stats count(*) as n by bin(1m) as t | sort t asc");
  ASSERT_EQ(minute.rows.size(), 14u);
  EXPECT_EQ(minute.rows.front(), (Cells{"2024-05-01 12:00:00.000", "3"}));
  EXPECT_EQ(minute.rows.back(), (Cells{"2024-05-01 12:13:00.000", "1"}));

  QueryResult hour = MustRun("stats sum(latency_ms) as total by bin(1h) as hour");
  EXPECT_EQ(hour.rows, (Table{{"2024-05-01 12:00:00.000", "9283.5"}}));
}

TEST(QueryRunTest, StatsByExpressions) {
  QueryResult result = MustRun("stats count(*) as n by status >= 500 as failed | sort failed");
  EXPECT_EQ(result.columns, (Columns{"failed", "n"}));
  EXPECT_EQ(result.rows, (Table{{"1", "6"}, {"0", "34"}}));
  EXPECT_EQ(Count("stats sum(latency_ms) / count(latency_ms) as mean"), "281.3181818181818");
  EXPECT_EQ(Count("stats sum(status >= 500) as errors"), "6");
  // A stats after a sort and a limit aggregates the kept rows.
  EXPECT_EQ(Count("sort latency_ms desc | limit 4 | stats avg(latency_ms) as top4"), "1485.5");
}

TEST(QueryRunTest, StatsOverNoEvents) {
  QueryResult ungrouped =
      MustRun("filter level = \"nope\" | stats count(*) as n, avg(latency_ms) as a");
  EXPECT_EQ(ungrouped.rows, (Table{{"0", kNull}}));
  QueryResult grouped = MustRun("filter level = \"nope\" | stats count(*) by service");
  EXPECT_EQ(grouped.columns, (Columns{"service", "count(*)"}));
  EXPECT_TRUE(grouped.rows.empty());
}

TEST(QueryRunTest, SeveralStatsAndFiltersOnAggregates) {
  QueryResult twice = MustRun(
      "stats count(*) as n by service | stats avg(n) as mean, max(n) as most, count(*) as groups");
  EXPECT_EQ(twice.rows, (Table{{"5.714285714285714", "8", "7"}}));

  QueryResult filtered =
      MustRun("stats count(*) as n by service | filter n >= 5 | sort n desc, service asc");
  EXPECT_EQ(filtered.rows, (Table{{"public-site", "8"},
                                  {"register-api", "7"},
                                  {kNull, "7"},
                                  {"list-api", "5"},
                                  {"order-api", "5"}}));

  QueryResult computed = MustRun(
      "stats count(*) as n by level | fields n * 100 / 40 as percent | sort n desc | limit 2");
  EXPECT_EQ(computed.columns, (Columns{"level", "n", "percent"}));
  EXPECT_EQ(computed.rows, (Table{{"info", "22", "55"}, {"error", "7", "17.5"}}));
}

TEST(QueryRunTest, SortOrders) {
  QueryResult top = MustRun(
      "filter ispresent(latency_ms) | sort latency_ms desc | limit 3 | display service, "
      "latency_ms");
  EXPECT_EQ(WithoutPointers(top),
            (Table{{"public-site", "2301"}, {"register-api", "1250"}, {"register-api", "1203"}}));

  QueryResult keys = MustRun(
      "filter ispresent(service) | sort service asc, latency_ms desc | limit 5 | display "
      "service, latency_ms");
  EXPECT_EQ(WithoutPointers(keys), (Table{{"feed-api", "25"},
                                          {"feed-api", "22"},
                                          {"feed-api", "7.5"},
                                          {"feed-api", "3"},
                                          {"list-api", "610"}}));

  // Sorting defaults to descending; ties keep their order.
  QueryResult levels = MustRun("stats count(*) as n by level | sort n");
  EXPECT_EQ(levels.rows, (Table{{"info", "22"}, {"error", "7"}, {kNull, "7"}, {"warn", "4"}}));
}

TEST(QueryRunTest, SortPutsAbsentValuesLastEitherWay) {
  Table ascending = WithoutPointers(MustRun("dedup route | sort route asc | display route"));
  Table descending = WithoutPointers(MustRun("dedup route | sort route desc | display route"));
  Table expected_ascending = {{"/"},      {"/feed"},     {"/list"},
                              {"/order"}, {"/register"}, {"/validate"}};
  Table expected_descending(expected_ascending.rbegin(), expected_ascending.rend());
  for (int i = 0; i < 8; ++i) {
    expected_ascending.push_back({kNull});
    expected_descending.push_back({kNull});
  }
  EXPECT_EQ(ascending, expected_ascending);
  EXPECT_EQ(descending, expected_descending);
}

TEST(QueryRunTest, LimitKeepsTheFirstRowsAndStopsTheScan) {
  QueryResult result = MustRun("fields @timestamp | limit 2");
  EXPECT_EQ(WithoutPointers(result),
            (Table{{"2024-05-01 12:13:00.273"}, {"2024-05-01 12:12:40.266"}}));
  EXPECT_EQ(result.statistics.records_scanned, 2u);
  EXPECT_EQ(MustRun("fields @timestamp | limit 30 | limit 5").rows.size(), 5u);
  EXPECT_EQ(MustRun("fields @timestamp | limit 100").rows.size(), 40u);
}

TEST(QueryRunTest, StopAfterMatchesIsHonoured) {
  auto query = ParseQuery("filter level = \"error\" | fields service | limit 2");
  ASSERT_TRUE(query.ok());
  EXPECT_EQ(NeedsOf(**query).stop_after_matches, 2u);
  QueryResult result = test_events::RunOver(*query, test_events::Events());
  EXPECT_EQ(WithoutPointers(result), (Table{{"public-site"}, {"register-api"}}));
  EXPECT_EQ(result.statistics.records_scanned, 5u);  // the 2nd error is the 5th newest event
  EXPECT_EQ(result.statistics.records_matched, 2u);

  // Add says so itself, and ignores events offered afterwards.
  QueryRun run(*query, RunOptions{});
  LogEvent error;
  error.id = 1;
  error.message = R"({"level":"error","service":"a"})";
  EXPECT_TRUE(run.Add(error));
  error.id = 2;
  EXPECT_FALSE(run.Add(error));
  EXPECT_FALSE(run.Add(error));
  EXPECT_EQ(run.Finish().rows.size(), 2u);

  QueryResult oldest = MustRun("fields @timestamp | sort @timestamp asc | limit 3");
  EXPECT_EQ(WithoutPointers(oldest), (Table{{"2024-05-01 12:00:00.000"},
                                            {"2024-05-01 12:00:20.007"},
                                            {"2024-05-01 12:00:40.014"}}));
  EXPECT_EQ(oldest.statistics.records_scanned, 3u);

  QueryResult unique = MustRun("dedup service | limit 2 | display service");
  EXPECT_EQ(WithoutPointers(unique), (Table{{"public-site"}, {"order-api"}}));
  EXPECT_EQ(unique.statistics.records_scanned, 2u);
}

std::vector<test_events::FixtureEvent> ManyEvents(size_t count) {
  std::vector<test_events::FixtureEvent> events;
  for (size_t i = 0; i < count; ++i) {
    events.push_back({i + 1, 1714564800000 + static_cast<int64_t>(i), "s", "{\"n\":1}"});
  }
  return events;
}

TEST(QueryRunTest, InsightsLimitsApplyTheDefaultAndTheCap) {
  const auto events = ManyEvents(10'050);
  auto run = [&](std::string_view text, RunOptions options) {
    return test_events::RunOver(*ParseQuery(text), events, options).rows.size();
  };
  RunOptions insights;
  RunOptions paged;
  paged.insights_limits = false;
  EXPECT_EQ(run("fields n", insights), 1'000u);
  EXPECT_EQ(run("fields n | limit 20000", insights), 10'000u);
  EXPECT_EQ(run("fields n | sort @timestamp asc | limit 20000", insights), 10'000u);
  EXPECT_EQ(run("fields n", paged), 10'050u);
  EXPECT_EQ(run("fields n | limit 20000", paged), 10'050u);
  EXPECT_EQ(run("fields n | limit 7", paged), 7u);
  EXPECT_EQ(run("fields n | sort @timestamp asc", insights), 1'000u);
  EXPECT_EQ(run("fields n | sort @timestamp asc", paged), 10'050u);
  EXPECT_EQ(run("stats count(*) by bin(1ms)", insights), 1'000u);
  EXPECT_EQ(run("stats count(*) by bin(1ms) | limit 10000", insights), 10'000u);
  EXPECT_EQ(run("stats count(*) by bin(1ms)", paged), 10'050u);
}

TEST(QueryRunTest, TheDefaultLimitStopsScansThatFollowTheSortOrder) {
  const auto events = ManyEvents(10'050);
  QueryResult oldest =
      test_events::RunOver(*ParseQuery("fields n | sort @timestamp asc"), events, RunOptions{});
  EXPECT_EQ(oldest.rows.size(), 1'000u);
  EXPECT_EQ(oldest.statistics.records_scanned, 1'000u);
  EXPECT_EQ(oldest.rows.front()[1], EncodeEventPointer(1));
  EXPECT_EQ(oldest.rows.back()[1], EncodeEventPointer(1'000));

  // Sorted by something else, the best rows are kept as the scan goes.
  QueryResult top = test_events::RunOver(*ParseQuery("fields toMillis(@timestamp) % 2000 as m | "
                                                     "sort m desc | display m"),
                                         events, RunOptions{});
  EXPECT_EQ(top.statistics.records_scanned, 10'050u);
  ASSERT_EQ(top.rows.size(), 1'000u);
  EXPECT_EQ(top.rows.front()[0], "1999");
  EXPECT_EQ(top.rows.back()[0], "1800");
}

TEST(QueryRunTest, MaxRowsTruncates) {
  RunOptions options;
  options.max_rows = 5;
  QueryResult rows = MustRun("fields @timestamp", options);
  EXPECT_EQ(rows.rows.size(), 5u);
  EXPECT_TRUE(rows.truncated);
  options.max_rows = 3;
  QueryResult groups = MustRun("stats count(*) by service", options);
  EXPECT_EQ(groups.rows.size(), 3u);
  EXPECT_TRUE(groups.truncated);
  EXPECT_FALSE(MustRun("stats count(*) by service").truncated);
}

TEST(QueryRunTest, ParseWithGlob) {
  QueryResult result = MustRun(
      "filter @logStream = \"list-api/task-1\" | parse @message \"user=* action=* result=*\" as "
      "user, action, result | filter ispresent(user) | display user, action, result");
  EXPECT_EQ(WithoutPointers(result),
            (Table{{"bob", "register", "denied"}, {"alice", "list", "ok"}}));

  QueryResult json = MustRun(
      "parse msg \"dynamodb * failed: *\" as operation, reason | filter ispresent(operation) | "
      "stats count(*) by operation, reason");
  EXPECT_EQ(json.rows, (Table{{"PutItem", "TLS handshake failed", "4"}}));

  QueryResult later = MustRun(
      "sort @timestamp asc | limit 5 | parse @message '\"service\":\"*\"' as svc | display svc");
  EXPECT_EQ(WithoutPointers(later),
            (Table{{"public-site"}, {"list-api"}, {"register-api"}, {kNull}, {"validate-api"}}));
}

TEST(QueryRunTest, ParseWithRegex) {
  QueryResult result = MustRun(
      "parse @message /GET (?<path>\\S+) (?<code>\\d{3}) (?<took>\\d+)ms/ | filter "
      "ispresent(path) | display path, code, took");
  EXPECT_EQ(WithoutPointers(result), (Table{{"/healthz", "200", "2"}, {"/healthz", "200", "1"}}));

  QueryResult stats = MustRun(
      "parse @message \"GET * * *ms\" as path, code, took | stats sum(took) as total, count(*) "
      "as n by path");
  EXPECT_EQ(stats.rows, (Table{{kNull, kNull, "38"}, {"/healthz", "3", "2"}}));
}

TEST(QueryRunTest, DisplayChoosesColumns) {
  QueryResult one = MustRun("fields service, status | display status | limit 2");
  EXPECT_EQ(one.columns, (Columns{"status", "@ptr"}));
  EXPECT_EQ(WithoutPointers(one), (Table{{"500"}, {"201"}}));
  EXPECT_EQ(MustRun("fields service | fields status | limit 1").columns,
            (Columns{"service", "status", "@ptr"}));
  EXPECT_EQ(MustRun("display service | display status | limit 1").columns,
            (Columns{"status", "@ptr"}));
  EXPECT_EQ(MustRun("fields @ptr, service | limit 1").columns, (Columns{"@ptr", "service"}));
}

TEST(QueryRunTest, DedupKeepsTheFirstOfEachValue) {
  QueryResult result =
      MustRun("filter ispresent(service) | dedup service | display service, @timestamp");
  EXPECT_EQ(WithoutPointers(result), (Table{{"public-site", "2024-05-01 12:13:00.273"},
                                            {"order-api", "2024-05-01 12:12:40.266"},
                                            {"feed-api", "2024-05-01 12:12:20.259"},
                                            {"register-api", "2024-05-01 12:11:40.245"},
                                            {"list-api", "2024-05-01 12:11:20.238"},
                                            {"validate-api", "2024-05-01 12:10:20.217"}}));
  // Rows with an absent dedup field are all kept.
  EXPECT_EQ(MustRun("dedup route").rows.size(), 14u);
  EXPECT_EQ(Count("dedup service, level | stats count(*) as n"), "21");
  // After a sort, the first in sort order is kept.
  QueryResult slowest = MustRun(
      "filter ispresent(latency_ms) | sort latency_ms desc | dedup service | display service, "
      "latency_ms | limit 2");
  EXPECT_EQ(WithoutPointers(slowest), (Table{{"public-site", "2301"}, {"register-api", "1250"}}));
}

TEST(QueryRunTest, CommentsAndQuotedFieldNames) {
  QueryResult result = MustRun(
      "# errors per service\n"
      "filter level = 'error'  # only errors\n"
      "| stats count(*) as `error count` by `service`\n"
      "| sort `error count` desc, service asc");
  EXPECT_EQ(result.columns, (Columns{"service", "error count"}));
  EXPECT_EQ(
      result.rows,
      (Table{
          {"register-api", "4"}, {"order-api", "1"}, {"public-site", "1"}, {"validate-api", "1"}}));
}

TEST(QueryRunTest, FinishTwiceReturnsNoRows) {
  auto query = ParseQuery("fields @timestamp");
  ASSERT_TRUE(query.ok());
  QueryRun run(*query, RunOptions{});
  LogEvent event;
  run.Add(event);
  EXPECT_EQ(run.Finish().rows.size(), 1u);
  QueryResult again = run.Finish();
  EXPECT_TRUE(again.rows.empty());
  EXPECT_FALSE(run.Add(event));
}

}  // namespace
}  // namespace ck::collector::insights
