// The OTLP/JSON encoding shared by every signal: typed field readers that name the JSON path of
// a problem, the common messages (AnyValue, KeyValue, Resource, InstrumentationScope), ids, and
// the writers of the same messages. otlp_trace_json.* and otlp_logs_json.* are built on it.
//
// The encoding is protobuf's proto3 JSON mapping with OTLP's deviations: trace and span ids are
// case-insensitive hex strings (not base64), enums are integers, 64-bit integers are decimal
// strings or numbers, keys are lowerCamelCase. Readers are lenient where that costs nothing:
// proto field names (snake_case) are accepted too, `null` means absent, doubles may be
// "NaN"/"Infinity"/"-Infinity" or numeric strings, and unknown keys are ignored, as the OTLP
// spec requires. bytesValue is kept as the base64 text that was sent.
//
//   CK_ASSIGN_OR_RETURN(nlohmann::json document, ParseDocument(body, "ExportLogsServiceRequest"));
//   Path root;
//   CK_RETURN_IF_ERROR(ForEach(document, "resourceLogs", "resource_logs", root, visit));
//
// Failure modes: InvalidArgument "invalid OTLP JSON: <path>: expected <what>" (e.g.
// "resourceLogs[0].scopeLogs[1].logRecords[2].severityNumber: expected an enum number"), or
// "request body is not valid JSON: ..." / "...nested deeper than 128 levels at byte N".
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "collector/otlp/otlp_attributes.h"
#include "core/status.h"

namespace ck::collector::otlp {

// Deepest bracket nesting accepted: room for ~35 levels of nested arrayValue/kvlistValue.
inline constexpr int kMaxOtlpJsonDepth = 128;

namespace json_codec {

// Where a value sits in the document, rendered only when reporting an error. Each Path borrows
// its parent and key: build them on the stack while descending.
struct Path {
  const Path* parent = nullptr;
  std::string_view key;
  size_t index = 0;
  bool is_index = false;

  Path Key(std::string_view name) const { return Path{this, name, 0, false}; }
  Path Index(size_t i) const { return Path{this, {}, i, true}; }
  std::string ToString() const;  // "resourceSpans[0].scopeSpans[1]", or "(top level)"
};

Status Expected(const Path& path, std::string_view what);

// The value of a field under its JSON name or its proto name; nullptr when absent or null.
const nlohmann::json* Find(const nlohmann::json& object, const char* camel, const char* snake);

Result<std::string> GetString(const nlohmann::json& value, const Path& path);
// Integers as numbers, integral doubles or decimal strings, range-checked.
Result<uint64_t> GetUint64(const nlohmann::json& value, const Path& path);
Result<int64_t> GetInt64(const nlohmann::json& value, const Path& path);
Result<double> GetDouble(const nlohmann::json& value, const Path& path);
// An enum as its number or as one of `names` (whose position is the number).
Result<int> GetEnum(const nlohmann::json& value, const Path& path,
                    std::initializer_list<std::string_view> names);

// Calls visit(element, element_path) for each element of an optional array-of-objects field.
template <typename Visit>
Status ForEach(const nlohmann::json& object, const char* camel, const char* snake, const Path& path,
               Visit visit) {
  const nlohmann::json* array = Find(object, camel, snake);
  if (array == nullptr) return Status::Ok();
  Path array_path = path.Key(camel);
  if (!array->is_array()) return Expected(array_path, "an array");
  for (size_t i = 0; i < array->size(); ++i) {
    Path element_path = array_path.Index(i);
    const nlohmann::json& element = (*array)[i];
    if (!element.is_object()) return Expected(element_path, "an object");
    CK_RETURN_IF_ERROR(visit(element, element_path));
  }
  return Status::Ok();
}

// AnyValue as JSON (see otlp_attributes.h); a missing or empty AnyValue is null.
Status ParseAnyValue(const nlohmann::json& node, const Path& path, nlohmann::json* value);
// The optional "attributes" array of `object`, appended in order.
Status ParseAttributes(const nlohmann::json& object, const Path& path, OtlpAttributes* attributes);
// The optional "resource" of a ResourceSpans/ResourceLogs: its attributes.
Status ParseResource(const nlohmann::json& node, const Path& path, OtlpAttributes* attributes);
// The optional "scope" (or pre-1.0 "instrumentationLibrary") of a ScopeSpans/ScopeLogs.
Status ParseScope(const nlohmann::json& node, const Path& path, std::string* name,
                  std::string* version);
// A hex id field, lower-cased; anything else is kept as sent for the mapping to reject.
Result<std::string> GetId(const nlohmann::json& object, const char* camel, const char* snake,
                          const Path& path);

// The request body as a JSON object: nesting checked before any DOM is built, then parsed.
Result<nlohmann::json> ParseDocument(std::string_view text, std::string_view message_name);

// ---- writing ----
nlohmann::json EncodeAnyValue(const nlohmann::json& value);
nlohmann::json EncodeAttributes(const OtlpAttributes& attributes);
// {"name": ..., "version": ...} without empty members.
nlohmann::json EncodeScope(std::string_view name, std::string_view version);
// Compact JSON; invalid UTF-8 is replaced rather than thrown on.
std::string Dump(const nlohmann::json& document);

}  // namespace json_codec
}  // namespace ck::collector::otlp
