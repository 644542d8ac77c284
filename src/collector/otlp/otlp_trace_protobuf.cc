#include "collector/otlp/otlp_trace_protobuf.h"

#include <cstdint>
#include <limits>

#include "collector/otlp/protobuf_reader.h"
#include "collector/otlp/protobuf_writer.h"
#include "collector/otlp/utf8.h"
#include "core/crypto.h"

namespace ck::collector::otlp {
namespace {

using nlohmann::json;
constexpr WireType kBytes = WireType::kLengthDelimited;

// Field numbers, from opentelemetry-proto (common, resource, trace, collector/trace).
namespace field {
constexpr uint32_t kRequestResourceSpans = 1;
constexpr uint32_t kResourceSpansResource = 1;
constexpr uint32_t kResourceSpansScopeSpans = 2;
constexpr uint32_t kResourceSpansLegacyLibrarySpans = 1000;
constexpr uint32_t kResourceAttributes = 1;
constexpr uint32_t kScopeSpansScope = 1;
constexpr uint32_t kScopeSpansSpans = 2;
constexpr uint32_t kScopeName = 1;
constexpr uint32_t kScopeVersion = 2;
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
constexpr uint32_t kKeyValueKey = 1;
constexpr uint32_t kKeyValueValue = 2;
constexpr uint32_t kAnyString = 1;
constexpr uint32_t kAnyBool = 2;
constexpr uint32_t kAnyInt = 3;
constexpr uint32_t kAnyDouble = 4;
constexpr uint32_t kAnyArray = 5;
constexpr uint32_t kAnyKvlist = 6;
constexpr uint32_t kAnyBytes = 7;
constexpr uint32_t kListValues = 1;  // ArrayValue.values and KeyValueList.values
}  // namespace field

// ---- reading ----

Status ParseKeyValue(ProtobufReader reader, std::string* key, json* value);

Status ParseAnyValue(ProtobufReader reader, json* value) {
  *value = nullptr;
  while (!reader.AtEnd()) {
    CK_ASSIGN_OR_RETURN(ProtobufField f, reader.Next());
    if (f.Is(field::kAnyString, kBytes)) {
      *value = ToValidUtf8(f.bytes);
    } else if (f.Is(field::kAnyBool, WireType::kVarint)) {
      *value = f.AsBool();
    } else if (f.Is(field::kAnyInt, WireType::kVarint)) {
      *value = f.AsInt64();
    } else if (f.Is(field::kAnyDouble, WireType::kFixed64)) {
      *value = f.AsDouble();
    } else if (f.Is(field::kAnyBytes, kBytes)) {
      *value = Base64Encode(f.bytes);
    } else if (f.Is(field::kAnyArray, kBytes) || f.Is(field::kAnyKvlist, kBytes)) {
      bool is_array = f.number == field::kAnyArray;
      json list = is_array ? json::array() : json::object();
      CK_ASSIGN_OR_RETURN(ProtobufReader inner, reader.Enter(f.bytes));
      while (!inner.AtEnd()) {
        CK_ASSIGN_OR_RETURN(ProtobufField item, inner.Next());
        if (!item.Is(field::kListValues, kBytes)) continue;
        CK_ASSIGN_OR_RETURN(ProtobufReader item_reader, inner.Enter(item.bytes));
        if (is_array) {
          json element;
          CK_RETURN_IF_ERROR(ParseAnyValue(item_reader, &element));
          list.push_back(std::move(element));
        } else {
          std::string key;
          json element;
          CK_RETURN_IF_ERROR(ParseKeyValue(item_reader, &key, &element));
          list[key] = std::move(element);
        }
      }
      *value = std::move(list);
    }
  }
  return Status::Ok();
}

Status ParseKeyValue(ProtobufReader reader, std::string* key, json* value) {
  *value = nullptr;
  while (!reader.AtEnd()) {
    CK_ASSIGN_OR_RETURN(ProtobufField f, reader.Next());
    if (f.Is(field::kKeyValueKey, kBytes)) {
      *key = ToValidUtf8(f.bytes);
    } else if (f.Is(field::kKeyValueValue, kBytes)) {
      CK_ASSIGN_OR_RETURN(ProtobufReader inner, reader.Enter(f.bytes));
      CK_RETURN_IF_ERROR(ParseAnyValue(inner, value));
    }
  }
  return Status::Ok();
}

Status AppendAttribute(const ProtobufReader& reader, std::string_view bytes,
                       OtlpAttributes* attributes) {
  CK_ASSIGN_OR_RETURN(ProtobufReader inner, reader.Enter(bytes));
  std::string key;
  json value;
  CK_RETURN_IF_ERROR(ParseKeyValue(inner, &key, &value));
  attributes->emplace_back(std::move(key), std::move(value));
  return Status::Ok();
}

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

Status ParseScope(ProtobufReader reader, OtlpScopeSpans* scope) {
  while (!reader.AtEnd()) {
    CK_ASSIGN_OR_RETURN(ProtobufField f, reader.Next());
    if (f.Is(field::kScopeName, kBytes)) {
      scope->scope_name = ToValidUtf8(f.bytes);
    } else if (f.Is(field::kScopeVersion, kBytes)) {
      scope->scope_version = ToValidUtf8(f.bytes);
    }
  }
  return Status::Ok();
}

Status ParseScopeSpans(ProtobufReader reader, OtlpScopeSpans* scope) {
  while (!reader.AtEnd()) {
    CK_ASSIGN_OR_RETURN(ProtobufField f, reader.Next());
    if (f.Is(field::kScopeSpansScope, kBytes)) {
      CK_ASSIGN_OR_RETURN(ProtobufReader inner, reader.Enter(f.bytes));
      CK_RETURN_IF_ERROR(ParseScope(inner, scope));
    } else if (f.Is(field::kScopeSpansSpans, kBytes)) {
      CK_ASSIGN_OR_RETURN(ProtobufReader inner, reader.Enter(f.bytes));
      CK_RETURN_IF_ERROR(ParseSpan(inner, &scope->spans.emplace_back()));
    }
  }
  return Status::Ok();
}

Status ParseResource(ProtobufReader reader, OtlpAttributes* attributes) {
  while (!reader.AtEnd()) {
    CK_ASSIGN_OR_RETURN(ProtobufField f, reader.Next());
    if (f.Is(field::kResourceAttributes, kBytes)) {
      CK_RETURN_IF_ERROR(AppendAttribute(reader, f.bytes, attributes));
    }
  }
  return Status::Ok();
}

Status ParseResourceSpans(ProtobufReader reader, OtlpResourceSpans* resource) {
  while (!reader.AtEnd()) {
    CK_ASSIGN_OR_RETURN(ProtobufField f, reader.Next());
    if (f.Is(field::kResourceSpansResource, kBytes)) {
      CK_ASSIGN_OR_RETURN(ProtobufReader inner, reader.Enter(f.bytes));
      CK_RETURN_IF_ERROR(ParseResource(inner, &resource->resource_attributes));
    } else if (f.Is(field::kResourceSpansScopeSpans, kBytes) ||
               f.Is(field::kResourceSpansLegacyLibrarySpans, kBytes)) {
      CK_ASSIGN_OR_RETURN(ProtobufReader inner, reader.Enter(f.bytes));
      CK_RETURN_IF_ERROR(ParseScopeSpans(inner, &resource->scope_spans.emplace_back()));
    }
  }
  return Status::Ok();
}

// ---- writing ----

// Ids that are not hex cannot be written as bytes; one zero byte keeps them invalid.
std::string IdToBytes(std::string_view hex) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  const std::string kInvalid(1, '\0');
  if (hex.size() % 2 != 0) return kInvalid;
  std::string bytes;
  for (size_t i = 0; i < hex.size(); i += 2) {
    int high = nibble(hex[i]);
    int low = nibble(hex[i + 1]);
    if (high < 0 || low < 0) return kInvalid;
    bytes.push_back(static_cast<char>(high * 16 + low));
  }
  return bytes;
}

ProtobufWriter EncodeKeyValue(const std::string& key, const json& value);

ProtobufWriter EncodeAnyValue(const json& value) {
  ProtobufWriter out;
  switch (value.type()) {
    case json::value_t::string:
      out.WriteString(field::kAnyString, value.get_ref<const std::string&>());
      break;
    case json::value_t::boolean:
      out.WriteBool(field::kAnyBool, value.get<bool>());
      break;
    case json::value_t::number_integer:
      out.WriteInt64(field::kAnyInt, value.get<int64_t>());
      break;
    case json::value_t::number_unsigned:
      if (value.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        out.WriteInt64(field::kAnyInt, value.get<int64_t>());
      } else {
        out.WriteDouble(field::kAnyDouble, value.get<double>());
      }
      break;
    case json::value_t::number_float:
      out.WriteDouble(field::kAnyDouble, value.get<double>());
      break;
    case json::value_t::array: {
      ProtobufWriter list;
      for (const json& element : value)
        list.WriteMessage(field::kListValues, EncodeAnyValue(element));
      out.WriteMessage(field::kAnyArray, list);
      break;
    }
    case json::value_t::object: {
      ProtobufWriter list;
      for (const auto& [key, element] : value.items()) {
        list.WriteMessage(field::kListValues, EncodeKeyValue(key, element));
      }
      out.WriteMessage(field::kAnyKvlist, list);
      break;
    }
    default:
      break;  // null: an empty AnyValue
  }
  return out;
}

ProtobufWriter EncodeKeyValue(const std::string& key, const json& value) {
  ProtobufWriter out;
  out.WriteString(field::kKeyValueKey, key);
  out.WriteMessage(field::kKeyValueValue, EncodeAnyValue(value));
  return out;
}

void EncodeAttributes(uint32_t number, const OtlpAttributes& attributes, ProtobufWriter* out) {
  for (const auto& [key, value] : attributes) out->WriteMessage(number, EncodeKeyValue(key, value));
}

ProtobufWriter EncodeSpan(const OtlpSpan& span) {
  ProtobufWriter out;
  out.WriteString(field::kSpanTraceId, IdToBytes(span.trace_id));
  out.WriteString(field::kSpanSpanId, IdToBytes(span.span_id));
  if (!span.parent_span_id.empty()) {
    out.WriteString(field::kSpanParentSpanId, IdToBytes(span.parent_span_id));
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

std::string EncodeOtlpTraceProtobuf(const OtlpTraceRequest& request) {
  ProtobufWriter out;
  for (const OtlpResourceSpans& resource : request.resource_spans) {
    ProtobufWriter resource_spans;
    ProtobufWriter resource_message;
    EncodeAttributes(field::kResourceAttributes, resource.resource_attributes, &resource_message);
    resource_spans.WriteMessage(field::kResourceSpansResource, resource_message);
    for (const OtlpScopeSpans& scope : resource.scope_spans) {
      ProtobufWriter scope_spans;
      ProtobufWriter scope_message;
      if (!scope.scope_name.empty()) scope_message.WriteString(field::kScopeName, scope.scope_name);
      if (!scope.scope_version.empty()) {
        scope_message.WriteString(field::kScopeVersion, scope.scope_version);
      }
      scope_spans.WriteMessage(field::kScopeSpansScope, scope_message);
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
