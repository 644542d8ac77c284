#include "collector/otlp/otlp_attributes.h"

namespace ck::collector::otlp {

const nlohmann::json* FindOtlpAttribute(const OtlpAttributes& attributes, std::string_view key) {
  for (auto it = attributes.rbegin(); it != attributes.rend(); ++it) {
    if (it->first == key) return &it->second;
  }
  return nullptr;
}

std::string OtlpAttributeString(const OtlpAttributes& attributes, std::string_view key) {
  const nlohmann::json* value = FindOtlpAttribute(attributes, key);
  return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

std::string OtlpServiceName(const OtlpAttributes& resource_attributes) {
  std::string service = OtlpAttributeString(resource_attributes, "service.name");
  return service.empty() ? std::string(kOtlpUnknownService) : service;
}

nlohmann::json OtlpAttributesToJson(const OtlpAttributes& attributes) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [key, value] : attributes) out[key] = value;
  return out;
}

OtlpAttributes OtlpAttributesFromJson(const nlohmann::json& object) {
  OtlpAttributes attributes;
  if (!object.is_object()) return attributes;
  for (const auto& [key, value] : object.items()) attributes.emplace_back(key, value);
  return attributes;
}

}  // namespace ck::collector::otlp
