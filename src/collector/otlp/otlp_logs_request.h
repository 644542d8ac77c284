// OTLP log records as decoded from an ExportLogsServiceRequest (POST /v1/logs), and the rules
// that turn a wire LogRecord into one; otlp_logs_json.h and otlp_logs_protobuf.h both apply
// them, so the two encodings cannot disagree.
//
// Every LogRecord becomes one OtlpLogRecord, flattened with what it inherits:
//   service_name  the resource's service.name, else "unknown_service".
//   scope_name    ScopeLogs.scope.name ("" when unset).
//   times         time_unix_nano and observed_time_unix_nano as sent; 0 means unknown (a value
//                 past INT64_MAX, beyond the year 2262, becomes 0 too). OTLP's rule for one
//                 timestamp: time_unix_nano when set, else observed_time_unix_nano.
//   severity      severity_number as sent (OTLP defines 0-24; other numbers are kept);
//                 severity_text as sent or, when empty, the short name of the number in the OTel
//                 log data model: TRACE, TRACE2..4 (1-4), DEBUG (5-8), INFO (9-12), WARN
//                 (13-16), ERROR (17-20), FATAL (21-24); "" for 0 or out of range.
//   body          a string body verbatim; any other AnyValue as compact JSON text (42, true,
//                 1.5, [..], {..}); a bytes body as its base64 text; no body -> "".
//   attributes    the record's own attributes as one flat JSON object (a repeated key keeps its
//                 last value); resource and scope attributes are not copied in.
//   trace_id      32 lower-case hex digits, or "" when absent or all zero; span_id likewise with
//                 16. A record whose ids have another length or are not hex is rejected: counted
//                 in rejected_log_records, the first reason kept in error_message (OTLP partial
//                 success); the rest of the request is still accepted.
// Not kept: event_name, flags, dropped_attributes_count, schema_url, the scope's version and
// attributes, resource attributes other than service.name.
//
//   OtlpLogsRequest request;
//   AddOtlpLogRecord(std::move(wire), service, scope, {r, s, i}, &request);
//   for (const OtlpLogRecord& record : request.records) store(record);
//
// Thread-safety: value types and pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "collector/otlp/otlp_attributes.h"

namespace ck::collector::otlp {

// LogRecord.severity_number: the first number of each range (SeverityNumber in logs.proto).
inline constexpr int kOtlpSeverityUnspecified = 0;
inline constexpr int kOtlpSeverityTrace = 1;
inline constexpr int kOtlpSeverityDebug = 5;
inline constexpr int kOtlpSeverityInfo = 9;
inline constexpr int kOtlpSeverityWarn = 13;
inline constexpr int kOtlpSeverityError = 17;
inline constexpr int kOtlpSeverityFatal = 21;

struct OtlpLogRecord {
  std::string service_name;  // resource service.name
  int64_t time_unix_nano = 0;
  int64_t observed_time_unix_nano = 0;
  int severity_number = kOtlpSeverityUnspecified;
  std::string severity_text;
  std::string body;  // string body as is; any other AnyValue body rendered as JSON text
  nlohmann::json attributes = nlohmann::json::object();  // merged log attributes, flat object
  std::string trace_id;                                  // 32 hex lowercase or empty
  std::string span_id;                                   // 16 hex lowercase or empty
  std::string scope_name;
};

// A decoded export request: the accepted records and the OTLP partial-success numbers.
struct OtlpLogsRequest {
  std::vector<OtlpLogRecord> records;
  int64_t rejected_log_records = 0;
  std::string error_message;  // why the first rejected record was rejected; empty when none
};

// One LogRecord as a wire format reads it, before the rules above are applied.
struct OtlpWireLogRecord {
  uint64_t time_unix_nano = 0;
  uint64_t observed_time_unix_nano = 0;
  int severity_number = kOtlpSeverityUnspecified;
  std::string severity_text;
  nlohmann::json body;  // AnyValue as JSON (otlp_attributes.h); null when absent
  OtlpAttributes attributes;
  std::string trace_id;  // hex of the id bytes as sent (JSON: the text, lower-cased)
  std::string span_id;
};

// Where a record sits in its request, for the rejection message.
struct OtlpLogRecordPosition {
  size_t resource = 0;
  size_t scope = 0;
  size_t record = 0;
};

// Applies the rules above to `wire` and appends the record to request->records, or counts it
// in request->rejected_log_records.
void AddOtlpLogRecord(OtlpWireLogRecord wire, const std::string& service_name,
                      const std::string& scope_name, const OtlpLogRecordPosition& position,
                      OtlpLogsRequest* request);

// "INFO", "WARN3", ...; "" for 0 and numbers outside 1-24.
std::string OtlpSeverityShortName(int severity_number);

// The body as log message text (see "body" above).
std::string RenderOtlpLogBody(const nlohmann::json& body);

}  // namespace ck::collector::otlp
