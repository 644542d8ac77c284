#include "store/api/item_support.h"

#include <algorithm>
#include <cmath>

#include "store/attribute_json.h"

namespace ck::store::api {

namespace {

bool IsPlaceholder(std::string_view key, char sigil) {
  if (key.size() < 2 || key[0] != sigil) return false;
  for (char c : key.substr(1)) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

std::string EmptyKeyKind(const AttributeValue& value) {
  return value.type() == AttributeType::kBinary ? "binary" : "string";
}

Status CheckKeySize(const AttributeValue& value, bool is_hash) {
  if (value.type() == AttributeType::kNumber) return Status::Ok();
  if (is_hash && value.scalar().size() > kMaxPartitionKeyBytes) {
    return InvalidArgument(
        "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size "
        "limit of2048 bytes");
  }
  if (!is_hash && value.scalar().size() > kMaxSortKeyBytes) {
    return InvalidArgument(
        "One or more parameter values were invalid: Aggregated size of all range keys has exceeded "
        "the size limit of 1024 bytes");
  }
  return Status::Ok();
}

// A tree of selected document paths: `whole` selects the entire value at this node.
struct PathMask {
  bool whole = false;
  std::map<std::string, PathMask, std::less<>> names;
  std::map<int, PathMask> indexes;
};

std::optional<AttributeValue> ApplyMask(const AttributeValue& value, const PathMask& mask) {
  if (mask.whole) return value;
  if (value.type() == AttributeType::kMap && !mask.names.empty()) {
    AttributeValue::Map out;
    for (const auto& [name, child] : mask.names) {
      auto it = value.map().find(name);
      if (it == value.map().end()) continue;
      if (auto projected = ApplyMask(it->second, child)) out.emplace(name, std::move(*projected));
    }
    if (out.empty()) return std::nullopt;
    return AttributeValue::FromMap(std::move(out));
  }
  if (value.type() == AttributeType::kList && !mask.indexes.empty()) {
    AttributeValue::List out;
    for (const auto& [index, child] : mask.indexes) {
      if (index >= static_cast<int>(value.list().size())) continue;
      if (auto projected = ApplyMask(value.list()[index], child))
        out.push_back(std::move(*projected));
    }
    if (out.empty()) return std::nullopt;
    return AttributeValue::FromList(std::move(out));
  }
  return std::nullopt;
}

}  // namespace

Result<ExpressionInputs> ReadExpressionInputs(const FieldReader& reader) {
  ExpressionInputs inputs;
  CK_ASSIGN_OR_RETURN(auto names, reader.StringMap("ExpressionAttributeNames"));
  CK_ASSIGN_OR_RETURN(
      const json* values,
      reader.Map("ExpressionAttributeValues", "com.amazonaws.dynamodb.v20120810.AttributeValue"));
  if (names) {
    inputs.has_names = true;
    if (names->empty()) return InvalidArgument("ExpressionAttributeNames must not be empty");
    for (auto& [key, name] : *names) {
      if (!IsPlaceholder(key, '#')) {
        return InvalidArgument(
            "ExpressionAttributeNames contains invalid key: Syntax error; key: \"" + key + "\"");
      }
      inputs.names.emplace(key, std::move(name));
    }
  }
  if (values != nullptr) {
    inputs.has_values = true;
    if (values->empty()) return InvalidArgument("ExpressionAttributeValues must not be empty");
    for (const auto& [key, value] : values->items()) {
      if (!IsPlaceholder(key, ':')) {
        return InvalidArgument(
            "ExpressionAttributeValues contains invalid key: Syntax error; key: \"" + key + "\"");
      }
    }
    for (const auto& [key, value] : values->items()) {
      auto decoded = AttributeValueFromJson(value);
      if (!decoded.ok()) {
        if (IsSerializationError(decoded.status())) return decoded.status();
        return InvalidArgument("ExpressionAttributeValues contains invalid value: " +
                               decoded.status().message() + " for key " + key);
      }
      inputs.values.emplace(key, std::move(*decoded));
    }
  }
  return inputs;
}

Status CheckExpressionUsage(const ExpressionInputs& inputs,
                            const std::vector<std::pair<std::string_view, bool>>& expressions) {
  bool any = false;
  for (const auto& [name, present] : expressions) any = any || present;
  if (inputs.has_names && !any) {
    return InvalidArgument("ExpressionAttributeNames can only be specified when using expressions");
  }
  if (inputs.has_values) {
    std::vector<std::string_view> value_expressions;
    bool any_value_expression = false;
    for (const auto& [name, present] : expressions) {
      if (name == "ProjectionExpression") continue;
      value_expressions.push_back(name);
      any_value_expression = any_value_expression || present;
    }
    if (!any_value_expression) {
      std::string message =
          "ExpressionAttributeValues can only be specified when using expressions: ";
      for (size_t i = 0; i < value_expressions.size(); ++i) {
        if (i > 0) message += " and ";
        message += value_expressions[i];
      }
      message += value_expressions.size() > 1 ? " are null" : " is null";
      return InvalidArgument(message);
    }
  }
  return Status::Ok();
}

Result<std::optional<Item>> ReadAttributeMap(const FieldReader& reader, std::string_view member,
                                             std::string_view path, bool required) {
  CK_ASSIGN_OR_RETURN(const json* map,
                      reader.Map(member, "com.amazonaws.dynamodb.v20120810.AttributeValue"));
  if (map == nullptr) {
    if (!required) return std::optional<Item>();
    ConstraintErrors errors;
    errors.CheckRequired(false, path);
    return errors.ToStatus();
  }
  CK_ASSIGN_OR_RETURN(auto item, ItemFromJson(*map));
  return std::optional<Item>(std::move(item));
}

Status ValidateKey(const engine::TableSchema& table, const Item& key) {
  static constexpr std::string_view kMismatch =
      "The provided key element does not match the schema";
  if (key.size() != (table.range ? 2u : 1u)) return InvalidArgument(std::string(kMismatch));
  bool is_hash = true;
  for (const auto* attribute : {&table.hash, table.range ? &*table.range : nullptr}) {
    if (attribute == nullptr) break;
    auto it = key.find(attribute->name);
    if (it == key.end() || it->second.type() != attribute->type) {
      return InvalidArgument(std::string(kMismatch));
    }
    if (it->second.type() != AttributeType::kNumber && it->second.scalar().empty()) {
      return InvalidArgument(
          "One or more parameter values were invalid: The AttributeValue for a key attribute "
          "cannot contain an empty " +
          EmptyKeyKind(it->second) + " value. Key: " + attribute->name);
    }
    CK_RETURN_IF_ERROR(CheckKeySize(it->second, is_hash));
    is_hash = false;
  }
  return Status::Ok();
}

Status ValidateItem(const engine::TableSchema& table, const Item& item) {
  bool is_hash = true;
  for (const auto* attribute : {&table.hash, table.range ? &*table.range : nullptr}) {
    if (attribute == nullptr) break;
    auto it = item.find(attribute->name);
    if (it == item.end()) {
      return InvalidArgument("One or more parameter values were invalid: Missing the key " +
                             attribute->name + " in the item");
    }
    if (it->second.type() != attribute->type) {
      return InvalidArgument("One or more parameter values were invalid: Type mismatch for key " +
                             attribute->name +
                             " expected: " + std::string(TypeTag(attribute->type)) +
                             " actual: " + std::string(TypeTag(it->second.type())));
    }
    if (it->second.type() != AttributeType::kNumber && it->second.scalar().empty()) {
      return InvalidArgument(
          "One or more parameter values are not valid. The AttributeValue for a key attribute "
          "cannot contain an empty " +
          EmptyKeyKind(it->second) + " value. Key: " + attribute->name);
    }
    CK_RETURN_IF_ERROR(CheckKeySize(it->second, is_hash));
    is_hash = false;
  }
  CK_RETURN_IF_ERROR(ValidateIndexKeys(table, item));
  if (ItemByteSize(item) > kMaxItemBytes) {
    return InvalidArgument("Item size has exceeded the maximum allowed size");
  }
  return Status::Ok();
}

namespace {

// Levels of nesting of a value: 1 for a scalar or set, one more for each map or list around it.
int NestingDepth(const AttributeValue& value) {
  int deepest = 0;
  if (value.type() == AttributeType::kMap) {
    for (const auto& [name, member] : value.map())
      deepest = std::max(deepest, NestingDepth(member));
  } else if (value.type() == AttributeType::kList) {
    for (const auto& element : value.list()) deepest = std::max(deepest, NestingDepth(element));
  }
  return deepest + 1;
}

}  // namespace

Status ValidateUpdatedItem(const engine::TableSchema& table, const Item& item) {
  CK_RETURN_IF_ERROR(ValidateIndexKeys(table, item));
  for (const auto& [name, value] : item) {
    if (NestingDepth(value) > kMaxAttributeNestingDepth) {
      return InvalidArgument("Nesting Levels have exceeded supported limits");
    }
  }
  if (ItemByteSize(item) > kMaxItemBytes) {
    return InvalidArgument("Item size to update has exceeded the maximum allowed size");
  }
  return Status::Ok();
}

Status ValidateIndexKeys(const engine::TableSchema& table, const Item& item) {
  for (const auto& index : table.indexes) {
    for (const auto* attribute : {&index.hash, index.range ? &*index.range : nullptr}) {
      if (attribute == nullptr) break;
      auto it = item.find(attribute->name);
      if (it == item.end()) continue;
      if (it->second.type() != attribute->type) {
        return InvalidArgument(
            "One or more parameter values were invalid: Type mismatch for Index Key " +
            attribute->name + " Expected: " + std::string(TypeTag(attribute->type)) +
            " Actual: " + std::string(TypeTag(it->second.type())) + " IndexName: " + index.name);
      }
      if (it->second.type() != AttributeType::kNumber && it->second.scalar().empty()) {
        return InvalidArgument(
            "One or more parameter values are not valid. A value specified for a secondary index "
            "key is not supported. The AttributeValue for a key attribute cannot contain an "
            "empty " +
            EmptyKeyKind(it->second) + " value. IndexName: " + index.name +
            ", IndexKey: " + attribute->name);
      }
    }
  }
  return Status::Ok();
}

Item KeyOf(const engine::TableSchema& table, const Item& item) {
  Item key;
  if (auto it = item.find(table.hash.name); it != item.end()) key.insert(*it);
  if (table.range) {
    if (auto it = item.find(table.range->name); it != item.end()) key.insert(*it);
  }
  return key;
}

Result<ReturnValues> ReadReturnValues(const FieldReader& reader, std::string_view allowed_message) {
  CK_ASSIGN_OR_RETURN(auto text, reader.String("ReturnValues"));
  ConstraintErrors errors;
  errors.CheckEnum(text, "returnValues",
                   {"ALL_NEW", "UPDATED_OLD", "ALL_OLD", "NONE", "UPDATED_NEW"});
  CK_RETURN_IF_ERROR(errors.ToStatus());
  if (!text || *text == "NONE") return ReturnValues::kNone;
  if (*text == "ALL_OLD") return ReturnValues::kAllOld;
  if (!allowed_message.empty()) return InvalidArgument(std::string(allowed_message));
  if (*text == "ALL_NEW") return ReturnValues::kAllNew;
  if (*text == "UPDATED_OLD") return ReturnValues::kUpdatedOld;
  return ReturnValues::kUpdatedNew;
}

Result<bool> ReadReturnOldOnConditionFailure(const FieldReader& reader) {
  CK_ASSIGN_OR_RETURN(auto text, reader.String("ReturnValuesOnConditionCheckFailure"));
  ConstraintErrors errors;
  errors.CheckEnum(text, "returnValuesOnConditionCheckFailure", {"ALL_OLD", "NONE"});
  CK_RETURN_IF_ERROR(errors.ToStatus());
  return text == "ALL_OLD";
}

Status ConditionFailed(OperationContext& context, const std::optional<Item>& old_item,
                       bool return_old) {
  if (return_old && old_item) {
    context.error_extra = ",\"Item\":";
    AppendItemJson(*old_item, context.error_extra);
  }
  return FailedPrecondition(std::string(kConditionalCheckFailedMessage));
}

Result<CapacityMode> ReadCapacityMode(const FieldReader& reader) {
  CK_ASSIGN_OR_RETURN(auto text, reader.String("ReturnConsumedCapacity"));
  ConstraintErrors errors;
  errors.CheckEnum(text, "returnConsumedCapacity", kReturnConsumedCapacityValues);
  CK_RETURN_IF_ERROR(errors.ToStatus());
  if (text == "TOTAL") return CapacityMode::kTotal;
  if (text == "INDEXES") return CapacityMode::kIndexes;
  return CapacityMode::kNone;
}

double WriteUnits(const Item* new_item, const Item* old_item) {
  auto units = [](const Item* item) {
    return item == nullptr ? 1.0 : std::max(1.0, std::ceil(ItemByteSize(*item) / 1024.0));
  };
  return std::max(units(new_item), old_item == nullptr ? 0.0 : units(old_item));
}

double ReadUnits(size_t bytes, bool consistent) {
  double units = std::max(1.0, std::ceil(static_cast<double>(bytes) / 4096.0));
  return consistent ? units : units / 2;
}

std::string ConsumedCapacityMember(CapacityMode mode, std::string_view table, double units,
                                   std::string_view index_name, bool global_index) {
  if (mode == CapacityMode::kNone) return {};
  auto number = [](double value) {
    json j = value;
    return j.dump();
  };
  std::string out = "\"ConsumedCapacity\":{\"TableName\":";
  AppendJsonString(table, out);
  out += ",\"CapacityUnits\":" + number(units);
  if (mode == CapacityMode::kIndexes) {
    if (index_name.empty()) {
      out += ",\"Table\":{\"CapacityUnits\":" + number(units) + "}";
    } else {
      out += ",\"Table\":{\"CapacityUnits\":0}";
      out += global_index ? ",\"GlobalSecondaryIndexes\":{" : ",\"LocalSecondaryIndexes\":{";
      AppendJsonString(index_name, out);
      out += ":{\"CapacityUnits\":" + number(units) + "}}";
    }
  }
  out += '}';
  return out;
}

Item ProjectPaths(const Item& item, const std::vector<expr::Path>& paths) {
  PathMask root;
  for (const auto& path : paths) {
    PathMask* node = &root;
    for (const auto& element : path) {
      if (node->whole) break;
      node = element.index >= 0 ? &node->indexes[element.index] : &node->names[element.name];
    }
    node->whole = true;
  }
  Item out;
  for (const auto& [name, child] : root.names) {
    auto it = item.find(name);
    if (it == item.end()) continue;
    if (auto projected = ApplyMask(it->second, child)) out.emplace(name, std::move(*projected));
  }
  return out;
}

Result<std::optional<expr::ConditionExpression>> ParseCondition(
    const std::optional<std::string>& text, expr::ExpressionContext& context,
    std::string_view kind) {
  if (!text) return std::optional<expr::ConditionExpression>();
  if (text->empty()) {
    return InvalidArgument("Invalid " + std::string(kind) + ": The expression can not be empty;");
  }
  CK_ASSIGN_OR_RETURN(auto parsed, expr::ConditionExpression::Parse(*text, context, kind));
  return std::optional<expr::ConditionExpression>(std::move(parsed));
}

}  // namespace ck::store::api
