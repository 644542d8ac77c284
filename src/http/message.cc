#include "http/message.h"

#include <nlohmann/json.hpp>

namespace ck::http {

HttpResponse MakeResponse(HttpStatus status, std::string_view content_type, std::string body,
                          unsigned version) {
  HttpResponse response(status, version);
  response.set(Field::content_type, content_type);
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

HttpResponse MakeJsonError(HttpStatus status, std::string_view message, unsigned version) {
  nlohmann::json body = {{"error", message}};
  return MakeResponse(status, "application/json", body.dump(), version);
}

std::string_view HeaderValue(const HttpRequest& request, std::string_view name) {
  auto it = request.find(name);
  if (it == request.end()) return {};
  return it->value();
}

}  // namespace ck::http
