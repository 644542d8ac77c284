// BatchGetItem and BatchWriteItem. Each batch runs in one storage transaction, so nothing is ever
// left unprocessed (UnprocessedKeys / UnprocessedItems are always empty).
#include <set>

#include "store/api/item_support.h"
#include "store/api/response_body.h"
#include "store/attribute_json.h"

namespace ck::store::api {

namespace {

constexpr size_t kMaxBatchGetKeys = 100;
constexpr size_t kMaxBatchWriteRequests = 25;

Status CheckRequestItems(const json* request_items) {
  ConstraintErrors errors;
  errors.CheckRequired(request_items != nullptr, "requestItems");
  if (request_items != nullptr && request_items->empty()) {
    errors.Add("{}", "requestItems", "Member must have length greater than or equal to 1");
  }
  return errors.ToStatus();
}

// Duplicate detection by encoded key.
bool InsertKey(std::set<std::pair<std::string, std::string>>& seen,
               const engine::TableSchema& table, const Item& item) {
  engine::RowKey key = engine::TableStore::KeyOf(table, item);
  return seen.emplace(std::move(key.pk), std::move(key.sk)).second;
}

std::string CapacityList(CapacityMode mode,
                         const std::vector<std::pair<std::string, double>>& units) {
  if (mode == CapacityMode::kNone) return {};
  std::string out = "\"ConsumedCapacity\":[";
  for (size_t i = 0; i < units.size(); ++i) {
    if (i > 0) out += ',';
    std::string member = ConsumedCapacityMember(mode, units[i].first, units[i].second);
    out += member.substr(std::string_view("\"ConsumedCapacity\":").size());
  }
  return out + "]";
}

}  // namespace

Result<std::string> BatchGetItem(ServiceState& state, const json& body, OperationContext&) {
  FieldReader reader(body);
  CK_ASSIGN_OR_RETURN(
      const json* request_items,
      reader.Map("RequestItems", "com.amazonaws.dynamodb.v20120810.KeysAndAttributes"));
  CK_ASSIGN_OR_RETURN(auto capacity, ReadCapacityMode(reader));
  CK_RETURN_IF_ERROR(CheckRequestItems(request_items));

  struct TableRead {
    std::string name;
    std::vector<Item> keys;
    ExpressionInputs inputs;
    std::optional<expr::ProjectionExpression> projection;
    bool consistent = false;
    TableEntry* table = nullptr;
  };
  std::vector<TableRead> reads;
  size_t total_keys = 0;
  for (const auto& [table_name, value] : request_items->items()) {
    CK_RETURN_IF_ERROR(ExpectStructure(value, "KeysAndAttributes"));
    FieldReader table_reader(value);
    TableRead read;
    read.name = table_name;
    CK_ASSIGN_OR_RETURN(const json* keys, table_reader.List("Keys"));
    CK_ASSIGN_OR_RETURN(auto projection_text, table_reader.String("ProjectionExpression"));
    CK_ASSIGN_OR_RETURN(auto consistent, table_reader.Boolean("ConsistentRead"));
    read.consistent = consistent.value_or(false);
    ConstraintErrors errors;
    errors.CheckName(table_name, "requestItems." + table_name, true);
    errors.CheckRequired(keys != nullptr, "requestItems." + table_name + ".member.keys");
    if (keys != nullptr && keys->empty()) {
      errors.Add("[]", "requestItems." + table_name + ".member.keys",
                 "Member must have length greater than or equal to 1");
    }
    if (keys != nullptr && keys->size() > kMaxBatchGetKeys) {
      errors.Add(std::nullopt, "requestItems." + table_name + ".member.keys",
                 "Member must have length less than or equal to 100");
    }
    CK_RETURN_IF_ERROR(errors.ToStatus());
    CK_ASSIGN_OR_RETURN(read.inputs, ReadExpressionInputs(table_reader));
    read.inputs.has_values = false;
    read.inputs.values.clear();
    CK_RETURN_IF_ERROR(
        CheckExpressionUsage(read.inputs, {{"ProjectionExpression", projection_text.has_value()}}));
    expr::ExpressionContext context(&read.inputs.names, &read.inputs.values);
    if (projection_text) {
      if (projection_text->empty())
        return InvalidArgument("Invalid ProjectionExpression: The expression can not be empty;");
      CK_ASSIGN_OR_RETURN(read.projection,
                          expr::ProjectionExpression::Parse(*projection_text, context));
    }
    CK_RETURN_IF_ERROR(context.CheckAllUsed());
    for (const auto& key : *keys) {
      CK_ASSIGN_OR_RETURN(Item decoded, ItemFromJson(key));
      read.keys.push_back(std::move(decoded));
      if (++total_keys > kMaxBatchGetKeys)
        return InvalidArgument("Too many items requested for the BatchGetItem call");
    }
    reads.push_back(std::move(read));
  }
  for (auto& read : reads) {
    CK_ASSIGN_OR_RETURN(read.table, state.FindTable(read.name));
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& key : read.keys) {
      CK_RETURN_IF_ERROR(ValidateKey(read.table->schema, key));
      if (!InsertKey(seen, read.table->schema, key))
        return InvalidArgument("Provided list of item keys contains duplicates");
    }
  }

