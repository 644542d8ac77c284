#include "services/list_api/list_api.h"

#include <algorithm>
#include <cctype>

#include "core/logger.h"
#include "services/common/json_body.h"
#include "services/common/residents.h"

namespace ck::services::list_api {

namespace asio = boost::asio;

namespace {

std::string SortKey(const nlohmann::json& resident) {
  std::string key = resident["name"].get<std::string>();
  std::transform(key.begin(), key.end(), key.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return key;
}

}  // namespace

asio::awaitable<http::HttpResponse> HandleList(ServiceContext* context, http::HttpRequest request,
                                               telemetry::RequestSpan* span) {
  Result<aws::DynamoDbClient> datastore = context->TracedDatastore(span);
  if (!datastore.ok()) {
    co_return JsonError(http::HttpStatus::bad_gateway,
                        "datastore unavailable: " + datastore.status().message());
  }
  aws::ScanRequest scan;
  scan.table = context->config.table;
  scan.filter = "attribute_exists(image)";
  auto page = co_await datastore->ScanAll(std::move(scan), kMaxResidents);
  if (!page.ok()) {
    RecordDatastoreFault(span, page.status());
    span->Log(LogLevel::kError, "scan failed", {{"error", page.status().message()}});
    co_return JsonError(http::HttpStatus::bad_gateway, page.status().message());
  }
  if (page->last_evaluated_key) {
    span->Log(LogLevel::kWarn, "resident list truncated", {{"limit", kMaxResidents}});
  }
  std::vector<nlohmann::json> residents;
  residents.reserve(page->items.size());
  for (const store::Item& item : page->items) residents.push_back(ResidentJson(item));
  std::stable_sort(residents.begin(), residents.end(),
                   [](const nlohmann::json& a, const nlohmann::json& b) {
                     std::string key_a = SortKey(a), key_b = SortKey(b);
                     if (key_a != key_b) return key_a < key_b;
                     return a["ckid"].get<std::string>() < b["ckid"].get<std::string>();
                   });
  co_return JsonResponse(http::HttpStatus::ok, nlohmann::json(std::move(residents)));
}

ServiceDefinition ListApiService() {
  ServiceDefinition definition;
  definition.name = "list-api";
  definition.summary = "GET / lists the residents that have a picture, as a JSON array";
  definition.uses_datastore = true;
  definition.add_routes = [](Router& router, ServiceContext* context) {
    router.Add(http::Verb::get, "/",
               [context](http::HttpRequest request, telemetry::RequestSpan* span) {
                 return HandleList(context, std::move(request), span);
               });
  };
  definition.on_start = InitResidentTable;
  return definition;
}

}  // namespace ck::services::list_api
