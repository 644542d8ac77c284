// Internals of LogStore shared by its source files: log_store.cc (schema, appends, lookups),
// log_store_blocks.cc (writing, merging and deleting blocks), log_store_describe.cc (paged
// listings), log_store_scan.cc (Scan) and log_store_retention.cc (batched deletes). Not part of the
// API. Events are stored in blocks (log_block.h): a `blocks` row per block (header and packed
// timestamps, numbers, lengths, trace ids), its messages in `block_messages`, and a Bloom filter of
// its trace ids in `block_blooms` for trace -> log links.
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

#include "collector/logs/log_block.h"
#include "collector/logs/log_line_fields.h"
#include "collector/logs/log_store.h"
#include "core/sqlite_database.h"

namespace ck::collector::logs {

inline constexpr std::string_view kGroupNotFound = "The specified log group does not exist.";
inline constexpr std::string_view kStreamNotFound = "The specified log stream does not exist.";

// Blocks deleted or rewritten per transaction, so retention and deletes never hold the write lock
// for long.
inline constexpr int64_t kDeleteBatchBlocks = 64;

// A statement outside SqliteDatabase's cache: for the insert hot path (binds without copying)
// and for scan cursors (several open at once over the same SQL).
struct StatementFinalizer {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using RawStatement = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;
// Registers ck_trace_bloom_may_contain(bloom, trace_id) (TraceBloomMayContain) on a connection.
Status RegisterTraceBloomFunction(SqliteDatabase& database);

Result<RawStatement> PrepareRaw(SqliteDatabase& database, const std::string& sql);
// Steps a raw statement: true for a row, false when done.
Result<bool> StepRaw(sqlite3_stmt* statement);
std::string_view ColumnText(sqlite3_stmt* statement, int column);
std::string_view ColumnBlob(sqlite3_stmt* statement, int column);

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

// A block as read for rewriting or deleting it (every column but the messages).
struct BlockRow {
  int64_t id = 0;
  int64_t stream_id = 0;
  int64_t first_ms = 0;
  int64_t last_ms = 0;
  int64_t ingestion_ms = 0;
  uint32_t count = 0;
  uint64_t bytes = 0;
  std::string times;
  std::string indexes;
  std::string lengths;
  std::string traces;
  std::string ingestions;

  LogBlockColumns Columns(std::string_view messages = {}) const {
    return {first_ms, count, times, lengths, indexes, traces, messages, ingestion_ms, ingestions};
  }
};
// The columns ReadBlockRow reads, in its order: "id, stream_id, first_ms, ...".
extern const char* const kBlockRowColumns;
BlockRow ReadBlockRow(sqlite3_stmt* statement);

struct LogStore::Impl {
  LogStoreOptions options;
  std::unique_ptr<SqliteDatabase> database;
  RawStatement insert_block;
  RawStatement insert_messages;
  RawStatement insert_trace_bloom;
  LogLineParser parser;

  // Name -> id caches for Append. Dropped when another connection commits (PRAGMA data_version
  // changes), when this one deletes a group or stream, and when a transaction fails.
  NameToId group_ids;
  std::unordered_map<int64_t, NameToId> stream_ids;
  std::unordered_map<int64_t, int64_t> group_spans;  // group id -> max_span_ms
  // The last block this instance wrote per stream, while small enough to take more events.
  struct TailBlock {
    int64_t block_id = 0;
    uint32_t count = 0;
    uint64_t bytes = 0;
    int64_t first_ms = 0;
    int64_t last_ms = 0;
  };
  std::unordered_map<int64_t, TailBlock> tails;  // by stream id
  int64_t data_version = -1;

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

  // Stores a block (inside the caller's transaction) under a new id, or under `block_id` when
  // rewriting one just deleted (so its events keep their ids); returns the id.
  Result<int64_t> WriteBlock(int64_t group_id, int64_t stream_id, const EncodedLogBlock& block,
                             std::optional<int64_t> block_id = std::nullopt);
  // Appends a small new block's events to the stream's tail block (rewritten under its id, the
  // new events numbered after its own); nullopt when they do not fit.
  Result<std::optional<EncodedLogBlock>> MergeIntoTail(const TailBlock& tail,
                                                       const EncodedLogBlock& block);
  // Removes a block with its messages and trace filter (inside the caller's transaction).
  Status DeleteBlock(const BlockRow& block);
  // Rewrites a block keeping only the events `keep` accepts (by position); returns how many
  // events and message bytes went.
  Result<std::pair<uint64_t, uint64_t>> TrimBlock(int64_t group_id, const BlockRow& block,
                                                  const std::function<bool(size_t)>& keep);

  // Deletes every block whose `column` (group_id or stream_id) is `id` (inside the caller's
  // transaction); for what was appended after a batched delete.
  Status DeleteBlocksOf(std::string_view column, int64_t id);
  // Deletes, in one transaction, the events of up to kDeleteBatchBlocks of a group's blocks
  // that have events before `before_ms` (of one stream when given); returns how many went and
  // whether blocks remain to look at.
  Result<std::pair<uint64_t, bool>> DeleteGroupBatch(int64_t group_id, int64_t before_ms,
                                                     std::optional<int64_t> stream_id);
  // Deletes, in one transaction, the first-ingested events until `excess` message bytes are gone
  // (from at most kDeleteBatchBlocks blocks); returns how many went.
  Result<uint64_t> DeleteOldestBatch(uint64_t excess);
  Result<uint64_t> StoredBytes();
};

}  // namespace ck::collector::logs
