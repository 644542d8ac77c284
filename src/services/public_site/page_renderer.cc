#include "services/public_site/page_renderer.h"

#include <cctype>
#include <kainjow/mustache.hpp>

#include "services/common/residents.h"
#include "services/public_site/static_assets.h"

namespace ck::services::public_site {

extern const std::string_view kLayoutTemplate;
extern const std::string_view kHomeTemplate;
extern const std::string_view kResidentsTemplate;
extern const std::string_view kRegisterTemplate;
extern const std::string_view kMessageTemplate;

namespace {

using kainjow::mustache::data;
using kainjow::mustache::list;
using kainjow::mustache::mustache;

enum class Page { kHome, kResidents, kRegister, kMessage, kLayout };

// kainjow's render() is not const, so each thread keeps its own parsed copy of each template.
mustache& Template(Page page) {
  thread_local mustache layout{std::string(kLayoutTemplate)};
  thread_local mustache home{std::string(kHomeTemplate)};
  thread_local mustache residents{std::string(kResidentsTemplate)};
  thread_local mustache registration{std::string(kRegisterTemplate)};
  thread_local mustache message{std::string(kMessageTemplate)};
  switch (page) {
    case Page::kHome:
      return home;
    case Page::kResidents:
      return residents;
    case Page::kRegister:
      return registration;
    case Page::kMessage:
      return message;
    case Page::kLayout:
      break;
  }
  return layout;
}

// `nav` names the navigation entry to mark as current ("nav_home", ...), or is empty.
std::string RenderInLayout(Page page, const data& values, std::string_view title,
                           std::string_view body_class, std::string_view nav) {
  data layout;
  layout.set("title", std::string(title));
  layout.set("page", std::string(body_class));
  layout.set("asset_version", AssetVersion());
  if (!nav.empty()) layout.set(std::string(nav), true);
  layout.set("content", Template(page).render(values));
  return Template(Page::kLayout).render(layout);
}

bool IsSafePictureName(std::string_view name) {
  size_t dot = name.rfind('.');
  if (name.empty() || dot == 0 || dot == std::string_view::npos) return false;
  for (char c : name.substr(0, dot)) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return false;
  }
  std::string_view extension = name.substr(dot + 1);
  for (std::string_view allowed : {"svg", "png", "jpg", "jpeg", "gif", "webp"}) {
    if (extension == allowed) return true;
  }
  return false;
}

// The form field an API reason is about, judged by its first word: "name is required" -> "name".
std::string_view FieldNamedBy(std::string_view reason) {
  std::string word;
  for (char c : reason) {
    if (!std::isalpha(static_cast<unsigned char>(c))) break;
    word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (word == "name") return "name";
  if (word == "type") return "type";
  if (word == "os") return "os";
  if (word == "petname" || word == "pet") return "pet";
  if (word == "service" || word == "age" || word == "years") return "age";
  return {};
}

}  // namespace

std::string ResidentPictureUrl(const Resident& resident) {
  constexpr std::string_view kPrefix = "/img/";
  std::string_view image = resident.image;
  if (image.substr(0, kPrefix.size()) == kPrefix &&
      IsSafePictureName(image.substr(kPrefix.size()))) {
    return resident.image;
  }
  return DefaultImageFor(resident.ckid);
}

std::string_view MoodFor(int happiness) {
  if (happiness <= 0) return "a mystery";
  if (happiness <= 2) return "miserable";
  if (happiness <= 4) return "grumpy";
  if (happiness <= 6) return "content";
  if (happiness <= 8) return "happy";
  return "super happy";
}

std::string RenderHomePage() {
  return RenderInLayout(Page::kHome, data(), "Welcome", "home", "nav_home");
}

std::string RenderResidentsPage(const std::vector<Resident>& residents) {
  list cards;
  for (const auto& resident : residents) {
    data card;
    card.set("ckid", resident.ckid);
    card.set("has_ckid", !resident.ckid.empty());
    card.set("name", resident.name.empty() ? std::string("(no name)") : resident.name);
    card.set("has_petname", !resident.petname.empty());
    card.set("petname", resident.petname);
    card.set("type", resident.type);
    card.set("os", resident.os);
    card.set("service", std::to_string(resident.service));
    card.set("happiness", std::to_string(resident.happiness));
    card.set("mood", std::string(MoodFor(resident.happiness)));
    card.set("image", ResidentPictureUrl(resident));
    cards.push_back(card);
  }
  data values;
  values.set("has_residents", !residents.empty());
  values.set("residents", cards);
  std::string summary;
  if (residents.empty()) {
    summary = "No residents yet.";
  } else if (residents.size() == 1) {
    summary = "One well-earned retirement in progress. Say hello, and maybe bring a snack.";
  } else {
    summary = std::to_string(residents.size()) +
              " servers are enjoying their retirement here. Say hello, and maybe bring a snack.";
  }
  values.set("summary", summary);
  return RenderInLayout(Page::kResidents, values, "Residents", "residents", "nav_list");
}

std::string RenderRegisterPage(const RegistrationForm& form,
                               const std::vector<std::string>& errors) {
  data values;
  values.set("name", form.name);
  values.set("type", form.type);
  values.set("age", form.age);
  values.set("pet", form.pet);
  values.set("os", form.os);
  list error_list;
  for (const auto& error : errors) {
    error_list.push_back(data(error));
    if (std::string_view field = FieldNamedBy(error); !field.empty()) {
      values.set(std::string(field) + "_invalid", true);
    }
  }
  values.set("has_errors", !errors.empty());
  values.set("errors", error_list);
  return RenderInLayout(Page::kRegister, values, "Request admittance", "register", "nav_register");
}

std::string RenderErrorPage(const ErrorPage& page) {
  data values;
  values.set("picture", "/img/server-6.svg");
  values.set("eyebrow", "Error " + std::to_string(page.status));
  values.set("heading", page.heading);
  values.set("message", page.message);
  values.set("has_detail", !page.backend.empty());
  values.set("backend", page.backend);
  values.set("detail", page.detail.empty() ? std::string("(no details)") : page.detail);
  values.set("has_retry", !page.retry_href.empty());
  values.set("retry_href", page.retry_href);
  values.set("retry_label", page.retry_label);
  return RenderInLayout(Page::kMessage, values, page.heading, "error", "");
}

std::string Abbreviate(std::string_view text, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    // Count only the first byte of each UTF-8 sequence, so a character is never cut in half.
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
    if (++chars > max_chars) return std::string(text.substr(0, i)) + "…";
  }
  return std::string(text);
}

std::string RenderNotFoundPage(std::string_view path) {
  data values;
  values.set("picture", "/img/server-5.svg");
  values.set("eyebrow", "Error 404 · Page not found");
  values.set("heading", "This room is empty");
  values.set("message", "We looked everywhere, but nothing lives at " + Abbreviate(path) +
                            ". Perhaps it moved to a quieter wing?");
  values.set("has_detail", false);
  values.set("has_retry", true);
  values.set("retry_href", "/list");
  values.set("retry_label", "Meet the residents");
  return RenderInLayout(Page::kMessage, values, "Page not found", "not-found", "");
}

}  // namespace ck::services::public_site
