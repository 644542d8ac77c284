// UrlEncodedForm: the fields of an application/x-www-form-urlencoded body (HTML form posts).
//
// Decoding follows the WHATWG URL standard's form rules: fields are separated by '&', name and
// value by the first '=', '+' is a space and %XX is a byte. Unlike browsers we reject a malformed
// percent escape (a '%' not followed by two hex digits) and bytes that are not valid UTF-8, so a
// hand-made hostile body gets a clear 400 instead of being guessed at.
//
//   auto form = ParseUrlEncodedForm("Name=ig.nore.me&pet=The+ignored+one");
//   form->Get("pet") == "The ignored one";
//
// Thread-safety: value type; pure functions.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace ck::services::public_site {

class UrlEncodedForm {
 public:
  // The first value of `name`, or empty when absent.
  std::string Get(std::string_view name) const;
  bool Has(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }
  void Add(std::string name, std::string value);

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// kInvalidArgument naming the problem for a malformed escape or invalid UTF-8.
Result<UrlEncodedForm> ParseUrlEncodedForm(std::string_view body);

// Percent-decodes one component ('+' is a space).
Result<std::string> DecodeFormComponent(std::string_view text);

// Percent-encodes everything except RFC 3986 unreserved characters (for URL paths, fragments).
std::string PercentEncode(std::string_view text);

}  // namespace ck::services::public_site
