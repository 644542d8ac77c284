// RegistrationForm: the "Request admittance" form, from the browser's post to register-api's JSON.
//
// The form keeps the original's field names (`Name`, `type`, `age`, `pet`, `os`). The site checks
// only what it must to build register-api's request — the age has to be a whole number, since
// it is sent as the number `service` — and leaves every other rule to register-api (which asks
// validate-api), so the reasons a user sees come from one place.
//
//   RegistrationForm form = RegistrationForm::FromForm(*ParseUrlEncodedForm(body));
//   if (auto problems = form.Check(); !problems.empty()) { /* re-render with problems */ }
//   nlohmann::json request = form.ToRegisterRequest();
//
// Thread-safety: value type; pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "services/public_site/url_encoded_form.h"

namespace ck::services::public_site {

struct RegistrationForm {
  std::string name;  // field `Name`
  std::string type;
  std::string age;  // years in service, as typed
  std::string pet;  // pet name
  std::string os;

  // Fields trimmed of surrounding white space; absent fields are empty.
  static RegistrationForm FromForm(const UrlEncodedForm& form);

  // Problems the site itself can see (empty when the form can be sent).
  std::vector<std::string> Check() const;

  // {"name","type","service":<age as number>,"petname","os"}; call only when Check() is empty.
  nlohmann::json ToRegisterRequest() const;
};

// The reasons in an API's error body, for showing to the user: the strings of a `reasons`,
// `message` or `error` array, or the `error`/`message` string. Falls back to the raw body
// (shortened) when it is not JSON, and to nothing when it is empty.
std::vector<std::string> ErrorReasons(std::string_view body);

}  // namespace ck::services::public_site
