// Query and Scan: key-ordered range reads over a table or index, with filters, projections,
// Select, Limit, the 1 MB page rule, ExclusiveStartKey/LastEvaluatedKey and parallel segments.
#include <set>

#include "store/api/item_support.h"
#include "store/api/response_body.h"
#include "store/attribute_json.h"
#include "store/engine/key_codec.h"

namespace ck::store::api {

namespace {

constexpr size_t kMaxPageBytes = 1024 * 1024;

// Everything a Query or Scan decided before reading.
struct ReadPlan {
  ExpressionInputs inputs;
  std::unique_ptr<expr::ExpressionContext> context;
  TableEntry* table = nullptr;
  const engine::IndexSchema* index = nullptr;
  std::optional<expr::ConditionExpression> filter;
  std::optional<expr::ProjectionExpression> projection;
  std::optional<std::vector<std::string>> attributes_to_get;
  std::optional<Item> exclusive_start;
  std::optional<int64_t> limit;
  bool count_only = false;
  bool consistent = false;
  bool fetch_base = false;  // LSI with a partial projection: read whole items from the table
  CapacityMode capacity = CapacityMode::kNone;
};

// Members shared by Query and Scan; `key_expression` is Query's KeyConditionExpression presence.
Status ReadCommon(ServiceState& state, const FieldReader& reader, bool is_query,
                  std::optional<std::string>* key_condition_text, ReadPlan& plan) {
  CK_ASSIGN_OR_RETURN(auto table_name, reader.String("TableName"));
  CK_ASSIGN_OR_RETURN(auto index_name, reader.String("IndexName"));
  CK_ASSIGN_OR_RETURN(auto select, reader.String("Select"));
  CK_ASSIGN_OR_RETURN(auto projection_text, reader.String("ProjectionExpression"));
  CK_ASSIGN_OR_RETURN(auto filter_text, reader.String("FilterExpression"));
  CK_ASSIGN_OR_RETURN(plan.limit, reader.Integer("Limit"));
  CK_ASSIGN_OR_RETURN(auto consistent, reader.Boolean("ConsistentRead"));
  CK_ASSIGN_OR_RETURN(plan.capacity, ReadCapacityMode(reader));
  CK_ASSIGN_OR_RETURN(plan.attributes_to_get, reader.StringList("AttributesToGet"));
  if (is_query) {
    CK_ASSIGN_OR_RETURN(*key_condition_text, reader.String("KeyConditionExpression"));
  }
  plan.consistent = consistent.value_or(false);

  ConstraintErrors errors;
  errors.CheckEnum(select, "select",
                   {"SPECIFIC_ATTRIBUTES", "COUNT", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES"});
  errors.CheckName(index_name, "indexName", false);
  errors.CheckName(table_name, "tableName", true);
  errors.CheckMin(plan.limit, "limit", 1);
  CK_RETURN_IF_ERROR(errors.ToStatus());
  for (const char* legacy : {"KeyConditions", "QueryFilter", "ScanFilter", "ConditionalOperator"}) {
    if (reader.Find(legacy) != nullptr) {
      return InvalidArgument("The legacy parameter " + std::string(legacy) +
                             " is not supported by ck dynamodb; use expressions");
    }
  }
  CK_ASSIGN_OR_RETURN(plan.exclusive_start,
                      ReadAttributeMap(reader, "ExclusiveStartKey", "exclusiveStartKey", false));
  CK_ASSIGN_OR_RETURN(plan.inputs, ReadExpressionInputs(reader));

  if (projection_text && plan.attributes_to_get) {
    return InvalidArgument(
        "Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {AttributesToGet} Expression parameters: "
        "{ProjectionExpression}");
  }
  std::vector<std::pair<std::string_view, bool>> expressions = {
      {"ProjectionExpression", projection_text.has_value()},
      {"FilterExpression", filter_text.has_value()}};
  if (is_query) expressions.emplace_back("KeyConditionExpression", key_condition_text->has_value());
  CK_RETURN_IF_ERROR(CheckExpressionUsage(plan.inputs, expressions));
  if (is_query && !key_condition_text->has_value()) {
    return InvalidArgument(
        "Either the KeyConditions or KeyConditionExpression parameter must be specified in the "
        "request.");
  }

  bool has_projection = projection_text || plan.attributes_to_get;
  if (select && *select != "SPECIFIC_ATTRIBUTES" && has_projection) {
    return InvalidArgument(std::string("Cannot specify the ") +
                           (projection_text ? "ProjectionExpression" : "AttributesToGet") +
                           " when choosing to get " +
                           (*select == "COUNT" ? "only the Count" : *select));
  }
  if (select == "ALL_PROJECTED_ATTRIBUTES" && !index_name) {
    return InvalidArgument(
        "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
  }
  if (select == "SPECIFIC_ATTRIBUTES" && !has_projection) {
    return InvalidArgument(
        "Must specify the AttributesToGet or ProjectionExpression when choosing to get "
        "SPECIFIC_ATTRIBUTES");
  }
  plan.count_only = select == "COUNT";

  plan.context = std::make_unique<expr::ExpressionContext>(&plan.inputs.names, &plan.inputs.values);
  if (projection_text) {
    if (projection_text->empty())
      return InvalidArgument("Invalid ProjectionExpression: The expression can not be empty;");
    CK_ASSIGN_OR_RETURN(plan.projection,
                        expr::ProjectionExpression::Parse(*projection_text, *plan.context));
  }
  CK_ASSIGN_OR_RETURN(plan.filter, ParseCondition(filter_text, *plan.context, "FilterExpression"));

  CK_ASSIGN_OR_RETURN(plan.table, state.FindTable(*table_name));
  if (index_name) {
    plan.index = plan.table->schema.FindIndex(*index_name);
    if (plan.index == nullptr)
      return InvalidArgument("The table does not have the specified index: " + *index_name);
    if (plan.index->global && plan.consistent) {
      return InvalidArgument("Consistent reads are not supported on global secondary indexes");
    }
    if (plan.index->projection != engine::ProjectionType::kAll) {
      if (select == "ALL_ATTRIBUTES" && plan.index->global) {
        return InvalidArgument(
            "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not "
            "supported "
            "for global secondary index " +
            plan.index->name + " because its projection type is not ALL");
      }
      if (!plan.index->global) {
        plan.fetch_base = select == "ALL_ATTRIBUTES";
        // A projection naming attributes the index lacks reads them from the table, as DynamoDB
        // does.
        std::set<std::string> projected = {plan.table->schema.hash.name, plan.index->hash.name};
        if (plan.table->schema.range) projected.insert(plan.table->schema.range->name);
        if (plan.index->range) projected.insert(plan.index->range->name);
        for (const auto& name : plan.index->non_key_attributes) projected.insert(name);
        if (plan.projection) {
          for (const auto& path : plan.projection->paths()) {
            if (!path.empty() && projected.count(path[0].name) == 0) plan.fetch_base = true;
          }
        }
      }
    }
  }
  return Status::Ok();
}

// The key attributes that identify a row of the key space read (table keys, plus index keys).
std::vector<const engine::KeyAttribute*> PositionAttributes(const ReadPlan& plan) {
  const auto& schema = plan.table->schema;
  std::vector<const engine::KeyAttribute*> attributes = {&schema.hash};
  if (schema.range) attributes.push_back(&*schema.range);
  if (plan.index) {
    for (const auto* attribute :
         {&plan.index->hash, plan.index->range ? &*plan.index->range : nullptr}) {
      if (attribute == nullptr) continue;
      bool duplicate = false;
      for (const auto* existing : attributes)
        duplicate = duplicate || existing->name == attribute->name;
      if (!duplicate) attributes.push_back(attribute);
    }
  }
  return attributes;
}

// Validates ExclusiveStartKey and converts it to the storage position it names.
Result<std::optional<engine::RowKey>> StartPosition(const ReadPlan& plan) {
  if (!plan.exclusive_start) return std::optional<engine::RowKey>();
  const Item& start = *plan.exclusive_start;
  auto attributes = PositionAttributes(plan);
  bool valid = start.size() == attributes.size();
  for (const auto* attribute : attributes) {
    auto it = start.find(attribute->name);
    valid = valid && it != start.end() && it->second.type() == attribute->type;
  }
  if (!valid) {
    return InvalidArgument(
        "The provided starting key is invalid: The provided key element does not match the schema");
  }
  if (plan.index) {
    auto key = engine::TableStore::IndexKeyOf(plan.table->schema, *plan.index, start);
    return std::optional<engine::RowKey>(std::move(*key));
  }
  return std::optional<engine::RowKey>(engine::TableStore::KeyOf(plan.table->schema, start));
}

struct Page {
  ResponseBody body;
  std::string items = "[";
  int64_t count = 0;
  int64_t scanned = 0;
  size_t bytes = 0;
  std::optional<Item> last;
  bool stopped = false;
  Status status;
};

// The visitor behind both operations: decode, count, filter, project, stop on Limit or 1 MB.
engine::RowVisitor PageVisitor(ServiceState& state, const ReadPlan& plan, Page& page) {
  return [&state, &plan, &page](std::string_view text) {
    auto decoded = ItemFromStoredJson(text);
    if (!decoded.ok()) {
      page.status = decoded.status();
      return false;
    }
    Item item = std::move(*decoded);
    ++page.scanned;
    page.bytes += ItemByteSize(item);
    Item position;
    for (const auto* attribute : PositionAttributes(plan)) {
      if (auto it = item.find(attribute->name); it != item.end()) position.insert(*it);
    }
    page.last = std::move(position);
    if (plan.fetch_base) {
      auto base = state.store->GetItem(plan.table->schema, item);
      if (!base.ok()) {
        page.status = base.status();
        return false;
      }
      if (*base) item = std::move(**base);
    }
    bool matches = true;
    if (plan.filter) {
      auto result = plan.filter->Evaluate(item);
      if (!result.ok()) {
        page.status = result.status();
        return false;
      }
      matches = *result;
    }
    if (matches) {
      ++page.count;
      if (!plan.count_only) {
        if (page.count > 1) page.items += ',';
        if (plan.projection) {
          AppendItemJson(plan.projection->Apply(item), page.items);
        } else if (plan.attributes_to_get) {
          std::vector<expr::Path> paths;
          for (const auto& name : *plan.attributes_to_get)
            paths.push_back({expr::PathElement{name, -1}});
          AppendItemJson(ProjectPaths(item, paths), page.items);
        } else {
          AppendItemJson(item, page.items);
        }
      }
    }
    if ((plan.limit && page.scanned >= *plan.limit) || page.bytes >= kMaxPageBytes) {
      page.stopped = true;
      return false;
    }
    return true;
  };
}

Result<std::string> FinishPage(const ReadPlan& plan, Page& page) {
  CK_RETURN_IF_ERROR(page.status);
  if (!plan.count_only) {
    page.items += ']';
    page.body.AddRawMember("Items", page.items);
  }
  page.body.AddNumber("Count", page.count);
  page.body.AddNumber("ScannedCount", page.scanned);
  if (page.stopped && page.last) page.body.AddItem("LastEvaluatedKey", *page.last);
  page.body.AddRaw(ConsumedCapacityMember(
      plan.capacity, plan.table->schema.name, ReadUnits(page.bytes, plan.consistent),
      plan.index ? plan.index->name : "", plan.index ? plan.index->global : true));
  return page.body.Finish();
}

Status KeyTypeMatches(const AttributeValue& value, const engine::KeyAttribute& attribute) {
  if (value.type() == attribute.type) return Status::Ok();
  return InvalidArgument(
      "One or more parameter values were invalid: Condition parameter type does not match schema "
      "type");
}

// Key attributes belong in the KeyConditionExpression: a Query's filter may not read the key
// attributes of the table or index it queries.
Status CheckFilterAvoidsKeys(const ReadPlan& plan, const engine::KeyAttribute& hash,
                             const std::optional<engine::KeyAttribute>& range) {
  if (!plan.filter) return Status::Ok();
  for (const auto& name : plan.filter->TopLevelAttributes()) {
    if (name == hash.name || (range && name == range->name)) {
      return InvalidArgument(
          "Filter Expression can only contain non-primary key attributes: Primary key "
          "attribute: " +
          name);
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> Query(ServiceState& state, const json& body, OperationContext&) {
  FieldReader reader(body);
  ReadPlan plan;
  std::optional<std::string> key_text;
  CK_ASSIGN_OR_RETURN(auto forward, reader.Boolean("ScanIndexForward"));
  CK_RETURN_IF_ERROR(ReadCommon(state, reader, true, &key_text, plan));
  const engine::KeyAttribute& hash = plan.index ? plan.index->hash : plan.table->schema.hash;
  const std::optional<engine::KeyAttribute>& range =
      plan.index ? plan.index->range : plan.table->schema.range;
  if (key_text->empty())
    return InvalidArgument("Invalid KeyConditionExpression: The expression can not be empty;");
  std::optional<std::string> range_name;
  if (range) range_name = range->name;
  CK_ASSIGN_OR_RETURN(auto condition,
                      expr::ParseKeyCondition(*key_text, *plan.context, hash.name, range_name));
  CK_RETURN_IF_ERROR(plan.context->CheckAllUsed());
  CK_RETURN_IF_ERROR(CheckFilterAvoidsKeys(plan, hash, range));
  CK_RETURN_IF_ERROR(KeyTypeMatches(condition.hash_value, hash));

  engine::QueryRange query;
  query.table_id = plan.table->schema.table_id;
  query.index_id = plan.index ? plan.index->index_id : 0;
  query.pk = engine::EncodeKeyValue(condition.hash_value);
  query.hash32 = engine::PartitionHash(query.pk);
  query.forward = forward.value_or(true);
  if (condition.range) {
    const auto& r = *condition.range;
    CK_RETURN_IF_ERROR(KeyTypeMatches(r.value, *range));
    std::string value = engine::EncodeKeyValue(r.value);
    using Op = expr::KeyCondition::Op;
    switch (r.op) {
      case Op::kEqual:
        query.lower = engine::SortBound{value, true};
        query.upper = engine::SortBound{value, true};
        break;
      case Op::kLess:
        query.upper = engine::SortBound{value, false};
        break;
      case Op::kLessOrEqual:
        query.upper = engine::SortBound{value, true};
        break;
      case Op::kGreater:
        query.lower = engine::SortBound{value, false};
        break;
      case Op::kGreaterOrEqual:
        query.lower = engine::SortBound{value, true};
        break;
      case Op::kBetween: {
        CK_RETURN_IF_ERROR(KeyTypeMatches(r.value2, *range));
        std::string upper = engine::EncodeKeyValue(r.value2);
        if (upper < value) {
          std::string lower_text, upper_text;
          AppendAttributeValueJson(r.value, lower_text);
          AppendAttributeValueJson(r.value2, upper_text);
          return InvalidArgument(
              "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be "
              "greater than or equal to lower bound; lower bound operand: AttributeValue: " +
              lower_text + ", upper bound operand: AttributeValue: " + upper_text);
        }
        query.lower = engine::SortBound{value, true};
        query.upper = engine::SortBound{upper, true};
        break;
      }
      case Op::kBeginsWith: {
        if (r.value.type() == AttributeType::kNumber) {
          return InvalidArgument(
              "Invalid KeyConditionExpression: Incorrect operand type for operator or function; "
              "operator or function: begins_with, operand type: N");
        }
        query.lower = engine::SortBound{value, true};
        if (auto successor = engine::PrefixSuccessor(value))
          query.upper = engine::SortBound{*successor, false};
        break;
      }
    }
  }
  CK_ASSIGN_OR_RETURN(query.exclusive_start, StartPosition(plan));
  if (query.exclusive_start &&
      (query.exclusive_start->pk != query.pk || query.exclusive_start->hash32 != query.hash32)) {
    return InvalidArgument(
        "The provided starting key is outside query boundaries based on provided conditions");
  }
  Page page;
  CK_RETURN_IF_ERROR(state.storage->Query(query, PageVisitor(state, plan, page)));
  return FinishPage(plan, page);
}

Result<std::string> Scan(ServiceState& state, const json& body, OperationContext&) {
  FieldReader reader(body);
  CK_ASSIGN_OR_RETURN(auto segment, reader.Integer("Segment"));
  CK_ASSIGN_OR_RETURN(auto total_segments, reader.Integer("TotalSegments"));
  ConstraintErrors errors;
  errors.CheckMin(segment, "segment", 0);
  errors.CheckMax(segment, "segment", 999999);
  errors.CheckMin(total_segments, "totalSegments", 1);
  errors.CheckMax(total_segments, "totalSegments", 1000000);
  CK_RETURN_IF_ERROR(errors.ToStatus());
  if (segment && !total_segments) {
    return InvalidArgument(
        "The TotalSegments parameter is required but was not present in the request when Segment "
        "parameter is present");
  }
  if (total_segments && !segment) {
    return InvalidArgument(
        "The Segment parameter is required but was not present in the request when parameter "
        "TotalSegments is present");
  }
  if (segment && *segment >= *total_segments) {
    return InvalidArgument(
        "The Segment parameter is zero-based and must be less than parameter TotalSegments: "
        "Segment: " +
        std::to_string(*segment) +
        " is not less than TotalSegments: " + std::to_string(*total_segments));
  }
  ReadPlan plan;
  CK_RETURN_IF_ERROR(ReadCommon(state, reader, false, nullptr, plan));
  CK_RETURN_IF_ERROR(plan.context->CheckAllUsed());

  engine::ScanRange scan;
  scan.table_id = plan.table->schema.table_id;
  scan.index_id = plan.index ? plan.index->index_id : 0;
  if (total_segments) {
    uint64_t total = static_cast<uint64_t>(*total_segments);
    uint64_t s = static_cast<uint64_t>(*segment);
    scan.hash_low = static_cast<uint32_t>((s << 32) / total);
    scan.hash_high = static_cast<uint32_t>((((s + 1) << 32) / total) - 1);
  }
  CK_ASSIGN_OR_RETURN(scan.exclusive_start, StartPosition(plan));
  if (scan.exclusive_start && total_segments &&
      (scan.exclusive_start->hash32 < scan.hash_low ||
       scan.exclusive_start->hash32 > scan.hash_high)) {
    return InvalidArgument(
        "The provided starting key is invalid: Invalid ExclusiveStartKey. Please use "
        "ExclusiveStartKey "
        "with correct Segment. TotalSegments: " +
        std::to_string(*total_segments) + " Segment: " + std::to_string(*segment));
  }
  Page page;
  CK_RETURN_IF_ERROR(state.storage->Scan(scan, PageVisitor(state, plan, page)));
  return FinishPage(plan, page);
}

}  // namespace ck::store::api
