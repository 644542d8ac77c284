// Storage: the SQLite file behind `ck dynamodb` — catalog, item rows, index rows, expiry.
//
// One SQLite database in WAL mode holds:
//   tables(table_id INTEGER PRIMARY KEY, name TEXT UNIQUE, description TEXT)
//     the catalog; `description` is opaque JSON owned by the protocol layer.
//   items(table_id, index_id, hash32, pk BLOB, sk BLOB, tpk BLOB, tsk BLOB, item TEXT,
//         size INTEGER, expires INTEGER, PRIMARY KEY(table_id, index_id, hash32, pk, sk, tpk, tsk))
//     WITHOUT ROWID. index_id 0 is the base table (tpk = tsk = empty); other index ids are
//     secondary indexes whose rows carry the index key in pk/sk, the base table key in tpk/tsk
//     and the projected item. Keys are order-preserving byte strings (key_codec.h), so Query is a
//     range over sk within one (hash32, pk) and Scan is a range over hash32.
//   items_expiry: a partial index on expires for the TTL sweep.
//
// Writes are grouped by the caller with Begin()/Commit() (one SQLite transaction per DynamoDB
// write or transaction); all statements are prepared once and cached.
//
// Durability: kNormal = synchronous=NORMAL (a committed write survives kill -9 of the process; a
// power loss may drop the last commits), kFull = synchronous=FULL (fsync on every commit).
//
// Thread-safety: none. One worker thread owns a Storage. Failure: kInternal for SQLite errors
// (kUnavailable when the file is locked by another process, kResourceExhausted on a full disk).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/sqlite_database.h"
#include "core/status.h"

namespace ck::store::engine {

enum class Durability { kNormal, kFull };

struct StorageOptions {
  std::string path;  // the database file; created if missing
  Durability durability = Durability::kNormal;
};

// The position of one row in a key space (a table or one of its indexes).
struct RowKey {
  uint32_t hash32 = 0;
  std::string pk;   // encoded partition key
  std::string sk;   // encoded sort key, empty when the key space has none
  std::string tpk;  // index rows: the base table's encoded partition key
  std::string tsk;  // index rows: the base table's encoded sort key
};

// One bound of a sort-key range.
struct SortBound {
  std::string value;
  bool inclusive = true;
};

// A Query: one partition, an optional sort-key range, a direction and a resume point.
struct QueryRange {
  int64_t table_id = 0;
  int64_t index_id = 0;
  uint32_t hash32 = 0;
  std::string pk;
  std::optional<SortBound> lower;
  std::optional<SortBound> upper;
  bool forward = true;
  // Resume strictly after this row in the direction of travel (sk, tpk, tsk are used).
  std::optional<RowKey> exclusive_start;
};

// A Scan (or one segment of it): rows whose hash32 lies in [hash_low, hash_high], in key order.
struct ScanRange {
  int64_t table_id = 0;
  int64_t index_id = 0;
  uint32_t hash_low = 0;
  uint32_t hash_high = UINT32_MAX;
  std::optional<RowKey> exclusive_start;  // resume strictly after this row
};

struct CatalogEntry {
  int64_t table_id = 0;
  std::string name;
  std::string description;
};

struct KeySpaceStats {
  int64_t item_count = 0;
  int64_t size_bytes = 0;
};

struct ExpiredRow {
  int64_t table_id = 0;
  RowKey key;
  std::string item;
};

// Receives each row's stored item text; returns false to stop.
using RowVisitor = std::function<bool(std::string_view item)>;

class Storage {
 public:
  static Result<std::unique_ptr<Storage>> Open(const StorageOptions& options);

  // Catalog.
  Result<std::vector<CatalogEntry>> LoadCatalog();
  // kAlreadyExists when the name is taken.
  Result<int64_t> InsertTable(std::string_view name, std::string_view description);
  Status UpdateTableDescription(int64_t table_id, std::string_view description);
  // Removes the catalog entry and every row of the table and its indexes.
  Status DeleteTable(int64_t table_id);

  // Transactions. Begin while a transaction is open is a bug (kInternal).
  Status Begin();
  Status Commit();
  void Rollback();
  bool in_transaction() const { return in_transaction_; }

  // Rows. `size` is the item's DynamoDB byte size; `expires` the TTL epoch second, if any.
  Result<std::optional<std::string>> GetRow(int64_t table_id, int64_t index_id, const RowKey& key);
  Status PutRow(int64_t table_id, int64_t index_id, const RowKey& key, std::string_view item,
                int64_t size, std::optional<int64_t> expires);
  Status DeleteRow(int64_t table_id, int64_t index_id, const RowKey& key);
  Status SetExpiry(int64_t table_id, const RowKey& key, std::optional<int64_t> expires);
  // Drops every row of one index.
  Status DeleteIndexRows(int64_t table_id, int64_t index_id);

  // Range reads, in key order. The visitor must not write to this Storage.
  Status Query(const QueryRange& range, const RowVisitor& visit);
  Status Scan(const ScanRange& range, const RowVisitor& visit);
  // Like Scan over the base table, but also yields each row's key.
  Status ScanKeys(int64_t table_id,
                  const std::function<bool(const RowKey&, std::string_view)>& visit);

  Result<KeySpaceStats> Stats(int64_t table_id, int64_t index_id);

  // Base rows with expires in [not_before, now], oldest first, at most `limit`.
  Result<std::vector<ExpiredRow>> ExpiredRows(int64_t now, int64_t not_before, int limit);

 private:
  explicit Storage(std::unique_ptr<SqliteDatabase> database) : database_(std::move(database)) {}
  Status Initialize(const StorageOptions& options);

  std::unique_ptr<SqliteDatabase> database_;
  bool in_transaction_ = false;
};

}  // namespace ck::store::engine
