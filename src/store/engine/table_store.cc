#include "store/engine/table_store.h"

#include "store/attribute_json.h"
#include "store/engine/key_codec.h"

namespace ck::store::engine {

namespace {

const AttributeValue* KeyValue(const Item& item, const KeyAttribute& attribute) {
  auto it = item.find(attribute.name);
  if (it == item.end() || it->second.type() != attribute.type) return nullptr;
  return &it->second;
}

}  // namespace

const IndexSchema* TableSchema::FindIndex(std::string_view index_name) const {
  for (const auto& index : indexes) {
    if (index.name == index_name) return &index;
  }
  return nullptr;
}

RowKey TableStore::KeyOf(const TableSchema& table, const Item& item) {
  RowKey key;
  if (const auto* hash = KeyValue(item, table.hash)) key.pk = EncodeKeyValue(*hash);
  if (table.range) {
    if (const auto* range = KeyValue(item, *table.range)) key.sk = EncodeKeyValue(*range);
  }
  key.hash32 = PartitionHash(key.pk);
  return key;
}

std::optional<RowKey> TableStore::IndexKeyOf(const TableSchema& table, const IndexSchema& index,
                                             const Item& item) {
  const auto* hash = KeyValue(item, index.hash);
  if (hash == nullptr) return std::nullopt;
  RowKey key;
  key.pk = EncodeKeyValue(*hash);
  if (index.range) {
    const auto* range = KeyValue(item, *index.range);
    if (range == nullptr) return std::nullopt;
    key.sk = EncodeKeyValue(*range);
  }
  key.hash32 = PartitionHash(key.pk);
  RowKey base = KeyOf(table, item);
  key.tpk = std::move(base.pk);
  key.tsk = std::move(base.sk);
  return key;
}

Item TableStore::Project(const TableSchema& table, const IndexSchema& index, const Item& item) {
  if (index.projection == ProjectionType::kAll) return item;
  Item projected;
  auto copy = [&](const std::string& name) {
    auto it = item.find(name);
    if (it != item.end()) projected.insert(*it);
  };
  copy(table.hash.name);
  if (table.range) copy(table.range->name);
  copy(index.hash.name);
  if (index.range) copy(index.range->name);
  if (index.projection == ProjectionType::kInclude) {
    for (const auto& name : index.non_key_attributes) copy(name);
  }
  return projected;
}

std::optional<int64_t> TableStore::ExpiryOf(const TableSchema& table, const Item& item) {
  if (table.ttl_attribute.empty()) return std::nullopt;
  auto it = item.find(table.ttl_attribute);
  if (it == item.end() || it->second.type() != AttributeType::kNumber) return std::nullopt;
  const std::string& text = it->second.scalar();
  if (text.empty() || text[0] == '-') return std::nullopt;
  int64_t seconds = 0;
  int digits = 0;
  for (char c : text) {
    if (c == '.') break;
    if (c < '0' || c > '9' || ++digits > 15) return std::nullopt;
    seconds = seconds * 10 + (c - '0');
  }
  return seconds;
}

Result<std::optional<std::string>> TableStore::GetItemJson(const TableSchema& table,
                                                           const Item& key) {
  return storage_.GetRow(table.table_id, 0, KeyOf(table, key));
}

Result<std::optional<Item>> TableStore::GetItem(const TableSchema& table, const Item& key) {
  CK_ASSIGN_OR_RETURN(auto text, GetItemJson(table, key));
  if (!text) return std::optional<Item>();
  CK_ASSIGN_OR_RETURN(auto item, ItemFromStoredJson(*text));
  return std::optional<Item>(std::move(item));
}

Status TableStore::PutItem(const TableSchema& table, const Item& item, const Item* old_item) {
  return PutItem(table, item, ItemToJsonText(item), old_item);
}

Status TableStore::PutItem(const TableSchema& table, const Item& item, const std::string& item_json,
                           const Item* old_item) {
  std::optional<Item> read_old;
  if (old_item == nullptr && !table.indexes.empty()) {
    CK_ASSIGN_OR_RETURN(read_old, GetItem(table, item));
    if (read_old) old_item = &*read_old;
  }
  CK_RETURN_IF_ERROR(storage_.PutRow(table.table_id, 0, KeyOf(table, item), item_json,
                                     static_cast<int64_t>(ItemByteSize(item)),
                                     ExpiryOf(table, item)));
  return WriteIndexes(table, old_item, &item);
}

Status TableStore::DeleteItem(const TableSchema& table, const Item& old_item) {
  CK_RETURN_IF_ERROR(storage_.DeleteRow(table.table_id, 0, KeyOf(table, old_item)));
  return WriteIndexes(table, &old_item, nullptr);
}

Status TableStore::WriteIndexes(const TableSchema& table, const Item* old_item,
                                const Item* new_item) {
  for (const auto& index : table.indexes) {
    std::optional<RowKey> old_key;
    if (old_item != nullptr) old_key = IndexKeyOf(table, index, *old_item);
    std::optional<RowKey> new_key;
    if (new_item != nullptr) new_key = IndexKeyOf(table, index, *new_item);
    if (old_key && (!new_key || old_key->hash32 != new_key->hash32 || old_key->pk != new_key->pk ||
                    old_key->sk != new_key->sk)) {
      CK_RETURN_IF_ERROR(storage_.DeleteRow(table.table_id, index.index_id, *old_key));
    }
    if (new_key) {
      Item projected = Project(table, index, *new_item);
      CK_RETURN_IF_ERROR(
          storage_.PutRow(table.table_id, index.index_id, *new_key, ItemToJsonText(projected),
                          static_cast<int64_t>(ItemByteSize(projected)), std::nullopt));
    }
  }
  return Status::Ok();
}

Status TableStore::BackfillIndex(const TableSchema& table, const IndexSchema& index) {
  std::vector<Item> items;
  Status decode_status;
  CK_RETURN_IF_ERROR(storage_.ScanKeys(table.table_id, [&](const RowKey&, std::string_view text) {
    auto item = ItemFromStoredJson(text);
    if (!item.ok()) {
      decode_status = item.status();
      return false;
    }
    items.push_back(std::move(*item));
    return true;
  }));
  CK_RETURN_IF_ERROR(decode_status);
  for (const auto& item : items) {
    auto key = IndexKeyOf(table, index, item);
    if (!key) continue;
    Item projected = Project(table, index, item);
    CK_RETURN_IF_ERROR(
        storage_.PutRow(table.table_id, index.index_id, *key, ItemToJsonText(projected),
                        static_cast<int64_t>(ItemByteSize(projected)), std::nullopt));
  }
  return Status::Ok();
}

Status TableStore::RefreshExpiry(const TableSchema& table) {
  std::vector<std::pair<RowKey, std::optional<int64_t>>> updates;
  Status decode_status;
  CK_RETURN_IF_ERROR(
      storage_.ScanKeys(table.table_id, [&](const RowKey& key, std::string_view text) {
        auto item = ItemFromStoredJson(text);
        if (!item.ok()) {
          decode_status = item.status();
          return false;
        }
        updates.emplace_back(key, ExpiryOf(table, *item));
        return true;
      }));
  CK_RETURN_IF_ERROR(decode_status);
  for (const auto& [key, expires] : updates) {
    CK_RETURN_IF_ERROR(storage_.SetExpiry(table.table_id, key, expires));
  }
  return Status::Ok();
}

}  // namespace ck::store::engine
