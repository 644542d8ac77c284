#include "services/happiness_api/happiness_api.h"

#include "aws/marshal.h"
#include "core/logger.h"
#include "services/common/json_body.h"
#include "services/common/residents.h"

namespace ck::services::happiness_api {

namespace asio = boost::asio;

asio::awaitable<http::HttpResponse> HandleFeed(ServiceContext* context, http::HttpRequest request) {
  auto body = ParseJsonObject(request);
  if (!body.ok()) co_return JsonError(http::HttpStatus::bad_request, body.status().message());
  Result<std::string> ckid_field = CkidFromRequest(*body);
  if (!ckid_field.ok()) {
    co_return JsonError(http::HttpStatus::bad_request, ckid_field.status().message());
  }
  const std::string ckid = std::move(*ckid_field);
  if (!context->datastore.ok()) {
    co_return JsonError(http::HttpStatus::bad_gateway,
                        "datastore unavailable: " + context->datastore.status().message());
  }
  aws::DynamoDbClient* datastore = *context->datastore;

  aws::UpdateItemRequest update;
  update.table = context->config.table;
  update.key = {{"ckid", aws::Str(ckid)}};
  update.update = "SET happiness = if_not_exists(happiness, :zero) + :one";
  update.condition =
      "attribute_exists(ckid) AND (attribute_not_exists(happiness) OR happiness < :max)";
  update.values = {
      {":zero", aws::Num(0)}, {":one", aws::Num(1)}, {":max", aws::Num(kMaxHappiness)}};
  update.return_values = "ALL_NEW";
  auto updated = co_await datastore->UpdateItem(std::move(update));
  if (updated.ok() && *updated) {
    co_return JsonResponse(http::HttpStatus::created, ResidentJson(**updated));
  }
  if (!updated.ok() &&
      aws::AwsErrorFrom(updated.status()).type != "ConditionalCheckFailedException") {
    Logger::Global().Error("UpdateItem failed",
                           {{"ckid", ckid}, {"error", updated.status().message()}});
    co_return DatastoreErrorResponse(updated.status());
  }
  // The condition failed: either there is no such resident or it is as happy as can be.
  aws::GetItemRequest get;
  get.table = context->config.table;
  get.key = {{"ckid", aws::Str(ckid)}};
  get.consistent_read = true;
  auto current = co_await datastore->GetItem(std::move(get));
  if (!current.ok()) {
    Logger::Global().Error("GetItem failed",
                           {{"ckid", ckid}, {"error", current.status().message()}});
    co_return DatastoreErrorResponse(current.status());
  }
  if (!*current) {
    co_return JsonError(http::HttpStatus::not_found, "no resident with ckid " + ckid);
  }
  co_return JsonResponse(http::HttpStatus::created, ResidentJson(**current));
}

ServiceDefinition HappinessApiService() {
  ServiceDefinition definition;
  definition.name = "happiness-api";
  definition.summary = "POST / {\"ckid\"} raises that resident's happiness (max 10)";
  definition.uses_datastore = true;
  definition.add_routes = [](Router& router, ServiceContext* context) {
    router.Add(http::Verb::post, "/", [context](http::HttpRequest request) {
      return HandleFeed(context, std::move(request));
    });
  };
  definition.on_start = InitResidentTable;
  return definition;
}

}  // namespace ck::services::happiness_api
