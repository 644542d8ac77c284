#include "services/validate_api/validate_api.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "services/common/json_body.h"

namespace ck::services::validate_api {
namespace {

constexpr size_t kMaxTextLength = 100;
constexpr size_t kMaxImageLength = 300;

// Code points in UTF-8 text (continuation bytes are not counted).
size_t Utf8Length(const std::string& text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

bool HasControlCharacters(const std::string& text) {
  return std::any_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; });
}

bool IsBlank(const std::string& text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return std::isspace(static_cast<unsigned char>(c)); });
}

void CheckText(const nlohmann::json& resident, const char* field, bool required, size_t limit,
               std::vector<std::string>& reasons) {
  auto it = resident.find(field);
  const std::string name(field);
  if (it == resident.end() || it->is_null()) {
    if (required) reasons.push_back(name + " is required");
    return;
  }
  if (!it->is_string()) {
    reasons.push_back(name + " must be a string");
    return;
  }
  const std::string& text = it->get_ref<const std::string&>();
  if (IsBlank(text)) {
    if (required) reasons.push_back(name + " is required");
    return;
  }
  if (Utf8Length(text) > limit) {
    reasons.push_back(name + " must be at most " + std::to_string(limit) + " characters");
  }
  if (HasControlCharacters(text)) reasons.push_back(name + " must not contain control characters");
}

// A whole number from a JSON number or a string of digits; nullopt otherwise.
std::optional<int64_t> WholeNumber(const nlohmann::json& value) {
  if (value.is_number_integer()) return value.get<int64_t>();
  if (value.is_number_float()) {
    double number = value.get<double>();
    if (number == static_cast<double>(static_cast<int64_t>(number))) {
      return static_cast<int64_t>(number);
    }
    return std::nullopt;
  }
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    if (text.empty() || text.size() > 18 || !std::all_of(text.begin(), text.end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c));
        })) {
      return std::nullopt;
    }
    return std::stoll(text);
  }
  return std::nullopt;
}

void CheckNumber(const nlohmann::json& resident, const char* field, int64_t low, int64_t high,
                 std::vector<std::string>& reasons) {
  auto it = resident.find(field);
  if (it == resident.end() || it->is_null()) return;
  std::optional<int64_t> number = WholeNumber(*it);
  if (!number || *number < low || *number > high) {
    reasons.push_back(std::string(field) + " must be a whole number from " + std::to_string(low) +
                      " to " + std::to_string(high));
  }
}

}  // namespace

std::vector<std::string> ValidateResident(const nlohmann::json& resident) {
  std::vector<std::string> reasons;
  if (!resident.is_object()) return {"a resident must be a JSON object"};
  CheckText(resident, "name", true, kMaxTextLength, reasons);
  CheckText(resident, "type", true, kMaxTextLength, reasons);
  CheckText(resident, "os", true, kMaxTextLength, reasons);
  CheckText(resident, "petname", false, kMaxTextLength, reasons);
  CheckText(resident, "image", false, kMaxImageLength, reasons);
  if (auto image = resident.find("image"); image != resident.end() && image->is_string()) {
    const std::string& url = image->get_ref<const std::string&>();
    const bool site_path = url.rfind("/", 0) == 0 && url.rfind("//", 0) != 0;
    const bool web_url = url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
    if (!url.empty() && !site_path && !web_url) {
      reasons.push_back("image must be a site path (/...) or an http(s) URL");
    }
  }
  CheckNumber(resident, "service", 0, 1000, reasons);
  CheckNumber(resident, "happiness", 1, 10, reasons);
  return reasons;
}

http::HttpResponse HandleValidate(const http::HttpRequest& request) {
  auto resident = ParseJsonObject(request);
  if (!resident.ok()) return JsonError(http::HttpStatus::bad_request, resident.status().message());
  std::vector<std::string> reasons = ValidateResident(*resident);
  return JsonResponse(http::HttpStatus::ok, {{"valid", reasons.empty()}, {"message", reasons}});
}

ServiceDefinition ValidateApiService() {
  ServiceDefinition definition;
  definition.name = "validate-api";
  definition.summary = "POST / checks a resident: {\"valid\", \"message\": [reasons]}";
  definition.add_routes = [](Router& router, ServiceContext*) {
    router.Add(http::Verb::post, "/",
               [](http::HttpRequest request) { return Respond(HandleValidate(request)); });
  };
  return definition;
}

}  // namespace ck::services::validate_api
