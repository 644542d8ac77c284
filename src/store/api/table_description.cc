#include "store/api/table_description.h"

#include <set>

#include "core/crypto.h"
#include "store/attribute_json.h"

namespace ck::store::api {

namespace {

constexpr int64_t kMaxCapacityUnits = 1000000000000;

Result<AttributeType> KeyType(const std::string& tag) {
  if (tag == "S") return AttributeType::kString;
  if (tag == "N") return AttributeType::kNumber;
  if (tag == "B") return AttributeType::kBinary;
  return InvalidArgument("Invalid attribute type: " + tag);
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ", ";
    out += names[i];
  }
  return out;
}

std::string NewTableId() {
  std::string hex = RandomHex(16);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-4" + hex.substr(13, 3) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

// ProvisionedThroughput {ReadCapacityUnits, WriteCapacityUnits} -> wire echo, or null.
Result<json> ParseThroughput(const json* throughput, const std::string& path,
                             ConstraintErrors& errors) {
  if (throughput == nullptr) return json();
  FieldReader reader(*throughput);
  CK_ASSIGN_OR_RETURN(auto read, reader.Integer("ReadCapacityUnits", "Long"));
  CK_ASSIGN_OR_RETURN(auto write, reader.Integer("WriteCapacityUnits", "Long"));
  errors.CheckRequired(write.has_value(), path + ".writeCapacityUnits");
  errors.CheckMin(write, path + ".writeCapacityUnits", 1);
  errors.CheckRequired(read.has_value(), path + ".readCapacityUnits");
  errors.CheckMin(read, path + ".readCapacityUnits", 1);
  if (!read || !write) return json();
  return json{
      {"NumberOfDecreasesToday", 0}, {"ReadCapacityUnits", *read}, {"WriteCapacityUnits", *write}};
}

Status CheckThroughputBounds(const json& throughput) {
  if (throughput.is_null()) return Status::Ok();
  for (const char* member : {"ReadCapacityUnits", "WriteCapacityUnits"}) {
    int64_t units = throughput[member].get<int64_t>();
    if (units > kMaxCapacityUnits) {
      return InvalidArgument("Given value " + std::to_string(units) + " for " + member +
                             " is out of bounds");
    }
  }
  return Status::Ok();
}

// Decodes one LocalSecondaryIndex / GlobalSecondaryIndex element.
Result<json> ParseIndex(const json& element, bool global, const std::string& table_name,
                        const std::string& region,
                        const std::map<std::string, std::string>& attribute_types,
                        const std::string& table_hash, bool pay_per_request, size_t position,
                        ConstraintErrors& errors) {
  std::string shape = global ? "GlobalSecondaryIndex" : "LocalSecondaryIndex";
  CK_RETURN_IF_ERROR(ExpectStructure(element, shape));
  FieldReader reader(element);
  std::string path = std::string(global ? "globalSecondaryIndexes." : "localSecondaryIndexes.") +
                     std::to_string(position) + ".member";
  CK_ASSIGN_OR_RETURN(auto name, reader.String("IndexName"));
  CK_ASSIGN_OR_RETURN(const json* key_schema, reader.List("KeySchema"));
  CK_ASSIGN_OR_RETURN(const json* projection, reader.Structure("Projection", "Projection"));
  CK_ASSIGN_OR_RETURN(const json* throughput,
                      reader.Structure("ProvisionedThroughput", "ProvisionedThroughput"));
  errors.CheckName(name, path + ".indexName", true);
  errors.CheckRequired(key_schema != nullptr, path + ".keySchema");
  errors.CheckRequired(projection != nullptr, path + ".projection");
  CK_ASSIGN_OR_RETURN(json throughput_wire,
                      ParseThroughput(throughput, path + ".provisionedThroughput", errors));
  if (!errors.empty() || !name || key_schema == nullptr || projection == nullptr) return json();

  CK_ASSIGN_OR_RETURN(auto keys, ParseKeySchema(*key_schema, attribute_types, false));
  engine::IndexSchema index;
  CK_ASSIGN_OR_RETURN(json projection_wire, ParseProjection(projection, index));
  if (!global) {
    if (!keys.range) {
      return InvalidArgument(
          "One or more parameter values were invalid: Index KeySchema does not have a range key "
          "for index: " +
          *name);
    }
    if (keys.hash.name != table_hash) {
      return InvalidArgument(
          "One or more parameter values were invalid: Index KeySchema does not have the same "
          "leading hash key as table KeySchema for index: " +
          *name + ". index hash key: " + keys.hash.name + ", table hash key: " + table_hash);
    }
  }
  if (global && pay_per_request && throughput != nullptr) {
    return InvalidArgument(
        "One or more parameter values were invalid: ProvisionedThroughput should not be specified "
        "for index: " +
        *name + " when BillingMode is PAY_PER_REQUEST");
  }
  json wire = {{"IndexName", *name},
               {"KeySchema", keys.wire},
               {"Projection", projection_wire},
               {"IndexSizeBytes", 0},
               {"ItemCount", 0},
               {"IndexArn", TableArn(region, table_name) + "/index/" + *name}};
  if (global) {
    wire["IndexStatus"] = "ACTIVE";
    if (throughput_wire.is_null()) {
      throughput_wire = {
          {"NumberOfDecreasesToday", 0}, {"ReadCapacityUnits", 0}, {"WriteCapacityUnits", 0}};
    }
    CK_RETURN_IF_ERROR(CheckThroughputBounds(throughput_wire));
    wire["ProvisionedThroughput"] = throughput_wire;
  }
  return wire;
}

}  // namespace

std::string TableArn(const std::string& region, const std::string& table_name) {
  return "arn:aws:dynamodb:" + region + ":000000000000:table/" + table_name;
}

Result<ParsedKeySchema> ParseKeySchema(const json& list,
                                       const std::map<std::string, std::string>& attribute_types,
                                       bool is_table) {
  std::vector<std::pair<std::string, std::string>> elements;  // (name, key type)
  ConstraintErrors errors;
  for (size_t i = 0; i < list.size(); ++i) {
    CK_RETURN_IF_ERROR(ExpectStructure(list[i], "KeySchemaElement"));
    FieldReader reader(list[i]);
    CK_ASSIGN_OR_RETURN(auto name, reader.String("AttributeName"));
    CK_ASSIGN_OR_RETURN(auto key_type, reader.String("KeyType"));
    std::string path = "keySchema." + std::to_string(i + 1) + ".member";
    errors.CheckRequired(name.has_value(), path + ".attributeName");
    errors.CheckRequired(key_type.has_value(), path + ".keyType");
    errors.CheckEnum(key_type, path + ".keyType", {"HASH", "RANGE"});
    elements.emplace_back(name.value_or(""), key_type.value_or(""));
  }
  if (list.empty()) {
    errors.Add("[]", "keySchema", "Member must have length greater than or equal to 1");
  }
  if (list.size() > 2) {
    errors.Add(list.dump(), "keySchema", "Member must have length less than or equal to 2");
  }
  CK_RETURN_IF_ERROR(errors.ToStatus());

  std::vector<std::string> names, defined;
  for (const auto& [name, type] : elements) names.push_back(name);
  for (const auto& [name, type] : attribute_types) defined.push_back(name);
  for (const auto& name : names) {
    if (attribute_types.count(name) == 0) {
      if (is_table && names.size() > defined.size()) {
        return InvalidArgument("Invalid KeySchema: Some index key attribute have no definition");
      }
      return InvalidArgument(
          "One or more parameter values were invalid: Some index key attributes are not defined in "
          "AttributeDefinitions. Keys: [" +
          JoinNames(names) + "], AttributeDefinitions: [" + JoinNames(defined) + "]");
    }
  }
  if (names.size() == 2 && names[0] == names[1]) {
    return InvalidArgument(
        "Both the Hash Key and the Range Key element in the KeySchema have the same name");
  }
  if (elements[0].second != "HASH") {
    return InvalidArgument("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  }
  if (elements.size() == 2 && elements[1].second != "RANGE") {
    return InvalidArgument(
        "Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
  }
  ParsedKeySchema parsed;
  parsed.wire = json::array();
  for (size_t i = 0; i < elements.size(); ++i) {
    CK_ASSIGN_OR_RETURN(auto type, KeyType(attribute_types.at(elements[i].first)));
    engine::KeyAttribute attribute{elements[i].first, type};
    if (i == 0) {
      parsed.hash = attribute;
    } else {
      parsed.range = attribute;
    }
    parsed.wire.push_back({{"AttributeName", elements[i].first}, {"KeyType", elements[i].second}});
  }
  return parsed;
}

Result<json> ParseProjection(const json* projection, engine::IndexSchema& index) {
  FieldReader reader(*projection);
  CK_ASSIGN_OR_RETURN(auto type, reader.String("ProjectionType"));
  CK_ASSIGN_OR_RETURN(auto non_key, reader.StringList("NonKeyAttributes"));
  ConstraintErrors errors;
  errors.CheckEnum(type, "projection.projectionType", {"ALL", "INCLUDE", "KEYS_ONLY"});
  CK_RETURN_IF_ERROR(errors.ToStatus());
  if (!type)
    return InvalidArgument(
        "One or more parameter values were invalid: Unknown ProjectionType: null");
  if (non_key && *type != "INCLUDE") {
    return InvalidArgument("One or more parameter values were invalid: ProjectionType is " + *type +
                           ", but NonKeyAttributes is specified");
  }
  json wire = {{"ProjectionType", *type}};
  index.projection = *type == "ALL"         ? engine::ProjectionType::kAll
                     : *type == "KEYS_ONLY" ? engine::ProjectionType::kKeysOnly
                                            : engine::ProjectionType::kInclude;
  if (non_key) {
    if (non_key->empty()) {
      return InvalidArgument(
          "1 validation error detected: Value '[]' at 'projection.nonKeyAttributes' failed to "
          "satisfy constraint: Member must have length greater than or equal to 1");
    }
    index.non_key_attributes = *non_key;
    wire["NonKeyAttributes"] = *non_key;
  }
  return wire;
}

Result<TableEntry> NewTableFromRequest(const json& request, const std::string& region,
                                       double now_epoch_seconds) {
  FieldReader reader(request);
  CK_ASSIGN_OR_RETURN(auto name, reader.String("TableName"));
  CK_ASSIGN_OR_RETURN(const json* definitions, reader.List("AttributeDefinitions"));
  CK_ASSIGN_OR_RETURN(const json* key_schema, reader.List("KeySchema"));
  CK_ASSIGN_OR_RETURN(auto billing_mode, reader.String("BillingMode"));
  CK_ASSIGN_OR_RETURN(const json* throughput,
                      reader.Structure("ProvisionedThroughput", "ProvisionedThroughput"));
  CK_ASSIGN_OR_RETURN(const json* local_indexes, reader.List("LocalSecondaryIndexes"));
  CK_ASSIGN_OR_RETURN(const json* global_indexes, reader.List("GlobalSecondaryIndexes"));
  CK_ASSIGN_OR_RETURN(TableSettings settings, ReadTableSettings(reader));
  CK_RETURN_IF_ERROR(CheckTableLevelName(name));

  ConstraintErrors errors;
  std::map<std::string, std::string> attribute_types;
  json definitions_wire = json::array();
  if (definitions != nullptr) {
    for (size_t i = 0; i < definitions->size(); ++i) {
      CK_RETURN_IF_ERROR(ExpectStructure((*definitions)[i], "AttributeDefinition"));
      FieldReader definition((*definitions)[i]);
      CK_ASSIGN_OR_RETURN(auto attribute_name, definition.String("AttributeName"));
      CK_ASSIGN_OR_RETURN(auto attribute_type, definition.String("AttributeType"));
      std::string path = "attributeDefinitions." + std::to_string(i + 1) + ".member";
      errors.CheckRequired(attribute_name.has_value(), path + ".attributeName");
      errors.CheckRequired(attribute_type.has_value(), path + ".attributeType");
      errors.CheckEnum(attribute_type, path + ".attributeType", {"B", "N", "S"});
      if (attribute_name && attribute_type) {
        if (attribute_types.count(*attribute_name) != 0) {
          return InvalidArgument("Cannot have two attributes with the same name");
        }
        attribute_types[*attribute_name] = *attribute_type;
        definitions_wire.push_back(
            {{"AttributeName", *attribute_name}, {"AttributeType", *attribute_type}});
      }
    }
  }
  errors.CheckRequired(definitions != nullptr, "attributeDefinitions");
  errors.CheckName(name, "tableName", true);
  errors.CheckRequired(key_schema != nullptr, "keySchema");
  errors.CheckEnum(billing_mode, "billingMode", {"PROVISIONED", "PAY_PER_REQUEST"});
  CheckTableSettings(settings, errors);
  CK_ASSIGN_OR_RETURN(json throughput_wire,
                      ParseThroughput(throughput, "provisionedThroughput", errors));
  CK_RETURN_IF_ERROR(errors.ToStatus());

  bool pay_per_request = billing_mode == "PAY_PER_REQUEST";
  if (pay_per_request && throughput != nullptr) {
    return InvalidArgument(
        "One or more parameter values were invalid: Neither ReadCapacityUnits nor "
        "WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
  }
  if (!pay_per_request && throughput_wire.is_null()) {
    return InvalidArgument(
        "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must "
        "both be specified when BillingMode is PROVISIONED");
  }
  CK_RETURN_IF_ERROR(CheckThroughputBounds(throughput_wire));

  CK_ASSIGN_OR_RETURN(auto keys, ParseKeySchema(*key_schema, attribute_types, true));
  if (local_indexes == nullptr && global_indexes == nullptr &&
      attribute_types.size() != keys.wire.size()) {
    return InvalidArgument(
        "One or more parameter values were invalid: Number of attributes in KeySchema does not "
        "exactly match number of attributes defined in AttributeDefinitions");
  }

  TableEntry entry;
  entry.schema.name = *name;
  std::map<std::string, int64_t> index_ids;
  std::set<std::string> index_names;
  auto add_indexes = [&](const json* list, bool global) -> Result<json> {
    json wires = json::array();
    if (list == nullptr) return wires;
    std::string kind = global ? "GlobalSecondaryIndexes" : "LocalSecondaryIndexes";
    if (list->empty()) {
      return InvalidArgument("One or more parameter values were invalid: List of " + kind +
                             " is empty");
    }
    if (!global && !keys.range) {
      return InvalidArgument(
          "One or more parameter values were invalid: Table KeySchema does not have a range key, "
          "which is required when specifying a LocalSecondaryIndex");
    }
    for (size_t i = 0; i < list->size(); ++i) {
      ConstraintErrors index_errors;
      CK_ASSIGN_OR_RETURN(
          json wire, ParseIndex((*list)[i], global, *name, region, attribute_types, keys.hash.name,
                                pay_per_request, i + 1, index_errors));
      CK_RETURN_IF_ERROR(index_errors.ToStatus());
      std::string index_name = wire["IndexName"].get<std::string>();
      if (!index_names.insert(index_name).second) {
        return InvalidArgument("One or more parameter values were invalid: Duplicate index name: " +
                               index_name);
      }
      index_ids[index_name] = entry.next_index_id++;
      wires.push_back(std::move(wire));
    }
    if (!global && list->size() > 5) {
      return InvalidArgument(
          "One or more parameter values were invalid: Number of LocalSecondaryIndexes exceeds "
          "per-table limit of 5");
    }
    if (global && list->size() > 20) {
      return InvalidArgument(
          "One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the "
          "per-table limit of 20");
    }
    return wires;
  };
  CK_ASSIGN_OR_RETURN(json local_wire, add_indexes(local_indexes, false));
  CK_ASSIGN_OR_RETURN(json global_wire, add_indexes(global_indexes, true));

  json& description = entry.description;
  description["AttributeDefinitions"] = definitions_wire;
  description["TableName"] = *name;
  description["KeySchema"] = keys.wire;
  description["TableStatus"] = "ACTIVE";
  description["CreationDateTime"] = now_epoch_seconds;
  if (throughput_wire.is_null()) {
    throughput_wire = {
        {"NumberOfDecreasesToday", 0}, {"ReadCapacityUnits", 0}, {"WriteCapacityUnits", 0}};
  }
  description["ProvisionedThroughput"] = throughput_wire;
  description["TableSizeBytes"] = 0;
  description["ItemCount"] = 0;
  description["TableArn"] = TableArn(region, *name);
  description["TableId"] = NewTableId();
  description["BillingModeSummary"] = {
      {"BillingMode", pay_per_request ? "PAY_PER_REQUEST" : "PROVISIONED"}};
  if (pay_per_request) {
    description["BillingModeSummary"]["LastUpdateToPayPerRequestDateTime"] = now_epoch_seconds;
  }
  if (!local_wire.empty()) description["LocalSecondaryIndexes"] = local_wire;
  if (!global_wire.empty()) description["GlobalSecondaryIndexes"] = global_wire;
  CK_ASSIGN_OR_RETURN(auto protection, reader.Boolean("DeletionProtectionEnabled"));
  description["DeletionProtectionEnabled"] = protection.value_or(false);
  CK_RETURN_IF_ERROR(ApplyTableSettings(settings, region, description));
  CK_RETURN_IF_ERROR(RebuildSchema(entry, index_ids));
  return entry;
}

Result<TableSettings> ReadTableSettings(const FieldReader& reader) {
  TableSettings settings;
  CK_ASSIGN_OR_RETURN(settings.table_class, reader.String("TableClass"));
  CK_ASSIGN_OR_RETURN(const json* sse, reader.Structure("SSESpecification", "SSESpecification"));
  CK_ASSIGN_OR_RETURN(const json* stream,
                      reader.Structure("StreamSpecification", "StreamSpecification"));
  if (sse != nullptr) {
    FieldReader sse_reader(*sse);
    settings.has_sse = true;
    CK_ASSIGN_OR_RETURN(settings.sse_enabled, sse_reader.Boolean("Enabled"));
    CK_ASSIGN_OR_RETURN(settings.sse_type, sse_reader.String("SSEType"));
    CK_ASSIGN_OR_RETURN(settings.kms_key, sse_reader.String("KMSMasterKeyId"));
  }
  if (stream != nullptr) {
    FieldReader stream_reader(*stream);
    settings.has_stream = true;
    CK_ASSIGN_OR_RETURN(settings.stream_enabled, stream_reader.Boolean("StreamEnabled"));
    CK_ASSIGN_OR_RETURN(settings.stream_view_type, stream_reader.String("StreamViewType"));
  }
  return settings;
}

void CheckTableSettings(const TableSettings& settings, ConstraintErrors& errors) {
  errors.CheckEnum(settings.table_class, "tableClass", {"STANDARD", "STANDARD_INFREQUENT_ACCESS"});
  errors.CheckEnum(settings.sse_type, "sSESpecification.sSEType", {"AES256", "KMS"});
  if (settings.has_stream) {
    errors.CheckRequired(settings.stream_enabled.has_value(), "streamSpecification.streamEnabled");
  }
  errors.CheckEnum(settings.stream_view_type, "streamSpecification.streamViewType",
                   {"NEW_IMAGE", "OLD_IMAGE", "NEW_AND_OLD_IMAGES", "KEYS_ONLY"});
}

Status ApplyTableSettings(const TableSettings& settings, const std::string& region,
                          json& description) {
  if (settings.stream_enabled.value_or(false)) {
    return InvalidArgument(
        "ck dynamodb does not implement DynamoDB Streams: StreamSpecification.StreamEnabled must "
        "be false");
  }
  if (settings.table_class) {
    description["TableClassSummary"] = {{"TableClass", *settings.table_class}};
  }
  if (settings.has_sse) {
    if (settings.sse_enabled.value_or(false)) {
      // A KMS key as the caller named it; without one, the AWS managed key of the account.
      std::string key_arn = settings.kms_key.value_or("alias/aws/dynamodb");
      if (key_arn.rfind("arn:", 0) != 0) {
        key_arn = "arn:aws:kms:" + region +
                  ":000000000000:" + (key_arn.rfind("alias/", 0) == 0 ? key_arn : "key/" + key_arn);
      }
      description["SSEDescription"] = {{"Status", "ENABLED"},
                                       {"SSEType", settings.sse_type.value_or("KMS")},
                                       {"KMSMasterKeyArn", key_arn}};
    } else {
      description.erase("SSEDescription");  // back to the AWS owned key, which is not described
    }
  }
  return Status::Ok();
}

Status RebuildSchema(TableEntry& entry, const std::map<std::string, int64_t>& index_ids) {
  const json& description = entry.description;
  std::map<std::string, std::string> types;
  for (const auto& definition : description.at("AttributeDefinitions")) {
    types[definition.at("AttributeName").get<std::string>()] =
        definition.at("AttributeType").get<std::string>();
  }
  auto key_attribute = [&](const json& element) -> Result<engine::KeyAttribute> {
    std::string name = element.at("AttributeName").get<std::string>();
    auto it = types.find(name);
    if (it == types.end()) return Internal("catalog: undefined key attribute " + name);
    CK_ASSIGN_OR_RETURN(auto type, KeyType(it->second));
    return engine::KeyAttribute{name, type};
  };
  engine::TableSchema& schema = entry.schema;
  schema.name = description.at("TableName").get<std::string>();
  const json& key_schema = description.at("KeySchema");
  CK_ASSIGN_OR_RETURN(schema.hash, key_attribute(key_schema.at(0)));
  schema.range.reset();
  if (key_schema.size() > 1) {
    CK_ASSIGN_OR_RETURN(auto range, key_attribute(key_schema.at(1)));
    schema.range = range;
  }
  schema.indexes.clear();
  for (const char* kind : {"GlobalSecondaryIndexes", "LocalSecondaryIndexes"}) {
    if (!description.contains(kind)) continue;
    for (const auto& wire : description[kind]) {
      engine::IndexSchema index;
      index.name = wire.at("IndexName").get<std::string>();
      index.global = std::string_view(kind) == "GlobalSecondaryIndexes";
      auto id = index_ids.find(index.name);
      if (id == index_ids.end()) return Internal("catalog: no id for index " + index.name);
      index.index_id = id->second;
      CK_ASSIGN_OR_RETURN(index.hash, key_attribute(wire.at("KeySchema").at(0)));
      if (wire.at("KeySchema").size() > 1) {
        CK_ASSIGN_OR_RETURN(auto range, key_attribute(wire.at("KeySchema").at(1)));
        index.range = range;
      }
      CK_ASSIGN_OR_RETURN(json ignored, ParseProjection(&wire.at("Projection"), index));
      schema.indexes.push_back(std::move(index));
    }
  }
  return Status::Ok();
}

Result<TableEntry> TableFromCatalog(const engine::CatalogEntry& record) {
  json stored = json::parse(record.description, nullptr, false);
  if (!stored.is_object() || !stored.contains("Description")) {
    return Internal("corrupt catalog record for table " + record.name);
  }
  TableEntry entry;
  try {
    entry.description = stored["Description"];
    entry.next_index_id = stored.value("NextIndexId", int64_t{1});
    entry.schema.table_id = record.table_id;
    entry.schema.ttl_attribute = stored.value("TimeToLiveAttribute", std::string());
    entry.tags = stored.value("Tags", std::map<std::string, std::string>());
    if (stored.contains("PointInTimeRecovery")) {
      const json& pitr = stored["PointInTimeRecovery"];
      entry.pitr_enabled = pitr.value("Enabled", false);
      entry.pitr_recovery_days = pitr.value("RecoveryPeriodInDays", int64_t{35});
      entry.pitr_enabled_at = pitr.value("EnabledAt", 0.0);
    }
    std::map<std::string, int64_t> index_ids =
        stored.value("IndexIds", std::map<std::string, int64_t>());
    CK_RETURN_IF_ERROR(RebuildSchema(entry, index_ids));
  } catch (const json::exception& e) {
    return Internal("corrupt catalog record for table " + record.name + ": " + e.what());
  }
  return entry;
}

std::string CatalogText(const TableEntry& entry) {
  json index_ids = json::object();
  for (const auto& index : entry.schema.indexes) index_ids[index.name] = index.index_id;
  json stored = {{"Description", entry.description},
                 {"IndexIds", index_ids},
                 {"NextIndexId", entry.next_index_id},
                 {"TimeToLiveAttribute", entry.schema.ttl_attribute}};
  if (!entry.tags.empty()) stored["Tags"] = entry.tags;
  if (entry.pitr_enabled) {
    stored["PointInTimeRecovery"] = {{"Enabled", true},
                                     {"RecoveryPeriodInDays", entry.pitr_recovery_days},
                                     {"EnabledAt", entry.pitr_enabled_at}};
  }
  return stored.dump();
}

Result<json> LiveDescription(engine::Storage& storage, const TableEntry& entry) {
  json description = entry.description;
  CK_ASSIGN_OR_RETURN(auto stats, storage.Stats(entry.schema.table_id, 0));
  description["ItemCount"] = stats.item_count;
  description["TableSizeBytes"] = stats.size_bytes;
  for (const char* kind : {"GlobalSecondaryIndexes", "LocalSecondaryIndexes"}) {
    if (!description.contains(kind)) continue;
    for (auto& wire : description[kind]) {
      const auto* index = entry.schema.FindIndex(wire["IndexName"].get<std::string>());
      if (index == nullptr) continue;
      CK_ASSIGN_OR_RETURN(auto index_stats, storage.Stats(entry.schema.table_id, index->index_id));
      wire["ItemCount"] = index_stats.item_count;
      wire["IndexSizeBytes"] = index_stats.size_bytes;
    }
  }
  return description;
}

}  // namespace ck::store::api
