// `ck logs` and `ck query`: read the collector's CloudWatch Logs API (FilterLogEvents,
// DescribeLogGroups, StartQuery/GetQueryResults, and the paged /v1/logs/query extension).
//
// Both send blocking requests to --collector (default $CK_COLLECTOR_URL, else
// http://127.0.0.1:2000). A service name stands for its log group (/ecs/<stack>/<service>); a
// name starting with '/' is a log group as is. Errors go to stderr with exit code 1.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "cli/verbs/collector_client.h"
#include "cli/verbs/log_render.h"
#include "cli/verbs/terminal_text.h"
#include "cli/verbs/verbs.h"

namespace ck::cli {
namespace {

using nlohmann::json;

constexpr const char* kLogsTarget = "Logs_20140328.";
constexpr auto kFollowInterval = std::chrono::milliseconds(1000);
constexpr int kMaxFilterPages = 1000;

struct LogFlags {
  std::string collector = kDefaultCollectorUrl;
  std::string since = "10m";
  bool json_output = false;
  bool no_color = false;
};

void AddCommonOptions(CLI::App* command, LogFlags& flags, const char* default_since) {
  flags.since = default_since;
  command
      ->add_option("--collector", flags.collector,
                   "the collector's API address; `ck up` prints it (port: the stack file's\n"
                   "telemetry.xray_port)")
      ->envname("CK_COLLECTOR_URL")
      ->capture_default_str();
  command->add_option("--since", flags.since, "how far back to look: 30s, 10m, 2h, 1d")
      ->capture_default_str();
  command->add_flag("--json", flags.json_output, "print JSON instead of text");
  command->add_flag("--no-color", flags.no_color,
                    "no colours (they are used only when stdout is a terminal and\n"
                    "NO_COLOR is unset)");
}

Result<json> CallLogs(const LogFlags& flags, const std::string& operation, const json& body) {
  return CallCollector(flags.collector, "/", body, kLogsTarget + operation);
}

// The log group a service name (or a group name) stands for.
Result<std::string> ResolveGroup(const LogFlags& flags, const std::string& name) {
  if (!name.empty() && name.front() == '/') return name;
  std::vector<std::string> all;
  std::vector<std::string> matches;
  json body = {{"limit", 50}};
  for (int page = 0; page < 100; ++page) {
    CK_ASSIGN_OR_RETURN(json answer, CallLogs(flags, "DescribeLogGroups", body));
    for (const json& group : answer.value("logGroups", json::array())) {
      const std::string group_name = group.value("logGroupName", "");
      all.push_back(group_name);
      const std::string suffix = "/" + name;
      if (group_name.size() > suffix.size() &&
          group_name.compare(group_name.size() - suffix.size(), suffix.size(), suffix) == 0) {
        matches.push_back(group_name);
      }
    }
    if (!answer.contains("nextToken")) break;
    body["nextToken"] = answer["nextToken"];
  }
  if (matches.size() == 1) return matches.front();
  std::string listed;
  for (const std::string& group : matches.empty() ? all : matches) {
    listed += (listed.empty() ? "" : ", ") + group;
  }
  if (matches.empty()) {
    return NotFound(
        "no log group for '" + name + "'" +
        (all.empty() ? std::string(" (no logs stored yet)") : " (groups: " + listed + ")"));
  }
  return InvalidArgument("'" + name + "' names several log groups (" + listed +
                         "); give the group itself");
}

struct LogsRequest {
  std::string name;
  std::string task;
  std::string filter;
  bool follow = false;
};

Status Logs(const LogFlags& flags, const LogsRequest& request) {
  CK_ASSIGN_OR_RETURN(double since, ParseLookback(flags.since));
  CK_ASSIGN_OR_RETURN(std::string group, ResolveGroup(flags, request.name));
  const bool color = UseColor(flags.no_color);
  json body = {{"logGroupName", group}};
  if (!request.filter.empty()) body["filterPattern"] = request.filter;
  if (!request.task.empty()) {
    const std::string service = group.substr(group.rfind('/') + 1);
    body["logStreamNamePrefix"] = "ecs/" + service + "/" + request.task;
  }
  int64_t start_ms = static_cast<int64_t>((NowSeconds() - since) * 1000);
  // Events already printed at the newest timestamp seen: the next poll starts at that
  // timestamp (inclusive) and skips them.
  std::set<std::string> printed_at_last;
  int64_t last_ms = start_ms;
  while (true) {
    body["startTime"] = start_ms;
    body.erase("nextToken");
    for (int page = 0; page < kMaxFilterPages; ++page) {
      CK_ASSIGN_OR_RETURN(json answer, CallLogs(flags, "FilterLogEvents", body));
      std::string out;
      for (const json& event : answer.value("events", json::array())) {
        const int64_t timestamp = event.value("timestamp", int64_t{0});
        const std::string id = event.value("eventId", "");
        if (timestamp == last_ms && printed_at_last.count(id) > 0) continue;
        if (timestamp > last_ms) {
          last_ms = timestamp;
          printed_at_last.clear();
        }
        printed_at_last.insert(id);
        out += flags.json_output ? event.dump(-1, ' ', false, json::error_handler_t::replace) + "\n"
                                 : FormatLogEvent(event, color);
      }
      Print(out);
      std::fflush(stdout);
      if (!answer.contains("nextToken")) break;
      body["nextToken"] = answer["nextToken"];
    }
    if (!request.follow) return Status::Ok();
    start_ms = last_ms;
    std::this_thread::sleep_for(kFollowInterval);
  }
}

struct QueryRequest {
  std::string query;
  std::vector<std::string> groups;
  bool all = false;
};

// A table of rows given as column names and cells (nullopt: no value).
std::string RenderTable(const std::vector<std::string>& columns,
                        const std::vector<std::vector<std::optional<std::string>>>& rows,
                        bool color) {
  std::vector<size_t> shown;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] != "@ptr") shown.push_back(i);
  }
  TextTable table(std::vector<Align>(shown.size(), Align::kLeft));
  std::vector<Cell> header;
  for (size_t i : shown) header.push_back({TerminalSafe(columns[i]), "\x1b[1m"});
  table.AddRow(std::move(header));
  for (const auto& row : rows) {
    std::vector<Cell> cells;
    for (size_t i : shown) {
      cells.push_back({i < row.size() && row[i] ? Truncate(TerminalSafe(*row[i]), 160) : ""});
    }
    table.AddRow(std::move(cells));
  }
  return table.Render(color);
}

