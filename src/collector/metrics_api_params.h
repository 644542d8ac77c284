// Request parameters and replies of the CloudWatch metrics API (metrics_api.h), in CloudWatch's
// words.
//
// MetricsParams reads members of a JSON 1.0 request body and keeps the first violation, so a
// handler reads everything it needs and then checks error() once:
//
//   MetricsParams params(body);
//   std::optional<std::string> name = params.String("MetricName", /*required=*/true);
//   std::optional<int64_t> start_ms = params.TimestampMs("StartTime", /*required=*/true);
//   if (params.error()) return *params.error();
//
// Errors: an absent required member is MissingParameter ("The parameter Namespace is required."),
// a member of the wrong JSON type SerializationException, a malformed value
// InvalidParameterValue. Members of nested objects are named as CloudWatch's query protocol
// names them ("MetricData.member.2.Value").
// Thread-safety: plain values and pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "collector/alarms/alarm_types.h"
#include "collector/metrics/metric_store.h"
#include "collector/metrics/metric_types.h"
#include "core/status.h"

namespace ck::collector {

// A response body, or an error with `status`: CloudWatch's error code (`error_type`, the code
// its query protocol used and the x-amzn-query-error header carries) and a message.
struct MetricsReply {
  AlarmJson body = AlarmJson::object();
  std::string error_type;  // CloudWatch's error code ("InvalidParameterValue"); empty: success
  std::string message;
  int status = 200;

  static MetricsReply Ok(AlarmJson body) { return MetricsReply{std::move(body)}; }
  static MetricsReply Error(std::string type, std::string message, int status = 400) {
    return MetricsReply{AlarmJson::object(), std::move(type), std::move(message), status};
  }
  // Metric operations: InvalidArgument -> InvalidParameterValue, ResourceExhausted ->
  // LimitExceeded, NotFound -> 404 ResourceNotFound, anything else -> 500 InternalServiceError.
  static MetricsReply FromMetricStatus(const Status& status);
  // Alarm operations: InvalidArgument and FailedPrecondition -> ValidationError, NotFound ->
  // 404 ResourceNotFound, ResourceExhausted -> LimitExceeded, anything else -> 500
  // InternalServiceError.
  static MetricsReply FromAlarmStatus(const Status& status);
};

// The JSON 1.0 "__type" of an error code: the shape id CloudWatch's service model gives it
// ("InvalidParameterValue" -> "com.amazonaws.cloudwatch#InvalidParameterValueException",
// "ValidationError" -> "com.amazonaws.cloudwatch#ValidationException"); codes outside the model
// (SerializationException, UnknownOperationException) are the AWS service framework's
// ("com.amazon.coral.service#SerializationException").
std::string ErrorShapeId(std::string_view code);

class MetricsParams {
 public:
  // `prefix` names the object in messages: "" for the body, "MetricData.member.2." for a datum.
  explicit MetricsParams(const AlarmJson& body, std::string prefix = "")
      : body_(body), prefix_(std::move(prefix)) {}

  std::optional<std::string> String(std::string_view member, bool required);
  std::optional<double> Number(std::string_view member, bool required);
  std::optional<int64_t> Integer(std::string_view member, bool required);
  // Epoch seconds (a JSON number, fractions allowed) or an ISO 8601 string, as epoch ms.
  std::optional<int64_t> TimestampMs(std::string_view member, bool required);
  // A list of strings, at most `max_count`.
  std::vector<std::string> Strings(std::string_view member, size_t max_count, bool required);
  std::vector<double> Numbers(std::string_view member, size_t max_count);
  // [{Name, Value}], at most `max_count`; Value is required.
  std::vector<metrics::Dimension> Dimensions(std::string_view member, size_t max_count);
  // ListMetrics' [{Name, Value?}], at most `max_count`.
  std::vector<metrics::DimensionFilter> DimensionFilters(std::string_view member, size_t max_count);
  // The member when it is a JSON object (SerializationException otherwise), else null.
  const AlarmJson* Object(std::string_view member);
  // The member when it is a JSON array (SerializationException otherwise), else null.
  const AlarmJson* Array(std::string_view member, bool required);

  // Records a violation found by the handler itself (the first one wins).
  void Fail(std::string type, std::string message);
  const std::optional<MetricsReply>& error() const { return error_; }
  // prefix + member, for messages.
  std::string Name(std::string_view member) const { return prefix_ + std::string(member); }

 private:
  enum class Kind { kString, kNumber, kArray, kObject };
  const AlarmJson* Member(std::string_view member, Kind kind, bool required);
  // [{Name, Value}] pairs; Value absent only when not `value_required`.
  std::vector<std::pair<std::string, std::optional<std::string>>> NameValueList(
      std::string_view member, size_t max_count, bool value_required);

  const AlarmJson& body_;
  std::string prefix_;
  std::optional<MetricsReply> error_;
};

// PutMetricData's request: Namespace and MetricData as store datums (names, units and values are
// checked by the store when they are put). Returns the error reply, or nullopt on success.
std::optional<MetricsReply> ParsePutMetricData(const AlarmJson& body, int64_t now_ms,
                                               std::vector<metrics::MetricDatum>* data);

// A timestamp in an API response: epoch seconds as a JSON number (whole seconds as an integer).
AlarmJson EpochSeconds(int64_t ms);

}  // namespace ck::collector
