#include "services/happiness_api/happiness_api.h"

#include "aws/marshal.h"
#include "core/logger.h"
#include "services/common/json_body.h"
#include "services/common/residents.h"

namespace ck::services::happiness_api {

namespace asio = boost::asio;

namespace {

// The answer for a failed datastore call, logged with the request's trace ids; a 5xx answer
// also records the error as the segment's cause.
http::HttpResponse DatastoreFailure(telemetry::RequestSpan* span, std::string_view operation,
                                    const std::string& ckid, const Status& status) {
  http::HttpResponse response = DatastoreErrorResponse(status);
  if (response.result_int() >= 500) RecordDatastoreFault(span, status);
  span->Log(LogLevel::kError, std::string(operation) + " failed",
            {{"ckid", ckid}, {"error", status.message()}});
  return response;
}

}  // namespace

asio::awaitable<http::HttpResponse> HandleFeed(ServiceContext* context, http::HttpRequest request,
                                               telemetry::RequestSpan* span) {
  auto body = ParseJsonObject(request);
  if (!body.ok()) co_return JsonError(http::HttpStatus::bad_request, body.status().message());
  Result<std::string> ckid_field = CkidFromRequest(*body);
  if (!ckid_field.ok()) {
    co_return JsonError(http::HttpStatus::bad_request, ckid_field.status().message());
  }
  const std::string ckid = std::move(*ckid_field);
  Result<aws::DynamoDbClient> datastore = context->TracedDatastore(span);
  if (!datastore.ok()) {
    co_return JsonError(http::HttpStatus::bad_gateway,
                        "datastore unavailable: " + datastore.status().message());
  }

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
    co_return DatastoreFailure(span, "UpdateItem", ckid, updated.status());
  }
  // The condition failed: either there is no such resident or it is as happy as can be.
  aws::GetItemRequest get;
  get.table = context->config.table;
  get.key = {{"ckid", aws::Str(ckid)}};
  get.consistent_read = true;
  auto current = co_await datastore->GetItem(std::move(get));
  if (!current.ok()) {
    co_return DatastoreFailure(span, "GetItem", ckid, current.status());
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
    router.Add(http::Verb::post, "/",
               [context](http::HttpRequest request, telemetry::RequestSpan* span) {
                 return HandleFeed(context, std::move(request), span);
               });
  };
  definition.on_start = InitResidentTable;
  return definition;
}

}  // namespace ck::services::happiness_api
