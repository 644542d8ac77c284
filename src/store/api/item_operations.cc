// PutItem, GetItem, UpdateItem and DeleteItem.
#include <optional>

#include "store/api/item_support.h"
#include "store/api/response_body.h"
#include "store/attribute_json.h"

namespace ck::store::api {

namespace {

constexpr std::string_view kOnlyAllOld = "ReturnValues can only be ALL_OLD or NONE";

// Members every single-item write reads.
struct WriteRequest {
  std::string table_name;
  std::optional<std::string> condition_text;
  ExpressionInputs inputs;
  ReturnValues return_values = ReturnValues::kNone;
  bool return_old_on_failure = false;
  CapacityMode capacity = CapacityMode::kNone;
};

Result<WriteRequest> ReadWriteRequest(const FieldReader& reader, std::string_view item_member,
                                      std::string_view item_path, bool item_present,
                                      std::string_view return_values_message) {
  WriteRequest request;
  CK_ASSIGN_OR_RETURN(auto table_name, reader.String("TableName"));
  CK_ASSIGN_OR_RETURN(request.condition_text, reader.String("ConditionExpression"));
  CK_ASSIGN_OR_RETURN(request.capacity, ReadCapacityMode(reader));
  ConstraintErrors errors;
  errors.CheckName(table_name, "tableName", true);
  errors.CheckRequired(item_present, item_path);
  CK_RETURN_IF_ERROR(errors.ToStatus());
  CK_ASSIGN_OR_RETURN(request.return_values, ReadReturnValues(reader, return_values_message));
  CK_ASSIGN_OR_RETURN(request.return_old_on_failure, ReadReturnOldOnConditionFailure(reader));
  CK_ASSIGN_OR_RETURN(request.inputs, ReadExpressionInputs(reader));
  if (reader.Find("Expected") != nullptr) {
    return InvalidArgument(
        "The legacy parameter Expected is not supported by ck dynamodb; use ConditionExpression");
  }
  request.table_name = *table_name;
  (void)item_member;
  return request;
}

Status EvaluateCondition(const std::optional<expr::ConditionExpression>& condition,
                         const std::optional<Item>& old_item, bool return_old,
                         OperationContext& context) {
  if (!condition) return Status::Ok();
  static const Item kNoItem;
  CK_ASSIGN_OR_RETURN(bool matches, condition->Evaluate(old_item ? *old_item : kNoItem));
  if (!matches) return ConditionFailed(context, old_item, return_old);
  return Status::Ok();
}

// Rejects updates that touch key attributes.
Status CheckKeyPaths(const engine::TableSchema& table, const expr::UpdateExpression& update) {
  for (const auto& path : update.Paths()) {
    if (path.empty()) continue;
    const std::string& head = path[0].name;
    if (head != table.hash.name && (!table.range || head != table.range->name)) continue;
    if (path.size() == 1) {
      return InvalidArgument("One or more parameter values were invalid: Cannot update attribute " +
                             head + ". This attribute is part of the key");
    }
    return InvalidArgument(
        "Key attributes must be scalars; list random access '[]' and map lookup '.' are not "
        "allowed: Key: " +
        head);
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> PutItem(ServiceState& state, const json& body, OperationContext& context) {
  FieldReader reader(body);
  CK_ASSIGN_OR_RETURN(auto item, ReadAttributeMap(reader, "Item", "item", false));
  CK_ASSIGN_OR_RETURN(auto request,
                      ReadWriteRequest(reader, "Item", "item", item.has_value(), kOnlyAllOld));
  CK_RETURN_IF_ERROR(CheckExpressionUsage(
      request.inputs, {{"ConditionExpression", request.condition_text.has_value()}}));
  expr::ExpressionContext expression_context(&request.inputs.names, &request.inputs.values);
  CK_ASSIGN_OR_RETURN(auto condition, ParseCondition(request.condition_text, expression_context,
                                                     "ConditionExpression"));
  CK_RETURN_IF_ERROR(expression_context.CheckAllUsed());
  CK_ASSIGN_OR_RETURN(TableEntry * table, state.FindTable(request.table_name));
  const engine::TableSchema& schema = table->schema;
  CK_RETURN_IF_ERROR(ValidateItem(schema, *item));

  bool need_old = condition.has_value() || request.return_values == ReturnValues::kAllOld ||
                  !schema.indexes.empty();
  std::optional<Item> old_item;
  CK_RETURN_IF_ERROR(InTransaction(*state.storage, [&]() -> Status {
    if (need_old) {
      CK_ASSIGN_OR_RETURN(old_item, state.store->GetItem(schema, *item));
      CK_RETURN_IF_ERROR(
          EvaluateCondition(condition, old_item, request.return_old_on_failure, context));
    }
    static const Item kNoItem;
    return state.store->PutItem(schema, *item,
                                need_old ? (old_item ? &*old_item : &kNoItem) : nullptr);
  }));

  ResponseBody response;
  if (request.return_values == ReturnValues::kAllOld && old_item)
    response.AddItem("Attributes", *old_item);
  response.AddRaw(ConsumedCapacityMember(request.capacity, schema.name,
                                         WriteUnits(&*item, old_item ? &*old_item : nullptr)));
  return response.Finish();
}

Result<std::string> GetItem(ServiceState& state, const json& body, OperationContext&) {
  FieldReader reader(body);
  CK_ASSIGN_OR_RETURN(auto table_name, reader.String("TableName"));
  CK_ASSIGN_OR_RETURN(auto key, ReadAttributeMap(reader, "Key", "key", false));
  CK_ASSIGN_OR_RETURN(auto projection_text, reader.String("ProjectionExpression"));
  CK_ASSIGN_OR_RETURN(auto consistent, reader.Boolean("ConsistentRead"));
  CK_ASSIGN_OR_RETURN(auto capacity, ReadCapacityMode(reader));
  CK_ASSIGN_OR_RETURN(auto attributes_to_get, reader.StringList("AttributesToGet"));
  ConstraintErrors errors;
  errors.CheckName(table_name, "tableName", true);
  errors.CheckRequired(key.has_value(), "key");
  CK_RETURN_IF_ERROR(errors.ToStatus());
  CK_ASSIGN_OR_RETURN(auto inputs, ReadExpressionInputs(reader));
  inputs.has_values = false;  // GetItem has no ExpressionAttributeValues member; ignored
  inputs.values.clear();
  CK_RETURN_IF_ERROR(
      CheckExpressionUsage(inputs, {{"ProjectionExpression", projection_text.has_value()}}));
  if (projection_text && attributes_to_get) {
    return InvalidArgument(
        "Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {AttributesToGet} Expression parameters: "
        "{ProjectionExpression}");
  }
  expr::ExpressionContext expression_context(&inputs.names, &inputs.values);
  std::optional<expr::ProjectionExpression> projection;
  if (projection_text) {
    if (projection_text->empty()) {
      return InvalidArgument("Invalid ProjectionExpression: The expression can not be empty;");
    }
    CK_ASSIGN_OR_RETURN(projection,
                        expr::ProjectionExpression::Parse(*projection_text, expression_context));
  }
  CK_RETURN_IF_ERROR(expression_context.CheckAllUsed());
  CK_ASSIGN_OR_RETURN(TableEntry * table, state.FindTable(*table_name));
  const engine::TableSchema& schema = table->schema;
  CK_RETURN_IF_ERROR(ValidateKey(schema, *key));

  CK_ASSIGN_OR_RETURN(auto stored, state.store->GetItemJson(schema, *key));
  ResponseBody response;
  size_t bytes = 0;
  if (stored) {
    if (!projection && !attributes_to_get && capacity == CapacityMode::kNone) {
      response.AddRawMember("Item", *stored);  // the hot path: no decoding at all
    } else {
      CK_ASSIGN_OR_RETURN(Item item, ItemFromStoredJson(*stored));
      bytes = ItemByteSize(item);
      if (projection) {
        item = projection->Apply(item);
      } else if (attributes_to_get) {
        std::vector<expr::Path> paths;
        for (const auto& name : *attributes_to_get) paths.push_back({expr::PathElement{name, -1}});
        item = ProjectPaths(item, paths);
      }
      response.AddItem("Item", item);
    }
  }
  response.AddRaw(
      ConsumedCapacityMember(capacity, schema.name, ReadUnits(bytes, consistent.value_or(false))));
  return response.Finish();
}

Result<std::string> DeleteItem(ServiceState& state, const json& body, OperationContext& context) {
  FieldReader reader(body);
  CK_ASSIGN_OR_RETURN(auto key, ReadAttributeMap(reader, "Key", "key", false));
  CK_ASSIGN_OR_RETURN(auto request,
                      ReadWriteRequest(reader, "Key", "key", key.has_value(), kOnlyAllOld));
  CK_RETURN_IF_ERROR(CheckExpressionUsage(
      request.inputs, {{"ConditionExpression", request.condition_text.has_value()}}));
  expr::ExpressionContext expression_context(&request.inputs.names, &request.inputs.values);
  CK_ASSIGN_OR_RETURN(auto condition, ParseCondition(request.condition_text, expression_context,
                                                     "ConditionExpression"));
  CK_RETURN_IF_ERROR(expression_context.CheckAllUsed());
  CK_ASSIGN_OR_RETURN(TableEntry * table, state.FindTable(request.table_name));
  const engine::TableSchema& schema = table->schema;
  CK_RETURN_IF_ERROR(ValidateKey(schema, *key));

  std::optional<Item> old_item;
  CK_RETURN_IF_ERROR(InTransaction(*state.storage, [&]() -> Status {
    CK_ASSIGN_OR_RETURN(old_item, state.store->GetItem(schema, *key));
    CK_RETURN_IF_ERROR(
        EvaluateCondition(condition, old_item, request.return_old_on_failure, context));
    if (!old_item) return Status::Ok();
    return state.store->DeleteItem(schema, *old_item);
  }));

  ResponseBody response;
  if (request.return_values == ReturnValues::kAllOld && old_item)
    response.AddItem("Attributes", *old_item);
  response.AddRaw(ConsumedCapacityMember(request.capacity, schema.name,
                                         WriteUnits(nullptr, old_item ? &*old_item : nullptr)));
  return response.Finish();
}

Result<std::string> UpdateItem(ServiceState& state, const json& body, OperationContext& context) {
  FieldReader reader(body);
  CK_ASSIGN_OR_RETURN(auto key, ReadAttributeMap(reader, "Key", "key", false));
  CK_ASSIGN_OR_RETURN(auto update_text, reader.String("UpdateExpression"));
  CK_ASSIGN_OR_RETURN(auto request, ReadWriteRequest(reader, "Key", "key", key.has_value(), ""));
  if (reader.Find("AttributeUpdates") != nullptr) {
    return InvalidArgument(
        "The legacy parameter AttributeUpdates is not supported by ck dynamodb; use "
        "UpdateExpression");
  }
  CK_RETURN_IF_ERROR(CheckExpressionUsage(
      request.inputs, {{"UpdateExpression", update_text.has_value()},
                       {"ConditionExpression", request.condition_text.has_value()}}));
  expr::ExpressionContext expression_context(&request.inputs.names, &request.inputs.values);
  std::optional<expr::UpdateExpression> update;
  if (update_text) {
    if (update_text->empty())
      return InvalidArgument("Invalid UpdateExpression: The expression can not be empty;");
    CK_ASSIGN_OR_RETURN(update, expr::UpdateExpression::Parse(*update_text, expression_context));
  }
  CK_ASSIGN_OR_RETURN(auto condition, ParseCondition(request.condition_text, expression_context,
                                                     "ConditionExpression"));
  CK_RETURN_IF_ERROR(expression_context.CheckAllUsed());
  CK_ASSIGN_OR_RETURN(TableEntry * table, state.FindTable(request.table_name));
  const engine::TableSchema& schema = table->schema;
  CK_RETURN_IF_ERROR(ValidateKey(schema, *key));
  if (update) CK_RETURN_IF_ERROR(CheckKeyPaths(schema, *update));

  std::optional<Item> old_item;
  Item new_item;
  CK_RETURN_IF_ERROR(InTransaction(*state.storage, [&]() -> Status {
    CK_ASSIGN_OR_RETURN(old_item, state.store->GetItem(schema, *key));
    CK_RETURN_IF_ERROR(
        EvaluateCondition(condition, old_item, request.return_old_on_failure, context));
    new_item = old_item ? *old_item : *key;
    if (update) CK_RETURN_IF_ERROR(update->Apply(new_item));
    CK_RETURN_IF_ERROR(ValidateUpdatedItem(schema, new_item));
    static const Item kNoItem;
    return state.store->PutItem(schema, new_item, old_item ? &*old_item : &kNoItem);
  }));

  ResponseBody response;
  std::vector<expr::Path> paths = update ? update->Paths() : std::vector<expr::Path>();
  switch (request.return_values) {
    case ReturnValues::kNone:
      break;
    case ReturnValues::kAllOld:
      if (old_item) response.AddItem("Attributes", *old_item);
      break;
    case ReturnValues::kAllNew:
      response.AddItem("Attributes", new_item);
      break;
    case ReturnValues::kUpdatedOld:
      if (old_item) {
        Item projected = ProjectPaths(*old_item, paths);
        if (!projected.empty()) response.AddItem("Attributes", projected);
      }
      break;
    case ReturnValues::kUpdatedNew: {
      Item projected = ProjectPaths(new_item, paths);
      if (!projected.empty()) response.AddItem("Attributes", projected);
      break;
    }
  }
  response.AddRaw(ConsumedCapacityMember(request.capacity, schema.name,
                                         WriteUnits(&new_item, old_item ? &*old_item : nullptr)));
  return response.Finish();
}

}  // namespace ck::store::api
