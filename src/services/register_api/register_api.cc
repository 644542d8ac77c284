#include "services/register_api/register_api.h"

#include "aws/marshal.h"
#include "core/crypto.h"
#include "core/logger.h"
#include "services/common/json_body.h"
#include "services/common/residents.h"

namespace ck::services::register_api {

namespace asio = boost::asio;

namespace {

// A whole number as DynamoDB number text from a JSON number or a digit string; empty otherwise.
std::string NumberText(const nlohmann::json& value) {
  if (value.is_number_integer()) return std::to_string(value.get<int64_t>());
  if (value.is_number_float()) return std::to_string(static_cast<int64_t>(value.get<double>()));
  if (value.is_string()) return value.get<std::string>();
  return {};
}

std::string Text(const nlohmann::json& resident, const char* field) {
  auto it = resident.find(field);
  if (it == resident.end() || !it->is_string()) return {};
  return it->get<std::string>();
}

// What validate-api said: the reasons (empty when valid), or why it could not be asked.
asio::awaitable<Result<std::vector<std::string>>> AskValidateApi(ServiceContext* context,
                                                                 nlohmann::json resident,
                                                                 telemetry::RequestSpan* span) {
  auto response = co_await context->services->PostJson(context->UrlFor("validate-api"),
                                                       std::move(resident), span);
  if (!response.ok()) {
    co_return Status(response.status().code(), std::string(UnavailableReason(response.status())));
  }
  if (response->result() != http::HttpStatus::ok) {
    std::string detail = "HTTP " + std::to_string(response->result_int());
    if (auto body = ParseJsonObject(response->body());
        body.ok() && body->contains("error") && (*body)["error"].is_string()) {
      detail += ": " + (*body)["error"].get<std::string>();
    }
    co_return Unavailable(detail);
  }
  auto answer = ParseJsonObject(response->body());
  if (!answer.ok() || !answer->contains("valid") || !(*answer)["valid"].is_boolean()) {
    co_return Unavailable("answer without a boolean \"valid\"");
  }
  std::vector<std::string> reasons;
  if (auto message = answer->find("message"); message != answer->end() && message->is_array()) {
    for (const nlohmann::json& reason : *message) {
      reasons.push_back(reason.is_string() ? reason.get<std::string>() : reason.dump());
    }
  }
  if (!(*answer)["valid"].get<bool>() && reasons.empty()) reasons.push_back("rejected");
  if ((*answer)["valid"].get<bool>()) reasons.clear();
  co_return reasons;
}

}  // namespace

store::Item ResidentItem(const nlohmann::json& resident, const std::string& ckid) {
  store::Item item;
  item["ckid"] = aws::Str(ckid);
  for (const char* field : {"name", "type", "os", "petname"}) {
    std::string text = Text(resident, field);
    if (!text.empty()) item[field] = aws::Str(std::move(text));
  }
  std::string image = Text(resident, "image");
  item["image"] = aws::Str(image.empty() ? DefaultImageFor(ckid) : image);
  if (auto service = resident.find("service"); service != resident.end()) {
    std::string number = NumberText(*service);
    if (!number.empty()) item["service"] = aws::Num(number);
  }
  std::string happiness;
  if (auto given = resident.find("happiness"); given != resident.end()) {
    happiness = NumberText(*given);
  }
  item["happiness"] = happiness.empty() ? aws::Num(kDefaultHappiness) : aws::Num(happiness);
  return item;
}

asio::awaitable<http::HttpResponse> HandleRegister(ServiceContext* context,
                                                   http::HttpRequest request,
                                                   telemetry::RequestSpan* span) {
  auto resident = ParseJsonObject(request);
  if (!resident.ok()) {
    co_return JsonError(http::HttpStatus::bad_request, resident.status().message());
  }
  auto reasons = co_await AskValidateApi(context, *resident, span);
  if (!reasons.ok()) {
    span->Log(LogLevel::kError, "validate-api unavailable",
              {{"error", reasons.status().message()}});
    co_return JsonError(http::HttpStatus::bad_gateway,
                        "validate-api unavailable: " + reasons.status().message());
  }
  if (!reasons->empty()) {
    std::string joined;
    for (const std::string& reason : *reasons) joined += (joined.empty() ? "" : "; ") + reason;
    co_return JsonError(http::HttpStatus::bad_request, "invalid resident: " + joined,
                        {{"reasons", *reasons}});
  }
  Result<aws::DynamoDbClient> datastore = context->TracedDatastore(span);
  if (!datastore.ok()) {
    co_return JsonError(http::HttpStatus::bad_gateway,
                        "datastore unavailable: " + datastore.status().message());
  }
  const std::string name = Text(*resident, "name");
  // A 128-bit random id cannot realistically collide; the condition makes sure it never
  // overwrites, and one retry with a new id covers the impossible case.
  for (int attempt = 0; attempt < 2; ++attempt) {
    const std::string ckid = RandomHex(16);
    aws::PutItemRequest put;
    put.table = context->config.table;
    put.item = ResidentItem(*resident, ckid);
    put.condition = "attribute_not_exists(ckid)";
    auto stored = co_await datastore->PutItem(std::move(put));
    if (stored.ok()) {
      span->Log(LogLevel::kInfo, "registered", {{"ckid", ckid}, {"name", name}});
      co_return JsonResponse(http::HttpStatus::created,
                             {{"message", "item " + name + ", is registered"}, {"ckid", ckid}});
    }
    if (aws::AwsErrorFrom(stored.status()).type == "ConditionalCheckFailedException") continue;
    RecordDatastoreFault(span, stored.status());
    span->Log(LogLevel::kError, "PutItem failed", {{"error", stored.status().message()}});
    co_return JsonError(http::HttpStatus::bad_gateway, stored.status().message());
  }
  co_return JsonError(http::HttpStatus::internal_server_error, "could not allocate a unique ckid");
}

ServiceDefinition RegisterApiService() {
  ServiceDefinition definition;
  definition.name = "register-api";
  definition.summary = "POST / registers a resident after asking validate-api";
  definition.uses_datastore = true;
  definition.add_routes = [](Router& router, ServiceContext* context) {
    router.Add(http::Verb::post, "/",
               [context](http::HttpRequest request, telemetry::RequestSpan* span) {
                 return HandleRegister(context, std::move(request), span);
               });
  };
  definition.on_start = InitResidentTable;
  return definition;
}

}  // namespace ck::services::register_api
