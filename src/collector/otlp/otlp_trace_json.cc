#include "collector/otlp/otlp_trace_json.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include <fmt/format.h>

namespace ck::collector::otlp {
namespace {

using nlohmann::json;

// Where a value sits in the document, rendered only when reporting an error.
struct Path {
  const Path* parent = nullptr;
  std::string_view key;
  size_t index = 0;
  bool is_index = false;

  Path Key(std::string_view name) const { return Path{this, name, 0, false}; }
  Path Index(size_t i) const { return Path{this, {}, i, true}; }

  std::string ToString() const {
    std::vector<const Path*> chain;
    for (const Path* p = this; p != nullptr; p = p->parent) chain.push_back(p);
    std::string out;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      const Path& p = **it;
      if (p.is_index) {
        out += fmt::format("[{}]", p.index);
      } else if (!p.key.empty()) {
        if (!out.empty()) out += '.';
        out += p.key;
      }
    }
    return out.empty() ? "(top level)" : out;
  }
};

Status Expected(const Path& path, std::string_view what) {
  return InvalidArgument(fmt::format("invalid OTLP JSON: {}: expected {}", path.ToString(), what));
}

// The value of a field under its JSON name or its proto name; nullptr when absent or null.
const json* Find(const json& object, const char* camel, const char* snake) {
  auto it = object.find(camel);
  if (it != object.end() && !it->is_null()) return &*it;
  if (snake != nullptr) {
    it = object.find(snake);
    if (it != object.end() && !it->is_null()) return &*it;
  }
  return nullptr;
}

Result<std::string> GetString(const json& value, const Path& path) {
  if (!value.is_string()) return Expected(path, "a string");
  return value.get<std::string>();
}

// Decimal integer text as protobuf's JSON mapping writes 64-bit integers.
template <typename Int>
bool ParseDecimal(std::string_view text, Int* out) {
  if (!text.empty() && text.front() == '+') return false;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return error == std::errc() && end == text.data() + text.size() && !text.empty();
}

template <typename Int>
Result<Int> GetInteger(const json& value, const Path& path) {
  constexpr auto kMin = std::numeric_limits<Int>::min();
  constexpr auto kMax = std::numeric_limits<Int>::max();
  std::string_view expected = std::is_signed_v<Int> ? "an integer" : "a non-negative integer";
  if (value.is_number_unsigned()) {
    uint64_t v = value.get<uint64_t>();
    if (v > static_cast<uint64_t>(kMax)) return Expected(path, expected);
    return static_cast<Int>(v);
  }
  if (value.is_number_integer()) {
    int64_t v = value.get<int64_t>();
    if constexpr (std::is_signed_v<Int>) {
      if (v < static_cast<int64_t>(kMin) || v > static_cast<int64_t>(kMax)) {
        return Expected(path, expected);
      }
    } else {
      if (v < 0) return Expected(path, expected);
    }
    return static_cast<Int>(v);
  }
  if (value.is_number_float()) {
    // JSON writers may print large integers as 1.7e18; accept integral values in range.
    double v = value.get<double>();
    if (std::isfinite(v) && std::trunc(v) == v && v >= static_cast<double>(kMin) &&
        v < std::ldexp(1.0, std::numeric_limits<Int>::digits)) {
      return static_cast<Int>(v);
    }
    return Expected(path, expected);
  }
  if (value.is_string()) {
    Int v;
    if (ParseDecimal(value.get_ref<const std::string&>(), &v)) return v;
  }
  return Expected(path, expected);
}

Result<double> GetDouble(const json& value, const Path& path) {
  if (value.is_number()) return value.get<double>();
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
    if (text == "Infinity") return std::numeric_limits<double>::infinity();
    if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
    double parsed = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parsed);
    if (error == std::errc() && end == text.data() + text.size()) return parsed;
  }
  return Expected(path, "a number");
}

// Enums are integers in OTLP/JSON; the proto enum names are accepted as well.
Result<int> GetEnum(const json& value, const Path& path,
                    std::initializer_list<std::string_view> names) {
  if (value.is_string()) {
    int number = 0;
    for (std::string_view name : names) {
      if (value.get_ref<const std::string&>() == name) return number;
      ++number;
    }
  }
  auto number = GetInteger<int32_t>(value, path);
  if (!number.ok()) return Expected(path, "an enum number");
  return *number;
}

// Calls visit(element, element_path) for each element of an optional array field.
template <typename Visit>
Status ForEach(const json& object, const char* camel, const char* snake, const Path& path,
               Visit visit) {
  const json* array = Find(object, camel, snake);
  if (array == nullptr) return Status::Ok();
  Path array_path = path.Key(camel);
  if (!array->is_array()) return Expected(array_path, "an array");
  for (size_t i = 0; i < array->size(); ++i) {
    Path element_path = array_path.Index(i);
    const json& element = (*array)[i];
    if (!element.is_object()) return Expected(element_path, "an object");
    CK_RETURN_IF_ERROR(visit(element, element_path));
  }
  return Status::Ok();
}

Status ParseKeyValue(const json& node, const Path& path, std::string* key, json* value);

