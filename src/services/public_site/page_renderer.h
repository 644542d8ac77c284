// Page rendering: pure functions from data to a complete HTML document.
//
// Every page is a body template rendered into the shared layout (header, navigation, footer).
// All data is HTML-escaped by the templates, in text and in (double-quoted) attribute values;
// the one data-derived URL, a resident's picture, is accepted only when it is a local /img/ path
// (anything else, e.g. `javascript:` or an off-site URL that would not work offline, falls back
// to one of the bundled pictures).
//
//   std::string html = RenderResidentsPage(residents);
//
// Thread-safety: safe from any thread (parsed templates are cached per thread).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "services/public_site/registration_form.h"
#include "services/public_site/resident.h"

namespace ck::services::public_site {

// How much of a user-supplied id or path a page echoes: longer ones are cut to this many
// characters plus "…", so a hostile id cannot fill the page.
inline constexpr size_t kMaxEchoedChars = 64;

// `text` cut to at most `max_chars` UTF-8 characters, with "…" appended when it was cut.
std::string Abbreviate(std::string_view text, size_t max_chars = kMaxEchoedChars);

// A friendly error page. `backend` and `detail` name which service failed and why; both are
// shown when `backend` is set.
struct ErrorPage {
  int status = 502;
  std::string heading;     // e.g. "Our residents are napping"
  std::string message;     // one or two reassuring sentences
  std::string backend;     // e.g. "list-api"; empty when no backend is involved
  std::string detail;      // the backend's error text
  std::string retry_href;  // a "Try again" link when set
  std::string retry_label = "Try again";
};

std::string RenderHomePage();
std::string RenderResidentsPage(const std::vector<Resident>& residents);
// The registration form with the user's input kept and `errors` listed above it. A field an
// error names first ("name is required", "os: ...", "service must ...") is marked invalid.
std::string RenderRegisterPage(const RegistrationForm& form,
                               const std::vector<std::string>& errors);
std::string RenderErrorPage(const ErrorPage& page);
// The 404 page, naming the missing path (abbreviated).
std::string RenderNotFoundPage(std::string_view path);

// The picture URL a card shows for `resident`: its own image when that is a plain local
// /img/<name>.<svg|png|jpg|jpeg|gif|webp> path, otherwise a bundled picture chosen by ckid.
std::string ResidentPictureUrl(const Resident& resident);
// A word for a happiness level: "miserable" .. "super happy" ("a mystery" when unknown).
std::string_view MoodFor(int happiness);

}  // namespace ck::services::public_site
