// TableStore: item-level reads and writes of one DynamoDB table over Storage, keeping its
// secondary indexes and TTL expiry column in step with every write.
//
// The protocol layer decides *whether* to write (conditions, validation); TableStore decides
// *how*: it encodes keys (key_codec.h), writes the base row, derives each index's row (sparse:
// items lacking an index key attribute have no row; projections ALL / KEYS_ONLY / INCLUDE) and
// the expiry epoch from the TTL attribute. Callers wrap each logical write in Storage::Begin/Commit
// so base and index rows change atomically.
//
//   TableStore store(storage);
//   CK_RETURN_IF_ERROR(storage.Begin());
//   CK_RETURN_IF_ERROR(store.PutItem(schema, item, nullptr));
//   CK_RETURN_IF_ERROR(storage.Commit());
//
// Items passed in must already be validated (key attributes present with the declared types).
// Thread-safety: as Storage (none). Failure: Storage's errors; kInternal for corrupt rows.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/attribute_value.h"
#include "store/engine/storage.h"

namespace ck::store::engine {

struct KeyAttribute {
  std::string name;
  AttributeType type = AttributeType::kString;  // kString, kNumber or kBinary
};

enum class ProjectionType { kAll, kKeysOnly, kInclude };

struct IndexSchema {
  int64_t index_id = 0;  // > 0, unique within the table
  std::string name;
  bool global = true;
  KeyAttribute hash;
  std::optional<KeyAttribute> range;
  ProjectionType projection = ProjectionType::kAll;
  std::vector<std::string> non_key_attributes;  // for kInclude
};

struct TableSchema {
  int64_t table_id = 0;
  std::string name;
  KeyAttribute hash;
  std::optional<KeyAttribute> range;
  std::vector<IndexSchema> indexes;
  std::string ttl_attribute;  // empty when TTL is disabled

  const IndexSchema* FindIndex(std::string_view index_name) const;
};

class TableStore {
 public:
  explicit TableStore(Storage& storage) : storage_(storage) {}

  // Base-table row key of an item or key map.
  static RowKey KeyOf(const TableSchema& table, const Item& item);
  // Index row key; nullopt when the item lacks an index key attribute (or has another type).
  static std::optional<RowKey> IndexKeyOf(const TableSchema& table, const IndexSchema& index,
                                          const Item& item);
  // The attributes an index row holds.
  static Item Project(const TableSchema& table, const IndexSchema& index, const Item& item);
  // The TTL epoch second of an item, when TTL is enabled and the attribute is a usable number.
  static std::optional<int64_t> ExpiryOf(const TableSchema& table, const Item& item);

  // The stored wire JSON of the item with this key, if any.
  Result<std::optional<std::string>> GetItemJson(const TableSchema& table, const Item& key);
  Result<std::optional<Item>> GetItem(const TableSchema& table, const Item& key);

  // Writes `item`. `old_item` is the item it replaces (nullptr = not known: TableStore reads it
  // when the table has indexes).
  Status PutItem(const TableSchema& table, const Item& item, const Item* old_item);
  Status PutItem(const TableSchema& table, const Item& item, const std::string& item_json,
                 const Item* old_item);
  // Deletes the stored item `old_item` (as read) and its index rows.
  Status DeleteItem(const TableSchema& table, const Item& old_item);
  // Writes index rows for every existing item (a GSI created by UpdateTable).
  Status BackfillIndex(const TableSchema& table, const IndexSchema& index);
  // Recomputes every item's expiry after the TTL attribute changed.
  Status RefreshExpiry(const TableSchema& table);

  Storage& storage() { return storage_; }

 private:
  Status WriteIndexes(const TableSchema& table, const Item* old_item, const Item* new_item);

  Storage& storage_;
};

}  // namespace ck::store::engine
