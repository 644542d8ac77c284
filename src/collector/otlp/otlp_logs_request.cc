#include "collector/otlp/otlp_logs_request.h"

#include <limits>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "collector/otlp/otlp_json_common.h"
#include "core/hex.h"
#include "core/utf8.h"

namespace ck::collector::otlp {
namespace {

constexpr size_t kTraceIdHexDigits = 32;
constexpr size_t kSpanIdHexDigits = 16;

// Why `id` is not a valid optional id of `digits` hex digits; empty when it is.
std::string InvalidIdReason(std::string_view field, std::string_view id, size_t digits) {
  if (id.empty() || (id.size() == digits && IsAllHex(id))) return {};
  return fmt::format("{} must be empty or {} hex digits, got \"{}\"", field, digits,
                     TruncateUtf8(ToValidUtf8(id), 2 * kTraceIdHexDigits));
}

// A valid id in lower case; "" for an absent or all-zero (invalid, so "no trace") id.
std::string NormalizedId(std::string_view id) {
  return IsAllZeros(id) ? std::string() : AsciiLower(id);
}

int64_t UnixNanos(uint64_t nanos) {
  return nanos > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())
             ? 0
             : static_cast<int64_t>(nanos);
}

}  // namespace

void AddOtlpLogRecord(OtlpWireLogRecord wire, const std::string& service_name,
                      const std::string& scope_name, const OtlpLogRecordPosition& position,
                      OtlpLogsRequest* request) {
  std::string reason = InvalidIdReason("traceId", wire.trace_id, kTraceIdHexDigits);
  if (reason.empty()) reason = InvalidIdReason("spanId", wire.span_id, kSpanIdHexDigits);
  if (!reason.empty()) {
    if (request->rejected_log_records++ == 0) {
      request->error_message =
          fmt::format("resourceLogs[{}].scopeLogs[{}].logRecords[{}]: {}", position.resource,
                      position.scope, position.record, reason);
    }
    return;
  }
  OtlpLogRecord& record = request->records.emplace_back();
  record.service_name = service_name;
  record.scope_name = scope_name;
  record.time_unix_nano = UnixNanos(wire.time_unix_nano);
  record.observed_time_unix_nano = UnixNanos(wire.observed_time_unix_nano);
  record.severity_number = wire.severity_number;
  record.severity_text = wire.severity_text.empty() ? OtlpSeverityShortName(wire.severity_number)
                                                    : std::move(wire.severity_text);
  record.body = RenderOtlpLogBody(wire.body);
  record.attributes = OtlpAttributesToJson(wire.attributes);
  record.trace_id = NormalizedId(wire.trace_id);
  record.span_id = NormalizedId(wire.span_id);
}

std::string OtlpSeverityShortName(int severity_number) {
  static constexpr std::string_view kRanges[] = {"TRACE", "DEBUG", "INFO",
                                                 "WARN",  "ERROR", "FATAL"};
  if (severity_number < 1 || severity_number > 24) return {};
  int range = (severity_number - 1) / 4;
  int step = (severity_number - 1) % 4;
  std::string name(kRanges[range]);
  if (step > 0) name += std::to_string(step + 1);
  return name;
}

std::string RenderOtlpLogBody(const nlohmann::json& body) {
  if (body.is_null()) return {};
  if (body.is_string()) return body.get<std::string>();
  return json_codec::Dump(body);
}

}  // namespace ck::collector::otlp