Status ParseAnyValue(const json& node, const Path& path, json* value) {
  *value = nullptr;
  if (node.is_null()) return Status::Ok();
  if (!node.is_object()) return Expected(path, "an AnyValue object");
  if (const json* v = Find(node, "stringValue", "string_value")) {
    CK_ASSIGN_OR_RETURN(*value, GetString(*v, path.Key("stringValue")));
  } else if (const json* v = Find(node, "boolValue", "bool_value")) {
    if (!v->is_boolean()) return Expected(path.Key("boolValue"), "true or false");
    *value = v->get<bool>();
  } else if (const json* v = Find(node, "intValue", "int_value")) {
    CK_ASSIGN_OR_RETURN(int64_t number, GetInteger<int64_t>(*v, path.Key("intValue")));
    *value = number;
  } else if (const json* v = Find(node, "doubleValue", "double_value")) {
    CK_ASSIGN_OR_RETURN(double number, GetDouble(*v, path.Key("doubleValue")));
    *value = number;
  } else if (const json* v = Find(node, "bytesValue", "bytes_value")) {
    CK_ASSIGN_OR_RETURN(*value, GetString(*v, path.Key("bytesValue")));
  } else if (const json* v = Find(node, "arrayValue", "array_value")) {
    Path array_path = path.Key("arrayValue");
    if (!v->is_object()) return Expected(array_path, "an object");
    json list = json::array();
    const json* values = Find(*v, "values", nullptr);
    if (values != nullptr) {
      if (!values->is_array()) return Expected(array_path.Key("values"), "an array");
      for (size_t i = 0; i < values->size(); ++i) {
        json element;
        CK_RETURN_IF_ERROR(
            ParseAnyValue((*values)[i], array_path.Key("values").Index(i), &element));
        list.push_back(std::move(element));
      }
    }
    *value = std::move(list);
  } else if (const json* v = Find(node, "kvlistValue", "kvlist_value")) {
    Path list_path = path.Key("kvlistValue");
    if (!v->is_object()) return Expected(list_path, "an object");
    json object = json::object();
    CK_RETURN_IF_ERROR(
        ForEach(*v, "values", nullptr, list_path, [&](const json& kv, const Path& p) {
          std::string key;
          json element;
          CK_RETURN_IF_ERROR(ParseKeyValue(kv, p, &key, &element));
          object[key] = std::move(element);
          return Status::Ok();
        }));
    *value = std::move(object);
  }
  return Status::Ok();
}

Status ParseKeyValue(const json& node, const Path& path, std::string* key, json* value) {
  if (const json* k = Find(node, "key", nullptr)) {
    CK_ASSIGN_OR_RETURN(*key, GetString(*k, path.Key("key")));
  }
  const json* v = Find(node, "value", nullptr);
  if (v == nullptr) {
    *value = nullptr;
    return Status::Ok();
  }
  return ParseAnyValue(*v, path.Key("value"), value);
}

Status ParseAttributes(const json& object, const Path& path, OtlpAttributes* attributes) {
  return ForEach(object, "attributes", nullptr, path, [&](const json& kv, const Path& p) {
    std::string key;
    json value;
    CK_RETURN_IF_ERROR(ParseKeyValue(kv, p, &key, &value));
    attributes->emplace_back(std::move(key), std::move(value));
    return Status::Ok();
  });
}

