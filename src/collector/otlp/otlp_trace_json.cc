#include "collector/otlp/otlp_trace_json.h"

#include <cstdint>
#include <utility>

#include "collector/otlp/otlp_json_common.h"

namespace ck::collector::otlp {
namespace {

using json_codec::Expected;
using json_codec::Find;
using json_codec::ForEach;
using json_codec::GetEnum;
using json_codec::GetId;
using json_codec::GetString;
using json_codec::GetUint64;
using json_codec::ParseAttributes;
using json_codec::Path;
using nlohmann::json;

Status ParseSpan(const json& node, const Path& path, OtlpSpan* span) {
  CK_ASSIGN_OR_RETURN(span->trace_id, GetId(node, "traceId", "trace_id", path));
  CK_ASSIGN_OR_RETURN(span->span_id, GetId(node, "spanId", "span_id", path));
  CK_ASSIGN_OR_RETURN(span->parent_span_id, GetId(node, "parentSpanId", "parent_span_id", path));
  if (const json* v = Find(node, "name", nullptr)) {
    CK_ASSIGN_OR_RETURN(span->name, GetString(*v, path.Key("name")));
  }
  if (const json* v = Find(node, "kind", nullptr)) {
    CK_ASSIGN_OR_RETURN(span->kind,
                        GetEnum(*v, path.Key("kind"),
                                {"SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
                                 "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"}));
  }
  if (const json* v = Find(node, "startTimeUnixNano", "start_time_unix_nano")) {
    CK_ASSIGN_OR_RETURN(span->start_time_unix_nano, GetUint64(*v, path.Key("startTimeUnixNano")));
  }
  if (const json* v = Find(node, "endTimeUnixNano", "end_time_unix_nano")) {
    CK_ASSIGN_OR_RETURN(span->end_time_unix_nano, GetUint64(*v, path.Key("endTimeUnixNano")));
  }
  CK_RETURN_IF_ERROR(ParseAttributes(node, path, &span->attributes));
  CK_RETURN_IF_ERROR(ForEach(node, "events", nullptr, path, [&](const json& e, const Path& p) {
    OtlpEvent& event = span->events.emplace_back();
    if (const json* v = Find(e, "timeUnixNano", "time_unix_nano")) {
      CK_ASSIGN_OR_RETURN(event.time_unix_nano, GetUint64(*v, p.Key("timeUnixNano")));
    }
    if (const json* v = Find(e, "name", nullptr)) {
      CK_ASSIGN_OR_RETURN(event.name, GetString(*v, p.Key("name")));
    }
    return ParseAttributes(e, p, &event.attributes);
  }));
  if (const json* status = Find(node, "status", nullptr)) {
    Path status_path = path.Key("status");
    if (!status->is_object()) return Expected(status_path, "an object");
    if (const json* v = Find(*status, "code", nullptr)) {
      CK_ASSIGN_OR_RETURN(span->status_code,
                          GetEnum(*v, status_path.Key("code"),
                                  {"STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"}));
    }
    if (const json* v = Find(*status, "message", nullptr)) {
      CK_ASSIGN_OR_RETURN(span->status_message, GetString(*v, status_path.Key("message")));
    }
  }
  return Status::Ok();
}

Status ParseScopeSpans(const json& node, const Path& path, OtlpScopeSpans* scope) {
  CK_RETURN_IF_ERROR(json_codec::ParseScope(node, path, &scope->scope_name, &scope->scope_version));
  return ForEach(node, "spans", nullptr, path, [&](const json& span, const Path& p) {
    return ParseSpan(span, p, &scope->spans.emplace_back());
  });
}

Status ParseResourceSpans(const json& node, const Path& path, OtlpResourceSpans* resource) {
  CK_RETURN_IF_ERROR(json_codec::ParseResource(node, path, &resource->resource_attributes));
  auto visit = [&](const json& scope, const Path& p) {
    return ParseScopeSpans(scope, p, &resource->scope_spans.emplace_back());
  };
  CK_RETURN_IF_ERROR(ForEach(node, "scopeSpans", "scope_spans", path, visit));
  return ForEach(node, "instrumentationLibrarySpans", "instrumentation_library_spans", path, visit);
}

// ---- writing ----

json EncodeSpan(const OtlpSpan& span) {
  json out = {{"traceId", span.trace_id},
              {"spanId", span.span_id},
              {"name", span.name},
              {"kind", span.kind},
              {"startTimeUnixNano", std::to_string(span.start_time_unix_nano)},
              {"endTimeUnixNano", std::to_string(span.end_time_unix_nano)},
              {"attributes", json_codec::EncodeAttributes(span.attributes)}};
  if (!span.parent_span_id.empty()) out["parentSpanId"] = span.parent_span_id;
  if (!span.events.empty()) {
    json events = json::array();
    for (const OtlpEvent& event : span.events) {
      events.push_back({{"timeUnixNano", std::to_string(event.time_unix_nano)},
                        {"name", event.name},
                        {"attributes", json_codec::EncodeAttributes(event.attributes)}});
    }
    out["events"] = std::move(events);
  }
  json status = json::object();
  if (span.status_code != 0) status["code"] = span.status_code;
  if (!span.status_message.empty()) status["message"] = span.status_message;
  out["status"] = std::move(status);
  return out;
}

}  // namespace

Result<OtlpTraceRequest> ParseOtlpTraceJson(std::string_view text) {
  CK_ASSIGN_OR_RETURN(json document, json_codec::ParseDocument(text, "ExportTraceServiceRequest"));
  OtlpTraceRequest request;
  CK_RETURN_IF_ERROR(ForEach(
      document, "resourceSpans", "resource_spans", Path{}, [&](const json& r, const Path& p) {
        return ParseResourceSpans(r, p, &request.resource_spans.emplace_back());
      }));
  return request;
}

std::string EncodeOtlpTraceJson(const OtlpTraceRequest& request) {
  json resource_spans = json::array();
  for (const OtlpResourceSpans& resource : request.resource_spans) {
    json scope_spans = json::array();
    for (const OtlpScopeSpans& scope : resource.scope_spans) {
      json spans = json::array();
      for (const OtlpSpan& span : scope.spans) spans.push_back(EncodeSpan(span));
      scope_spans.push_back(
          {{"scope", json_codec::EncodeScope(scope.scope_name, scope.scope_version)},
           {"spans", std::move(spans)}});
    }
    resource_spans.push_back(
        {{"resource", {{"attributes", json_codec::EncodeAttributes(resource.resource_attributes)}}},
         {"scopeSpans", std::move(scope_spans)}});
  }
  return json_codec::Dump({{"resourceSpans", std::move(resource_spans)}});
}

}  // namespace ck::collector::otlp
