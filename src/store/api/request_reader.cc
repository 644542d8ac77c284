#include "store/api/request_reader.h"

#include <algorithm>
#include <cmath>

#include "store/attribute_json.h"

namespace ck::store::api {

namespace {

constexpr std::string_view kNotExpectedStructure =
    "Start of structure or map found where not expected";

// Maximum nesting depth of a JSON text, ignoring brackets inside strings.
int NestingDepth(std::string_view text) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
      if (deepest > kMaxJsonNesting) return deepest;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return deepest;
}

bool IsNamePattern(std::string_view value) {
  for (char c : value) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Result<json> ParseRequestBody(std::string_view body) {
  if (NestingDepth(body) > kMaxJsonNesting) {
    return SerializationError("Nesting depth of the request exceeds the supported limit");
  }
  json document = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return SerializationError("");
  if (!document.is_object()) return SerializationError("Unexpected field type");
  return document;
}

const json* FieldReader::Find(std::string_view name) const {
  auto it = object_.find(name);
  if (it == object_.end() || it->is_null()) return nullptr;
  return &*it;
}

Result<std::optional<std::string>> FieldReader::String(std::string_view name) const {
  const json* value = Find(name);
  if (value == nullptr) return std::optional<std::string>();
  CK_ASSIGN_OR_RETURN(auto text, WireString(*value));
  return std::optional<std::string>(std::move(text));
}

Result<std::optional<bool>> FieldReader::Boolean(std::string_view name) const {
  const json* value = Find(name);
  if (value == nullptr) return std::optional<bool>();
  CK_ASSIGN_OR_RETURN(bool flag, WireBoolean(*value));
  return std::optional<bool>(flag);
}

Result<std::optional<int64_t>> FieldReader::Integer(std::string_view name,
                                                    std::string_view java_type) const {
  const json* value = Find(name);
  if (value == nullptr) return std::optional<int64_t>();
  std::string type(java_type);
  if (value->is_boolean()) {
    return SerializationError(std::string(value->get<bool>() ? "TRUE_VALUE" : "FALSE_VALUE") +
                              " cannot be converted to " + type);
  }
  if (value->is_string()) return SerializationError("STRING_VALUE cannot be converted to " + type);
  if (value->is_array())
    return SerializationError("Unrecognized collection type class java.lang." + type);
  if (value->is_object()) return SerializationError(std::string(kNotExpectedStructure));
  if (value->is_number_unsigned()) {
    uint64_t number = value->get<uint64_t>();
    return std::optional<int64_t>(number > INT64_MAX ? INT64_MAX : static_cast<int64_t>(number));
  }
  if (value->is_number_integer()) return std::optional<int64_t>(value->get<int64_t>());
  double number = value->get<double>();
  if (!(number > -9.2e18 && number < 9.2e18)) {
    return std::optional<int64_t>(number > 0 ? INT64_MAX : INT64_MIN);
  }
  return std::optional<int64_t>(static_cast<int64_t>(std::floor(number)));
}

Status ExpectStructure(const json& value, std::string_view shape) {
  if (value.is_object()) return Status::Ok();
  if (value.is_array()) {
    return SerializationError(
        "Unrecognized collection type class com.amazonaws.dynamodb.v20120810." +
        std::string(shape));
  }
  return SerializationError("Unexpected field type");
}

Result<const json*> FieldReader::Structure(std::string_view name, std::string_view shape) const {
  const json* value = Find(name);
  if (value == nullptr) return value;
  CK_RETURN_IF_ERROR(ExpectStructure(*value, shape));
  return value;
}

Result<const json*> FieldReader::List(std::string_view name) const {
  const json* value = Find(name);
  if (value == nullptr || value->is_array()) return value;
  if (value->is_object()) return SerializationError(std::string(kNotExpectedStructure));
  return SerializationError("Unexpected field type");
}

Result<const json*> FieldReader::Map(std::string_view name, std::string_view value_type) const {
  const json* value = Find(name);
  if (value == nullptr || value->is_object()) return value;
  if (value->is_array()) {
    return SerializationError("Unrecognized collection type java.util.Map<java.lang.String, " +
                              std::string(value_type) + ">");
  }
  return SerializationError("Unexpected field type");
}

Result<std::optional<std::vector<std::pair<std::string, std::string>>>> FieldReader::StringMap(
    std::string_view name) const {
  CK_ASSIGN_OR_RETURN(const json* map, Map(name, "java.lang.String"));
  using Entries = std::vector<std::pair<std::string, std::string>>;
  if (map == nullptr) return std::optional<Entries>();
  Entries entries;
  for (const auto& [key, value] : map->items()) {
    if (value.is_null()) continue;
    CK_ASSIGN_OR_RETURN(auto text, WireString(value));
    entries.emplace_back(key, std::move(text));
  }
  return std::optional<Entries>(std::move(entries));
}

Result<std::optional<std::vector<std::string>>> FieldReader::StringList(
    std::string_view name) const {
  CK_ASSIGN_OR_RETURN(const json* list, List(name));
  if (list == nullptr) return std::optional<std::vector<std::string>>();
  std::vector<std::string> strings;
  for (const auto& element : *list) {
    CK_ASSIGN_OR_RETURN(auto text, WireString(element));
    strings.push_back(std::move(text));
  }
  return std::optional<std::vector<std::string>>(std::move(strings));
}

void ConstraintErrors::Add(const std::optional<std::string>& value, std::string_view path,
                           std::string_view constraint) {
  std::string error = "Value ";
  error += value ? "'" + *value + "'" : "null";
  error += " at '";
  error += path;
  error += "' failed to satisfy constraint: ";
  error += constraint;
  errors_.push_back(std::move(error));
}

void ConstraintErrors::CheckRequired(bool present, std::string_view path) {
  if (!present) Add(std::nullopt, path, "Member must not be null");
}

void ConstraintErrors::CheckName(const std::optional<std::string>& value, std::string_view path,
                                 bool required) {
  if (!value) {
    if (required) CheckRequired(false, path);
    return;
  }
  if (!IsNamePattern(*value)) {
    Add(value, path, "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
  }
  if (value->size() < 3) Add(value, path, "Member must have length greater than or equal to 3");
  if (value->size() > 255) Add(value, path, "Member must have length less than or equal to 255");
}

void ConstraintErrors::CheckEnum(const std::optional<std::string>& value, std::string_view path,
                                 const std::vector<std::string_view>& allowed) {
  if (!value) return;
  for (auto option : allowed) {
    if (*value == option) return;
  }
  std::string constraint = "Member must satisfy enum value set: [";
  for (size_t i = 0; i < allowed.size(); ++i) {
    if (i > 0) constraint += ", ";
    constraint += allowed[i];
  }
  Add(value, path, constraint + "]");
}

void ConstraintErrors::CheckMin(const std::optional<int64_t>& value, std::string_view path,
                                int64_t minimum) {
  if (value && *value < minimum) {
    Add(std::to_string(*value), path,
        "Member must have value greater than or equal to " + std::to_string(minimum));
  }
}

void ConstraintErrors::CheckMax(const std::optional<int64_t>& value, std::string_view path,
                                int64_t maximum) {
  if (value && *value > maximum) {
    Add(std::to_string(*value), path,
        "Member must have value less than or equal to " + std::to_string(maximum));
  }
}

Status CheckTableLevelName(const std::optional<std::string>& name) {
  if (!name) {
    return InvalidArgument(
        "The parameter 'TableName' is required but was not present in the request");
  }
  if (name->size() < 3 || name->size() > 255) {
    return InvalidArgument(
        "TableName must be at least 3 characters long and at most 255 characters long");
  }
  return Status::Ok();
}

Status ConstraintErrors::ToStatus() const {
  if (errors_.empty()) return Status::Ok();
  std::string message = std::to_string(errors_.size()) + " validation error" +
                        (errors_.size() > 1 ? "s" : "") + " detected: ";
  for (size_t i = 0; i < errors_.size() && i < 10; ++i) {
    if (i > 0) message += "; ";
    message += errors_[i];
  }
  return InvalidArgument(std::move(message));
}

}  // namespace ck::store::api
