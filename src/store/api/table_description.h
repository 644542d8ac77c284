// Table descriptions: CreateTable/UpdateTable input -> TableDescription + engine schema, the
// catalog record format, and DescribeTable's live view.
//
// The catalog stores, per table, {"Description": <TableDescription>, "IndexIds": {name: id},
// "NextIndexId": n, "TimeToLiveAttribute": name}. The engine schema (key attributes, indexes,
// TTL attribute) is derived from it on load, so no per-request schema parsing happens.
//
// Failure: ValidationException messages (kInvalidArgument) with DynamoDB's wording, as dynalite
// records them; SerializationException (kUnimplemented) for wrong JSON types.
// Thread-safety: pure functions (LiveDescription reads storage).
#pragma once

#include <string>

#include "core/status.h"
#include "store/api/service_state.h"

namespace ck::store::api {

// Validates a CreateTable request and builds the new table (schema.table_id is left 0).
Result<TableEntry> NewTableFromRequest(const json& request, const std::string& region,
                                       double now_epoch_seconds);

// Decodes and validates a KeySchema list against `attribute_types` (name -> "S"/"N"/"B").
// `path` is the lower-camel member path used in constraint messages.
struct ParsedKeySchema {
  engine::KeyAttribute hash;
  std::optional<engine::KeyAttribute> range;
  json wire;  // the KeySchema as echoed in descriptions
};
Result<ParsedKeySchema> ParseKeySchema(const json& list,
                                       const std::map<std::string, std::string>& attribute_types,
                                       bool is_table);

// Decodes a Projection structure into the index schema and its wire echo.
Result<json> ParseProjection(const json* projection, engine::IndexSchema& index);

// Rebuilds schema.indexes (and hash/range) from entry.description plus `index_ids`.
Status RebuildSchema(TableEntry& entry, const std::map<std::string, int64_t>& index_ids);

Result<TableEntry> TableFromCatalog(const engine::CatalogEntry& record);
std::string CatalogText(const TableEntry& entry);

// The TableDescription with live ItemCount / TableSizeBytes (table and indexes).
Result<json> LiveDescription(engine::Storage& storage, const TableEntry& entry);

std::string TableArn(const std::string& region, const std::string& table_name);

// CreateTable's and UpdateTable's TableClass, SSESpecification and StreamSpecification, in three
// steps that follow DynamoDB's order of checks: Read (JSON types: SerializationException), Check
// (constraints, added to the operation's other constraint errors), Apply (after the table is
// found: recorded in TableClassSummary and SSEDescription). Streams are not implemented, so
// Apply refuses to enable one with a ValidationException that says so.
struct TableSettings {
  std::optional<std::string> table_class;
  bool has_sse = false;
  std::optional<bool> sse_enabled;
  std::optional<std::string> sse_type;
  std::optional<std::string> kms_key;
  bool has_stream = false;
  std::optional<bool> stream_enabled;
  std::optional<std::string> stream_view_type;
};
Result<TableSettings> ReadTableSettings(const FieldReader& reader);
void CheckTableSettings(const TableSettings& settings, ConstraintErrors& errors);
Status ApplyTableSettings(const TableSettings& settings, const std::string& region,
                          json& description);

}  // namespace ck::store::api
