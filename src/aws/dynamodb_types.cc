#include "aws/dynamodb_types.h"

namespace ck::aws {
namespace {

using Json = nlohmann::json;

void SetIfNotEmpty(Json& out, const char* field, const std::string& value) {
  if (!value.empty()) out[field] = value;
}

// ExpressionAttributeNames / ExpressionAttributeValues when present.
void SetExpressionAttributes(Json& out, const ExpressionNames& names, const Item* values) {
  if (!names.empty()) out["ExpressionAttributeNames"] = names;
  if (values != nullptr && !values->empty()) {
    out["ExpressionAttributeValues"] = ItemToWire(*values);
  }
}

Json Finish(Json out, const Json& extra) {
  if (extra.is_object()) out.update(extra);
  return out;
}

Json KeysAndAttributesToJson(const KeysAndAttributes& entry) {
  Json out;
  Json keys = Json::array();
  for (const Item& key : entry.keys) keys.push_back(ItemToWire(key));
  out["Keys"] = std::move(keys);
  SetIfNotEmpty(out, "ProjectionExpression", entry.projection);
  SetExpressionAttributes(out, entry.names, nullptr);
  if (entry.consistent_read) out["ConsistentRead"] = true;
  return out;
}

Json WriteRequestToJson(const WriteRequest& request) {
  if (request.put_item) return {{"PutRequest", {{"Item", ItemToWire(*request.put_item)}}}};
  return {{"DeleteRequest", {{"Key", ItemToWire(request.delete_key.value_or(Item{}))}}}};
}

Status Malformed(std::string_view field, std::string_view problem) {
  return InvalidArgument("malformed DynamoDB response: " + std::string(field) + " " +
                         std::string(problem));
}

Result<std::vector<Item>> ItemsFromJson(const Json& items, std::string_view where) {
  if (!items.is_array()) return Malformed(where, "is not an array");
  std::vector<Item> out;
  out.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    CK_ASSIGN_OR_RETURN(Item item,
                        ItemFromWire(items[i], std::string(where) + "[" + std::to_string(i) + "]"));
    out.push_back(std::move(item));
  }
  return out;
}

Result<ExpressionNames> NamesFromJson(const Json& entry) {
  ExpressionNames names;
  auto it = entry.find("ExpressionAttributeNames");
  if (it == entry.end()) return names;
  if (!it->is_object()) return Malformed("ExpressionAttributeNames", "is not an object");
  for (const auto& [placeholder, name] : it->items()) {
    if (!name.is_string()) return Malformed("ExpressionAttributeNames", "has a non-string name");
    names[placeholder] = name.get<std::string>();
  }
  return names;
}

int64_t IntegerOr(const Json& object, const char* field, int64_t fallback) {
  auto it = object.find(field);
  return it != object.end() && it->is_number_integer() ? it->get<int64_t>() : fallback;
}

std::string StringOr(const Json& object, const char* field) {
  auto it = object.find(field);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

Json ToJson(const GetItemRequest& request) {
  Json out = {{"TableName", request.table}, {"Key", ItemToWire(request.key)}};
  if (request.consistent_read) out["ConsistentRead"] = true;
  SetIfNotEmpty(out, "ProjectionExpression", request.projection);
  SetExpressionAttributes(out, request.names, nullptr);
  return Finish(std::move(out), request.extra);
}

Json ToJson(const PutItemRequest& request) {
  Json out = {{"TableName", request.table}, {"Item", ItemToWire(request.item)}};
  SetIfNotEmpty(out, "ConditionExpression", request.condition);
  SetExpressionAttributes(out, request.names, &request.values);
  SetIfNotEmpty(out, "ReturnValues", request.return_values);
  return Finish(std::move(out), request.extra);
}

Json ToJson(const UpdateItemRequest& request) {
  Json out = {{"TableName", request.table}, {"Key", ItemToWire(request.key)}};
  SetIfNotEmpty(out, "UpdateExpression", request.update);
  SetIfNotEmpty(out, "ConditionExpression", request.condition);
  SetExpressionAttributes(out, request.names, &request.values);
  SetIfNotEmpty(out, "ReturnValues", request.return_values);
  return Finish(std::move(out), request.extra);
}

Json ToJson(const DeleteItemRequest& request) {
  Json out = {{"TableName", request.table}, {"Key", ItemToWire(request.key)}};
  SetIfNotEmpty(out, "ConditionExpression", request.condition);
  SetExpressionAttributes(out, request.names, &request.values);
  SetIfNotEmpty(out, "ReturnValues", request.return_values);
  return Finish(std::move(out), request.extra);
}

Json ToJson(const QueryRequest& request) {
  Json out = {{"TableName", request.table}};
  SetIfNotEmpty(out, "IndexName", request.index);
  SetIfNotEmpty(out, "KeyConditionExpression", request.key_condition);
  SetIfNotEmpty(out, "FilterExpression", request.filter);
  SetIfNotEmpty(out, "ProjectionExpression", request.projection);
  SetExpressionAttributes(out, request.names, &request.values);
  if (request.limit) out["Limit"] = *request.limit;
  if (!request.scan_index_forward) out["ScanIndexForward"] = false;
  if (request.consistent_read) out["ConsistentRead"] = true;
  SetIfNotEmpty(out, "Select", request.select);
  if (request.exclusive_start_key) {
    out["ExclusiveStartKey"] = ItemToWire(*request.exclusive_start_key);
  }
  return Finish(std::move(out), request.extra);
}

Json ToJson(const ScanRequest& request) {
  Json out = {{"TableName", request.table}};
  SetIfNotEmpty(out, "IndexName", request.index);
  SetIfNotEmpty(out, "FilterExpression", request.filter);
  SetIfNotEmpty(out, "ProjectionExpression", request.projection);
  SetExpressionAttributes(out, request.names, &request.values);
  if (request.limit) out["Limit"] = *request.limit;
  if (request.consistent_read) out["ConsistentRead"] = true;
  SetIfNotEmpty(out, "Select", request.select);
  if (request.segment) out["Segment"] = *request.segment;
  if (request.total_segments) out["TotalSegments"] = *request.total_segments;
  if (request.exclusive_start_key) {
    out["ExclusiveStartKey"] = ItemToWire(*request.exclusive_start_key);
  }
  return Finish(std::move(out), request.extra);
}

Json BatchGetToJson(const std::map<std::string, KeysAndAttributes>& tables) {
  Json request_items = Json::object();
  for (const auto& [table, entry] : tables) request_items[table] = KeysAndAttributesToJson(entry);
  return {{"RequestItems", std::move(request_items)}};
}

Json BatchWriteToJson(const BatchWriteRequests& requests) {
  Json request_items = Json::object();
  for (const auto& [table, writes] : requests) {
    Json list = Json::array();
    for (const WriteRequest& write : writes) list.push_back(WriteRequestToJson(write));
    request_items[table] = std::move(list);
  }
  return {{"RequestItems", std::move(request_items)}};
}

Json ToJson(const TransactWriteRequest& request) {
  Json items = Json::array();
  for (const TransactWriteItem& item : request.items) {
    Json body = {{"TableName", item.table}};
    const char* kind = "Put";
    switch (item.kind) {
      case TransactWriteItem::Kind::kPut:
        body["Item"] = ItemToWire(item.item);
        break;
      case TransactWriteItem::Kind::kUpdate:
        kind = "Update";
        body["Key"] = ItemToWire(item.item);
        SetIfNotEmpty(body, "UpdateExpression", item.update);
        break;
      case TransactWriteItem::Kind::kDelete:
        kind = "Delete";
        body["Key"] = ItemToWire(item.item);
        break;
      case TransactWriteItem::Kind::kConditionCheck:
        kind = "ConditionCheck";
        body["Key"] = ItemToWire(item.item);
        break;
    }
    SetIfNotEmpty(body, "ConditionExpression", item.condition);
    SetExpressionAttributes(body, item.names, &item.values);
    SetIfNotEmpty(body, "ReturnValuesOnConditionCheckFailure",
                  item.return_values_on_condition_check_failure);
    items.push_back({{kind, std::move(body)}});
  }
  Json out = {{"TransactItems", std::move(items)}};
  SetIfNotEmpty(out, "ClientRequestToken", request.client_request_token);
  return Finish(std::move(out), request.extra);
}

Json TransactGetToJson(const std::vector<TransactGetItem>& items) {
  Json list = Json::array();
  for (const TransactGetItem& item : items) {
    Json body = {{"TableName", item.table}, {"Key", ItemToWire(item.key)}};
    SetIfNotEmpty(body, "ProjectionExpression", item.projection);
    SetExpressionAttributes(body, item.names, nullptr);
    list.push_back({{"Get", std::move(body)}});
  }
  return {{"TransactItems", std::move(list)}};
}

Json ToJson(const CreateTableRequest& request) {
  Json key_schema = Json::array({{{"AttributeName", request.hash_key.name}, {"KeyType", "HASH"}}});
  Json definitions = Json::array(
      {{{"AttributeName", request.hash_key.name}, {"AttributeType", request.hash_key.type}}});
  if (request.range_key) {
    key_schema.push_back({{"AttributeName", request.range_key->name}, {"KeyType", "RANGE"}});
    definitions.push_back(
        {{"AttributeName", request.range_key->name}, {"AttributeType", request.range_key->type}});
  }
  for (const KeyAttribute& attribute : request.other_attributes) {
    definitions.push_back({{"AttributeName", attribute.name}, {"AttributeType", attribute.type}});
  }
  Json out = {{"TableName", request.table},
              {"KeySchema", std::move(key_schema)},
              {"AttributeDefinitions", std::move(definitions)},
              {"BillingMode", request.billing_mode}};
  if (request.billing_mode == "PROVISIONED") {
    out["ProvisionedThroughput"] = {{"ReadCapacityUnits", request.read_capacity},
                                    {"WriteCapacityUnits", request.write_capacity}};
  }
  return Finish(std::move(out), request.extra);
}

Result<ItemResult> ItemResultFromJson(const Json& response, std::string_view field) {
  auto it = response.find(field);
  if (it == response.end() || it->is_null()) return ItemResult();
  CK_ASSIGN_OR_RETURN(Item item, ItemFromWire(*it, field));
  return ItemResult(std::move(item));
}

Result<Page> PageFromJson(const Json& response) {
  Page page;
  if (auto it = response.find("Items"); it != response.end()) {
    CK_ASSIGN_OR_RETURN(page.items, ItemsFromJson(*it, "Items"));
  }
  if (auto it = response.find("LastEvaluatedKey"); it != response.end() && !it->is_null()) {
    CK_ASSIGN_OR_RETURN(Item key, ItemFromWire(*it, "LastEvaluatedKey"));
    page.last_evaluated_key = std::move(key);
  }
  page.count = IntegerOr(response, "Count", static_cast<int64_t>(page.items.size()));
  page.scanned_count = IntegerOr(response, "ScannedCount", page.count);
  return page;
}

Result<BatchGetResult> BatchGetResultFromJson(const Json& response) {
  BatchGetResult result;
  if (auto it = response.find("Responses"); it != response.end()) {
    if (!it->is_object()) return Malformed("Responses", "is not an object");
    for (const auto& [table, items] : it->items()) {
      CK_ASSIGN_OR_RETURN(result.items[table], ItemsFromJson(items, "Responses." + table));
    }
  }
  if (auto it = response.find("UnprocessedKeys"); it != response.end()) {
    if (!it->is_object()) return Malformed("UnprocessedKeys", "is not an object");
    for (const auto& [table, entry] : it->items()) {
      if (!entry.is_object()) return Malformed("UnprocessedKeys." + table, "is not an object");
      KeysAndAttributes keys;
      CK_ASSIGN_OR_RETURN(keys.keys,
                          ItemsFromJson(entry.value("Keys", Json::array()), "UnprocessedKeys"));
      keys.projection = StringOr(entry, "ProjectionExpression");
      CK_ASSIGN_OR_RETURN(keys.names, NamesFromJson(entry));
      keys.consistent_read = entry.value("ConsistentRead", false);
      if (!keys.keys.empty()) result.unprocessed[table] = std::move(keys);
    }
  }
  return result;
}

Result<BatchWriteRequests> UnprocessedItemsFromJson(const Json& response) {
  BatchWriteRequests out;
  auto it = response.find("UnprocessedItems");
  if (it == response.end()) return out;
  if (!it->is_object()) return Malformed("UnprocessedItems", "is not an object");
  for (const auto& [table, writes] : it->items()) {
    if (!writes.is_array()) return Malformed("UnprocessedItems." + table, "is not an array");
    for (const Json& write : writes) {
      if (auto put = write.find("PutRequest"); put != write.end() && put->contains("Item")) {
        CK_ASSIGN_OR_RETURN(Item item, ItemFromWire(put->at("Item"), "PutRequest.Item"));
        out[table].push_back(WriteRequest::Put(std::move(item)));
      } else if (auto del = write.find("DeleteRequest");
                 del != write.end() && del->contains("Key")) {
        CK_ASSIGN_OR_RETURN(Item key, ItemFromWire(del->at("Key"), "DeleteRequest.Key"));
        out[table].push_back(WriteRequest::Delete(std::move(key)));
      } else {
        return Malformed("UnprocessedItems." + table, "has an entry without a request");
      }
    }
  }
  return out;
}

Result<std::vector<ItemResult>> TransactGetResultFromJson(const Json& response) {
  std::vector<ItemResult> out;
  auto it = response.find("Responses");
  if (it == response.end()) return out;
  if (!it->is_array()) return Malformed("Responses", "is not an array");
  for (const Json& entry : *it) {
    CK_ASSIGN_OR_RETURN(ItemResult item, ItemResultFromJson(entry, "Item"));
    out.push_back(std::move(item));
  }
  return out;
}

Result<TableDescription> TableDescriptionFromJson(const Json& response, std::string_view field) {
  auto it = response.find(field);
  if (it == response.end() || !it->is_object()) return Malformed(field, "is missing");
  TableDescription description;
  description.name = StringOr(*it, "TableName");
  description.status = StringOr(*it, "TableStatus");
  description.arn = StringOr(*it, "TableArn");
  description.item_count = IntegerOr(*it, "ItemCount", 0);
  description.raw = *it;
  return description;
}

Result<ListTablesPage> ListTablesPageFromJson(const Json& response) {
  ListTablesPage page;
  auto it = response.find("TableNames");
  if (it != response.end()) {
    if (!it->is_array()) return Malformed("TableNames", "is not an array");
    for (const Json& name : *it) {
      if (!name.is_string()) return Malformed("TableNames", "has a non-string entry");
      page.names.push_back(name.get<std::string>());
    }
  }
  page.last_evaluated_table = StringOr(response, "LastEvaluatedTableName");
  return page;
}

}  // namespace ck::aws
