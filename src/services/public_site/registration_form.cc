#include "services/public_site/registration_form.h"

#include <charconv>
#include <cstdint>
#include <nlohmann/json.hpp>

namespace ck::services::public_site {
namespace {

constexpr int64_t kMaxYearsInService = 100;
constexpr size_t kMaxRawReasonBytes = 300;

std::string Trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t\r\n\f\v";
  size_t begin = text.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(kSpace);
  return std::string(text.substr(begin, end - begin + 1));
}

bool ParseYears(std::string_view text, int64_t& years) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), years);
  return error == std::errc() && end == text.data() + text.size();
}

void AppendStrings(const nlohmann::json& array, std::vector<std::string>& out) {
  for (const auto& item : array) {
    if (item.is_string()) {
      out.push_back(item.get<std::string>());
    } else if (!item.is_null()) {
      out.push_back(item.dump());
    }
  }
}

}  // namespace

RegistrationForm RegistrationForm::FromForm(const UrlEncodedForm& form) {
  RegistrationForm result;
  result.name = Trim(form.Get("Name"));
  result.type = Trim(form.Get("type"));
  result.age = Trim(form.Get("age"));
  result.pet = Trim(form.Get("pet"));
  result.os = Trim(form.Get("os"));
  return result;
}

std::vector<std::string> RegistrationForm::Check() const {
  std::vector<std::string> problems;
  int64_t years = 0;
  if (age.empty()) {
    problems.push_back(
        "Years in service: please tell us how many years it served (a whole number).");
  } else if (!ParseYears(age, years) || years < 0 || years > kMaxYearsInService) {
    problems.push_back("Years in service must be a whole number from 0 to " +
                       std::to_string(kMaxYearsInService) + ".");
  }
  return problems;
}

nlohmann::json RegistrationForm::ToRegisterRequest() const {
  int64_t years = 0;
  ParseYears(age, years);
  return {{"name", name}, {"type", type}, {"service", years}, {"petname", pet}, {"os", os}};
}

std::vector<std::string> ErrorReasons(std::string_view body) {
  std::vector<std::string> reasons;
  nlohmann::json document = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object()) {
    std::string raw = Trim(body);
    if (raw.size() > kMaxRawReasonBytes) {
      size_t cut = kMaxRawReasonBytes;
      // Never cut a UTF-8 sequence in half: back up over continuation bytes.
      while (cut > 0 && (static_cast<unsigned char>(raw[cut]) & 0xC0) == 0x80) --cut;
      raw = raw.substr(0, cut) + "…";
    }
    if (!raw.empty()) reasons.push_back(std::move(raw));
    return reasons;
  }
  for (const char* key : {"reasons", "message", "error"}) {
    auto it = document.find(key);
    if (it != document.end() && it->is_array()) AppendStrings(*it, reasons);
  }
  if (reasons.empty()) {
    for (const char* key : {"error", "message"}) {
      auto it = document.find(key);
      if (it != document.end() && it->is_string()) reasons.push_back(it->get<std::string>());
    }
  }
  return reasons;
}

}  // namespace ck::services::public_site
