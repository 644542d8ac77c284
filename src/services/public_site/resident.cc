#include "services/public_site/resident.h"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

namespace ck::services::public_site {
namespace {

std::string StringField(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return {};
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

int64_t NumberField(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end()) return 0;
  if (it->is_number_integer()) return it->get<int64_t>();
  if (it->is_number()) return static_cast<int64_t>(it->get<double>());
  if (it->is_string()) {
    const std::string& text = it->get_ref<const std::string&>();
    int64_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error == std::errc()) return value;
  }
  return 0;
}

}  // namespace

Result<std::vector<Resident>> ParseResidentList(std::string_view json) {
  nlohmann::json document = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return InvalidArgument("the resident list is not valid JSON");
  if (!document.is_array()) return InvalidArgument("the resident list is not a JSON array");
  std::vector<Resident> residents;
  residents.reserve(document.size());
  for (const auto& item : document) {
    if (!item.is_object()) return InvalidArgument("a resident in the list is not a JSON object");
    Resident resident;
    resident.ckid = StringField(item, "ckid");
    resident.name = StringField(item, "name");
    resident.type = StringField(item, "type");
    resident.service = NumberField(item, "service");
    int64_t happiness = NumberField(item, "happiness");
    resident.happiness = static_cast<int>(std::clamp<int64_t>(happiness, 0, 10));
    resident.petname = StringField(item, "petname");
    resident.os = StringField(item, "os");
    resident.image = StringField(item, "image");
    residents.push_back(std::move(resident));
  }
  return residents;
}

}  // namespace ck::services::public_site
