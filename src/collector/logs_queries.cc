#include "collector/logs_queries.h"

#include <algorithm>

#include "core/crypto.h"

namespace ck::collector {

using nlohmann::json;

namespace {

constexpr size_t kKeptQueries = 32;
constexpr size_t kKeptPagedQueries = 4;
constexpr int64_t kMaxPageSize = 10'000;

json StatisticsJson(const insights::QueryStatistics& statistics) {
  return {{"recordsMatched", static_cast<double>(statistics.records_matched)},
          {"recordsScanned", static_cast<double>(statistics.records_scanned)},
          {"bytesScanned", static_cast<double>(statistics.bytes_scanned)}};
}

std::string NewQueryId() {
  std::string id = RandomHex(16);
  id.insert(20, "-").insert(16, "-").insert(12, "-").insert(8, "-");
  return id;
}

}  // namespace

LogsReply InsightsQueries::Run(const json& body, bool paged, Finished* finished) {
  Params params(body);
  std::vector<std::string> groups;
  if (body.contains("logGroupName")) groups.push_back(params.GroupName("logGroupName", true));
  for (const char* member : {"logGroupNames", "logGroupIdentifiers"}) {
    std::vector<std::string> named = params.GroupNames(member, 50);
    groups.insert(groups.end(), named.begin(), named.end());
  }
  const std::optional<int64_t> start = params.Int("startTime", 0, INT64_MAX / 1000);
  const std::optional<int64_t> end = params.Int("endTime", 0, INT64_MAX / 1000);
  const std::optional<std::string> text = params.String("queryString", 10'000);
  const std::optional<int64_t> limit = params.Int("limit", 1, kMaxPageSize);
  for (const auto& [value, member] :
       {std::pair{start.has_value(), "startTime"}, std::pair{end.has_value(), "endTime"},
        std::pair{text.has_value(), "queryString"}}) {
    if (!value) {
      params.Fail("InvalidParameterException",
                  std::string("1 validation error detected: Value null at '") + member +
                      "' failed to satisfy constraint: Member must not be null");
    }
  }
  if (!params.error() && *end < *start) {
    params.Fail("InvalidParameterException", "End time should not be before the start time");
  }
  if (params.error()) return *params.error();

  auto query = insights::ParseQuery(*text);
  if (!query.ok()) return LogsReply::Error("MalformedQueryException", query.status().message());
  insights::RunOptions options;
  options.insights_limits = !paged;
  if (limit) options.max_rows = static_cast<size_t>(*limit);
  insights::QueryRun run(*query, options);
  logs::ScanRequest request;
  request.groups = groups;
  request.start_ms = *start * 1000;
  request.end_ms = *end * 1000 + 999;  // endTime is inclusive, in seconds
  request.needs = insights::NeedsOf(**query);
  Status status =
      store_.Scan(request, [&run](const insights::LogEvent& event) { return run.Add(event); });
  if (!status.ok()) return LogsReply::FromStatus(status);

  finished->id = NewQueryId();
  finished->query_string = *text;
  finished->groups = std::move(groups);
  finished->created_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
          .count();
  finished->paged = paged;
  finished->result = run.Finish();
  return LogsReply::Ok(json::object());
}

const InsightsQueries::Finished* InsightsQueries::Find(const std::string& id) const {
  for (const Finished& finished : finished_) {
    if (finished.id == id) return &finished;
  }
  return nullptr;
}

void InsightsQueries::Keep(Finished finished) {
  if (finished.paged) {
    size_t paged = std::count_if(finished_.begin(), finished_.end(),
                                 [](const Finished& f) { return f.paged; });
    if (paged >= kKeptPagedQueries) {
      finished_.erase(std::find_if(finished_.begin(), finished_.end(),
                                   [](const Finished& f) { return f.paged; }));
    }
  }
  if (finished_.size() >= kKeptQueries) finished_.pop_front();
  finished_.push_back(std::move(finished));
}

LogsReply InsightsQueries::Start(const json& body) {
  Finished finished;
  LogsReply reply = Run(body, false, &finished);
  if (!reply.error_type.empty()) return reply;
  std::string id = finished.id;
  Keep(std::move(finished));
  return LogsReply::Ok({{"queryId", id}});
}

LogsReply InsightsQueries::Results(const json& body) {
  Params params(body);
  std::optional<std::string> id = params.String("queryId", 256);
  if (params.error()) return *params.error();
  const Finished* finished = id ? Find(*id) : nullptr;
  if (finished == nullptr) {
    return LogsReply::Error("ResourceNotFoundException", "Query does not exist.");
  }
  json rows = json::array();
  for (const auto& row : finished->result.rows) {
    json cells = json::array();
    for (size_t column = 0; column < row.size(); ++column) {
      if (!row[column]) continue;
      cells.push_back({{"field", finished->result.columns[column]}, {"value", *row[column]}});
    }
    rows.push_back(std::move(cells));
  }
  return LogsReply::Ok({{"results", std::move(rows)},
                        {"statistics", StatisticsJson(finished->result.statistics)},
                        {"status", "Complete"}});
}

LogsReply InsightsQueries::Stop(const json& body) {
  Params params(body);
  std::optional<std::string> id = params.String("queryId", 256);
  if (params.error()) return *params.error();
  if (!id || Find(*id) == nullptr) {
    return LogsReply::Error("ResourceNotFoundException", "Query does not exist.");
  }
  return LogsReply::Ok({{"success", false}});  // already complete
}

LogsReply InsightsQueries::Describe(const json& body) {
  Params params(body);
  std::string group = params.GroupName("logGroupName", false);
  std::optional<std::string> status = params.String("status", 32);
  const int64_t max_results = params.Int("maxResults", 1, 1000).value_or(1000);
  if (params.error()) return *params.error();
  json queries = json::array();
  for (auto it = finished_.rbegin(); it != finished_.rend(); ++it) {
    if (static_cast<int64_t>(queries.size()) >= max_results) break;
    if (status && *status != "Complete") continue;
    if (!group.empty() &&
        std::find(it->groups.begin(), it->groups.end(), group) == it->groups.end()) {
      continue;
    }
    json item = {{"queryId", it->id},
                 {"queryString", it->query_string},
                 {"status", "Complete"},
                 {"createTime", it->created_ms}};
    if (!it->groups.empty()) item["logGroupName"] = it->groups.front();
    queries.push_back(std::move(item));
  }
  return LogsReply::Ok({{"queries", std::move(queries)}});
}

LogsReply InsightsQueries::Paged(const json& body) {
  Params params(body);
  const int64_t page_size = params.Int("pageSize", 1, kMaxPageSize).value_or(1000);
  const std::optional<std::string> token = params.String("nextToken", 256);
  if (params.error()) return *params.error();
  const Finished* finished = nullptr;
  size_t offset = 0;
  if (token) {
    const size_t colon = token->rfind(':');
    if (colon != std::string::npos) {
      finished = Find(token->substr(0, colon));
      offset = std::strtoull(token->c_str() + colon + 1, nullptr, 10);
    }
    if (finished == nullptr || !finished->paged || offset > finished->result.rows.size()) {
      return LogsReply::Error("InvalidParameterException",
                              "The nextToken is invalid or its query has expired; run the query "
                              "again");
    }
  } else {
    Finished fresh;
    LogsReply reply = Run(body, true, &fresh);
    if (!reply.error_type.empty()) return reply;
    Keep(std::move(fresh));
    finished = &finished_.back();
  }
  const auto& result = finished->result;
  const size_t end = std::min(result.rows.size(), offset + static_cast<size_t>(page_size));
  json rows = json::array();
  for (size_t index = offset; index < end; ++index) {
    json cells = json::array();
    for (const auto& cell : result.rows[index]) cells.push_back(cell ? json(*cell) : json(nullptr));
    rows.push_back(std::move(cells));
  }
  json out = {{"queryId", finished->id},
              {"status", "Complete"},
              {"columns", result.columns},
              {"rows", std::move(rows)},
              {"statistics", StatisticsJson(result.statistics)},
              {"totalRows", result.rows.size()},
              {"truncated", result.truncated}};
  if (end < result.rows.size()) out["nextToken"] = finished->id + ":" + std::to_string(end);
  return LogsReply::Ok(std::move(out));
}

}  // namespace ck::collector