Status Query(const LogFlags& flags, const QueryRequest& request) {
  CK_ASSIGN_OR_RETURN(double since, ParseLookback(flags.since));
  json groups = json::array();
  for (const std::string& name : request.groups) {
    CK_ASSIGN_OR_RETURN(std::string group, ResolveGroup(flags, name));
    groups.push_back(group);
  }
  const double now = NowSeconds();
  json body = {{"queryString", request.query},
               {"startTime", static_cast<int64_t>(now - since)},
               {"endTime", static_cast<int64_t>(now)}};
  if (!groups.empty()) body["logGroupNames"] = groups;

  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;
  json statistics;
  if (request.all) {
    body["pageSize"] = 10'000;
    while (true) {
      CK_ASSIGN_OR_RETURN(json page, CallCollector(flags.collector, "/v1/logs/query", body));
      if (columns.empty()) columns = page.value("columns", std::vector<std::string>{});
      for (const json& row : page.value("rows", json::array())) {
        std::vector<std::optional<std::string>> cells;
        for (const json& cell : row) {
          cells.push_back(cell.is_string() ? std::optional<std::string>(cell.get<std::string>())
                                           : std::nullopt);
        }
        rows.push_back(std::move(cells));
      }
      statistics = page.value("statistics", json::object());
      if (!page.contains("nextToken")) break;
      body = {{"nextToken", page["nextToken"]}, {"pageSize", 10'000}};
    }
  } else {
    CK_ASSIGN_OR_RETURN(json started, CallLogs(flags, "StartQuery", body));
    CK_ASSIGN_OR_RETURN(json results,
                        CallLogs(flags, "GetQueryResults", {{"queryId", started["queryId"]}}));
    statistics = results.value("statistics", json::object());
    std::map<std::string, size_t> index;
    std::vector<std::map<size_t, std::string>> sparse;
    for (const json& row : results.value("results", json::array())) {
      std::map<size_t, std::string> cells;
      for (const json& cell : row) {
        const std::string field = cell.value("field", "");
        auto [it, inserted] = index.emplace(field, columns.size());
        if (inserted) columns.push_back(field);
        cells[it->second] = cell.value("value", "");
      }
      sparse.push_back(std::move(cells));
    }
    for (const auto& cells : sparse) {
      std::vector<std::optional<std::string>> row(columns.size());
      for (const auto& [column, value] : cells) row[column] = value;
      rows.push_back(std::move(row));
    }
  }

  if (flags.json_output) {
    json out = json::array();
    for (const auto& row : rows) {
      json object = json::object();
      for (size_t i = 0; i < columns.size() && i < row.size(); ++i) {
        if (row[i]) object[columns[i]] = *row[i];
      }
      out.push_back(std::move(object));
    }
    Print(out.dump(2, ' ', false, json::error_handler_t::replace) + "\n");
    return Status::Ok();
  }
  if (!rows.empty()) Print(RenderTable(columns, rows, UseColor(flags.no_color)));
  Print(fmt::format("{} rows; {} records matched, {} scanned\n", rows.size(),
                    statistics.value("recordsMatched", 0.0),
                    statistics.value("recordsScanned", 0.0)));
  return Status::Ok();
}

}  // namespace

void RegisterLogCommands(CLI::App& app) {
  auto logs_flags = std::make_shared<LogFlags>();
  auto logs_request = std::make_shared<LogsRequest>();
  CLI::App* logs = app.add_subcommand(
      "logs",
      "Print a service's log events (its tasks' stdout/stderr), optionally following them.\n"
      "Examples:\n"
      "  ck logs list-api --since 1h\n"
      "  ck logs register-api -f --filter '{ $.level = \"error\" }'\n"
      "  ck logs /ecs/cuddle-kube/feed-api --task feed-api-v1-1");
  logs->add_option("service", logs_request->name,
                   "a service (its log group /ecs/<stack>/<service>) or a log group name")
      ->required();
  logs->add_flag("-f,--follow", logs_request->follow, "keep printing new events as they arrive");
  logs->add_option("--task", logs_request->task, "only this task's stream (a task id or prefix)");
  logs->add_option("--filter", logs_request->filter,
                   "a CloudWatch Logs filter pattern: terms, \"phrases\", ?any -not,\n"
                   "{ $.json.path = value }, [space, delimited] (docs/logs.md)");
  AddCommonOptions(logs, *logs_flags, "10m");
  logs->callback([logs_flags, logs_request] { Finish(Logs(*logs_flags, *logs_request), "logs"); });

  auto query_flags = std::make_shared<LogFlags>();
  auto query_request = std::make_shared<QueryRequest>();
  CLI::App* query = app.add_subcommand(
      "query",
      "Run a Logs Insights query over stored log events and print the result table.\n"
      "Examples:\n"
      "  ck query 'stats count(*) by bin(1m)' --since 1h\n"
      "  ck query 'filter level = \"error\" | fields @timestamp, service, msg' --group list-api\n"
      "  ck query 'fields @timestamp, @message | filter @message like /timeout/' --all --json\n"
      "The language: docs/logs-insights.md.");
  query->add_option("query", query_request->query, "the Logs Insights query")->required();
  query->add_option("--group", query_request->groups,
                    "log groups (or service names) to search; repeatable; default: every group");
  query->add_flag("--all", query_request->all,
                  "return every row, past Insights' default 1,000 and maximum 10,000\n"
                  "(an explicit `limit` still applies), paging through the collector");
  AddCommonOptions(query, *query_flags, "1h");
  query->callback(
      [query_flags, query_request] { Finish(Query(*query_flags, *query_request), "query"); });
}

}  // namespace ck::cli
