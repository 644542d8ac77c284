#include "services/public_site/url_encoded_form.h"
#include "core/utf8.h"

#include <algorithm>
#include <cstdint>

namespace ck::services::public_site {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string UrlEncodedForm::Get(std::string_view name) const {
  auto it = std::find_if(fields_.begin(), fields_.end(),
                         [&](const auto& field) { return field.first == name; });
  return it == fields_.end() ? std::string() : it->second;
}

bool UrlEncodedForm::Has(std::string_view name) const {
  return std::any_of(fields_.begin(), fields_.end(),
                     [&](const auto& field) { return field.first == name; });
}

void UrlEncodedForm::Add(std::string name, std::string value) {
  fields_.emplace_back(std::move(name), std::move(value));
}

Result<std::string> DecodeFormComponent(std::string_view text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      decoded.push_back(' ');
    } else if (c == '%') {
      int high = i + 2 < text.size() ? HexValue(text[i + 1]) : -1;
      int low = high >= 0 ? HexValue(text[i + 2]) : -1;
      if (low < 0) {
        return InvalidArgument("malformed percent escape at offset " + std::to_string(i));
      }
      decoded.push_back(static_cast<char>(high * 16 + low));
      i += 2;
    } else {
      decoded.push_back(c);
    }
  }
  if (!IsValidUtf8(decoded)) return InvalidArgument("form field is not valid UTF-8");
  return decoded;
}

Result<UrlEncodedForm> ParseUrlEncodedForm(std::string_view body) {
  UrlEncodedForm form;
  while (!body.empty()) {
    size_t end = body.find('&');
    std::string_view pair = body.substr(0, end);
    body = end == std::string_view::npos ? std::string_view() : body.substr(end + 1);
    if (pair.empty()) continue;
    size_t equals = pair.find('=');
    std::string_view raw_name = pair.substr(0, equals);
    std::string_view raw_value =
        equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1);
    CK_ASSIGN_OR_RETURN(std::string name, DecodeFormComponent(raw_name));
    CK_ASSIGN_OR_RETURN(std::string value, DecodeFormComponent(raw_value));
    form.Add(std::move(name), std::move(value));
  }
  return form;
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    bool unreserved = (byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
                      (byte >= '0' && byte <= '9') || byte == '-' || byte == '.' || byte == '_' ||
                      byte == '~';
    if (unreserved) {
      encoded.push_back(c);
    } else {
      encoded.push_back('%');
      encoded.push_back(kHex[byte >> 4]);
      encoded.push_back(kHex[byte & 0x0F]);
    }
  }
  return encoded;
}

}  // namespace ck::services::public_site
