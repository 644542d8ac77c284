#include "collector/otlp/otlp_logs_json.h"

#include <cstdint>
#include <utility>

#include "collector/otlp/otlp_json_common.h"

namespace ck::collector::otlp {
namespace {

using json_codec::Find;
using json_codec::ForEach;
using json_codec::GetString;
using json_codec::GetUint64;
using json_codec::Path;
using nlohmann::json;

Status ParseLogRecord(const json& node, const Path& path, OtlpWireLogRecord* record) {
  if (const json* v = Find(node, "timeUnixNano", "time_unix_nano")) {
    CK_ASSIGN_OR_RETURN(record->time_unix_nano, GetUint64(*v, path.Key("timeUnixNano")));
  }
  if (const json* v = Find(node, "observedTimeUnixNano", "observed_time_unix_nano")) {
    CK_ASSIGN_OR_RETURN(record->observed_time_unix_nano,
                        GetUint64(*v, path.Key("observedTimeUnixNano")));
  }
  if (const json* v = Find(node, "severityNumber", "severity_number")) {
    CK_ASSIGN_OR_RETURN(
        record->severity_number,
        json_codec::GetEnum(
            *v, path.Key("severityNumber"),
            {"SEVERITY_NUMBER_UNSPECIFIED", "SEVERITY_NUMBER_TRACE",  "SEVERITY_NUMBER_TRACE2",
             "SEVERITY_NUMBER_TRACE3",      "SEVERITY_NUMBER_TRACE4", "SEVERITY_NUMBER_DEBUG",
             "SEVERITY_NUMBER_DEBUG2",      "SEVERITY_NUMBER_DEBUG3", "SEVERITY_NUMBER_DEBUG4",
             "SEVERITY_NUMBER_INFO",        "SEVERITY_NUMBER_INFO2",  "SEVERITY_NUMBER_INFO3",
             "SEVERITY_NUMBER_INFO4",       "SEVERITY_NUMBER_WARN",   "SEVERITY_NUMBER_WARN2",
             "SEVERITY_NUMBER_WARN3",       "SEVERITY_NUMBER_WARN4",  "SEVERITY_NUMBER_ERROR",
             "SEVERITY_NUMBER_ERROR2",      "SEVERITY_NUMBER_ERROR3", "SEVERITY_NUMBER_ERROR4",
             "SEVERITY_NUMBER_FATAL",       "SEVERITY_NUMBER_FATAL2", "SEVERITY_NUMBER_FATAL3",
             "SEVERITY_NUMBER_FATAL4"}));
  }
  if (const json* v = Find(node, "severityText", "severity_text")) {
    CK_ASSIGN_OR_RETURN(record->severity_text, GetString(*v, path.Key("severityText")));
  }
  if (const json* v = Find(node, "body", nullptr)) {
    CK_RETURN_IF_ERROR(json_codec::ParseAnyValue(*v, path.Key("body"), &record->body));
  }
  CK_RETURN_IF_ERROR(json_codec::ParseAttributes(node, path, &record->attributes));
  CK_ASSIGN_OR_RETURN(record->trace_id, json_codec::GetId(node, "traceId", "trace_id", path));
  CK_ASSIGN_OR_RETURN(record->span_id, json_codec::GetId(node, "spanId", "span_id", path));
  return Status::Ok();
}

Status ParseResourceLogs(const json& node, const Path& path, size_t resource_index,
                         OtlpLogsRequest* request) {
  OtlpAttributes resource_attributes;
  CK_RETURN_IF_ERROR(json_codec::ParseResource(node, path, &resource_attributes));
  const std::string service = OtlpServiceName(resource_attributes);
  size_t scope_index = 0;
  auto visit_scope = [&](const json& scope_node, const Path& scope_path) -> Status {
    std::string scope_name;
    std::string scope_version;
    CK_RETURN_IF_ERROR(json_codec::ParseScope(scope_node, scope_path, &scope_name, &scope_version));
    size_t record_index = 0;
    CK_RETURN_IF_ERROR(
        ForEach(scope_node, "logRecords", "log_records", scope_path,
                [&](const json& record_node, const Path& record_path) {
                  OtlpWireLogRecord wire;
                  CK_RETURN_IF_ERROR(ParseLogRecord(record_node, record_path, &wire));
                  AddOtlpLogRecord(std::move(wire), service, scope_name,
                                   {resource_index, scope_index, record_index++}, request);
                  return Status::Ok();
                }));
    ++scope_index;
    return Status::Ok();
  };
  CK_RETURN_IF_ERROR(ForEach(node, "scopeLogs", "scope_logs", path, visit_scope));
  return ForEach(node, "instrumentationLibraryLogs", "instrumentation_library_logs", path,
                 visit_scope);
}

json EncodeRecord(const OtlpLogRecord& record) {
  json out = {
      {"timeUnixNano", std::to_string(record.time_unix_nano)},
      {"observedTimeUnixNano", std::to_string(record.observed_time_unix_nano)},
      {"severityNumber", record.severity_number},
      {"severityText", record.severity_text},
      {"body", json_codec::EncodeAnyValue(record.body)},
      {"attributes", json_codec::EncodeAttributes(OtlpAttributesFromJson(record.attributes))}};
  if (!record.trace_id.empty()) out["traceId"] = record.trace_id;
  if (!record.span_id.empty()) out["spanId"] = record.span_id;
  return out;
}

}  // namespace

Result<OtlpLogsRequest> DecodeOtlpLogsJson(std::string_view text) {
  CK_ASSIGN_OR_RETURN(json document, json_codec::ParseDocument(text, "ExportLogsServiceRequest"));
  OtlpLogsRequest request;
  size_t resource_index = 0;
  CK_RETURN_IF_ERROR(ForEach(document, "resourceLogs", "resource_logs", Path{},
                             [&](const json& node, const Path& path) {
                               return ParseResourceLogs(node, path, resource_index++, &request);
                             }));
  return request;
}

std::string EncodeOtlpLogsJson(const OtlpLogsRequest& request) {
  json resource_logs = json::array();
  const OtlpLogRecord* previous = nullptr;
  for (const OtlpLogRecord& record : request.records) {
    bool same_service = previous != nullptr && previous->service_name == record.service_name;
    if (!same_service) {
      OtlpAttributes resource = {{"service.name", record.service_name}};
      resource_logs.push_back(
          {{"resource", {{"attributes", json_codec::EncodeAttributes(resource)}}},
           {"scopeLogs", json::array()}});
    }
    json& scopes = resource_logs.back()["scopeLogs"];
    if (!same_service || previous->scope_name != record.scope_name) {
      scopes.push_back({{"scope", json_codec::EncodeScope(record.scope_name, "")},
                        {"logRecords", json::array()}});
    }
    scopes.back()["logRecords"].push_back(EncodeRecord(record));
    previous = &record;
  }
  return json_codec::Dump({{"resourceLogs", std::move(resource_logs)}});
}

}  // namespace ck::collector::otlp
