#include "collector/otlp/otlp_logs_protobuf.h"

#include <cstdint>
#include <utility>

#include "collector/otlp/otlp_protobuf_common.h"
#include "collector/otlp/protobuf_reader.h"
#include "collector/otlp/protobuf_writer.h"
#include "core/crypto.h"
#include "core/utf8.h"

namespace ck::collector::otlp {
namespace {

constexpr WireType kBytes = WireType::kLengthDelimited;

// Field numbers, from opentelemetry-proto logs/v1 and collector/logs/v1.
namespace field {
constexpr uint32_t kRequestResourceLogs = 1;
constexpr uint32_t kResourceLogsResource = 1;
constexpr uint32_t kResourceLogsScopeLogs = 2;
constexpr uint32_t kResourceLogsLegacyLibraryLogs = 1000;
constexpr uint32_t kScopeLogsScope = 1;
constexpr uint32_t kScopeLogsLogRecords = 2;
constexpr uint32_t kRecordTime = 1;
constexpr uint32_t kRecordSeverityNumber = 2;
constexpr uint32_t kRecordSeverityText = 3;
constexpr uint32_t kRecordBody = 5;
constexpr uint32_t kRecordAttributes = 6;
constexpr uint32_t kRecordTraceId = 9;
constexpr uint32_t kRecordSpanId = 10;
constexpr uint32_t kRecordObservedTime = 11;
}  // namespace field

Status ParseLogRecord(ProtobufReader reader, OtlpWireLogRecord* record) {
  while (!reader.AtEnd()) {
    CK_ASSIGN_OR_RETURN(ProtobufField f, reader.Next());
    if (f.Is(field::kRecordTime, WireType::kFixed64)) {
      record->time_unix_nano = f.value;
    } else if (f.Is(field::kRecordObservedTime, WireType::kFixed64)) {
      record->observed_time_unix_nano = f.value;
    } else if (f.Is(field::kRecordSeverityNumber, WireType::kVarint)) {
      record->severity_number = f.AsInt32();
    } else if (f.Is(field::kRecordSeverityText, kBytes)) {
      record->severity_text = ToValidUtf8(f.bytes);
    } else if (f.Is(field::kRecordBody, kBytes)) {
      CK_ASSIGN_OR_RETURN(ProtobufReader inner, reader.Enter(f.bytes));
      CK_RETURN_IF_ERROR(protobuf_codec::ParseAnyValue(inner, &record->body));
    } else if (f.Is(field::kRecordAttributes, kBytes)) {
      CK_RETURN_IF_ERROR(protobuf_codec::AppendAttribute(reader, f.bytes, &record->attributes));
    } else if (f.Is(field::kRecordTraceId, kBytes)) {
      record->trace_id = HexEncode(f.bytes);
    } else if (f.Is(field::kRecordSpanId, kBytes)) {
      record->span_id = HexEncode(f.bytes);
    }
  }
  return Status::Ok();
}

Status ParseScopeLogs(ProtobufReader reader, const std::string& service, size_t resource_index,
                      size_t scope_index, OtlpLogsRequest* request) {
  // The scope may follow the records on the wire: read it first, then the records.
  std::string scope_name;
  std::string scope_version;
  ProtobufReader scope_pass = reader;
  while (!scope_pass.AtEnd()) {
    CK_ASSIGN_OR_RETURN(ProtobufField f, scope_pass.Next());
    if (f.Is(field::kScopeLogsScope, kBytes)) {
      CK_ASSIGN_OR_RETURN(ProtobufReader inner, scope_pass.Enter(f.bytes));
      CK_RETURN_IF_ERROR(protobuf_codec::ParseScope(inner, &scope_name, &scope_version));
    }
  }
  size_t record_index = 0;
  while (!reader.AtEnd()) {
    CK_ASSIGN_OR_RETURN(ProtobufField f, reader.Next());
    if (!f.Is(field::kScopeLogsLogRecords, kBytes)) continue;
    CK_ASSIGN_OR_RETURN(ProtobufReader inner, reader.Enter(f.bytes));
    OtlpWireLogRecord wire;
    CK_RETURN_IF_ERROR(ParseLogRecord(inner, &wire));
    AddOtlpLogRecord(std::move(wire), service, scope_name,
                     {resource_index, scope_index, record_index++}, request);
  }
  return Status::Ok();
}

Status ParseResourceLogs(ProtobufReader reader, size_t resource_index, OtlpLogsRequest* request) {
  // Same for the resource: its service names every record of the message.
  OtlpAttributes resource_attributes;
  ProtobufReader resource_pass = reader;
  while (!resource_pass.AtEnd()) {
    CK_ASSIGN_OR_RETURN(ProtobufField f, resource_pass.Next());
    if (f.Is(field::kResourceLogsResource, kBytes)) {
      CK_ASSIGN_OR_RETURN(ProtobufReader inner, resource_pass.Enter(f.bytes));
      CK_RETURN_IF_ERROR(protobuf_codec::ParseResource(inner, &resource_attributes));
    }
  }
  const std::string service = OtlpServiceName(resource_attributes);
  size_t scope_index = 0;
  while (!reader.AtEnd()) {
    CK_ASSIGN_OR_RETURN(ProtobufField f, reader.Next());
    if (!f.Is(field::kResourceLogsScopeLogs, kBytes) &&
        !f.Is(field::kResourceLogsLegacyLibraryLogs, kBytes)) {
      continue;
    }
    CK_ASSIGN_OR_RETURN(ProtobufReader inner, reader.Enter(f.bytes));
    CK_RETURN_IF_ERROR(ParseScopeLogs(inner, service, resource_index, scope_index++, request));
  }
  return Status::Ok();
}

ProtobufWriter EncodeRecord(const OtlpLogRecord& record) {
  ProtobufWriter out;
  out.WriteFixed64(field::kRecordTime, static_cast<uint64_t>(record.time_unix_nano));
  out.WriteFixed64(field::kRecordObservedTime,
                   static_cast<uint64_t>(record.observed_time_unix_nano));
  if (record.severity_number != 0) {
    out.WriteInt64(field::kRecordSeverityNumber, record.severity_number);
  }
  if (!record.severity_text.empty()) {
    out.WriteString(field::kRecordSeverityText, record.severity_text);
  }
  out.WriteMessage(field::kRecordBody, protobuf_codec::EncodeAnyValue(record.body));
  protobuf_codec::EncodeAttributes(field::kRecordAttributes,
                                   OtlpAttributesFromJson(record.attributes), &out);
  if (!record.trace_id.empty()) {
    out.WriteString(field::kRecordTraceId, protobuf_codec::IdToBytes(record.trace_id));
  }
  if (!record.span_id.empty()) {
    out.WriteString(field::kRecordSpanId, protobuf_codec::IdToBytes(record.span_id));
  }
  return out;
}

}  // namespace

Result<OtlpLogsRequest> DecodeOtlpLogsProtobuf(std::string_view bytes) {
  OtlpLogsRequest request;
  ProtobufReader reader(bytes);
  Status status = [&]() -> Status {
    size_t resource_index = 0;
    while (!reader.AtEnd()) {
      CK_ASSIGN_OR_RETURN(ProtobufField f, reader.Next());
      if (!f.Is(field::kRequestResourceLogs, kBytes)) continue;
      CK_ASSIGN_OR_RETURN(ProtobufReader inner, reader.Enter(f.bytes));
      CK_RETURN_IF_ERROR(ParseResourceLogs(inner, resource_index++, &request));
    }
    return Status::Ok();
  }();
  if (!status.ok()) {
    return InvalidArgument("request body is not a valid protobuf ExportLogsServiceRequest: " +
                           status.message());
  }
  return request;
}

std::string EncodeOtlpLogsProtobuf(const OtlpLogsRequest& request) {
  ProtobufWriter out;
  size_t i = 0;
  const auto& records = request.records;
  while (i < records.size()) {
    // One ResourceLogs per run of records of one service, one ScopeLogs per run of one scope.
    ProtobufWriter resource_logs;
    resource_logs.WriteMessage(
        field::kResourceLogsResource,
        protobuf_codec::EncodeResource({{"service.name", records[i].service_name}}));
    const std::string& service = records[i].service_name;
    while (i < records.size() && records[i].service_name == service) {
      ProtobufWriter scope_logs;
      const std::string& scope = records[i].scope_name;
      scope_logs.WriteMessage(field::kScopeLogsScope, protobuf_codec::EncodeScope(scope, ""));
      while (i < records.size() && records[i].service_name == service &&
             records[i].scope_name == scope) {
        scope_logs.WriteMessage(field::kScopeLogsLogRecords, EncodeRecord(records[i]));
        ++i;
      }
      resource_logs.WriteMessage(field::kResourceLogsScopeLogs, scope_logs);
    }
    out.WriteMessage(field::kRequestResourceLogs, resource_logs);
  }
  return std::move(out).Take();
}

}  // namespace ck::collector::otlp
