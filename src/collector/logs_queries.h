// InsightsQueries: Logs Insights queries behind the Logs API (StartQuery, GetQueryResults,
// StopQuery, DescribeQueries) and the paged /v1/logs/query extension (logs_api.h).
//
// A query runs to completion inside Start (on the caller's thread — the collector's query
// thread) and its result is kept under a query id for GetQueryResults: the most recent 32
// queries, of which at most 4 paged (unlimited) results, oldest dropped first.
//
// Thread-safety: one thread at a time, like LogsApi.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "collector/insights/query.h"
#include "collector/logs/log_store.h"
#include "collector/logs_api_params.h"
#include "core/clock.h"

namespace ck::collector {

class InsightsQueries {
 public:
  InsightsQueries(logs::LogStore& store, const Clock& clock) : store_(store), clock_(clock) {}

  LogsReply Start(const nlohmann::json& body);
  LogsReply Results(const nlohmann::json& body);
  LogsReply Stop(const nlohmann::json& body);
  LogsReply Describe(const nlohmann::json& body);
  LogsReply Paged(const nlohmann::json& body);

 private:
  struct Finished {
    std::string id;
    std::string query_string;
    std::vector<std::string> groups;
    int64_t created_ms = 0;
    bool paged = false;
    insights::QueryResult result;
  };

  // Parses and runs; the reply is an error or empty (then `*finished` holds the result).
  LogsReply Run(const nlohmann::json& body, bool paged, Finished* finished);
  const Finished* Find(const std::string& id) const;
  void Keep(Finished finished);

  logs::LogStore& store_;
  const Clock& clock_;
  std::deque<Finished> finished_;
};

}  // namespace ck::collector