  ResponseBody response;
  std::string& responses = response.OpenMember("Responses");
  responses += '{';
  std::vector<std::pair<std::string, double>> units;
  for (size_t t = 0; t < reads.size(); ++t) {
    auto& read = reads[t];
    if (t > 0) responses += ',';
    AppendJsonString(read.name, responses);
    responses += ":[";
    bool first = true;
    size_t bytes = 0;
    for (const auto& key : read.keys) {
      CK_ASSIGN_OR_RETURN(auto item, state.store->GetItem(read.table->schema, key));
      if (!item) continue;
      bytes += ItemByteSize(*item);
      if (!first) responses += ',';
      first = false;
      AppendItemJson(read.projection ? read.projection->Apply(*item) : *item, responses);
    }
    responses += ']';
    units.emplace_back(read.name, ReadUnits(bytes, read.consistent));
  }
  responses += '}';
  response.AddRawMember("UnprocessedKeys", "{}");
  response.AddRaw(CapacityList(capacity, units));
  return response.Finish();
}

Result<std::string> BatchWriteItem(ServiceState& state, const json& body, OperationContext&) {
  FieldReader reader(body);
  CK_ASSIGN_OR_RETURN(
      const json* request_items,
      reader.Map("RequestItems", "java.util.List<com.amazonaws.dynamodb.v20120810.WriteRequest>"));
  CK_ASSIGN_OR_RETURN(auto capacity, ReadCapacityMode(reader));
  CK_ASSIGN_OR_RETURN(auto metrics, reader.String("ReturnItemCollectionMetrics"));
  ConstraintErrors errors;
  errors.CheckEnum(metrics, "returnItemCollectionMetrics", {"SIZE", "NONE"});
  CK_RETURN_IF_ERROR(errors.ToStatus());
  CK_RETURN_IF_ERROR(CheckRequestItems(request_items));

  struct Write {
    bool put = false;
    Item item;  // the item for puts, the key for deletes
  };
  struct TableWrites {
    std::string name;
    std::vector<Write> writes;
    TableEntry* table = nullptr;
  };
  std::vector<TableWrites> tables;
  size_t total = 0;
  for (const auto& [table_name, list] : request_items->items()) {
    if (!list.is_array()) {
      return SerializationError(list.is_object()
                                    ? "Start of structure or map found where not expected"
                                    : "Unexpected field type");
    }
    ConstraintErrors table_errors;
    table_errors.CheckName(table_name, "requestItems." + table_name, true);
    if (list.empty() || list.size() > kMaxBatchWriteRequests) {
      table_errors.Add(
          std::nullopt, "requestItems",
          "Map value must satisfy constraint: [Member must have length less than or equal "
          "to 25, Member must have length greater than or equal to 1]");
    }
    CK_RETURN_IF_ERROR(table_errors.ToStatus());
    TableWrites writes{table_name, {}, nullptr};
    for (const auto& request : list) {
      CK_RETURN_IF_ERROR(ExpectStructure(request, "WriteRequest"));
      FieldReader request_reader(request);
      CK_ASSIGN_OR_RETURN(const json* put, request_reader.Structure("PutRequest", "PutRequest"));
      CK_ASSIGN_OR_RETURN(const json* remove,
                          request_reader.Structure("DeleteRequest", "DeleteRequest"));
      if ((put == nullptr) == (remove == nullptr)) {
        return InvalidArgument(
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of "
            "the supported datatypes");
      }
      Write write;
      write.put = put != nullptr;
      FieldReader inner(write.put ? *put : *remove);
      CK_ASSIGN_OR_RETURN(auto map, ReadAttributeMap(inner, write.put ? "Item" : "Key",
                                                     write.put ? "item" : "key", true));
      write.item = std::move(*map);
      writes.writes.push_back(std::move(write));
      if (++total > kMaxBatchWriteRequests)
        return InvalidArgument("Too many items requested for the BatchWriteItem call");
    }
    tables.push_back(std::move(writes));
  }
  for (auto& writes : tables) {
    CK_ASSIGN_OR_RETURN(writes.table, state.FindTable(writes.name));
    std::set<std::pair<std::string, std::string>> seen;
    for (const auto& write : writes.writes) {
      Status valid = write.put ? ValidateItem(writes.table->schema, write.item)
                               : ValidateKey(writes.table->schema, write.item);
      if (!valid.ok()) {
        if (valid.message().find("Missing the key") != std::string::npos ||
            valid.message().find("Type mismatch for key") != std::string::npos) {
          return InvalidArgument("The provided key element does not match the schema");
        }
        return valid;
      }
      if (!InsertKey(seen, writes.table->schema, write.item)) {
        return InvalidArgument("Provided list of item keys contains duplicates");
      }
    }
  }

  std::vector<std::pair<std::string, double>> units;
  CK_RETURN_IF_ERROR(InTransaction(*state.storage, [&]() -> Status {
    for (auto& writes : tables) {
      const auto& schema = writes.table->schema;
      double table_units = 0;
      for (const auto& write : writes.writes) {
        if (write.put) {
          CK_RETURN_IF_ERROR(state.store->PutItem(schema, write.item, nullptr));
          table_units += WriteUnits(&write.item, nullptr);
        } else {
          CK_ASSIGN_OR_RETURN(auto old_item, state.store->GetItem(schema, write.item));
          if (old_item) CK_RETURN_IF_ERROR(state.store->DeleteItem(schema, *old_item));
          table_units += WriteUnits(nullptr, old_item ? &*old_item : nullptr);
        }
      }
      units.emplace_back(writes.name, table_units);
    }
    return Status::Ok();
  }));
  ResponseBody response;
  response.AddRawMember("UnprocessedItems", "{}");
  response.AddRaw(CapacityList(capacity, units));
  return response.Finish();
}

}  // namespace ck::store::api
