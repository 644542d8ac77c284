#include "store/engine/storage.h"

#include <sqlite3.h>

namespace ck::store::engine {

namespace {

constexpr char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS tables(
  table_id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items(
  table_id INTEGER NOT NULL,
  index_id INTEGER NOT NULL,
  hash32 INTEGER NOT NULL,
  pk BLOB NOT NULL,
  sk BLOB NOT NULL,
  tpk BLOB NOT NULL,
  tsk BLOB NOT NULL,
  item TEXT NOT NULL,
  size INTEGER NOT NULL,
  expires INTEGER,
  PRIMARY KEY(table_id, index_id, hash32, pk, sk, tpk, tsk)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS items_expiry ON items(expires) WHERE expires IS NOT NULL;
)sql";

const std::string kRowWhere =
    " WHERE table_id=?1 AND index_id=?2 AND hash32=?3 AND pk=?4 AND sk=?5 AND tpk=?6 AND tsk=?7";

void BindRowKey(Statement& statement, int64_t table_id, int64_t index_id, const RowKey& key) {
  statement.BindInt(1, table_id);
  statement.BindInt(2, index_id);
  statement.BindInt(3, key.hash32);
  statement.BindBlob(4, key.pk);
  statement.BindBlob(5, key.sk);
  statement.BindBlob(6, key.tpk);
  statement.BindBlob(7, key.tsk);
}

Status VisitRows(Statement& statement, const RowVisitor& visit) {
  while (true) {
    CK_ASSIGN_OR_RETURN(bool has_row, statement.Step());
    if (!has_row || !visit(statement.ColumnText(0))) return Status::Ok();
  }
}

}  // namespace

Result<std::unique_ptr<Storage>> Storage::Open(const StorageOptions& options) {
  CK_ASSIGN_OR_RETURN(auto database, SqliteDatabase::Open(options.path));
  std::unique_ptr<Storage> storage(new Storage(std::move(database)));
  CK_RETURN_IF_ERROR(storage->Initialize(options));
  return storage;
}

Status Storage::Initialize(const StorageOptions& options) {
  // One server owns the file. Exclusive locking keeps the WAL index in process memory instead of
  // a shared -shm mapping and takes the file lock once instead of ~6 fcntl() calls per
  // transaction; it also stops a second server from opening the same data directory.
  Status locked = database_->Exec(
      "PRAGMA busy_timeout=2000; PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_mode=WAL;");
  if (locked.code() == StatusCode::kUnavailable) {
    return FailedPrecondition(options.path + " is in use by another process (" + locked.message() +
                              ")");
  }
  CK_RETURN_IF_ERROR(locked);
  CK_RETURN_IF_ERROR(database_->Exec(options.durability == Durability::kFull
                                         ? "PRAGMA synchronous=FULL;"
                                         : "PRAGMA synchronous=NORMAL;"));
  // Checkpoints stall the writes queued behind them; every 4,000 WAL pages rather than SQLite's
  // 1,000 keeps them rare (docs/dynamodb.md, "Durability").
  CK_RETURN_IF_ERROR(database_->Exec("PRAGMA temp_store=MEMORY; PRAGMA wal_autocheckpoint=4000;"));
  return database_->Exec(kSchema);
}

Result<std::vector<CatalogEntry>> Storage::LoadCatalog() {
  CK_ASSIGN_OR_RETURN(
      auto statement,
      database_->Prepare("SELECT table_id, name, description FROM tables ORDER BY name"));
  std::vector<CatalogEntry> entries;
  while (true) {
    CK_ASSIGN_OR_RETURN(bool has_row, statement->Step());
    if (!has_row) break;
    entries.push_back({statement->ColumnInt(0), std::string(statement->ColumnText(1)),
                       std::string(statement->ColumnText(2))});
  }
  return entries;
}

Result<int64_t> Storage::InsertTable(std::string_view name, std::string_view description) {
  {
    CK_ASSIGN_OR_RETURN(auto existing, database_->Prepare("SELECT 1 FROM tables WHERE name=?1"));
    existing->BindText(1, name);
    CK_ASSIGN_OR_RETURN(bool found, existing->Step());
    if (found) return AlreadyExists("Table already exists: " + std::string(name));
  }
  CK_ASSIGN_OR_RETURN(auto statement,
                      database_->Prepare("INSERT INTO tables(name, description) VALUES(?1, ?2)"));
  statement->BindText(1, name);
  statement->BindText(2, description);
  CK_RETURN_IF_ERROR(statement->Run());
  return static_cast<int64_t>(sqlite3_last_insert_rowid(database_->handle()));
}

Status Storage::UpdateTableDescription(int64_t table_id, std::string_view description) {
  CK_ASSIGN_OR_RETURN(auto statement,
                      database_->Prepare("UPDATE tables SET description=?2 WHERE table_id=?1"));
  statement->BindInt(1, table_id);
  statement->BindText(2, description);
  return statement->Run();
}

Status Storage::DeleteTable(int64_t table_id) {
  {
    CK_ASSIGN_OR_RETURN(auto statement, database_->Prepare("DELETE FROM items WHERE table_id=?1"));
    statement->BindInt(1, table_id);
    CK_RETURN_IF_ERROR(statement->Run());
  }
  CK_ASSIGN_OR_RETURN(auto statement, database_->Prepare("DELETE FROM tables WHERE table_id=?1"));
  statement->BindInt(1, table_id);
  return statement->Run();
}

Status Storage::Begin() {
  if (in_transaction_) return Internal("nested storage transaction");
  CK_ASSIGN_OR_RETURN(auto statement, database_->Prepare("BEGIN IMMEDIATE"));
  CK_RETURN_IF_ERROR(statement->Run());
  in_transaction_ = true;
  return Status::Ok();
}

Status Storage::Commit() {
  if (!in_transaction_) return Internal("commit without a transaction");
  CK_ASSIGN_OR_RETURN(auto statement, database_->Prepare("COMMIT"));
  Status status = statement->Run();
  if (!status.ok()) {
    Rollback();
    return status;
  }
  in_transaction_ = false;
  return Status::Ok();
}

void Storage::Rollback() {
  if (!in_transaction_) return;
  in_transaction_ = false;
  auto statement = database_->Prepare("ROLLBACK");
  if (statement.ok()) (void)(*statement)->Run();
}

Result<std::optional<std::string>> Storage::GetRow(int64_t table_id, int64_t index_id,
                                                   const RowKey& key) {
  static const std::string kSql = "SELECT item FROM items" + kRowWhere;
  CK_ASSIGN_OR_RETURN(auto statement, database_->Prepare(kSql));
  BindRowKey(*statement, table_id, index_id, key);
  CK_ASSIGN_OR_RETURN(bool has_row, statement->Step());
  if (!has_row) return std::optional<std::string>();
  return std::optional<std::string>(std::string(statement->ColumnText(0)));
}

Status Storage::PutRow(int64_t table_id, int64_t index_id, const RowKey& key, std::string_view item,
                       int64_t size, std::optional<int64_t> expires) {
  static const std::string kSql =
      "INSERT OR REPLACE INTO items(table_id, index_id, hash32, pk, sk, tpk, tsk, item, size, "
      "expires) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
  CK_ASSIGN_OR_RETURN(auto statement, database_->Prepare(kSql));
  BindRowKey(*statement, table_id, index_id, key);
  statement->BindText(8, item);
  statement->BindInt(9, size);
  if (expires) {
    statement->BindInt(10, *expires);
  } else {
    statement->BindNull(10);
  }
  return statement->Run();
}

Status Storage::DeleteRow(int64_t table_id, int64_t index_id, const RowKey& key) {
  static const std::string kSql = "DELETE FROM items" + kRowWhere;
  CK_ASSIGN_OR_RETURN(auto statement, database_->Prepare(kSql));
  BindRowKey(*statement, table_id, index_id, key);
  return statement->Run();
}

Status Storage::SetExpiry(int64_t table_id, const RowKey& key, std::optional<int64_t> expires) {
  static const std::string kSql = "UPDATE items SET expires=?8" + kRowWhere;
  CK_ASSIGN_OR_RETURN(auto statement, database_->Prepare(kSql));
  BindRowKey(*statement, table_id, 0, key);
  if (expires) {
    statement->BindInt(8, *expires);
  } else {
    statement->BindNull(8);
  }
  return statement->Run();
}

Status Storage::DeleteIndexRows(int64_t table_id, int64_t index_id) {
  CK_ASSIGN_OR_RETURN(auto statement,
                      database_->Prepare("DELETE FROM items WHERE table_id=?1 AND index_id=?2"));
  statement->BindInt(1, table_id);
  statement->BindInt(2, index_id);
  return statement->Run();
}

Status Storage::Query(const QueryRange& range, const RowVisitor& visit) {
  std::string sql =
      "SELECT item FROM items WHERE table_id=?1 AND index_id=?2 AND hash32=?3 AND pk=?4";
  if (range.lower) sql += range.lower->inclusive ? " AND sk>=?5" : " AND sk>?5";
  if (range.upper) sql += range.upper->inclusive ? " AND sk<=?6" : " AND sk<?6";
  if (range.exclusive_start)
    sql += range.forward ? " AND (sk,tpk,tsk)>(?7,?8,?9)" : " AND (sk,tpk,tsk)<(?7,?8,?9)";
  sql += range.forward ? " ORDER BY sk, tpk, tsk" : " ORDER BY sk DESC, tpk DESC, tsk DESC";
  CK_ASSIGN_OR_RETURN(auto statement, database_->Prepare(sql));
  statement->BindInt(1, range.table_id);
  statement->BindInt(2, range.index_id);
  statement->BindInt(3, range.hash32);
  statement->BindBlob(4, range.pk);
  if (range.lower) statement->BindBlob(5, range.lower->value);
  if (range.upper) statement->BindBlob(6, range.upper->value);
  if (range.exclusive_start) {
    statement->BindBlob(7, range.exclusive_start->sk);
    statement->BindBlob(8, range.exclusive_start->tpk);
    statement->BindBlob(9, range.exclusive_start->tsk);
  }
  return VisitRows(*statement, visit);
}

Status Storage::Scan(const ScanRange& range, const RowVisitor& visit) {
  std::string sql =
      "SELECT item FROM items WHERE table_id=?1 AND index_id=?2 AND hash32>=?3 AND hash32<=?4";
  if (range.exclusive_start) sql += " AND (hash32,pk,sk,tpk,tsk)>(?5,?6,?7,?8,?9)";
  sql += " ORDER BY hash32, pk, sk, tpk, tsk";
  CK_ASSIGN_OR_RETURN(auto statement, database_->Prepare(sql));
  statement->BindInt(1, range.table_id);
  statement->BindInt(2, range.index_id);
  statement->BindInt(3, range.hash_low);
  statement->BindInt(4, range.hash_high);
  if (range.exclusive_start) {
    statement->BindInt(5, range.exclusive_start->hash32);
    statement->BindBlob(6, range.exclusive_start->pk);
    statement->BindBlob(7, range.exclusive_start->sk);
    statement->BindBlob(8, range.exclusive_start->tpk);
    statement->BindBlob(9, range.exclusive_start->tsk);
  }
  return VisitRows(*statement, visit);
}

Status Storage::ScanKeys(int64_t table_id,
                         const std::function<bool(const RowKey&, std::string_view)>& visit) {
  CK_ASSIGN_OR_RETURN(auto statement,
                      database_->Prepare("SELECT hash32, pk, sk, item FROM items WHERE table_id=?1 "
                                         "AND index_id=0 ORDER BY hash32, pk, sk"));
  statement->BindInt(1, table_id);
  while (true) {
    CK_ASSIGN_OR_RETURN(bool has_row, statement->Step());
    if (!has_row) return Status::Ok();
    RowKey key;
    key.hash32 = static_cast<uint32_t>(statement->ColumnInt(0));
    key.pk = std::string(statement->ColumnBlob(1));
    key.sk = std::string(statement->ColumnBlob(2));
    if (!visit(key, statement->ColumnText(3))) return Status::Ok();
  }
}

Result<KeySpaceStats> Storage::Stats(int64_t table_id, int64_t index_id) {
  CK_ASSIGN_OR_RETURN(auto statement,
                      database_->Prepare("SELECT count(*), coalesce(sum(size), 0) FROM items "
                                         "WHERE table_id=?1 AND index_id=?2"));
  statement->BindInt(1, table_id);
  statement->BindInt(2, index_id);
  CK_ASSIGN_OR_RETURN(bool has_row, statement->Step());
  KeySpaceStats stats;
  if (has_row) {
    stats.item_count = statement->ColumnInt(0);
    stats.size_bytes = statement->ColumnInt(1);
  }
  return stats;
}

Result<std::vector<ExpiredRow>> Storage::ExpiredRows(int64_t now, int64_t not_before, int limit) {
  CK_ASSIGN_OR_RETURN(auto statement,
                      database_->Prepare("SELECT table_id, hash32, pk, sk, item FROM items WHERE "
                                         "expires IS NOT NULL AND expires>=?1 AND expires<=?2 "
                                         "ORDER BY expires LIMIT ?3"));
  statement->BindInt(1, not_before);
  statement->BindInt(2, now);
  statement->BindInt(3, limit);
  std::vector<ExpiredRow> rows;
  while (true) {
    CK_ASSIGN_OR_RETURN(bool has_row, statement->Step());
    if (!has_row) break;
    ExpiredRow row;
    row.table_id = statement->ColumnInt(0);
    row.key.hash32 = static_cast<uint32_t>(statement->ColumnInt(1));
    row.key.pk = std::string(statement->ColumnBlob(2));
    row.key.sk = std::string(statement->ColumnBlob(3));
    row.item = std::string(statement->ColumnText(4));
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace ck::store::engine
