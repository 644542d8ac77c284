#include "services/feed_api/feed_api.h"

#include "core/logger.h"
#include "services/common/json_body.h"
#include "services/common/residents.h"

namespace ck::services::feed_api {

namespace asio = boost::asio;

asio::awaitable<http::HttpResponse> HandleFeed(ServiceContext* context, http::HttpRequest request,
                                               telemetry::RequestSpan* span) {
  auto body = ParseJsonObject(request);
  if (!body.ok()) co_return JsonError(http::HttpStatus::bad_request, body.status().message());
  // Checked here too, so a bad id is the client's 400 without a call to happiness-api.
  Result<std::string> ckid = CkidFromRequest(*body);
  if (!ckid.ok()) co_return JsonError(http::HttpStatus::bad_request, ckid.status().message());
  // Built before the co_await: g++ 12 rejects a braced initializer list inside a co_await
  // expression ("array used as initializer").
  nlohmann::json feed = {{"ckid", *ckid}};
  auto response =
      co_await context->services->PostJson(context->UrlFor("happiness-api"), std::move(feed), span);
  if (!response.ok()) {
    span->Log(LogLevel::kError, "happiness-api unavailable",
              {{"error", response.status().message()}});
    co_return JsonError(
        http::HttpStatus::bad_gateway,
        "happiness-api unavailable: " + std::string(UnavailableReason(response.status())));
  }
  const unsigned status = response->result_int();
  nlohmann::json answer = nlohmann::json::parse(response->body(), nullptr, false);
  if (status == 201 && answer.is_object()) co_return JsonResponse(response->result(), answer);
  if (status >= 400 && status < 500) {
    // happiness-api's own client error (e.g. 404 for an unknown ckid), passed through.
    if (!answer.is_object())
      answer = {{"error", "happiness-api answered HTTP " + std::to_string(status)}};
    co_return JsonResponse(response->result(), answer);
  }
  std::string detail = "HTTP " + std::to_string(status);
  if (answer.is_object() && answer.contains("error") && answer["error"].is_string()) {
    detail = answer["error"].get<std::string>();
  } else if (status == 201) {
    detail = "an answer that is not a JSON object";
  }
  span->Log(LogLevel::kError, "happiness-api failed", {{"status", status}, {"error", detail}});
  co_return JsonError(http::HttpStatus::bad_gateway, "happiness-api failed: " + detail);
}

ServiceDefinition FeedApiService() {
  ServiceDefinition definition;
  definition.name = "feed-api";
  definition.summary = "POST / {\"ckid\"} feeds a resident through happiness-api";
  definition.add_routes = [](Router& router, ServiceContext* context) {
    router.Add(http::Verb::post, "/",
               [context](http::HttpRequest request, telemetry::RequestSpan* span) {
                 return HandleFeed(context, std::move(request), span);
               });
  };
  return definition;
}

}  // namespace ck::services::feed_api