// Ids are hex text; anything else is kept as is (lower-cased) for the mapping to reject.
Result<std::string> GetId(const json& object, const char* camel, const char* snake,
                          const Path& path) {
  const json* id = Find(object, camel, snake);
  if (id == nullptr) return std::string();
  CK_ASSIGN_OR_RETURN(std::string text, GetString(*id, path.Key(camel)));
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

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
    CK_ASSIGN_OR_RETURN(span->start_time_unix_nano,
                        GetInteger<uint64_t>(*v, path.Key("startTimeUnixNano")));
  }
  if (const json* v = Find(node, "endTimeUnixNano", "end_time_unix_nano")) {
    CK_ASSIGN_OR_RETURN(span->end_time_unix_nano,
                        GetInteger<uint64_t>(*v, path.Key("endTimeUnixNano")));
  }
  CK_RETURN_IF_ERROR(ParseAttributes(node, path, &span->attributes));
  CK_RETURN_IF_ERROR(ForEach(node, "events", nullptr, path, [&](const json& e, const Path& p) {
    OtlpEvent& event = span->events.emplace_back();
    if (const json* v = Find(e, "timeUnixNano", "time_unix_nano")) {
      CK_ASSIGN_OR_RETURN(event.time_unix_nano, GetInteger<uint64_t>(*v, p.Key("timeUnixNano")));
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
  const char* scope_key = "scope";
  const json* info = Find(node, "scope", nullptr);
  if (info == nullptr) {
    scope_key = "instrumentationLibrary";
    info = Find(node, "instrumentationLibrary", "instrumentation_library");
  }
  if (info != nullptr) {
    Path info_path = path.Key(scope_key);
    if (!info->is_object()) return Expected(info_path, "an object");
    if (const json* v = Find(*info, "name", nullptr)) {
      CK_ASSIGN_OR_RETURN(scope->scope_name, GetString(*v, info_path.Key("name")));
    }
    if (const json* v = Find(*info, "version", nullptr)) {
      CK_ASSIGN_OR_RETURN(scope->scope_version, GetString(*v, info_path.Key("version")));
    }
  }
  return ForEach(node, "spans", nullptr, path, [&](const json& span, const Path& p) {
    return ParseSpan(span, p, &scope->spans.emplace_back());
  });
}

Status ParseResourceSpans(const json& node, const Path& path, OtlpResourceSpans* resource) {
  if (const json* r = Find(node, "resource", nullptr)) {
    Path resource_path = path.Key("resource");
    if (!r->is_object()) return Expected(resource_path, "an object");
    CK_RETURN_IF_ERROR(ParseAttributes(*r, resource_path, &resource->resource_attributes));
  }
  auto visit = [&](const json& scope, const Path& p) {
    return ParseScopeSpans(scope, p, &resource->scope_spans.emplace_back());
  };
  CK_RETURN_IF_ERROR(ForEach(node, "scopeSpans", "scope_spans", path, visit));
  return ForEach(node, "instrumentationLibrarySpans", "instrumentation_library_spans", path, visit);
}

// Rejects bracket nesting deeper than `limit` before building a DOM, so recursion over the
// document is bounded. Brackets inside strings do not count.
Status CheckNesting(std::string_view text, int limit) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) {
        return InvalidArgument(
            fmt::format("invalid OTLP JSON: nested deeper than {} levels at byte {}", limit, i));
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return Status::Ok();
}

// ---- writing ----

json EncodeAnyValue(const json& value);

json EncodeKeyValues(const json& object) {
  json values = json::array();
  for (const auto& [key, element] : object.items()) {
    values.push_back({{"key", key}, {"value", EncodeAnyValue(element)}});
  }
  return values;
}

json EncodeAnyValue(const json& value) {
  switch (value.type()) {
    case json::value_t::string:
      return {{"stringValue", value}};
    case json::value_t::boolean:
      return {{"boolValue", value}};
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return {{"intValue", value.dump()}};
    case json::value_t::number_float: {
      double v = value.get<double>();
      if (std::isnan(v)) return {{"doubleValue", "NaN"}};
      if (std::isinf(v)) return {{"doubleValue", v > 0 ? "Infinity" : "-Infinity"}};
      return {{"doubleValue", v}};
    }
    case json::value_t::array: {
      json values = json::array();
      for (const json& element : value) values.push_back(EncodeAnyValue(element));
      return {{"arrayValue", {{"values", std::move(values)}}}};
    }
    case json::value_t::object:
      return {{"kvlistValue", {{"values", EncodeKeyValues(value)}}}};
    default:
      return json::object();
  }
}

json EncodeAttributes(const OtlpAttributes& attributes) {
  json out = json::array();
  for (const auto& [key, value] : attributes) {
    out.push_back({{"key", key}, {"value", EncodeAnyValue(value)}});
  }
  return out;
}

json EncodeSpan(const OtlpSpan& span) {
  json out = {{"traceId", span.trace_id},
              {"spanId", span.span_id},
              {"name", span.name},
              {"kind", span.kind},
              {"startTimeUnixNano", std::to_string(span.start_time_unix_nano)},
              {"endTimeUnixNano", std::to_string(span.end_time_unix_nano)},
              {"attributes", EncodeAttributes(span.attributes)}};
  if (!span.parent_span_id.empty()) out["parentSpanId"] = span.parent_span_id;
  if (!span.events.empty()) {
    json events = json::array();
    for (const OtlpEvent& event : span.events) {
      events.push_back({{"timeUnixNano", std::to_string(event.time_unix_nano)},
                        {"name", event.name},
                        {"attributes", EncodeAttributes(event.attributes)}});
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
  CK_RETURN_IF_ERROR(CheckNesting(text, kMaxOtlpJsonDepth));
  json document;
  try {
    document = json::parse(text);
  } catch (const json::exception& e) {
    return InvalidArgument(fmt::format("request body is not valid JSON: {}", e.what()));
  }
  Path root;
  if (!document.is_object()) return Expected(root, "an ExportTraceServiceRequest object");
  OtlpTraceRequest request;
  CK_RETURN_IF_ERROR(
      ForEach(document, "resourceSpans", "resource_spans", root, [&](const json& r, const Path& p) {
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
      json info = json::object();
      if (!scope.scope_name.empty()) info["name"] = scope.scope_name;
      if (!scope.scope_version.empty()) info["version"] = scope.scope_version;
      scope_spans.push_back({{"scope", std::move(info)}, {"spans", std::move(spans)}});
    }
    resource_spans.push_back(
        {{"resource", {{"attributes", EncodeAttributes(resource.resource_attributes)}}},
         {"scopeSpans", std::move(scope_spans)}});
  }
  json document = {{"resourceSpans", std::move(resource_spans)}};
  return document.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace ck::collector::otlp
