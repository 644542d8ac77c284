// CreateTable, DescribeTable, ListTables, DeleteTable, UpdateTable, DescribeTimeToLive and
// UpdateTimeToLive, DescribeContinuousBackups, UpdateContinuousBackups. Tables are ACTIVE as soon
// as they are created.
#include <algorithm>
#include <set>

#include "store/api/response_body.h"
#include "store/api/table_description.h"
#include "store/attribute_json.h"

namespace ck::store::api {

namespace {

// TableName of the table-level operations (see CheckTableLevelName).
Result<std::string> ReadTableName(const FieldReader& reader) {
  CK_ASSIGN_OR_RETURN(auto name, reader.String("TableName"));
  CK_RETURN_IF_ERROR(CheckTableLevelName(name));
  ConstraintErrors errors;
  errors.CheckName(name, "tableName", true);
  CK_RETURN_IF_ERROR(errors.ToStatus());
  return *name;
}

// A structure member the operation requires (`shape` names it and its type, `path` is its
// constraint path): "Value null at '<path>' failed to satisfy constraint: ..." when absent.
Result<const json*> ReadRequiredStructure(const FieldReader& reader, std::string_view shape,
                                          std::string_view path) {
  CK_ASSIGN_OR_RETURN(const json* structure, reader.Structure(shape, shape));
  ConstraintErrors errors;
  errors.CheckRequired(structure != nullptr, path);
  CK_RETURN_IF_ERROR(errors.ToStatus());
  return structure;
}

std::string DescriptionBody(std::string_view member, const json& description) {
  return json{{member, description}}.dump();
}

// UpdateTable's GlobalSecondaryIndexUpdates.Create: adds the index to `entry`; returns its schema.
Result<const engine::IndexSchema*> CreateIndex(ServiceState& state, TableEntry& entry,
                                               const json& create, const json* definitions) {
  FieldReader reader(create);
  CK_ASSIGN_OR_RETURN(auto name, reader.String("IndexName"));
  CK_ASSIGN_OR_RETURN(const json* key_schema, reader.List("KeySchema"));
  CK_ASSIGN_OR_RETURN(const json* projection, reader.Structure("Projection", "Projection"));
  CK_ASSIGN_OR_RETURN(const json* throughput,
                      reader.Structure("ProvisionedThroughput", "ProvisionedThroughput"));
  ConstraintErrors errors;
  errors.CheckName(name, "globalSecondaryIndexUpdates.1.member.create.indexName", true);
  errors.CheckRequired(key_schema != nullptr,
                       "globalSecondaryIndexUpdates.1.member.create.keySchema");
  errors.CheckRequired(projection != nullptr,
                       "globalSecondaryIndexUpdates.1.member.create.projection");
  CK_RETURN_IF_ERROR(errors.ToStatus());
  if (entry.schema.FindIndex(*name) != nullptr) {
    return InvalidArgument("One or more parameter values were invalid: Duplicate index name: " +
                           *name);
  }
  // Merge the request's AttributeDefinitions into the table's.
  json& table_definitions = entry.description["AttributeDefinitions"];
  std::map<std::string, std::string> types;
  for (const auto& definition : table_definitions) {
    types[definition["AttributeName"].get<std::string>()] =
        definition["AttributeType"].get<std::string>();
  }
  if (definitions != nullptr) {
    for (const auto& definition : *definitions) {
      CK_RETURN_IF_ERROR(ExpectStructure(definition, "AttributeDefinition"));
      FieldReader definition_reader(definition);
      CK_ASSIGN_OR_RETURN(auto attribute_name, definition_reader.String("AttributeName"));
      CK_ASSIGN_OR_RETURN(auto attribute_type, definition_reader.String("AttributeType"));
      if (!attribute_name || !attribute_type) continue;
      auto existing = types.find(*attribute_name);
      if (existing != types.end() && existing->second != *attribute_type) {
        return InvalidArgument("Cannot change the type of an existing attribute: " +
                               *attribute_name);
      }
      if (existing == types.end()) {
        types[*attribute_name] = *attribute_type;
        table_definitions.push_back(
            {{"AttributeName", *attribute_name}, {"AttributeType", *attribute_type}});
      }
    }
  }
  CK_ASSIGN_OR_RETURN(auto keys, ParseKeySchema(*key_schema, types, false));
  engine::IndexSchema index;
  CK_ASSIGN_OR_RETURN(json projection_wire, ParseProjection(projection, index));
  bool pay_per_request =
      entry.description["BillingModeSummary"].value("BillingMode", "") == "PAY_PER_REQUEST";
  json throughput_wire = {
      {"NumberOfDecreasesToday", 0}, {"ReadCapacityUnits", 0}, {"WriteCapacityUnits", 0}};
  if (throughput != nullptr) {
    if (pay_per_request) {
      return InvalidArgument(
          "One or more parameter values were invalid: ProvisionedThroughput should not be "
          "specified for index: " +
          *name + " when BillingMode is PAY_PER_REQUEST");
    }
    FieldReader throughput_reader(*throughput);
    CK_ASSIGN_OR_RETURN(auto read, throughput_reader.Integer("ReadCapacityUnits", "Long"));
    CK_ASSIGN_OR_RETURN(auto write, throughput_reader.Integer("WriteCapacityUnits", "Long"));
    throughput_wire["ReadCapacityUnits"] = read.value_or(0);
    throughput_wire["WriteCapacityUnits"] = write.value_or(0);
  }
  index.index_id = entry.next_index_id++;
  index.name = *name;
  index.global = true;
  index.hash = keys.hash;
  index.range = keys.range;
  json wire = {{"IndexName", *name},
               {"KeySchema", keys.wire},
               {"Projection", projection_wire},
               {"IndexStatus", "ACTIVE"},
               {"ProvisionedThroughput", throughput_wire},
               {"IndexSizeBytes", 0},
               {"ItemCount", 0},
               {"IndexArn", TableArn(state.options.region, entry.schema.name) + "/index/" + *name}};
  entry.description["GlobalSecondaryIndexes"].push_back(wire);
  entry.schema.indexes.push_back(index);
  return &entry.schema.indexes.back();
}

}  // namespace

Result<std::string> CreateTable(ServiceState& state, const json& body, OperationContext&) {
  CK_ASSIGN_OR_RETURN(auto raw_tags, ReadRawTags(FieldReader(body)));
  CK_ASSIGN_OR_RETURN(TableEntry entry,
                      NewTableFromRequest(body, state.options.region, state.NowEpochSeconds()));
  if (raw_tags) {
    CK_ASSIGN_OR_RETURN(entry.tags, CheckTags(*raw_tags));
  }
  if (state.tables.count(entry.schema.name) != 0) {
    return AlreadyExists("Table already exists: " + entry.schema.name);
  }
  CK_ASSIGN_OR_RETURN(int64_t table_id, InTransaction(*state.storage, [&]() -> Result<int64_t> {
                        CK_ASSIGN_OR_RETURN(int64_t id,
                                            state.storage->InsertTable(entry.schema.name, "{}"));
                        entry.schema.table_id = id;
                        CK_RETURN_IF_ERROR(state.PersistTable(entry));
                        return id;
                      }));
  (void)table_id;
  std::string body_text = DescriptionBody("TableDescription", entry.description);
  std::string name = entry.schema.name;
  state.tables.emplace(name, std::move(entry));
  return body_text;
}

Result<std::string> DescribeTable(ServiceState& state, const json& body, OperationContext&) {
  FieldReader reader(body);
  CK_ASSIGN_OR_RETURN(std::string name, ReadTableName(reader));
  CK_ASSIGN_OR_RETURN(TableEntry * table, state.FindTable(name, true));
  CK_ASSIGN_OR_RETURN(json description, LiveDescription(*state.storage, *table));
  return DescriptionBody("Table", description);
}

Result<std::string> ListTables(ServiceState& state, const json& body, OperationContext&) {
  FieldReader reader(body);
  CK_ASSIGN_OR_RETURN(auto limit, reader.Integer("Limit"));
  CK_ASSIGN_OR_RETURN(auto start, reader.String("ExclusiveStartTableName"));
  ConstraintErrors errors;
  errors.CheckMin(limit, "limit", 1);
  errors.CheckMax(limit, "limit", 100);
  errors.CheckName(start, "exclusiveStartTableName", false);
  CK_RETURN_IF_ERROR(errors.ToStatus());
  int64_t max = limit.value_or(100);
  auto it = start ? state.tables.upper_bound(*start) : state.tables.begin();
  json names = json::array();
  std::string last;
  for (; it != state.tables.end() && static_cast<int64_t>(names.size()) < max; ++it) {
    names.push_back(it->first);
    last = it->first;
  }
  json response = {{"TableNames", names}};
  if (it != state.tables.end()) response["LastEvaluatedTableName"] = last;
  return response.dump();
}

Result<std::string> DeleteTable(ServiceState& state, const json& body, OperationContext&) {
  FieldReader reader(body);
  CK_ASSIGN_OR_RETURN(std::string name, ReadTableName(reader));
  CK_ASSIGN_OR_RETURN(TableEntry * table, state.FindTable(name, true));
  if (table->description.value("DeletionProtectionEnabled", false)) {
    return InvalidArgument(
        "Resource cannot be deleted as it is currently protected against deletion. Disable "
        "deletion protection first.");
  }
  CK_ASSIGN_OR_RETURN(json description, LiveDescription(*state.storage, *table));
  description["TableStatus"] = "DELETING";
  int64_t table_id = table->schema.table_id;
  CK_RETURN_IF_ERROR(
      InTransaction(*state.storage, [&] { return state.storage->DeleteTable(table_id); }));
  state.tables.erase(state.tables.find(name));
  return DescriptionBody("TableDescription", description);
}

Result<std::string> UpdateTable(ServiceState& state, const json& body, OperationContext&) {
  FieldReader reader(body);
  CK_ASSIGN_OR_RETURN(std::string name, ReadTableName(reader));
  CK_ASSIGN_OR_RETURN(auto billing_mode, reader.String("BillingMode"));
  CK_ASSIGN_OR_RETURN(const json* throughput,
                      reader.Structure("ProvisionedThroughput", "ProvisionedThroughput"));
  CK_ASSIGN_OR_RETURN(const json* index_updates, reader.List("GlobalSecondaryIndexUpdates"));
  CK_ASSIGN_OR_RETURN(const json* definitions, reader.List("AttributeDefinitions"));
  CK_ASSIGN_OR_RETURN(TableSettings settings, ReadTableSettings(reader));
  ConstraintErrors errors;
  errors.CheckEnum(billing_mode, "billingMode", {"PROVISIONED", "PAY_PER_REQUEST"});
  CheckTableSettings(settings, errors);
  std::optional<int64_t> read_units, write_units;
  if (throughput != nullptr) {
    FieldReader throughput_reader(*throughput);
    CK_ASSIGN_OR_RETURN(read_units, throughput_reader.Integer("ReadCapacityUnits", "Long"));
    CK_ASSIGN_OR_RETURN(write_units, throughput_reader.Integer("WriteCapacityUnits", "Long"));
    errors.CheckRequired(write_units.has_value(), "provisionedThroughput.writeCapacityUnits");
    errors.CheckMin(write_units, "provisionedThroughput.writeCapacityUnits", 1);
    errors.CheckRequired(read_units.has_value(), "provisionedThroughput.readCapacityUnits");
    errors.CheckMin(read_units, "provisionedThroughput.readCapacityUnits", 1);
  }
  CK_RETURN_IF_ERROR(errors.ToStatus());
  bool has_index_updates = index_updates != nullptr && !index_updates->empty();
  if (!billing_mode && throughput == nullptr && !has_index_updates &&
      reader.Find("StreamSpecification") == nullptr && reader.Find("SSESpecification") == nullptr &&
      reader.Find("DeletionProtectionEnabled") == nullptr && reader.Find("TableClass") == nullptr) {
    return InvalidArgument(
        "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
        "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
  }
  if (billing_mode == "PROVISIONED" && throughput == nullptr) {
    return InvalidArgument(
        "One or more parameter values were invalid: ProvisionedThroughput must be specified when "
        "BillingMode is PROVISIONED");
  }
  CK_ASSIGN_OR_RETURN(TableEntry * table, state.FindTable(name, true));
  TableEntry updated = *table;
  json& description = updated.description;
  std::string current_mode = description["BillingModeSummary"].value("BillingMode", "PROVISIONED");
  std::string new_mode = billing_mode.value_or(current_mode);
  if (throughput != nullptr && new_mode == "PAY_PER_REQUEST") {
    return InvalidArgument(
        "One or more parameter values were invalid: Neither ReadCapacityUnits nor "
        "WriteCapacityUnits "
        "can be specified when BillingMode is PAY_PER_REQUEST");
  }
  if (billing_mode) {
    description["BillingModeSummary"] = {{"BillingMode", new_mode}};
    if (new_mode == "PAY_PER_REQUEST") {
      description["BillingModeSummary"]["LastUpdateToPayPerRequestDateTime"] =
          state.NowEpochSeconds();
      description["ProvisionedThroughput"]["ReadCapacityUnits"] = 0;
      description["ProvisionedThroughput"]["WriteCapacityUnits"] = 0;
    }
  }
  if (throughput != nullptr) {
    auto& current = description["ProvisionedThroughput"];
    if (current["ReadCapacityUnits"] == *read_units &&
        current["WriteCapacityUnits"] == *write_units && !billing_mode) {
      return InvalidArgument(
          "The provisioned throughput for the table will not change. The requested value equals "
          "the "
          "current value. Current ReadCapacityUnits provisioned for the table: " +
          std::to_string(*read_units) + ". Requested ReadCapacityUnits: " +
          std::to_string(*read_units) + ". Current WriteCapacityUnits provisioned for the table: " +
          std::to_string(*write_units) +
          ". Requested WriteCapacityUnits: " + std::to_string(*write_units) +
          ". Refer to the Amazon DynamoDB Developer Guide for current limits and how to request "
          "higher limits.");
    }
    if (current["ReadCapacityUnits"].get<int64_t>() > *read_units ||
        current["WriteCapacityUnits"].get<int64_t>() > *write_units) {
      current["LastDecreaseDateTime"] = state.NowEpochSeconds();
    } else {
      current["LastIncreaseDateTime"] = state.NowEpochSeconds();
    }
    current["ReadCapacityUnits"] = *read_units;
    current["WriteCapacityUnits"] = *write_units;
  }
  if (reader.Find("DeletionProtectionEnabled") != nullptr) {
    CK_ASSIGN_OR_RETURN(auto protection, reader.Boolean("DeletionProtectionEnabled"));
    description["DeletionProtectionEnabled"] = protection.value_or(false);
  }
  CK_RETURN_IF_ERROR(ApplyTableSettings(settings, state.options.region, description));

  std::vector<int64_t> dropped;
  std::vector<std::string> created;
  std::set<std::string> touched;
  if (index_updates != nullptr) {
    for (const auto& update : *index_updates) {
      CK_RETURN_IF_ERROR(ExpectStructure(update, "GlobalSecondaryIndexUpdate"));
      FieldReader update_reader(update);
      CK_ASSIGN_OR_RETURN(const json* create,
                          update_reader.Structure("Create", "CreateGlobalSecondaryIndexAction"));
      CK_ASSIGN_OR_RETURN(const json* remove,
                          update_reader.Structure("Delete", "DeleteGlobalSecondaryIndexAction"));
      CK_ASSIGN_OR_RETURN(const json* change,
                          update_reader.Structure("Update", "UpdateGlobalSecondaryIndexAction"));
      const json* any = create ? create : remove ? remove : change;
      if (any == nullptr) {
        return InvalidArgument(
            "One or more parameter values were invalid: One of GlobalSecondaryIndexUpdate.Update, "
            "GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be "
            "null");
      }
      std::string index_name = any->value("IndexName", "");
      if (!touched.insert(index_name).second) {
        return InvalidArgument(
            "One or more parameter values were invalid: Only one global secondary index update per "
            "index is allowed simultaneously. Index: " +
            index_name);
      }
      if (create != nullptr) {
        CK_ASSIGN_OR_RETURN(const engine::IndexSchema* index,
                            CreateIndex(state, updated, *create, definitions));
        created.push_back(index->name);
        continue;
      }
      const engine::IndexSchema* index = updated.schema.FindIndex(index_name);
      if (index == nullptr || !index->global) {
        return NotFound("Requested resource not found: Index: " + index_name +
                        " not found for table: " + name);
      }
      if (remove != nullptr) {
        dropped.push_back(index->index_id);
        auto& indexes = updated.schema.indexes;
        indexes.erase(std::remove_if(indexes.begin(), indexes.end(),
                                     [&](const auto& i) { return i.name == index_name; }),
                      indexes.end());
        auto& wires = description["GlobalSecondaryIndexes"];
        for (auto it = wires.begin(); it != wires.end(); ++it) {
          if ((*it)["IndexName"] == index_name) {
            wires.erase(it);
            break;
          }
        }
        if (wires.empty()) description.erase("GlobalSecondaryIndexes");
      } else {
        FieldReader change_reader(*change);
        CK_ASSIGN_OR_RETURN(
            const json* index_throughput,
            change_reader.Structure("ProvisionedThroughput", "ProvisionedThroughput"));
        if (index_throughput == nullptr) continue;
        for (auto& wire : description["GlobalSecondaryIndexes"]) {
          if (wire["IndexName"] != index_name) continue;
          FieldReader units(*index_throughput);
          CK_ASSIGN_OR_RETURN(auto r, units.Integer("ReadCapacityUnits", "Long"));
          CK_ASSIGN_OR_RETURN(auto w, units.Integer("WriteCapacityUnits", "Long"));
          wire["ProvisionedThroughput"]["ReadCapacityUnits"] = r.value_or(0);
          wire["ProvisionedThroughput"]["WriteCapacityUnits"] = w.value_or(0);
        }
      }
    }
  }
  CK_RETURN_IF_ERROR(InTransaction(*state.storage, [&]() -> Status {
    for (int64_t index_id : dropped)
      CK_RETURN_IF_ERROR(state.storage->DeleteIndexRows(updated.schema.table_id, index_id));
    for (const auto& index_name : created) {
      CK_RETURN_IF_ERROR(
          state.store->BackfillIndex(updated.schema, *updated.schema.FindIndex(index_name)));
    }
    return state.PersistTable(updated);
  }));
  *table = std::move(updated);
  CK_ASSIGN_OR_RETURN(json live, LiveDescription(*state.storage, *table));
  return DescriptionBody("TableDescription", live);
}

Result<std::string> DescribeTimeToLive(ServiceState& state, const json& body, OperationContext&) {
  FieldReader reader(body);
  CK_ASSIGN_OR_RETURN(std::string name, ReadTableName(reader));
  CK_ASSIGN_OR_RETURN(TableEntry * table, state.FindTable(name, true));
  json description = {{"TimeToLiveStatus", "DISABLED"}};
  if (!table->schema.ttl_attribute.empty()) {
    description = {{"TimeToLiveStatus", "ENABLED"}, {"AttributeName", table->schema.ttl_attribute}};
  }
  return json{{"TimeToLiveDescription", description}}.dump();
}

Result<std::string> UpdateTimeToLive(ServiceState& state, const json& body, OperationContext&) {
  FieldReader reader(body);
  CK_ASSIGN_OR_RETURN(std::string name, ReadTableName(reader));
  CK_ASSIGN_OR_RETURN(
      const json* specification,
      ReadRequiredStructure(reader, "TimeToLiveSpecification", "timeToLiveSpecification"));
  ConstraintErrors errors;
  FieldReader spec_reader(*specification);
  CK_ASSIGN_OR_RETURN(auto enabled, spec_reader.Boolean("Enabled"));
  CK_ASSIGN_OR_RETURN(auto attribute, spec_reader.String("AttributeName"));
  errors.CheckRequired(enabled.has_value(), "timeToLiveSpecification.enabled");
  errors.CheckRequired(attribute.has_value(), "timeToLiveSpecification.attributeName");
  if (attribute && (attribute->empty() || attribute->size() > 255)) {
    errors.Add(*attribute, "timeToLiveSpecification.attributeName",
               attribute->empty() ? "Member must have length greater than or equal to 1"
                                  : "Member must have length less than or equal to 255");
  }
  CK_RETURN_IF_ERROR(errors.ToStatus());
  CK_ASSIGN_OR_RETURN(TableEntry * table, state.FindTable(name, true));
  const std::string& current = table->schema.ttl_attribute;
  if (*enabled && !current.empty()) return InvalidArgument("TimeToLive is already enabled");
  if (!*enabled && current.empty()) return InvalidArgument("TimeToLive is already disabled");
  TableEntry updated = *table;
  updated.schema.ttl_attribute = *enabled ? *attribute : "";
  CK_RETURN_IF_ERROR(InTransaction(*state.storage, [&]() -> Status {
    CK_RETURN_IF_ERROR(state.store->RefreshExpiry(updated.schema));
    return state.PersistTable(updated);
  }));
  *table = std::move(updated);
  return json{{"TimeToLiveSpecification", {{"Enabled", *enabled}, {"AttributeName", *attribute}}}}
      .dump();
}

namespace {

// The table of a backup operation: a missing one is TableNotFoundException "Table not found:
// <name>", where the other table-level operations answer ResourceNotFoundException.
Result<TableEntry*> FindBackupTable(ServiceState& state, const std::string& name,
                                    OperationContext& context) {
  auto table = state.FindTable(name);
  if (!table.ok()) {
    context.error_type = ErrorType::kTableNotFound;
    return NotFound("Table not found: " + name);
  }
  return table;
}

std::string ContinuousBackupsBody(const ServiceState& state, const TableEntry& table) {
  json recovery = {{"PointInTimeRecoveryStatus", table.pitr_enabled ? "ENABLED" : "DISABLED"}};
  if (table.pitr_enabled) {
    // "LatestRestorableDateTime is typically 5 minutes before the current time."
    const double now = state.NowEpochSeconds();
    const double latest = std::max(table.pitr_enabled_at, now - 300);
    // The window reaches back RecoveryPeriodInDays, but not before recovery was switched on.
    const double earliest = std::max(table.pitr_enabled_at,
                                     now - 86400.0 * static_cast<double>(table.pitr_recovery_days));
    recovery["EarliestRestorableDateTime"] = std::min(earliest, latest);
    recovery["LatestRestorableDateTime"] = latest;
    recovery["RecoveryPeriodInDays"] = table.pitr_recovery_days;
  }
  return DescriptionBody(
      "ContinuousBackupsDescription",
      {{"ContinuousBackupsStatus", "ENABLED"}, {"PointInTimeRecoveryDescription", recovery}});
}

}  // namespace

Result<std::string> DescribeContinuousBackups(ServiceState& state, const json& body,
                                              OperationContext& context) {
  FieldReader reader(body);
  CK_ASSIGN_OR_RETURN(std::string name, ReadTableName(reader));
  CK_ASSIGN_OR_RETURN(TableEntry * table, FindBackupTable(state, name, context));
  return ContinuousBackupsBody(state, *table);
}

Result<std::string> UpdateContinuousBackups(ServiceState& state, const json& body,
                                            OperationContext& context) {
  FieldReader reader(body);
  CK_ASSIGN_OR_RETURN(std::string name, ReadTableName(reader));
  CK_ASSIGN_OR_RETURN(const json* specification,
                      ReadRequiredStructure(reader, "PointInTimeRecoverySpecification",
                                            "pointInTimeRecoverySpecification"));
  ConstraintErrors errors;
  FieldReader spec_reader(*specification);
  CK_ASSIGN_OR_RETURN(auto enabled, spec_reader.Boolean("PointInTimeRecoveryEnabled"));
  CK_ASSIGN_OR_RETURN(auto days, spec_reader.Integer("RecoveryPeriodInDays"));
  errors.CheckRequired(enabled.has_value(),
                       "pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled");
  errors.CheckMin(days, "pointInTimeRecoverySpecification.recoveryPeriodInDays", 1);
  errors.CheckMax(days, "pointInTimeRecoverySpecification.recoveryPeriodInDays", 35);
  CK_RETURN_IF_ERROR(errors.ToStatus());
  if (days && !*enabled) {
    return InvalidArgument(
        "Invalid Request: Cannot specify RecoveryPeriodInDays when disabling point-in-time "
        "recovery.");
  }
  CK_ASSIGN_OR_RETURN(TableEntry * table, FindBackupTable(state, name, context));
  TableEntry updated = *table;
  if (*enabled && !table->pitr_enabled) updated.pitr_enabled_at = state.NowEpochSeconds();
  updated.pitr_enabled = *enabled;
  updated.pitr_recovery_days = days.value_or(35);
  CK_RETURN_IF_ERROR(InTransaction(*state.storage, [&] { return state.PersistTable(updated); }));
  *table = std::move(updated);
  return ContinuousBackupsBody(state, *table);
}

}  // namespace ck::store::api
