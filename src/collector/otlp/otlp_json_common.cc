#include "collector/otlp/otlp_json_common.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <type_traits>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "collector/model/simdjson_document.h"

namespace ck::collector::otlp::json_codec {
namespace {

using nlohmann::json;

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

json EncodeKeyValues(const json& object) {
  json values = json::array();
  for (const auto& [key, element] : object.items()) {
    values.push_back({{"key", key}, {"value", EncodeAnyValue(element)}});
  }
  return values;
}

}  // namespace

std::string Path::ToString() const {
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

Status Expected(const Path& path, std::string_view what) {
  return InvalidArgument(fmt::format("invalid OTLP JSON: {}: expected {}", path.ToString(), what));
}

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

Result<uint64_t> GetUint64(const json& value, const Path& path) {
  return GetInteger<uint64_t>(value, path);
}

Result<int64_t> GetInt64(const json& value, const Path& path) {
  return GetInteger<int64_t>(value, path);
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
    CK_ASSIGN_OR_RETURN(int64_t number, GetInt64(*v, path.Key("intValue")));
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

Status ParseAttributes(const json& object, const Path& path, OtlpAttributes* attributes) {
  return ForEach(object, "attributes", nullptr, path, [&](const json& kv, const Path& p) {
    std::string key;
    json value;
    CK_RETURN_IF_ERROR(ParseKeyValue(kv, p, &key, &value));
    attributes->emplace_back(std::move(key), std::move(value));
    return Status::Ok();
  });
}

Status ParseResource(const json& node, const Path& path, OtlpAttributes* attributes) {
  const json* resource = Find(node, "resource", nullptr);
  if (resource == nullptr) return Status::Ok();
  Path resource_path = path.Key("resource");
  if (!resource->is_object()) return Expected(resource_path, "an object");
  return ParseAttributes(*resource, resource_path, attributes);
}

Status ParseScope(const json& node, const Path& path, std::string* name, std::string* version) {
  const char* scope_key = "scope";
  const json* info = Find(node, "scope", nullptr);
  if (info == nullptr) {
    scope_key = "instrumentationLibrary";
    info = Find(node, "instrumentationLibrary", "instrumentation_library");
  }
  if (info == nullptr) return Status::Ok();
  Path info_path = path.Key(scope_key);
  if (!info->is_object()) return Expected(info_path, "an object");
  if (const json* v = Find(*info, "name", nullptr)) {
    CK_ASSIGN_OR_RETURN(*name, GetString(*v, info_path.Key("name")));
  }
  if (const json* v = Find(*info, "version", nullptr)) {
    CK_ASSIGN_OR_RETURN(*version, GetString(*v, info_path.Key("version")));
  }
  return Status::Ok();
}

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

Result<json> ParseDocument(std::string_view text, std::string_view message_name) {
  CK_RETURN_IF_ERROR(CheckNesting(text, kMaxOtlpJsonDepth));
  json document;
  try {
    document = ParseJsonLikeNlohmann(text);
  } catch (const json::exception& e) {
    return InvalidArgument(fmt::format("request body is not valid JSON: {}", e.what()));
  }
  if (!document.is_object()) {
    return Expected(Path{}, fmt::format("an {} object", message_name));
  }
  return document;
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

json EncodeScope(std::string_view name, std::string_view version) {
  json info = json::object();
  if (!name.empty()) info["name"] = name;
  if (!version.empty()) info["version"] = version;
  return info;
}

std::string Dump(const json& document) {
  return document.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace ck::collector::otlp::json_codec
