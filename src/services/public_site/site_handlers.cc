#include "services/public_site/site_handlers.h"

#include <boost/beast/http/status.hpp>
#include <cctype>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/logger.h"
#include "services/public_site/page_renderer.h"
#include "services/public_site/registration_form.h"
#include "services/public_site/resident.h"
#include "services/public_site/static_assets.h"
#include "services/public_site/url_encoded_form.h"

namespace ck::services::public_site {

namespace asio = boost::asio;
using http::Field;
using http::HttpRequest;
using http::HttpResponse;
using http::HttpStatus;
using http::Verb;

namespace {

constexpr std::string_view kListApi = "list-api";
constexpr std::string_view kRegisterApi = "register-api";
constexpr std::string_view kFeedApi = "feed-api";

// No inline scripts or styles anywhere; forms post only to this site.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string joined;
  for (const auto& part : parts) {
    if (!joined.empty()) joined += separator;
    joined += part;
  }
  return joined;
}

// "HTTP 500 Internal Server Error: <the API's error text>".
std::string DescribeAnswer(const HttpResponse& answer) {
  std::string text = "HTTP " + std::to_string(answer.result_int()) + " " +
                     std::string(http::beast_http::obsolete_reason(answer.result()));
  std::vector<std::string> reasons = ErrorReasons(answer.body());
  if (!reasons.empty()) text += ": " + Join(reasons, "; ");
  return text;
}

bool IsSuccess(const HttpResponse& answer) { return answer.result_int() / 100 == 2; }

HttpResponse ErrorPageResponse(const HttpRequest& request, const ErrorPage& page) {
  if (!page.backend.empty()) {
    Logger::Global().Warn("backend call failed", {{"backend", page.backend},
                                                  {"detail", page.detail},
                                                  {"path", std::string(RequestPath(request))},
                                                  {"status", page.status}});
  }
  return HtmlResponse(static_cast<HttpStatus>(page.status), RenderErrorPage(page),
                      request.version());
}

HttpResponse SeeOther(const HttpRequest& request, std::string location) {
  HttpResponse response(HttpStatus::see_other, request.version());
  response.set(Field::location, location);
  response.set(Field::cache_control, "no-store");
  response.set(Field::content_type, "text/plain; charset=utf-8");
  response.body() = "See " + location + "\n";
  response.prepare_payload();
  return response;
}

std::string ResidentAnchor(std::string_view ckid) {
  return ckid.empty() ? std::string() : "#resident-" + PercentEncode(ckid);
}

// Checks size and content type and decodes the form, or returns the error page to send.
Result<UrlEncodedForm> ReadForm(const HttpRequest& request, HttpResponse& rejection,
                                std::string_view back_href) {
  ErrorPage page;
  page.retry_href = std::string(back_href);
  std::string content_type(http::HeaderValue(request, "Content-Type"));
  for (char& c : content_type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (request.body().size() > kFormBodyLimitBytes) {
    page.status = 413;
    page.heading = "That is a lot of paperwork";
    page.message = "The form you sent is larger than " +
                   std::to_string(kFormBodyLimitBytes / 1024) +
                   " KiB, more than any server's life story needs. Please shorten it and try "
                   "again.";
  } else if (!content_type.empty() &&
             content_type.rfind("application/x-www-form-urlencoded", 0) != 0) {
    page.status = 415;
    page.heading = "We could not read that form";
    page.message = "Forms must be sent as application/x-www-form-urlencoded.";
  } else {
    auto form = ParseUrlEncodedForm(request.body());
    if (form.ok()) return form;
    page.status = 400;
    page.heading = "We could not read that form";
    page.message = "The form arrived garbled (" + form.status().message() + "). Please try again.";
  }
  rejection = ErrorPageResponse(request, page);
  return InvalidArgument(page.heading);
}

ErrorPage BackendUnavailablePage(std::string_view backend, std::string detail, std::string heading,
                                 std::string message, std::string retry_href) {
  ErrorPage page;
  page.status = 502;
  page.heading = std::move(heading);
  page.message = std::move(message);
  page.backend = std::string(backend);
  page.detail = std::move(detail);
  page.retry_href = std::move(retry_href);
  return page;
}

struct KnownPage {
  std::string_view path;
  std::string_view allow;
};
constexpr KnownPage kKnownPages[] = {{"/", "GET, HEAD"},
                                     {"/list", "GET, HEAD"},
                                     {"/register", "GET, HEAD, POST"},
                                     {"/feed", "POST"}};

}  // namespace

HttpResponse HtmlResponse(HttpStatus status, std::string body, unsigned version) {
  HttpResponse response =
      http::MakeResponse(status, "text/html; charset=utf-8", std::move(body), version);
  response.set(Field::cache_control, "no-store");
  response.set("Content-Security-Policy", kContentSecurityPolicy);
  response.set("X-Content-Type-Options", "nosniff");
  response.set("X-Frame-Options", "DENY");
  response.set("Referrer-Policy", "same-origin");
  return response;
}

HttpResponse HomeResponse(const HttpRequest& request) {
  return HtmlResponse(HttpStatus::ok, RenderHomePage(), request.version());
}

HttpResponse RegisterFormResponse(const HttpRequest& request) {
  return HtmlResponse(HttpStatus::ok, RenderRegisterPage({}, {}), request.version());
}

HttpResponse StaticAssetResponse(const HttpRequest& request) {
  const StaticAsset* asset = FindStaticAsset(RequestPath(request));
  if (asset == nullptr) return FallbackResponse(request);
  const bool fresh =
      http::HeaderValue(request, "If-None-Match").find(asset->etag) != std::string_view::npos;
  HttpResponse response = fresh ? HttpResponse(HttpStatus::not_modified, request.version())
                                : http::MakeResponse(HttpStatus::ok, asset->content_type,
                                                     std::string(asset->body), request.version());
  response.set(Field::etag, asset->etag);
  response.set(Field::cache_control, "public, max-age=86400");
  response.set("X-Content-Type-Options", "nosniff");
  // Our SVGs are inert; this keeps them so even when opened directly.
  if (asset->content_type == "image/svg+xml") {
    response.set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
  }
  return response;
}

HttpResponse FallbackResponse(const HttpRequest& request) {
  std::string_view path = RequestPath(request);
  for (const KnownPage& page : kKnownPages) {
    if (page.path != path) continue;
    ErrorPage error;
    error.status = 405;
    error.heading = "That door opens the other way";
    error.message = std::string(request.method_string()) + " is not how " + std::string(path) +
                    " is used. Try the navigation above instead.";
    HttpResponse response = ErrorPageResponse(request, error);
    response.set(Field::allow, page.allow);
    return response;
  }
  return HtmlResponse(HttpStatus::not_found, RenderNotFoundPage(path), request.version());
}

namespace {

// The coroutines below only do I/O: every page is built in the plain functions here. (This also
// keeps aggregates like ErrorPage out of coroutine frames, where g++ 12 has been seen to destroy
// such temporaries twice.)

ErrorPage ListFailurePage(std::string detail) {
  return BackendUnavailablePage(
      kListApi, std::move(detail), "Our residents are napping",
      "We could not fetch the list of residents just now. Nobody has been forgotten; please try "
      "again in a moment.",
      "/list");
}

// Each *Response below runs after the backend call and may log it; the log lines carry the
// request's trace ids (installed only for this synchronous stretch, never across a co_await).

HttpResponse ListResponse(const HttpRequest& request, const Result<HttpResponse>& answer,
                          const telemetry::RequestSpan* span) {
  telemetry::LogScope log_scope = span->ActivateLogContext();
  if (!answer.ok()) return ErrorPageResponse(request, ListFailurePage(answer.status().message()));
  if (!IsSuccess(*answer)) {
    return ErrorPageResponse(request, ListFailurePage(DescribeAnswer(*answer)));
  }
  Result<std::vector<Resident>> residents = ParseResidentList(answer->body());
  if (!residents.ok()) {
    return ErrorPageResponse(request,
                             ListFailurePage("unexpected answer: " + residents.status().message()));
  }
  return HtmlResponse(HttpStatus::ok, RenderResidentsPage(*residents), request.version());
}

// Reads the registration form; returns the page to answer with instead of calling register-api
// (a bad form, or one the site itself rejects), or nothing when the form can be sent.
std::optional<HttpResponse> CheckRegistration(const HttpRequest& request, RegistrationForm& form) {
  HttpResponse rejection;
  Result<UrlEncodedForm> fields = ReadForm(request, rejection, "/register");
  if (!fields.ok()) return rejection;
  form = RegistrationForm::FromForm(*fields);
  if (std::vector<std::string> problems = form.Check(); !problems.empty()) {
    return HtmlResponse(HttpStatus::unprocessable_entity, RenderRegisterPage(form, problems),
                        request.version());
  }
  return std::nullopt;
}

HttpResponse RegisterResponse(const HttpRequest& request, const RegistrationForm& form,
                              const Result<HttpResponse>& answer,
                              const telemetry::RequestSpan* span) {
  telemetry::LogScope log_scope = span->ActivateLogContext();
  ErrorPage failure = BackendUnavailablePage(
      kRegisterApi, "", "The admissions office is closed for a moment",
      "We could not register your server just now, and nothing was saved. Please try again in a "
      "little while.",
      "/register");
  if (!answer.ok()) {
    failure.detail = answer.status().message();
    return ErrorPageResponse(request, failure);
  }
  if (answer->result() == HttpStatus::bad_request) {
    std::vector<std::string> reasons = ErrorReasons(answer->body());
    if (reasons.empty()) reasons.push_back("register-api did not accept this registration.");
    return HtmlResponse(HttpStatus::unprocessable_entity, RenderRegisterPage(form, reasons),
                        request.version());
  }
  if (!IsSuccess(*answer)) {
    failure.detail = DescribeAnswer(*answer);
    return ErrorPageResponse(request, failure);
  }
  std::string ckid;
  auto created = nlohmann::json::parse(answer->body(), nullptr, /*allow_exceptions=*/false);
  if (created.is_object() && created.contains("ckid") && created["ckid"].is_string()) {
    ckid = created["ckid"].get<std::string>();
  }
  return SeeOther(request, "/list" + ResidentAnchor(ckid));
}

// Reads the ckid to feed; returns the page to answer with instead, or nothing.
std::optional<HttpResponse> CheckFeed(const HttpRequest& request, std::string& ckid) {
  HttpResponse rejection;
  Result<UrlEncodedForm> fields = ReadForm(request, rejection, "/list");
  if (!fields.ok()) return rejection;
  ckid = fields->Get("ckid");
  if (!ckid.empty()) return std::nullopt;
  ErrorPage page;
  page.status = 400;
  page.heading = "Who should we feed?";
  page.message =
      "The feeding request did not say which resident to feed. Please use a Feed button on the "
      "residents page.";
  page.retry_href = "/list";
  page.retry_label = "Back to the residents";
  return ErrorPageResponse(request, page);
}

HttpResponse FeedResponse(const HttpRequest& request, const std::string& ckid,
                          const Result<HttpResponse>& answer, const telemetry::RequestSpan* span) {
  telemetry::LogScope log_scope = span->ActivateLogContext();
  ErrorPage page = BackendUnavailablePage(
      kFeedApi, "", "The kitchen is closed for a moment",
      "We could not feed that resident just now. It is not hungry enough to mind; please try "
      "again in a moment.",
      "/list");
  page.retry_label = "Back to the residents";
  if (!answer.ok()) {
    page.detail = answer.status().message();
    return ErrorPageResponse(request, page);
  }
  if (!IsSuccess(*answer)) {
    page.detail = DescribeAnswer(*answer);
    // feed-api's text may echo the id, which a hand-made form can make arbitrarily long.
    if (const std::string shown = Abbreviate(ckid); shown != ckid) {
      for (size_t at = page.detail.find(ckid); at != std::string::npos;
           at = page.detail.find(ckid, at + shown.size())) {
        page.detail.replace(at, ckid.size(), shown);
      }
    }
    if (answer->result() == HttpStatus::not_found) {
      page.status = 404;
      page.heading = "We could not find that resident";
      page.message =
          "Nobody with that id lives here (any more?). The residents page shows everyone who "
          "does.";
    } else if (answer->result() == HttpStatus::bad_request) {
      // The request was refused (e.g. an overlong ckid): the sender's mistake, not an outage.
      page.status = 400;
      page.heading = "That is not a resident we can feed";
      page.message =
          "The feeding request named a resident in a way we cannot use. Please use a Feed button "
          "on the residents page.";
    }
    return ErrorPageResponse(request, page);
  }
  return SeeOther(request, "/list" + ResidentAnchor(ckid));
}

}  // namespace

asio::awaitable<HttpResponse> HandleList(ServiceContext* context, HttpRequest request,
                                         telemetry::RequestSpan* span) {
  HttpRequest call(Verb::get, "/", 11);
  call.set(Field::accept, "application/json");
  Result<HttpResponse> answer =
      co_await context->services->Send(context->UrlFor(kListApi, "/"), std::move(call), span);
  co_return ListResponse(request, answer, span);
}

asio::awaitable<HttpResponse> HandleRegister(ServiceContext* context, HttpRequest request,
                                             telemetry::RequestSpan* span) {
  RegistrationForm form;
  if (std::optional<HttpResponse> rejection = CheckRegistration(request, form)) {
    co_return std::move(*rejection);
  }
  Result<HttpResponse> answer = co_await context->services->PostJson(
      context->UrlFor(kRegisterApi, "/"), form.ToRegisterRequest(), span);
  co_return RegisterResponse(request, form, answer, span);
}

asio::awaitable<HttpResponse> HandleFeed(ServiceContext* context, HttpRequest request,
                                         telemetry::RequestSpan* span) {
  std::string ckid;
  if (std::optional<HttpResponse> rejection = CheckFeed(request, ckid)) {
    co_return std::move(*rejection);
  }
  // Built outside the co_await: g++ 12 rejects a braced json literal inside one.
  nlohmann::json feed_request = nlohmann::json::object();
  feed_request["ckid"] = ckid;
  Result<HttpResponse> answer = co_await context->services->PostJson(context->UrlFor(kFeedApi, "/"),
                                                                     std::move(feed_request), span);
  co_return FeedResponse(request, ckid, answer, span);
}

void AddSiteRoutes(Router& router, ServiceContext* context) {
  router.Add(Verb::get, "/", [](HttpRequest request) { return Respond(HomeResponse(request)); });
  router.Add(Verb::get, "/register",
             [](HttpRequest request) { return Respond(RegisterFormResponse(request)); });
  router.Add(Verb::get, "/list", [context](HttpRequest request, telemetry::RequestSpan* span) {
    return HandleList(context, std::move(request), span);
  });
  router.Add(Verb::post, "/register", [context](HttpRequest request, telemetry::RequestSpan* span) {
    return HandleRegister(context, std::move(request), span);
  });
  router.Add(Verb::post, "/feed", [context](HttpRequest request, telemetry::RequestSpan* span) {
    return HandleFeed(context, std::move(request), span);
  });
  for (const char* prefix : {"/static/", "/img/"}) {
    router.AddPrefix(Verb::get, prefix,
                     [](HttpRequest request) { return Respond(StaticAssetResponse(request)); });
  }
  router.Add(Verb::get, "/favicon.ico", [](HttpRequest request) {
    HttpResponse response(HttpStatus::moved_permanently, request.version());
    response.set(Field::location, "/img/favicon.svg");
    response.prepare_payload();
    return Respond(std::move(response));
  });
  // Everything else gets the HTML 404 (or 405) page rather than the router's JSON answer.
  for (Verb verb : {Verb::get, Verb::post, Verb::put, Verb::delete_, Verb::patch}) {
    router.AddPrefix(verb, "/",
                     [](HttpRequest request) { return Respond(FallbackResponse(request)); });
  }
}

}  // namespace ck::services::public_site
