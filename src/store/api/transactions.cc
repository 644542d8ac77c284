// TransactWriteItems and TransactGetItems: all-or-nothing over one storage transaction.
// TransactWriteItems' ClientRequestToken makes a repeated call a no-op (idempotency_tokens.h).
#include <set>

#include "core/crypto.h"
#include "store/api/item_support.h"
#include "store/api/response_body.h"
#include "store/attribute_json.h"

namespace ck::store::api {

namespace {

constexpr size_t kMaxTransactItems = 100;
constexpr std::string_view kIdempotentParameterMismatchMessage =
    "DynamoDB rejected the request because you retried a request with a different payload but "
    "with an idempotent token that was already used.";

struct TransactAction {
  enum class Kind { kConditionCheck, kPut, kDelete, kUpdate };
  Kind kind = Kind::kPut;
  TableEntry* table = nullptr;
  Item key;  // for puts: the whole item
  ExpressionInputs inputs;
  std::unique_ptr<expr::ExpressionContext> context;
  std::optional<expr::ConditionExpression> condition;
  std::optional<expr::UpdateExpression> update;
  bool return_old = false;
  // Filled while executing.
  std::optional<Item> old_item;
  Item new_item;
};

Status CheckItemCount(const json* items) {
  ConstraintErrors errors;
  errors.CheckRequired(items != nullptr, "transactItems");
  if (items != nullptr && items->empty()) {
    errors.Add("[]", "transactItems", "Member must have length greater than or equal to 1");
  }
  if (items != nullptr && items->size() > kMaxTransactItems) {
    errors.Add(std::nullopt, "transactItems", "Member must have length less than or equal to 100");
  }
  return errors.ToStatus();
}

Result<std::unique_ptr<TransactAction>> ReadAction(ServiceState& state, const json& element) {
  CK_RETURN_IF_ERROR(ExpectStructure(element, "TransactWriteItem"));
  FieldReader outer(element);
  static constexpr std::pair<const char*, TransactAction::Kind> kKinds[] = {
      {"ConditionCheck", TransactAction::Kind::kConditionCheck},
      {"Put", TransactAction::Kind::kPut},
      {"Delete", TransactAction::Kind::kDelete},
      {"Update", TransactAction::Kind::kUpdate}};
  const json* body = nullptr;
  auto action = std::make_unique<TransactAction>();
  int kinds = 0;
  for (const auto& [name, kind] : kKinds) {
    CK_ASSIGN_OR_RETURN(const json* member, outer.Structure(name, name));
    if (member == nullptr) continue;
    ++kinds;
    body = member;
    action->kind = kind;
  }
  if (kinds != 1)
    return InvalidArgument("TransactItems can only contain one of Check, Put, Update or Delete");

  FieldReader reader(*body);
  CK_ASSIGN_OR_RETURN(auto table_name, reader.String("TableName"));
  bool is_put = action->kind == TransactAction::Kind::kPut;
  CK_ASSIGN_OR_RETURN(
      auto map, ReadAttributeMap(reader, is_put ? "Item" : "Key", is_put ? "item" : "key", true));
  action->key = std::move(*map);
  CK_ASSIGN_OR_RETURN(auto condition_text, reader.String("ConditionExpression"));
  CK_ASSIGN_OR_RETURN(auto update_text, reader.String("UpdateExpression"));
  CK_ASSIGN_OR_RETURN(action->return_old, ReadReturnOldOnConditionFailure(reader));
  ConstraintErrors errors;
  errors.CheckName(table_name, "transactItems.member.tableName", true);
  if (action->kind == TransactAction::Kind::kConditionCheck) {
    errors.CheckRequired(condition_text.has_value(),
                         "transactItems.member.conditionCheck.conditionExpression");
  }
  if (action->kind == TransactAction::Kind::kUpdate) {
    errors.CheckRequired(update_text.has_value(), "transactItems.member.update.updateExpression");
  }
  CK_RETURN_IF_ERROR(errors.ToStatus());
  CK_ASSIGN_OR_RETURN(action->inputs, ReadExpressionInputs(reader));
  std::vector<std::pair<std::string_view, bool>> expressions = {
      {"ConditionExpression", condition_text.has_value()}};
  if (action->kind == TransactAction::Kind::kUpdate) {
    expressions.insert(expressions.begin(), {"UpdateExpression", update_text.has_value()});
  }
  CK_RETURN_IF_ERROR(CheckExpressionUsage(action->inputs, expressions));
  action->context =
      std::make_unique<expr::ExpressionContext>(&action->inputs.names, &action->inputs.values);
  if (action->kind == TransactAction::Kind::kUpdate) {
    if (update_text->empty())
      return InvalidArgument("Invalid UpdateExpression: The expression can not be empty;");
    CK_ASSIGN_OR_RETURN(action->update,
                        expr::UpdateExpression::Parse(*update_text, *action->context));
  }
  CK_ASSIGN_OR_RETURN(action->condition,
                      ParseCondition(condition_text, *action->context, "ConditionExpression"));
  CK_RETURN_IF_ERROR(action->context->CheckAllUsed());
  CK_ASSIGN_OR_RETURN(action->table, state.FindTable(*table_name));
  const auto& schema = action->table->schema;
  if (is_put) {
    CK_RETURN_IF_ERROR(ValidateItem(schema, action->key));
  } else {
    CK_RETURN_IF_ERROR(ValidateKey(schema, action->key));
  }
  if (action->update) {
    for (const auto& path : action->update->Paths()) {
      if (path.empty()) continue;
      const std::string& head = path[0].name;
      if (head == schema.hash.name || (schema.range && head == schema.range->name)) {
        return InvalidArgument(
            "One or more parameter values were invalid: Cannot update attribute " + head +
            ". This attribute is part of the key");
      }
    }
  }
  return action;
}

// Evaluates one action against the current item; returns the cancellation reason ("None" = ok).
Result<std::string> Evaluate(ServiceState& state, TransactAction& action) {
  const auto& schema = action.table->schema;
  CK_ASSIGN_OR_RETURN(action.old_item, state.store->GetItem(schema, action.key));
  static const Item kNoItem;
  if (action.condition) {
    CK_ASSIGN_OR_RETURN(bool matches,
                        action.condition->Evaluate(action.old_item ? *action.old_item : kNoItem));
    if (!matches) {
      std::string reason = "{\"Code\":\"ConditionalCheckFailed\",\"Message\":";
      AppendJsonString(kConditionalCheckFailedMessage, reason);
      if (action.return_old && action.old_item) {
        reason += ",\"Item\":";
        AppendItemJson(*action.old_item, reason);
      }
      return reason + "}";
    }
  }
  if (action.kind == TransactAction::Kind::kPut) action.new_item = action.key;
  if (action.kind == TransactAction::Kind::kUpdate) {
    action.new_item = action.old_item ? *action.old_item : action.key;
    Status applied = action.update->Apply(action.new_item);
    if (applied.ok()) applied = ValidateUpdatedItem(schema, action.new_item);
    if (!applied.ok()) {
      if (applied.code() != StatusCode::kInvalidArgument) return applied;
      std::string reason = "{\"Code\":\"ValidationError\",\"Message\":";
      AppendJsonString(applied.message(), reason);
      return reason + "}";
    }
  }
  return std::string("{\"Code\":\"None\"}");
}

}  // namespace

Result<std::string> TransactWriteItems(ServiceState& state, const json& body,
                                       OperationContext& context) {
  FieldReader reader(body);
  CK_ASSIGN_OR_RETURN(const json* items, reader.List("TransactItems"));
  CK_ASSIGN_OR_RETURN(auto capacity, ReadCapacityMode(reader));
  CK_ASSIGN_OR_RETURN(auto token, reader.String("ClientRequestToken"));
  CK_RETURN_IF_ERROR(CheckItemCount(items));
  if (token && (token->empty() || token->size() > 36)) {
    ConstraintErrors errors;
    errors.Add(*token, "clientRequestToken", "Member must have length less than or equal to 36");
    CK_RETURN_IF_ERROR(errors.ToStatus());
  }
  std::string request_digest;
  if (token) {
    // The parsed document dumps with sorted keys, so the digest ignores member order.
    request_digest = Sha256(body.dump(-1, ' ', false, json::error_handler_t::replace));
    auto seen = state.transaction_tokens.Find(*token, request_digest, state.Now());
    if (seen.match == IdempotencyTokens::Match::kSameRequest) return std::move(seen.response);
    if (seen.match == IdempotencyTokens::Match::kOtherRequest) {
      context.error_type = ErrorType::kIdempotentParameterMismatch;
      return InvalidArgument(std::string(kIdempotentParameterMismatchMessage));
    }
  }
  std::vector<std::unique_ptr<TransactAction>> actions;
  std::set<std::tuple<int64_t, std::string, std::string>> seen;
  for (const auto& element : *items) {
    CK_ASSIGN_OR_RETURN(auto action, ReadAction(state, element));
    engine::RowKey key = engine::TableStore::KeyOf(action->table->schema, action->key);
    if (!seen.emplace(action->table->schema.table_id, key.pk, key.sk).second) {
      return InvalidArgument("Transaction request cannot include multiple operations on one item");
    }
    actions.push_back(std::move(action));
  }

  std::vector<std::string> reasons;
  bool cancelled = false;
  Status status = InTransaction(*state.storage, [&]() -> Status {
    for (auto& action : actions) {
      CK_ASSIGN_OR_RETURN(std::string reason, Evaluate(state, *action));
      cancelled = cancelled || reason != "{\"Code\":\"None\"}";
      reasons.push_back(std::move(reason));
    }
    if (cancelled) return FailedPrecondition("transaction cancelled");
    for (auto& action : actions) {
      const auto& schema = action->table->schema;
      static const Item kNoItem;
      const Item* old_item = action->old_item ? &*action->old_item : &kNoItem;
      switch (action->kind) {
        case TransactAction::Kind::kConditionCheck:
          break;
        case TransactAction::Kind::kPut:
        case TransactAction::Kind::kUpdate:
          CK_RETURN_IF_ERROR(state.store->PutItem(schema, action->new_item, old_item));
          break;
        case TransactAction::Kind::kDelete:
          if (action->old_item)
            CK_RETURN_IF_ERROR(state.store->DeleteItem(schema, *action->old_item));
          break;
      }
    }
    return Status::Ok();
  });
  if (cancelled) {
    std::string codes;
    context.error_extra = ",\"CancellationReasons\":[";
    for (size_t i = 0; i < reasons.size(); ++i) {
      if (i > 0) {
        context.error_extra += ',';
        codes += ", ";
      }
      context.error_extra += reasons[i];
      auto parsed = json::parse(reasons[i]);
      codes += parsed["Code"].get<std::string>();
    }
    context.error_extra += ']';
    context.error_type = ErrorType::kTransactionCanceled;
    return InvalidArgument(
        "Transaction cancelled, please refer cancellation reasons for specific reasons [" + codes +
        "]");
  }
  CK_RETURN_IF_ERROR(status);

  ResponseBody response;
  if (capacity != CapacityMode::kNone) {
    std::map<std::string, double> units;
    for (const auto& action : actions) {
      const Item* new_item =
          action->kind == TransactAction::Kind::kDelete ? nullptr : &action->new_item;
      units[action->table->schema.name] +=
          2 * WriteUnits(new_item, action->old_item ? &*action->old_item : nullptr);
    }
    std::string list = "\"ConsumedCapacity\":[";
    bool first = true;
    for (const auto& [table, value] : units) {
      if (!first) list += ',';
      first = false;
      list += ConsumedCapacityMember(capacity, table, value)
                  .substr(std::string_view("\"ConsumedCapacity\":").size());
    }
    response.AddRaw(list + "]");
  }
  std::string result = response.Finish();
  if (token) {
    state.transaction_tokens.Remember(*token, std::move(request_digest), result, state.Now());
  }
  return result;
}

Result<std::string> TransactGetItems(ServiceState& state, const json& body, OperationContext&) {
  FieldReader reader(body);
  CK_ASSIGN_OR_RETURN(const json* items, reader.List("TransactItems"));
  CK_ASSIGN_OR_RETURN(auto capacity, ReadCapacityMode(reader));
  CK_RETURN_IF_ERROR(CheckItemCount(items));
  struct Get {
    TableEntry* table = nullptr;
    Item key;
    ExpressionInputs inputs;
    std::optional<expr::ProjectionExpression> projection;
  };
  std::vector<Get> gets;
  gets.reserve(items->size());
  for (const auto& element : *items) {
    CK_RETURN_IF_ERROR(ExpectStructure(element, "TransactGetItem"));
    FieldReader outer(element);
    CK_ASSIGN_OR_RETURN(const json* get_body, outer.Structure("Get", "Get"));
    ConstraintErrors errors;
    errors.CheckRequired(get_body != nullptr, "transactItems.member.get");
    CK_RETURN_IF_ERROR(errors.ToStatus());
    FieldReader get_reader(*get_body);
    Get get;
    CK_ASSIGN_OR_RETURN(auto table_name, get_reader.String("TableName"));
    CK_ASSIGN_OR_RETURN(auto key, ReadAttributeMap(get_reader, "Key", "key", true));
    CK_ASSIGN_OR_RETURN(auto projection_text, get_reader.String("ProjectionExpression"));
    errors.CheckName(table_name, "transactItems.member.get.tableName", true);
    CK_RETURN_IF_ERROR(errors.ToStatus());
    get.key = std::move(*key);
    CK_ASSIGN_OR_RETURN(get.inputs, ReadExpressionInputs(get_reader));
    get.inputs.has_values = false;
    get.inputs.values.clear();
    CK_RETURN_IF_ERROR(
        CheckExpressionUsage(get.inputs, {{"ProjectionExpression", projection_text.has_value()}}));
    expr::ExpressionContext expression_context(&get.inputs.names, &get.inputs.values);
    if (projection_text) {
      CK_ASSIGN_OR_RETURN(get.projection,
                          expr::ProjectionExpression::Parse(*projection_text, expression_context));
    }
    CK_RETURN_IF_ERROR(expression_context.CheckAllUsed());
    CK_ASSIGN_OR_RETURN(get.table, state.FindTable(*table_name));
    CK_RETURN_IF_ERROR(ValidateKey(get.table->schema, get.key));
    gets.push_back(std::move(get));
  }
  std::set<std::tuple<int64_t, std::string, std::string>> seen;
  for (const auto& get : gets) {
    engine::RowKey key = engine::TableStore::KeyOf(get.table->schema, get.key);
    if (!seen.emplace(get.table->schema.table_id, key.pk, key.sk).second) {
      return InvalidArgument("Transaction request cannot include multiple operations on one item");
    }
  }
  ResponseBody response;
  std::string& list = response.OpenMember("Responses");
  list += '[';
  std::map<std::string, double> units;
  for (size_t i = 0; i < gets.size(); ++i) {
    if (i > 0) list += ',';
    CK_ASSIGN_OR_RETURN(auto item, state.store->GetItem(gets[i].table->schema, gets[i].key));
    units[gets[i].table->schema.name] += 2 * ReadUnits(item ? ItemByteSize(*item) : 0, true);
    if (!item) {
      list += "{}";
      continue;
    }
    list += "{\"Item\":";
    AppendItemJson(gets[i].projection ? gets[i].projection->Apply(*item) : *item, list);
    list += '}';
  }
  list += ']';
  if (capacity != CapacityMode::kNone) {
    std::string capacity_list = "\"ConsumedCapacity\":[";
    bool first = true;
    for (const auto& [table, value] : units) {
      if (!first) capacity_list += ',';
      first = false;
      capacity_list += ConsumedCapacityMember(capacity, table, value)
                           .substr(std::string_view("\"ConsumedCapacity\":").size());
    }
    response.AddRaw(capacity_list + "]");
  }
  return response.Finish();
}

}  // namespace ck::store::api
