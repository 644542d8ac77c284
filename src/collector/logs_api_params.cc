#include "collector/logs_api_params.h"

#include <algorithm>
#include <array>

namespace ck::collector {

using nlohmann::json;

LogsReply LogsReply::FromStatus(const Status& status) {
  switch (status.code()) {
    case StatusCode::kNotFound:
      return Error("ResourceNotFoundException", status.message());
    case StatusCode::kAlreadyExists:
      return Error("ResourceAlreadyExistsException", status.message());
    case StatusCode::kInvalidArgument:
      return Error("InvalidParameterException", status.message());
    case StatusCode::kResourceExhausted:
      return Error("LimitExceededException", status.message());
    default:
      return Error("ServiceUnavailableException", status.message(), 500);
  }
}

void Params::Fail(std::string type, std::string message) {
  if (!error_) error_ = LogsReply::Error(std::move(type), std::move(message));
}

void Params::Constraint(const char* member, std::string_view value, const std::string& constraint) {
  Fail("InvalidParameterException", "1 validation error detected: Value '" + std::string(value) +
                                        "' at '" + member +
                                        "' failed to satisfy constraint: " + constraint);
}

const json* Params::Member(const char* member, json::value_t type, const char* type_name) {
  auto found = body_.find(member);
  if (found == body_.end() || found->is_null()) return nullptr;
  const bool matches = found->type() == type ||
                       (type == json::value_t::number_integer && found->is_number_integer());
  if (!matches) {
    Fail("SerializationException",
         std::string("Unexpected value for '") + member + "': expected " + type_name);
    return nullptr;
  }
  return &*found;
}

namespace {

bool IsGroupNameCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-' || c == '_' || c == '/' || c == '#';
}

}  // namespace

const std::string* Params::Name(const char* member, bool required) {
  const json* value = Member(member, json::value_t::string, "a string");
  if (value == nullptr) {
    if (required) {
      Fail("InvalidParameterException",
           std::string("1 validation error detected: Value null at '") + member +
               "' failed to satisfy constraint: Member must not be null");
    }
    return nullptr;
  }
  const std::string& name = value->get_ref<const std::string&>();
  if (name.empty() || name.size() > 512) {
    Constraint(member, name, "Member must have length between 1 and 512");
  }
  return &name;
}

std::string Params::GroupName(const char* member, bool required) {
  const std::string* name = Name(member, required);
  if (name == nullptr) return "";
  if (!std::all_of(name->begin(), name->end(), IsGroupNameCharacter)) {
    Constraint(member, *name,
               "Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+");
  }
  return *name;
}

std::string Params::StreamName(const char* member, bool required) {
  const std::string* name = Name(member, required);
  if (name == nullptr) return "";
  if (name->find_first_of(":*") != std::string::npos) {
    Constraint(member, *name, "Member must satisfy regular expression pattern: [^:*]*");
  }
  return *name;
}

std::optional<std::string> Params::String(const char* member, size_t max_length) {
  const json* value = Member(member, json::value_t::string, "a string");
  if (value == nullptr) return std::nullopt;
  const std::string& text = value->get_ref<const std::string&>();
  if (text.size() > max_length) {
    Constraint(member, text.substr(0, 64),
               "Member must have length less than or equal to " + std::to_string(max_length));
  }
  return text;
}

std::optional<int64_t> Params::Int(const char* member, int64_t min, int64_t max) {
  const json* value = Member(member, json::value_t::number_integer, "an integer");
  if (value == nullptr) return std::nullopt;
  const int64_t number = value->is_number_unsigned() && value->get<uint64_t>() > INT64_MAX
                             ? INT64_MAX
                             : value->get<int64_t>();
  if (number < min) {
    Constraint(member, std::to_string(number),
               "Member must have value greater than or equal to " + std::to_string(min));
  } else if (number > max) {
    Constraint(member, std::to_string(number),
               "Member must have value less than or equal to " + std::to_string(max));
  }
  return number;
}

std::optional<bool> Params::Bool(const char* member) {
  const json* value = Member(member, json::value_t::boolean, "a boolean");
  if (value == nullptr) return std::nullopt;
  return value->get<bool>();
}

std::vector<std::string> Params::Names(const char* member, size_t max_count,
                                       std::string (Params::*read)(const char*, bool)) {
  std::vector<std::string> names;
  const json* list = Member(member, json::value_t::array, "a list");
  if (list == nullptr) return names;
  if (list->empty() || list->size() > max_count) {
    Constraint(member, "[...]",
               "Member must have length between 1 and " + std::to_string(max_count));
    return names;
  }
  for (const json& item : *list) {
    json wrapper = {{member, item}};
    Params single(wrapper);
    names.push_back((single.*read)(member, true));
    if (single.error() && !error_) error_ = single.error();
  }
  return names;
}

std::vector<std::string> Params::GroupNames(const char* member, size_t max_count) {
  return Names(member, max_count, &Params::GroupName);
}

std::vector<std::string> Params::StreamNames(const char* member, size_t max_count) {
  return Names(member, max_count, &Params::StreamName);
}

bool IsValidRetentionDays(int64_t days) {
  static constexpr std::array<int64_t, 22> kAllowed = {1,    3,    5,    7,    14,   30,  60,  90,
                                                       120,  150,  180,  365,  400,  545, 731, 1096,
                                                       1827, 2192, 2557, 2922, 3288, 3653};
  return std::find(kAllowed.begin(), kAllowed.end(), days) != kAllowed.end();
}

std::string LogGroupArn(std::string_view group) {
  return "arn:aws:logs:local:000000000000:log-group:" + std::string(group) + ":*";
}

}  // namespace ck::collector
