// Typed requests and results for the DynamoDB operations our services use, and their pure
// conversions to and from DynamoDB JSON 1.0 documents.
//
// Each request struct holds the parameters our code needs by name; anything else DynamoDB
// accepts (ReturnConsumedCapacity, GSIs of CreateTable, ...) goes into `extra`, whose top-level
// keys are merged into the request document last. Empty strings and empty maps are omitted from
// the wire, so only what is set is sent. Items use ck::store::Item (see marshal.h).
//
//   PutItemRequest put{.table = "residents", .item = item, .condition =
//   "attribute_not_exists(ckid)"}; nlohmann::json wire = ToJson(put);   //
//   {"TableName":"residents","Item":{...},...}
//
// The client (dynamodb_client.h) sends these; the functions here do no I/O, so they are tested on
// their own. Thread-safety: value types and pure functions.
// Failure modes: result parsers return kInvalidArgument naming the malformed field.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "aws/marshal.h"
#include "core/status.h"

namespace ck::aws {

// ExpressionAttributeNames ("#n" -> "name").
using ExpressionNames = std::map<std::string, std::string>;

struct GetItemRequest {
  std::string table;
  Item key;
  bool consistent_read = false;
  std::string projection;
  ExpressionNames names;
  nlohmann::json extra = nlohmann::json::object();
};

struct PutItemRequest {
  std::string table;
  Item item;
  std::string condition;
  ExpressionNames names;
  Item values;                // ExpressionAttributeValues (":v" -> value)
  std::string return_values;  // "", "NONE" or "ALL_OLD"
  nlohmann::json extra = nlohmann::json::object();
};

struct UpdateItemRequest {
  std::string table;
  Item key;
  std::string update;  // UpdateExpression
  std::string condition;
  ExpressionNames names;
  Item values;
  std::string return_values;  // "", "NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"
  nlohmann::json extra = nlohmann::json::object();
};

struct DeleteItemRequest {
  std::string table;
  Item key;
  std::string condition;
  ExpressionNames names;
  Item values;
  std::string return_values;  // "", "NONE" or "ALL_OLD"
  nlohmann::json extra = nlohmann::json::object();
};

// GetItem's Item, or the Attributes of Put/Update/DeleteItem: absent when DynamoDB returned none.
using ItemResult = std::optional<Item>;

struct QueryRequest {
  std::string table;
  std::string index;
  std::string key_condition;
  std::string filter;
  std::string projection;
  ExpressionNames names;
  Item values;
  std::optional<int> limit;
  bool scan_index_forward = true;
  bool consistent_read = false;
  std::string select;  // "", "ALL_ATTRIBUTES", "COUNT", ...
  std::optional<Item> exclusive_start_key;
  nlohmann::json extra = nlohmann::json::object();
};

struct ScanRequest {
  std::string table;
  std::string index;
  std::string filter;
  std::string projection;
  ExpressionNames names;
  Item values;
  std::optional<int> limit;
  bool consistent_read = false;
  std::string select;
  std::optional<int> segment;
  std::optional<int> total_segments;
  std::optional<Item> exclusive_start_key;
  nlohmann::json extra = nlohmann::json::object();
};

// One page of Query or Scan.
struct Page {
  std::vector<Item> items;
  std::optional<Item> last_evaluated_key;  // set when more pages follow
  int64_t count = 0;
  int64_t scanned_count = 0;
};

struct KeysAndAttributes {
  std::vector<Item> keys;
  std::string projection;
  ExpressionNames names;
  bool consistent_read = false;
};

struct BatchGetResult {
  std::map<std::string, std::vector<Item>> items;        // by table
  std::map<std::string, KeysAndAttributes> unprocessed;  // UnprocessedKeys
};

// One element of BatchWriteItem: a put or a delete.
struct WriteRequest {
  std::optional<Item> put_item;
  std::optional<Item> delete_key;
  static WriteRequest Put(Item item) { return {std::move(item), std::nullopt}; }
  static WriteRequest Delete(Item key) { return {std::nullopt, std::move(key)}; }
};
using BatchWriteRequests = std::map<std::string, std::vector<WriteRequest>>;  // by table

struct TransactWriteItem {
  enum class Kind { kPut, kUpdate, kDelete, kConditionCheck };
  Kind kind = Kind::kPut;
  std::string table;
  Item item;  // the item for kPut, the key otherwise
  std::string update;
  std::string condition;
  ExpressionNames names;
  Item values;
  std::string return_values_on_condition_check_failure;  // "" or "ALL_OLD"
};

struct TransactWriteRequest {
  std::vector<TransactWriteItem> items;
  std::string client_request_token;
  nlohmann::json extra = nlohmann::json::object();
};

struct TransactGetItem {
  std::string table;
  Item key;
  std::string projection;
  ExpressionNames names;
};

struct KeyAttribute {
  std::string name;
  std::string type = "S";  // "S", "N" or "B"
};

struct CreateTableRequest {
  std::string table;
  KeyAttribute hash_key;
  std::optional<KeyAttribute> range_key;
  // Index key attributes to declare in AttributeDefinitions besides the table's keys.
  std::vector<KeyAttribute> other_attributes;
  std::string billing_mode = "PAY_PER_REQUEST";  // or "PROVISIONED"
  int64_t read_capacity = 5;                     // PROVISIONED only
  int64_t write_capacity = 5;
  nlohmann::json extra = nlohmann::json::object();  // GlobalSecondaryIndexes, ...
};

struct TableDescription {
  std::string name;
  std::string status;  // "CREATING", "ACTIVE", "DELETING", "UPDATING"
  std::string arn;
  int64_t item_count = 0;
  nlohmann::json raw;  // the whole TableDescription / Table document
};

struct ListTablesPage {
  std::vector<std::string> names;
  std::string last_evaluated_table;  // empty when no more pages
};

// Request documents.
nlohmann::json ToJson(const GetItemRequest& request);
nlohmann::json ToJson(const PutItemRequest& request);
nlohmann::json ToJson(const UpdateItemRequest& request);
nlohmann::json ToJson(const DeleteItemRequest& request);
nlohmann::json ToJson(const QueryRequest& request);
nlohmann::json ToJson(const ScanRequest& request);
nlohmann::json BatchGetToJson(const std::map<std::string, KeysAndAttributes>& tables);
nlohmann::json BatchWriteToJson(const BatchWriteRequests& requests);
nlohmann::json ToJson(const TransactWriteRequest& request);
nlohmann::json TransactGetToJson(const std::vector<TransactGetItem>& items);
nlohmann::json ToJson(const CreateTableRequest& request);

// Result documents. `field` is the attribute holding the item ("Item" or "Attributes").
Result<ItemResult> ItemResultFromJson(const nlohmann::json& response, std::string_view field);
Result<Page> PageFromJson(const nlohmann::json& response);
Result<BatchGetResult> BatchGetResultFromJson(const nlohmann::json& response);
// UnprocessedItems of a BatchWriteItem response.
Result<BatchWriteRequests> UnprocessedItemsFromJson(const nlohmann::json& response);
Result<std::vector<ItemResult>> TransactGetResultFromJson(const nlohmann::json& response);
// `field` is "TableDescription" (Create/DeleteTable) or "Table" (DescribeTable).
Result<TableDescription> TableDescriptionFromJson(const nlohmann::json& response,
                                                  std::string_view field);
Result<ListTablesPage> ListTablesPageFromJson(const nlohmann::json& response);

}  // namespace ck::aws
