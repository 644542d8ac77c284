#include "store/api/server_metrics.h"

#include <filesystem>

#include "store/api/dynamodb_service.h"
#include "telemetry/red_metrics.h"

namespace ck::store::api {

namespace {

constexpr std::string_view kTargetPrefix = "DynamoDB_20120810.";
constexpr std::string_view kUnknownOperation = "Unknown";

double FileBytes(const std::string& path) {
  std::error_code error;
  const uintmax_t size = std::filesystem::file_size(path, error);
  return error ? 0 : static_cast<double>(size);
}

}  // namespace

std::string_view OperationLabel(const http::HttpRequest& request) {
  std::string_view target = http::HeaderValue(request, "x-amz-target");
  if (target.substr(0, kTargetPrefix.size()) != kTargetPrefix) return kUnknownOperation;
  std::string_view operation = target.substr(kTargetPrefix.size());
  return IsImplementedOperation(operation) ? operation : kUnknownOperation;
}

std::string_view ErrorTypeOf(const http::HttpResponse& response) {
  // Error bodies start with the type (errors.cc ErrorBody), so no JSON parsing is needed.
  constexpr std::string_view kStart = "{\"__type\":\"";
  std::string_view body = response.body();
  if (body.substr(0, kStart.size()) != kStart) return {};
  body.remove_prefix(kStart.size());
  const size_t end = body.find('"');
  if (end == std::string_view::npos) return {};
  std::string_view type = body.substr(0, end);
  if (size_t hash = type.rfind('#'); hash != std::string_view::npos) type.remove_prefix(hash + 1);
  for (char c : type) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return {};
  }
  return type;
}

Result<std::unique_ptr<DynamoDbServerMetrics>> DynamoDbServerMetrics::Create(
    telemetry::MetricsRegistry& registry, std::string database_path) {
  CK_ASSIGN_OR_RETURN(
      telemetry::CounterFamily * requests,
      registry.AddCounter("ck_dynamodb_requests_total",
                          "DynamoDB API calls answered, by operation, outcome (ok, error, "
                          "throttle, fault) and DynamoDB exception name.",
                          {"operation", "outcome", "error_type"}));
  CK_ASSIGN_OR_RETURN(telemetry::HistogramFamily * durations,
                      registry.AddHistogram(
                          "ck_dynamodb_request_duration_seconds",
                          "Time from a DynamoDB API call's arrival to its answer.", {"operation"}));
  CK_RETURN_IF_ERROR(registry.AddGaugeCallback(
      "ck_dynamodb_database_bytes", "Size of the SQLite database file and its write-ahead log.",
      [path = std::move(database_path)] { return FileBytes(path) + FileBytes(path + "-wal"); }));
  return std::unique_ptr<DynamoDbServerMetrics>(new DynamoDbServerMetrics(requests, durations));
}

void DynamoDbServerMetrics::Record(const http::HttpRequest& request,
                                   const http::HttpResponse& response, double seconds) {
  if (request.method() != http::Verb::post) return;
  const std::string_view operation = OperationLabel(request);
  const int status = static_cast<int>(response.result_int());
  const std::string_view error_type = status >= 400 ? ErrorTypeOf(response) : std::string_view();
  telemetry::DependencyOutcome outcome = telemetry::OutcomeOfHttpStatus(status);
  if (error_type == "ThrottlingException" ||
      error_type == "ProvisionedThroughputExceededException") {
    outcome = telemetry::DependencyOutcome::kThrottle;  // DynamoDB throttles with HTTP 400
  }
  requests_->WithLabels({operation, telemetry::OutcomeName(outcome), error_type}).Increment();
  durations_->WithLabels({operation}).Observe(seconds);
}

}  // namespace ck::store::api
