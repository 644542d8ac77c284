#include "services/order_api/order_api.h"

#include "services/common/json_body.h"

namespace ck::services::order_api {

ServiceDefinition OrderApiService() {
  ServiceDefinition definition;
  definition.name = "order-api";
  definition.summary = "GET / answers {\"message\": \"Hello World!\"} (a placeholder)";
  definition.add_routes = [](Router& router, ServiceContext*) {
    router.Add(http::Verb::get, "/", [](http::HttpRequest) {
      return Respond(JsonResponse(http::HttpStatus::ok, {{"message", "Hello World!"}}));
    });
  };
  return definition;
}

}  // namespace ck::services::order_api
