#include "platform/stack_alarms.h"

#include <charconv>

namespace ck::platform {

using nlohmann::json;

namespace {

Status ErrorAt(const YAML::Node& node, const std::string& file_name, const std::string& path,
               const std::string& message) {
  const YAML::Mark mark = node.Mark();
  return InvalidArgument(file_name + ":" + std::to_string(mark.line + 1) + ":" +
                         std::to_string(mark.column + 1) + ": " + path + ": " + message);
}

// A YAML scalar as the JSON value it reads as: a number, a boolean, or a string.
json ScalarJson(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  if (node.Tag() == "!") return text;  // quoted: always a string
  if (text == "true" || text == "True") return true;
  if (text == "false" || text == "False") return false;
  double number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error == std::errc() && end == text.data() + text.size() && !text.empty()) {
    int64_t whole = 0;
    auto [whole_end, whole_error] = std::from_chars(text.data(), text.data() + text.size(), whole);
    if (whole_error == std::errc() && whole_end == text.data() + text.size()) return whole;
    return number;
  }
  return text;
}

Result<json> ToJson(const YAML::Node& node, const std::string& file_name, const std::string& path,
                    int depth) {
  if (depth > 8) return ErrorAt(node, file_name, path, "nested too deeply");
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return ScalarJson(node);
    case YAML::NodeType::Sequence: {
      json list = json::array();
      for (size_t i = 0; i < node.size(); ++i) {
        CK_ASSIGN_OR_RETURN(
            json item, ToJson(node[i], file_name, path + "[" + std::to_string(i) + "]", depth + 1));
        list.push_back(std::move(item));
      }
      return list;
    }
    case YAML::NodeType::Map: {
      json object = json::object();
      for (const auto& entry : node) {
        const std::string key = entry.first.as<std::string>();
        CK_ASSIGN_OR_RETURN(object[key],
                            ToJson(entry.second, file_name, path + "." + key, depth + 1));
      }
      return object;
    }
    default:
      return json(nullptr);
  }
}

}  // namespace

Result<std::vector<json>> ParseStackAlarms(const YAML::Node& alarms, const std::string& file_name) {
  std::vector<json> bodies;
  if (!alarms.IsMap()) return ErrorAt(alarms, file_name, "alarms", "must be a mapping of names");
  for (const auto& entry : alarms) {
    const std::string name = entry.first.as<std::string>();
    const std::string path = "alarms." + name;
    if (!entry.second.IsMap()) {
      return ErrorAt(entry.second, file_name, path, "must be a mapping of alarm properties");
    }
    CK_ASSIGN_OR_RETURN(json body, ToJson(entry.second, file_name, path, 0));
    if (body.contains("AlarmName")) {
      return ErrorAt(entry.second, file_name, path, "AlarmName comes from the key; remove it");
    }
    // Dimensions may be written as a {Name: Value} map.
    if (body.contains("Dimensions") && body["Dimensions"].is_object()) {
      json list = json::array();
      for (const auto& [key, value] : body["Dimensions"].items()) {
        list.push_back({{"Name", key},
                        {"Value", value.is_string() ? value.get<std::string>() : value.dump()}});
      }
      body["Dimensions"] = std::move(list);
    }
    body["AlarmName"] = name;
    bodies.push_back(std::move(body));
  }
  return bodies;
}

}  // namespace ck::platform
