#include "store/api/dynamodb_service.h"

#include <algorithm>
#include <cctype>
#include <exception>

#include "core/crypto.h"
#include "core/logger.h"
#include "store/api/request_auth.h"
#include "store/api/service_state.h"
#include "store/api/table_description.h"
#include "store/attribute_json.h"

namespace ck::store::api {

namespace {

constexpr std::string_view kTargetPrefix = "DynamoDB_20120810.";
constexpr std::string_view kJsonContentType = "application/x-amz-json-1.0";
constexpr int64_t kFiveYearsSeconds = 5LL * 365 * 24 * 3600;
constexpr int kSweepBatch = 1000;

struct OperationEntry {
  std::string_view name;
  OperationHandler handler;
};

constexpr OperationEntry kOperations[] = {
    {"BatchGetItem", BatchGetItem},
    {"BatchWriteItem", BatchWriteItem},
    {"CreateTable", CreateTable},
    {"DeleteItem", DeleteItem},
    {"DeleteTable", DeleteTable},
    {"DescribeContinuousBackups", DescribeContinuousBackups},
    {"DescribeLimits", DescribeLimits},
    {"DescribeTable", DescribeTable},
    {"DescribeTimeToLive", DescribeTimeToLive},
    {"GetItem", GetItem},
    {"ListTables", ListTables},
    {"ListTagsOfResource", ListTagsOfResource},
    {"PutItem", PutItem},
    {"Query", Query},
    {"Scan", Scan},
    {"TagResource", TagResource},
    {"TransactGetItems", TransactGetItems},
    {"TransactWriteItems", TransactWriteItems},
    {"UntagResource", UntagResource},
    {"UpdateContinuousBackups", UpdateContinuousBackups},
    {"UpdateItem", UpdateItem},
    {"UpdateTable", UpdateTable},
    {"UpdateTimeToLive", UpdateTimeToLive},
};

OperationHandler FindOperation(std::string_view target) {
  if (target.substr(0, kTargetPrefix.size()) != kTargetPrefix) return nullptr;
  std::string_view name = target.substr(kTargetPrefix.size());
  for (const auto& entry : kOperations) {
    if (entry.name == name) return entry.handler;
  }
  return nullptr;
}

}  // namespace

bool IsImplementedOperation(std::string_view operation) {
  for (const auto& entry : kOperations) {
    if (entry.name == operation) return true;
  }
  return false;
}

namespace {

std::string RequestId() {
  std::string id = RandomHex(26);
  for (auto& c : id) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return id;
}

http::HttpResponse Respond(const http::HttpRequest& request, http::HttpStatus status,
                           std::string_view content_type, std::string body) {
  http::HttpResponse response(status, request.version());
  response.set(http::Field::content_type, content_type);
  response.set("x-amzn-RequestId", RequestId());
  response.set("x-amz-crc32", std::to_string(Crc32(body)));
  response.body() = std::move(body);
  response.keep_alive(request.keep_alive());
  response.prepare_payload();
  return response;
}

http::HttpResponse RespondError(const http::HttpRequest& request, const ApiError& error) {
  return Respond(request, ErrorHttpStatus(error.type), kJsonContentType, ErrorBody(error));
}

bool AcceptedContentType(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  return type == "application/x-amz-json-1.0" || type == "application/x-amz-json-1.1" ||
         type == "application/json";
}

}  // namespace

Result<TableEntry*> ServiceState::FindTable(std::string_view name, bool name_in_message) {
  auto it = tables.find(name);
  if (it == tables.end()) {
    std::string message(kResourceNotFoundMessage);
    if (name_in_message) message += ": Table: " + std::string(name) + " not found";
    return NotFound(std::move(message));
  }
  return &it->second;
}

const TableEntry* ServiceState::FindTableById(int64_t table_id) const {
  for (const auto& [name, entry] : tables) {
    if (entry.schema.table_id == table_id) return &entry;
  }
  return nullptr;
}

Status ServiceState::PersistTable(const TableEntry& entry) {
  return storage->UpdateTableDescription(entry.schema.table_id, CatalogText(entry));
}

std::chrono::system_clock::time_point ServiceState::Now() const {
  return options.clock ? options.clock() : std::chrono::system_clock::now();
}

double ServiceState::NowEpochSeconds() const {
  auto since_epoch = Now().time_since_epoch();
  return static_cast<double>(
             std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count()) /
         1000.0;
}

Result<std::unique_ptr<DynamoDbService>> DynamoDbService::Open(const DynamoDbOptions& options) {
  auto state = std::make_unique<ServiceState>();
  state->options = options;
  CK_ASSIGN_OR_RETURN(state->storage,
                      engine::Storage::Open({options.data_path, options.durability}));
  state->store = std::make_unique<engine::TableStore>(*state->storage);
  CK_ASSIGN_OR_RETURN(auto catalog, state->storage->LoadCatalog());
  for (const auto& record : catalog) {
    CK_ASSIGN_OR_RETURN(TableEntry entry, TableFromCatalog(record));
    state->tables.emplace(record.name, std::move(entry));
  }
  return std::unique_ptr<DynamoDbService>(new DynamoDbService(std::move(state)));
}

DynamoDbService::DynamoDbService(std::unique_ptr<ServiceState> state) : state_(std::move(state)) {}
DynamoDbService::~DynamoDbService() = default;

http::HttpResponse DynamoDbService::Handle(const http::HttpRequest& request) {
  if (request.method() == http::Verb::get) {
    return Respond(request, http::HttpStatus::ok, "text/plain",
                   "healthy: dynamodb." + state_->options.region + ".amazonaws.com ");
  }
  if (request.method() != http::Verb::post ||
      (!request.body().empty() &&
       !AcceptedContentType(http::HeaderValue(request, "content-type")))) {
    return Respond(request, http::HttpStatus::not_found, "text/plain",
                   "<UnknownOperationException/>\n");
  }
  // DynamoDB authenticates before it looks at the target: a signed X-Amz-Target that was
  // altered is an InvalidSignatureException, not an UnknownOperationException.
  if (state_->options.verify_signatures) {
    auto failure = AuthenticateRequest(request, state_->options.credentials, state_->Now());
    if (failure) return RespondError(request, *failure);
  }
  OperationHandler handler = FindOperation(http::HeaderValue(request, "x-amz-target"));
  if (handler == nullptr) return RespondError(request, {ErrorType::kUnknownOperation, "", ""});
  auto document = ParseRequestBody(request.body());
  if (!document.ok()) return RespondError(request, ErrorFromStatus(document.status()));

  OperationContext context;
  Result<std::string> result = Internal("unhandled");
  try {
    result = handler(*state_, *document, context);
  } catch (const std::exception& e) {
    state_->storage->Rollback();
    result = Internal(std::string("internal error: ") + e.what());
  }
  if (!result.ok()) {
    ApiError error = ErrorFromStatus(result.status());
    if (context.error_type) error.type = *context.error_type;
    error.extra_members = std::move(context.error_extra);
    return RespondError(request, error);
  }
  return Respond(request, http::HttpStatus::ok, kJsonContentType, std::move(*result));
}

size_t DynamoDbService::SweepExpiredItems(size_t max_items) {
  auto& state = *state_;
  int64_t now = static_cast<int64_t>(state.NowEpochSeconds());
  size_t deleted = 0;
  while (deleted < max_items) {
    const int batch = static_cast<int>(std::min<size_t>(kSweepBatch, max_items - deleted));
    auto rows = state.storage->ExpiredRows(now, now - kFiveYearsSeconds, batch);
    if (!rows.ok()) {
      Logger::Global().Warn("ttl sweep failed", {{"error", rows.status().ToString()}});
      break;
    }
    if (rows->empty()) break;
    Status status = InTransaction(*state.storage, [&]() -> Status {
      for (const auto& row : *rows) {
        const TableEntry* table = state.FindTableById(row.table_id);
        if (table == nullptr) continue;
        CK_ASSIGN_OR_RETURN(Item item, ItemFromStoredJson(row.item));
        CK_RETURN_IF_ERROR(state.store->DeleteItem(table->schema, item));
        ++deleted;
      }
      return Status::Ok();
    });
    if (!status.ok()) {
      // The batch was rolled back; it is retried on the next sweep.
      Logger::Global().Warn("ttl sweep failed", {{"error", status.ToString()}});
      break;
    }
    if (rows->size() < static_cast<size_t>(batch)) break;
  }
  return deleted;
}

}  // namespace ck::store::api
