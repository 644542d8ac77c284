// DynamoDbClient's typed helpers: each builds its request document (dynamodb_types.h), sends it
// with Call() and parses the answer. Batches resubmit unprocessed work; Query/Scan paginate.
#include <utility>

#include "aws/dynamodb_client.h"
#include "aws/dynamodb_client_impl.h"

namespace ck::aws {

namespace asio = boost::asio;
using Json = nlohmann::json;

// Propagates a failed Result<...> from inside a coroutine.
#define CK_CO_ASSIGN_OR_RETURN(lhs, expr) \
  CK_CO_ASSIGN_OR_RETURN_IMPL(CK_CONCAT(ck_co_result_, __LINE__), lhs, expr)
#define CK_CO_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) co_return tmp.status();            \
  lhs = std::move(tmp).value()

asio::awaitable<Result<ItemResult>> DynamoDbClient::GetItem(GetItemRequest request) {
  CK_CO_ASSIGN_OR_RETURN(Json response, co_await Call("GetItem", ToJson(request)));
  co_return ItemResultFromJson(response, "Item");
}

asio::awaitable<Result<ItemResult>> DynamoDbClient::PutItem(PutItemRequest request) {
  CK_CO_ASSIGN_OR_RETURN(Json response, co_await Call("PutItem", ToJson(request)));
  co_return ItemResultFromJson(response, "Attributes");
}

asio::awaitable<Result<ItemResult>> DynamoDbClient::UpdateItem(UpdateItemRequest request) {
  CK_CO_ASSIGN_OR_RETURN(Json response, co_await Call("UpdateItem", ToJson(request)));
  co_return ItemResultFromJson(response, "Attributes");
}

asio::awaitable<Result<ItemResult>> DynamoDbClient::DeleteItem(DeleteItemRequest request) {
  CK_CO_ASSIGN_OR_RETURN(Json response, co_await Call("DeleteItem", ToJson(request)));
  co_return ItemResultFromJson(response, "Attributes");
}

asio::awaitable<Result<Page>> DynamoDbClient::Query(QueryRequest request) {
  CK_CO_ASSIGN_OR_RETURN(Json response, co_await Call("Query", ToJson(request)));
  co_return PageFromJson(response);
}

asio::awaitable<Result<Page>> DynamoDbClient::Scan(ScanRequest request) {
  CK_CO_ASSIGN_OR_RETURN(Json response, co_await Call("Scan", ToJson(request)));
  co_return PageFromJson(response);
}

asio::awaitable<Result<Page>> DynamoDbClient::Paginate(std::string operation, Json request,
                                                       size_t max_items) {
  Page all;
  while (true) {
    CK_CO_ASSIGN_OR_RETURN(Json response, co_await Call(operation, request));
    CK_CO_ASSIGN_OR_RETURN(Page page, PageFromJson(response));
    all.count += page.count;
    all.scanned_count += page.scanned_count;
    for (Item& item : page.items) all.items.push_back(std::move(item));
    all.last_evaluated_key = std::move(page.last_evaluated_key);
    if (!all.last_evaluated_key || all.items.size() >= max_items) co_return all;
    request["ExclusiveStartKey"] = ItemToWire(*all.last_evaluated_key);
  }
}

asio::awaitable<Result<Page>> DynamoDbClient::QueryAll(QueryRequest request, size_t max_items) {
  co_return co_await Paginate("Query", ToJson(request), max_items);
}

asio::awaitable<Result<Page>> DynamoDbClient::ScanAll(ScanRequest request, size_t max_items) {
  co_return co_await Paginate("Scan", ToJson(request), max_items);
}

asio::awaitable<Result<BatchGetResult>> DynamoDbClient::BatchGetItem(
    std::map<std::string, KeysAndAttributes> tables) {
  BatchGetResult all;
  for (int round = 1;; ++round) {
    CK_CO_ASSIGN_OR_RETURN(Json response, co_await Call("BatchGetItem", BatchGetToJson(tables)));
    CK_CO_ASSIGN_OR_RETURN(BatchGetResult result, BatchGetResultFromJson(response));
    for (auto& [table, items] : result.items) {
      auto& collected = all.items[table];
      for (Item& item : items) collected.push_back(std::move(item));
    }
    tables = std::move(result.unprocessed);
    if (tables.empty() || round >= impl_->retry.options().max_attempts) {
      all.unprocessed = std::move(tables);
      co_return all;
    }
    co_await impl_->options.sleep(impl_->retry.Delay(round));
  }
}

asio::awaitable<Result<BatchWriteRequests>> DynamoDbClient::BatchWriteItem(
    BatchWriteRequests requests) {
  for (int round = 1;; ++round) {
    CK_CO_ASSIGN_OR_RETURN(Json response,
                           co_await Call("BatchWriteItem", BatchWriteToJson(requests)));
    CK_CO_ASSIGN_OR_RETURN(requests, UnprocessedItemsFromJson(response));
    if (requests.empty() || round >= impl_->retry.options().max_attempts) co_return requests;
    co_await impl_->options.sleep(impl_->retry.Delay(round));
  }
}

asio::awaitable<Status> DynamoDbClient::TransactWriteItems(TransactWriteRequest request) {
  auto response = co_await Call("TransactWriteItems", ToJson(request));
  co_return response.status();
}

asio::awaitable<Result<std::vector<ItemResult>>> DynamoDbClient::TransactGetItems(
    std::vector<TransactGetItem> items) {
  CK_CO_ASSIGN_OR_RETURN(Json response,
                         co_await Call("TransactGetItems", TransactGetToJson(items)));
  co_return TransactGetResultFromJson(response);
}

asio::awaitable<Result<TableDescription>> DynamoDbClient::CreateTable(CreateTableRequest request) {
  CK_CO_ASSIGN_OR_RETURN(Json response, co_await Call("CreateTable", ToJson(request)));
  co_return TableDescriptionFromJson(response, "TableDescription");
}

asio::awaitable<Result<TableDescription>> DynamoDbClient::DescribeTable(std::string table) {
  Json request = {{"TableName", table}};
  CK_CO_ASSIGN_OR_RETURN(Json response, co_await Call("DescribeTable", request));
  co_return TableDescriptionFromJson(response, "Table");
}

asio::awaitable<Result<TableDescription>> DynamoDbClient::DeleteTable(std::string table) {
  Json request = {{"TableName", table}};
  CK_CO_ASSIGN_OR_RETURN(Json response, co_await Call("DeleteTable", request));
  co_return TableDescriptionFromJson(response, "TableDescription");
}

asio::awaitable<Result<ListTablesPage>> DynamoDbClient::ListTables(
    std::string exclusive_start_table, std::optional<int> limit) {
  Json request = Json::object();
  if (!exclusive_start_table.empty()) request["ExclusiveStartTableName"] = exclusive_start_table;
  if (limit) request["Limit"] = *limit;
  CK_CO_ASSIGN_OR_RETURN(Json response, co_await Call("ListTables", request));
  co_return ListTablesPageFromJson(response);
}

asio::awaitable<Result<std::vector<std::string>>> DynamoDbClient::ListAllTables() {
  std::vector<std::string> names;
  std::string start;
  while (true) {
    CK_CO_ASSIGN_OR_RETURN(ListTablesPage page, co_await ListTables(start));
    for (std::string& name : page.names) names.push_back(std::move(name));
    if (page.last_evaluated_table.empty()) co_return names;
    start = std::move(page.last_evaluated_table);
  }
}

asio::awaitable<Status> DynamoDbClient::WaitUntilActive(std::string table,
                                                        std::chrono::milliseconds timeout,
                                                        std::chrono::milliseconds interval) {
  std::chrono::milliseconds waited{0};
  while (true) {
    auto description = co_await DescribeTable(table);
    if (!description.ok()) co_return description.status();
    if (description->status == "ACTIVE") co_return Status::Ok();
    if (waited >= timeout) {
      co_return DeadlineExceeded("table " + table + " is still " + description->status + " after " +
                                 std::to_string(timeout.count()) + " ms");
    }
    co_await impl_->options.sleep(interval);
    waited += interval;
  }
}

#undef CK_CO_ASSIGN_OR_RETURN_IMPL
#undef CK_CO_ASSIGN_OR_RETURN

}  // namespace ck::aws
