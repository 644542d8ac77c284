#include "services/common/json_body.h"

namespace ck::services {

http::HttpResponse JsonResponse(http::HttpStatus status, const nlohmann::json& body) {
  return http::MakeResponse(status, "application/json",
                            body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

http::HttpResponse JsonError(http::HttpStatus status, std::string_view message,
                             const nlohmann::json& extra) {
  nlohmann::json body = nlohmann::json::object();
  body["error"] = message;
  if (extra.is_object()) {
    for (const auto& [key, value] : extra.items()) body[key] = value;
  }
  return JsonResponse(status, body);
}

Result<nlohmann::json> ParseJsonObject(std::string_view text) {
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& error) {
    // The library's text starts with "[json.exception.parse_error.101] "; keep the reason.
    std::string reason = error.what();
    if (auto close = reason.find("] "); close != std::string::npos) reason.erase(0, close + 2);
    return InvalidArgument("invalid JSON: " + reason);
  }
  if (!document.is_object()) return InvalidArgument("request body must be a JSON object");
  return document;
}

Result<nlohmann::json> ParseJsonObject(const http::HttpRequest& request) {
  return ParseJsonObject(std::string_view(request.body()));
}

http::HttpStatus HttpStatusFor(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return http::HttpStatus::ok;
    case StatusCode::kInvalidArgument:
      return http::HttpStatus::bad_request;
    case StatusCode::kNotFound:
      return http::HttpStatus::not_found;
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
      return http::HttpStatus::conflict;
    case StatusCode::kResourceExhausted:
      return http::HttpStatus::service_unavailable;
    case StatusCode::kDeadlineExceeded:
      return http::HttpStatus::gateway_timeout;
    default:
      return http::HttpStatus::bad_gateway;
  }
}

}  // namespace ck::services
