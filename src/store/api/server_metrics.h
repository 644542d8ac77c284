// DynamoDbServerMetrics: the RED metrics of `ck dynamodb` (docs/metrics.md), declared once on the
// server's MetricsRegistry:
//
//   ck_dynamodb_requests_total{operation,outcome,error_type}   counter
//   ck_dynamodb_request_duration_seconds{operation}            histogram
//   ck_dynamodb_database_bytes                                 gauge (SQLite file + WAL, at scrape)
//
// `operation` is the X-Amz-Target operation when the server implements it and "Unknown"
// otherwise; `outcome` is ok (2xx), error (4xx), throttle (429, ThrottlingException,
// ProvisionedThroughputExceededException) or fault (5xx); `error_type` is
// the DynamoDB exception name of an error answer ("ConditionalCheckFailedException",
// "ValidationException"; empty on success) — a closed set the server itself produces, so every
// label stays bounded. Only API calls (POST) count: the `GET /` health line does not.
//
//   CK_ASSIGN_OR_RETURN(auto metrics, DynamoDbServerMetrics::Create(registry, database_path));
//   http::HttpResponse response = service->Handle(request);
//   metrics->Record(request, response, seconds);
//
// Thread-safety: Record() is thread-safe (see telemetry/metrics.h).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "http/message.h"
#include "telemetry/metrics.h"

namespace ck::store::api {

class DynamoDbServerMetrics {
 public:
  // `database_path`: the SQLite file whose size (with its -wal file) is reported.
  static Result<std::unique_ptr<DynamoDbServerMetrics>> Create(telemetry::MetricsRegistry& registry,
                                                               std::string database_path);
  // One answered request and how long it took (queueing for the storage thread included).
  void Record(const http::HttpRequest& request, const http::HttpResponse& response, double seconds);

 private:
  DynamoDbServerMetrics(telemetry::CounterFamily* requests, telemetry::HistogramFamily* durations)
      : requests_(requests), durations_(durations) {}
  telemetry::CounterFamily* const requests_;
  telemetry::HistogramFamily* const durations_;
};

// The operation label of a request (see above).
std::string_view OperationLabel(const http::HttpRequest& request);
// The exception name of a DynamoDB error answer ({"__type":"<namespace>#<Name>",...}), or empty.
std::string_view ErrorTypeOf(const http::HttpResponse& response);

}  // namespace ck::store::api
