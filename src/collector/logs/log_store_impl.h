// Internals of LogStore shared by its source files: log_store.cc (schema, writes, lookups),
// log_store_describe.cc (paged listings), log_store_scan.cc (Scan) and log_store_retention.cc
// (batched deletes). Not part of the API.
//
// Thread-safety: as LogStore (one thread per instance).
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "collector/logs/log_line_fields.h"
#include "collector/logs/log_store.h"
#include "core/sqlite_database.h"

namespace ck::collector::logs {

inline constexpr std::string_view kGroupNotFound = "The specified log group does not exist.";
inline constexpr std::string_view kStreamNotFound = "The specified log stream does not exist.";

// Events deleted per transaction, so retention and deletes never hold the write lock for long
// (a batch takes a few milliseconds).
inline constexpr int64_t kDeleteBatch = 2000;

// A statement outside SqliteDatabase's cache: for the insert hot path (binds without copying)
// and for scan cursors (several open at once over the same SQL).
struct StatementFinalizer {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using RawStatement = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;
// Registers the SQL function behind Scan's fastest path on this connection.
Status RegisterIndexScanFunction(LogStore::Impl& impl);

Result<RawStatement> PrepareRaw(SqliteDatabase& database, const std::string& sql);
// Steps a raw statement: true for a row, false when done.
Result<bool> StepRaw(sqlite3_stmt* statement);
std::string_view ColumnText(sqlite3_stmt* statement, int column);

// BEGIN on construction (IMMEDIATE for writers, so the write lock is taken up front instead of
// failing to upgrade later), ROLLBACK on destruction unless committed.
class Transaction {
 public:
  static Result<Transaction> Begin(SqliteDatabase& database, bool write);
  Transaction(Transaction&& other) noexcept : database_(other.database_) {
    other.database_ = nullptr;
  }
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  Status Commit();

 private:
  explicit Transaction(SqliteDatabase* database) : database_(database) {}
  SqliteDatabase* database_;
};

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};
using NameToId = std::unordered_map<std::string, int64_t, StringHash, std::equal_to<>>;

// What a batch of appended or deleted events changes in one stream's row.
struct StreamDelta {
  int64_t stream_id = 0;
  int64_t events = 0;
  int64_t bytes = 0;
  int64_t first_ms = INT64_MAX;
  int64_t last_ms = INT64_MIN;
};

// Accumulates deltas per stream; batches usually touch few streams, in runs.
class StreamDeltas {
 public:
  StreamDelta& For(int64_t stream_id);
  const std::vector<StreamDelta>& all() const { return deltas_; }

 private:
  std::vector<StreamDelta> deltas_;
  std::unordered_map<int64_t, size_t> index_;
  size_t last_ = SIZE_MAX;
};

struct LogStore::Impl {
  LogStoreOptions options;
  std::unique_ptr<SqliteDatabase> database;
  RawStatement insert_event;
  LogLineParser parser;

  // Name -> id caches for Append. Dropped when another connection commits (PRAGMA data_version
  // changes), when this one deletes a group or stream, and when a transaction fails.
  NameToId group_ids;
  std::unordered_map<int64_t, NameToId> stream_ids;
  int64_t data_version = -1;

  // The scan in progress that the SQL function ck_visit_index_row feeds (log_store_scan.cc), and
  // whether SQLite's plan for that scan keeps index order (checked once per direction).
  void* index_scan_sink = nullptr;
  std::optional<bool> index_scan_usable[2];

  uint64_t appended = 0;
  uint64_t deleted_by_retention = 0;
  uint64_t deleted_by_size = 0;

  int64_t NowMs() const;
  void ClearCaches();
  // Drops the caches when another connection has committed since the last call.
  Status RefreshCaches();

  Result<std::optional<int64_t>> FindGroup(std::string_view name);
  Result<int64_t> GroupOrNotFound(std::string_view name);
  Result<std::optional<int64_t>> FindStream(int64_t group_id, std::string_view name);
  // Finds or creates (inside the caller's transaction).
  Result<int64_t> EnsureGroup(std::string_view name, int64_t now_ms);
  Result<int64_t> EnsureStream(int64_t group_id, std::string_view name, int64_t now_ms);

  // Applies deltas to the streams' counters; `sign` is +1 for appends, -1 for deletes (which
  // leave first/last event times as they were, as CloudWatch does).
  Status ApplyStreamDeltas(const StreamDelta& delta, int sign, int64_t now_ms);

  // Deletes, in one transaction, up to kDeleteBatch of a group's oldest events with a timestamp
  // before `before_ms` (of one stream when given); returns how many went.
  Result<uint64_t> DeleteGroupBatch(int64_t group_id, int64_t before_ms,
                                    std::optional<int64_t> stream_id);
  // Deletes, in one transaction, the first-ingested events until `excess` message bytes are gone
  // (at most kDeleteBatch); returns how many went.
  Result<uint64_t> DeleteOldestBatch(uint64_t excess);
  Result<uint64_t> StoredBytes();
};

}  // namespace ck::collector::logs
