// LogsApi: the CloudWatch Logs API the collector serves on its TCP API port, as a pure handler.
//
// CloudWatch Logs' JSON 1.1 protocol: `POST /` with `X-Amz-Target: Logs_20140328.<Operation>`
// and an `application/x-amz-json-1.1` body, so the AWS SDKs and CLI work against it with an
// endpoint override. Operations:
//   CreateLogGroup, DeleteLogGroup, DescribeLogGroups, PutRetentionPolicy, DeleteRetentionPolicy,
//   CreateLogStream, DeleteLogStream, DescribeLogStreams, PutLogEvents, GetLogEvents,
//   FilterLogEvents (filter patterns; without a log group it searches every group — our
//   extension, used to list a trace's log events), GetLogRecord,
//   StartQuery, GetQueryResults, StopQuery, DescribeQueries (Logs Insights; queries run to
//   completion inside StartQuery, so GetQueryResults always answers "Complete").
// Errors have CloudWatch's shape: status 400 and {"__type": "<Exception>", "message": "..."}
// (ResourceNotFoundException, ResourceAlreadyExistsException, InvalidParameterException,
// MalformedQueryException, SerializationException, UnknownOperationException); storage failures
// are 500 ServiceUnavailableException.
//
// One REST extension beside it, for result sets larger than Insights' 10,000-row limit:
//   POST /v1/logs/query  {"queryString", "logGroupNames"?, "startTime", "endTime" (epoch s),
//                         "pageSize"? (1..10000, default 1000), "nextToken"?}
//   -> {"queryId", "columns": [...], "rows": [[cell|null, ...]], "statistics", "nextToken"?}
// Without a `limit` command the whole result is paged (up to 1,000,000 rows).
//
//   LogsApi api(store);
//   if (LogsApi::Accepts(request)) response = api.Handle(request);  // blocks on SQLite: off-I/O
//
// Thread-safety: Handle() from one thread at a time (the collector's query thread).
#pragma once

#include <memory>
#include <nlohmann/json.hpp>

#include "collector/logs/log_store.h"
#include "core/clock.h"
#include "http/message.h"

namespace ck::collector {

class InsightsQueries;

class LogsApi {
 public:
  explicit LogsApi(logs::LogStore& store, const Clock& clock = SystemClock::Instance());
  ~LogsApi();
  LogsApi(const LogsApi&) = delete;
  LogsApi& operator=(const LogsApi&) = delete;

  // True for requests this API serves (a Logs_20140328 target, or the /v1/logs/ extension).
  static bool Accepts(const http::HttpRequest& request);

  http::HttpResponse Handle(const http::HttpRequest& request);

 private:
  logs::LogStore& store_;
  const Clock& clock_;
  std::unique_ptr<InsightsQueries> queries_;
};

}  // namespace ck::collector
