#include "collector/otlp/otlp_trace_protobuf.h"

#include <cstdint>

#include "collector/otlp/otlp_protobuf_common.h"
#include "collector/otlp/protobuf_reader.h"
#include "collector/otlp/protobuf_writer.h"
#include "core/crypto.h"
#include "core/utf8.h"

namespace ck::collector::otlp {
namespace {

using protobuf_codec::AppendAttribute;
using protobuf_codec::EncodeAttributes;
constexpr WireType kBytes = WireType::kLengthDelimited;

// Field numbers, from opentelemetry-proto trace/v1 and collector/trace/v1.
namespace field {
constexpr uint32_t kRequestResourceSpans = 1;
constexpr uint32_t kResourceSpansResource = 1;
constexpr uint32_t kResourceSpansScopeSpans = 2;
constexpr uint32_t kResourceSpansLegacyLibrarySpans = 1000;
constexpr uint32_t kScopeSpansScope = 1;
constexpr uint32_t kScopeSpansSpans = 2;
constexpr uint32_t kSpanTraceId = 1;
constexpr uint32_t kSpanSpanId = 2;
constexpr uint32_t kSpanParentSpanId = 4;
constexpr uint32_t kSpanName = 5;
constexpr uint32_t kSpanKind = 6;
constexpr uint32_t kSpanStartTime = 7;
constexpr uint32_t kSpanEndTime = 8;
constexpr uint32_t kSpanAttributes = 9;
constexpr uint32_t kSpanEvents = 11;
constexpr uint32_t kSpanStatus = 15;
constexpr uint32_t kEventTime = 1;
constexpr uint32_t kEventName = 2;
constexpr uint32_t kEventAttributes = 3;
constexpr uint32_t kStatusMessage = 2;
constexpr uint32_t kStatusCode = 3;
}  // namespace field

// ---- reading ----

Status ParseEvent(ProtobufReader reader, OtlpEvent* event) {
  while (!reader.AtEnd()) {
    CK_ASSIGN_OR_RETURN(ProtobufField f, reader.Next());
    if (f.Is(field::kEventTime, WireType::kFixed64)) {
      event->time_unix_nano = f.value;
    } else if (f.Is(field::kEventName, kBytes)) {
      event->name = ToValidUtf8(f.bytes);
    } else if (f.Is(field::kEventAttributes, kBytes)) {
      CK_RETURN_IF_ERROR(AppendAttribute(reader, f.bytes, &event->attributes));
    }
  }
  return Status::Ok();
}

Status ParseStatus(ProtobufReader reader, OtlpSpan* span) {
  while (!reader.AtEnd()) {
    CK_ASSIGN_OR_RETURN(ProtobufField f, reader.Next());
    if (f.Is(field::kStatusMessage, kBytes)) {
      span->status_message = ToValidUtf8(f.bytes);
    } else if (f.Is(field::kStatusCode, WireType::kVarint)) {
      span->status_code = f.AsInt32();
    }
  }
  return Status::Ok();
}

Status ParseSpan(ProtobufReader reader, OtlpSpan* span) {
  while (!reader.AtEnd()) {
    CK_ASSIGN_OR_RETURN(ProtobufField f, reader.Next());
    if (f.wire_type == kBytes) {
      switch (f.number) {
        case field::kSpanTraceId:
          span->trace_id = HexEncode(f.bytes);
          break;
        case field::kSpanSpanId:
          span->span_id = HexEncode(f.bytes);
          break;
        case field::kSpanParentSpanId:
          span->parent_span_id = HexEncode(f.bytes);
          break;
        case field::kSpanName:
          span->name = ToValidUtf8(f.bytes);
          break;
        case field::kSpanAttributes:
          CK_RETURN_IF_ERROR(AppendAttribute(reader, f.bytes, &span->attributes));
          break;
        case field::kSpanEvents: {
          CK_ASSIGN_OR_RETURN(ProtobufReader inner, reader.Enter(f.bytes));
          CK_RETURN_IF_ERROR(ParseEvent(inner, &span->events.emplace_back()));
          break;
        }
        case field::kSpanStatus: {
          CK_ASSIGN_OR_RETURN(ProtobufReader inner, reader.Enter(f.bytes));
          CK_RETURN_IF_ERROR(ParseStatus(inner, span));
          break;
        }
        default:
          break;
      }
    } else if (f.Is(field::kSpanKind, WireType::kVarint)) {
      span->kind = f.AsInt32();
    } else if (f.Is(field::kSpanStartTime, WireType::kFixed64)) {
      span->start_time_unix_nano = f.value;
    } else if (f.Is(field::kSpanEndTime, WireType::kFixed64)) {
      span->end_time_unix_nano = f.value;
    }
  }
  return Status::Ok();
}

Status ParseScopeSpans(ProtobufReader reader, OtlpScopeSpans* scope) {
  while (!reader.AtEnd()) {
    CK_ASSIGN_OR_RETURN(ProtobufField f, reader.Next());
    if (f.Is(field::kScopeSpansScope, kBytes)) {
      CK_ASSIGN_OR_RETURN(ProtobufReader inner, reader.Enter(f.bytes));
      CK_RETURN_IF_ERROR(
          protobuf_codec::ParseScope(inner, &scope->scope_name, &scope->scope_version));
    } else if (f.Is(field::kScopeSpansSpans, kBytes)) {
      CK_ASSIGN_OR_RETURN(ProtobufReader inner, reader.Enter(f.bytes));
      CK_RETURN_IF_ERROR(ParseSpan(inner, &scope->spans.emplace_back()));
    }
  }
  return Status::Ok();
}

Status ParseResourceSpans(ProtobufReader reader, OtlpResourceSpans* resource) {
  while (!reader.AtEnd()) {
    CK_ASSIGN_OR_RETURN(ProtobufField f, reader.Next());
    if (f.Is(field::kResourceSpansResource, kBytes)) {
      CK_ASSIGN_OR_RETURN(ProtobufReader inner, reader.Enter(f.bytes));
      CK_RETURN_IF_ERROR(protobuf_codec::ParseResource(inner, &resource->resource_attributes));
    } else if (f.Is(field::kResourceSpansScopeSpans, kBytes) ||
               f.Is(field::kResourceSpansLegacyLibrarySpans, kBytes)) {
      CK_ASSIGN_OR_RETURN(ProtobufReader inner, reader.Enter(f.bytes));
      CK_RETURN_IF_ERROR(ParseScopeSpans(inner, &resource->scope_spans.emplace_back()));
    }
  }
  return Status::Ok();
}

// ---- writing ----

ProtobufWriter EncodeSpan(const OtlpSpan& span) {
  ProtobufWriter out;
  out.WriteString(field::kSpanTraceId, protobuf_codec::IdToBytes(span.trace_id));
  out.WriteString(field::kSpanSpanId, protobuf_codec::IdToBytes(span.span_id));
  if (!span.parent_span_id.empty()) {
    out.WriteString(field::kSpanParentSpanId, protobuf_codec::IdToBytes(span.parent_span_id));
  }
  out.WriteString(field::kSpanName, span.name);
  if (span.kind != 0) out.WriteInt64(field::kSpanKind, span.kind);
  out.WriteFixed64(field::kSpanStartTime, span.start_time_unix_nano);
  out.WriteFixed64(field::kSpanEndTime, span.end_time_unix_nano);
  EncodeAttributes(field::kSpanAttributes, span.attributes, &out);
  for (const OtlpEvent& event : span.events) {
    ProtobufWriter encoded;
    encoded.WriteFixed64(field::kEventTime, event.time_unix_nano);
    encoded.WriteString(field::kEventName, event.name);
    EncodeAttributes(field::kEventAttributes, event.attributes, &encoded);
    out.WriteMessage(field::kSpanEvents, encoded);
  }
  if (span.status_code != 0 || !span.status_message.empty()) {
    ProtobufWriter status;
    if (!span.status_message.empty())
      status.WriteString(field::kStatusMessage, span.status_message);
    if (span.status_code != 0) status.WriteInt64(field::kStatusCode, span.status_code);
    out.WriteMessage(field::kSpanStatus, status);
  }
  return out;
}

}  // namespace

Result<OtlpTraceRequest> ParseOtlpTraceProtobuf(std::string_view bytes) {
  OtlpTraceRequest request;
  ProtobufReader reader(bytes);
  Status status = [&]() -> Status {
    while (!reader.AtEnd()) {
      CK_ASSIGN_OR_RETURN(ProtobufField f, reader.Next());
      if (!f.Is(field::kRequestResourceSpans, kBytes)) continue;
      CK_ASSIGN_OR_RETURN(ProtobufReader inner, reader.Enter(f.bytes));
      CK_RETURN_IF_ERROR(ParseResourceSpans(inner, &request.resource_spans.emplace_back()));
    }
    return Status::Ok();
  }();
  if (!status.ok()) {
    return InvalidArgument("request body is not a valid protobuf ExportTraceServiceRequest: " +
                           status.message());
  }
  return request;
}

std::string EncodeOtlpTraceProtobuf(const OtlpTraceRequest& request,
                                    const std::vector<OtlpSpanPosition>& positions) {
  ProtobufWriter out;
  size_t next = 0;
  while (next < positions.size()) {
    const size_t resource_index = positions[next].resource;
    if (resource_index >= request.resource_spans.size()) break;
    const OtlpResourceSpans& resource = request.resource_spans[resource_index];
    ProtobufWriter resource_spans;
    resource_spans.WriteMessage(field::kResourceSpansResource,
                                protobuf_codec::EncodeResource(resource.resource_attributes));
    while (next < positions.size() && positions[next].resource == resource_index) {
      const size_t scope_index = positions[next].scope;
      if (scope_index >= resource.scope_spans.size()) return std::move(out).Take();
      const OtlpScopeSpans& scope = resource.scope_spans[scope_index];
      ProtobufWriter scope_spans;
      scope_spans.WriteMessage(field::kScopeSpansScope,
                               protobuf_codec::EncodeScope(scope.scope_name, scope.scope_version));
      for (; next < positions.size() && positions[next].resource == resource_index &&
             positions[next].scope == scope_index;
           ++next) {
        if (positions[next].span < scope.spans.size()) {
          scope_spans.WriteMessage(field::kScopeSpansSpans,
                                   EncodeSpan(scope.spans[positions[next].span]));
        }
      }
      resource_spans.WriteMessage(field::kResourceSpansScopeSpans, scope_spans);
    }
    out.WriteMessage(field::kRequestResourceSpans, resource_spans);
  }
  return std::move(out).Take();
}

std::string EncodeOtlpTraceProtobuf(const OtlpTraceRequest& request) {
  ProtobufWriter out;
  for (const OtlpResourceSpans& resource : request.resource_spans) {
    ProtobufWriter resource_spans;
    resource_spans.WriteMessage(field::kResourceSpansResource,
                                protobuf_codec::EncodeResource(resource.resource_attributes));
    for (const OtlpScopeSpans& scope : resource.scope_spans) {
      ProtobufWriter scope_spans;
      scope_spans.WriteMessage(field::kScopeSpansScope,
                               protobuf_codec::EncodeScope(scope.scope_name, scope.scope_version));
      for (const OtlpSpan& span : scope.spans) {
        scope_spans.WriteMessage(field::kScopeSpansSpans, EncodeSpan(span));
      }
      resource_spans.WriteMessage(field::kResourceSpansScopeSpans, scope_spans);
    }
    out.WriteMessage(field::kRequestResourceSpans, resource_spans);
  }
  return std::move(out).Take();
}

}  // namespace ck::collector::otlp
