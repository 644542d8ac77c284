#include "collector/logs/log_store.h"

#include <algorithm>
#include <chrono>
#include <climits>

#include "collector/logs/log_names.h"
#include "collector/logs/log_store_impl.h"
#include "core/logger.h"

namespace ck::collector::logs {
namespace {

// Events live in blocks (log_block.h). blocks_by_first serves ascending scans and retention,
// blocks_by_last descending scans; groups.max_span_ms (the widest block's last_ms - first_ms)
// bounds how far before a scan's start a block holding events in range can begin. Messages sit
// in their own table so a scan that needs only times reads small rows; so do the blocks' trace
// id Bloom filters, which a trace lookup reads all of (an index row per trace id cost more than
// the rest of an append together). Groups, streams and
// blocks use AUTOINCREMENT so a deleted one's id is never reused (readers cache id -> name,
// event ids embed block ids).
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS groups (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  created_ms INTEGER NOT NULL,
  retention_days INTEGER,
  max_span_ms INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS streams (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  group_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  created_ms INTEGER NOT NULL,
  first_event_ms INTEGER,
  last_event_ms INTEGER,
  last_ingestion_ms INTEGER,
  event_count INTEGER NOT NULL DEFAULT 0,
  stored_bytes INTEGER NOT NULL DEFAULT 0,
  UNIQUE (group_id, name)
);
CREATE TABLE IF NOT EXISTS blocks (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  group_id INTEGER NOT NULL,
  stream_id INTEGER NOT NULL,
  first_ms INTEGER NOT NULL,
  last_ms INTEGER NOT NULL,
  ingestion_ms INTEGER NOT NULL,
  count INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  times BLOB NOT NULL,
  indexes BLOB NOT NULL,
  lengths BLOB NOT NULL,
  traces BLOB NOT NULL,
  ingestions BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS blocks_by_first ON blocks (group_id, first_ms);
CREATE INDEX IF NOT EXISTS blocks_by_last ON blocks (group_id, last_ms);
CREATE TABLE IF NOT EXISTS block_messages (
  block_id INTEGER PRIMARY KEY,
  messages BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS block_blooms (
  block_id INTEGER PRIMARY KEY,
  bloom BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS source_offsets (
  path TEXT PRIMARY KEY,
  file_id INTEGER NOT NULL,
  offset INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

// Files written before events were stored in blocks had one `events` row per event, and the
// first block layout had no per-event ingestion times. The store is local telemetry: such a file
// starts over (its read positions go too, so the task log files still on disk are read again
// from their start).
constexpr const char* kFindOldLayout =
    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events' UNION ALL "
    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'blocks' AND NOT EXISTS "
    "(SELECT 1 FROM pragma_table_info('blocks') WHERE name = 'ingestions')";
constexpr const char* kDropOldLayout =
    "DROP TABLE IF EXISTS events; DROP TABLE IF EXISTS blocks; "
    "DROP TABLE IF EXISTS block_messages; DROP TABLE IF EXISTS block_blooms; "
    "DROP TABLE IF EXISTS streams; DROP TABLE IF EXISTS groups; "
    "DROP TABLE IF EXISTS source_offsets;";

// A stream's last block takes the events of later appends while it is this small and spans at
// most this long, so a slow writer (a few lines per pass) does not leave a block per pass.
constexpr uint32_t kTailMaxEvents = 4096;
constexpr uint64_t kTailMaxBytes = 8 * 1024;
constexpr int64_t kTailMaxSpanMs = 60'000;

// 16 KiB pages: fewer overflow pages per block (page_size only applies before the first table
// exists). synchronous=NORMAL in WAL
// mode still survives a process kill; only a power loss may drop the last commits. A 16 MB page
// cache holds the hot ends of both indexes; the WAL is checkpointed every ~64 MB.
Status Configure(SqliteDatabase& database) {
  return database.Exec(
      "PRAGMA page_size=16384; PRAGMA busy_timeout=5000; PRAGMA journal_mode=WAL; "
      "PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16384; "
      "PRAGMA wal_autocheckpoint=4000;");
}

Status ValidateRetention(std::optional<int> retention_days) {
  if (retention_days && *retention_days <= 0) {
    return InvalidArgument("retentionInDays must be a positive number of days");
  }
  return Status::Ok();
}

void BindOptionalInt(Statement& statement, int index, std::optional<int> value) {
  if (value) {
    statement.BindInt(index, *value);
  } else {
    statement.BindNull(index);
  }
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Shared internals (log_store_impl.h)

Result<RawStatement> PrepareRaw(SqliteDatabase& database, const std::string& sql) {
  sqlite3_stmt* statement = nullptr;
  const int code = sqlite3_prepare_v2(database.handle(), sql.c_str(), static_cast<int>(sql.size()),
                                      &statement, nullptr);
  if (code != SQLITE_OK) return SqliteStatus(database.handle(), code, "sqlite prepare");
  return RawStatement(statement);
}

Result<bool> StepRaw(sqlite3_stmt* statement) {
  const int code = sqlite3_step(statement);
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  return SqliteStatus(sqlite3_db_handle(statement), code, "sqlite step");
}

std::string_view ColumnText(sqlite3_stmt* statement, int column) {
  const unsigned char* text = sqlite3_column_text(statement, column);
  const int size = sqlite3_column_bytes(statement, column);
  if (text == nullptr) return {};
  return {reinterpret_cast<const char*>(text), static_cast<size_t>(size)};
}

std::string_view ColumnBlob(sqlite3_stmt* statement, int column) {
  const void* blob = sqlite3_column_blob(statement, column);
  const int size = sqlite3_column_bytes(statement, column);
  if (blob == nullptr) return {};
  return {static_cast<const char*>(blob), static_cast<size_t>(size)};
}

Result<Transaction> Transaction::Begin(SqliteDatabase& database, bool write) {
  CK_RETURN_IF_ERROR(database.Exec(write ? "BEGIN IMMEDIATE" : "BEGIN"));
  return Transaction(&database);
}

Transaction::~Transaction() {
  if (database_ != nullptr) (void)database_->Exec("ROLLBACK");
}

Status Transaction::Commit() {
  SqliteDatabase* database = database_;
  database_ = nullptr;
  Status status = database->Exec("COMMIT");
  if (!status.ok()) (void)database->Exec("ROLLBACK");
  return status;
}

StreamDelta& StreamDeltas::For(int64_t stream_id) {
  if (last_ < deltas_.size() && deltas_[last_].stream_id == stream_id) return deltas_[last_];
  auto [it, inserted] = index_.try_emplace(stream_id, deltas_.size());
  if (inserted) deltas_.push_back(StreamDelta{.stream_id = stream_id});
  last_ = it->second;
  return deltas_[last_];
}

int64_t LogStore::Impl::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             options.clock->Now().time_since_epoch())
      .count();
}

void LogStore::Impl::ClearCaches() {
  group_ids.clear();
  stream_ids.clear();
  group_spans.clear();
  tails.clear();
}

Status LogStore::Impl::RefreshCaches() {
  CK_ASSIGN_OR_RETURN(auto pragma, database->Prepare("PRAGMA data_version"));
  CK_ASSIGN_OR_RETURN(bool row, pragma->Step());
  const int64_t version = row ? pragma->ColumnInt(0) : -1;
  if (version != data_version) ClearCaches();
  data_version = version;
  return Status::Ok();
}

Result<std::optional<int64_t>> LogStore::Impl::FindGroup(std::string_view name) {
  CK_ASSIGN_OR_RETURN(auto select, database->Prepare("SELECT id FROM groups WHERE name = ?1"));
  select->BindText(1, name);
  CK_ASSIGN_OR_RETURN(bool row, select->Step());
  if (!row) return std::optional<int64_t>();
  return std::optional<int64_t>(select->ColumnInt(0));
}

Result<int64_t> LogStore::Impl::GroupOrNotFound(std::string_view name) {
  CK_ASSIGN_OR_RETURN(auto id, FindGroup(name));
  if (!id) return NotFound(std::string(kGroupNotFound));
  return *id;
}

Result<std::optional<int64_t>> LogStore::Impl::FindStream(int64_t group_id, std::string_view name) {
  CK_ASSIGN_OR_RETURN(auto select, database->Prepare("SELECT id FROM streams WHERE group_id = ?1 "
                                                     "AND name = ?2"));
  select->BindInt(1, group_id);
  select->BindText(2, name);
  CK_ASSIGN_OR_RETURN(bool row, select->Step());
  if (!row) return std::optional<int64_t>();
  return std::optional<int64_t>(select->ColumnInt(0));
}

Result<int64_t> LogStore::Impl::EnsureGroup(std::string_view name, int64_t now_ms) {
  if (auto it = group_ids.find(name); it != group_ids.end()) return it->second;
  CK_ASSIGN_OR_RETURN(auto found, FindGroup(name));
  int64_t id;
  if (found) {
    id = *found;
  } else {
    if (!IsValidLogGroupName(name)) {
      return InvalidArgument("invalid log group name: " + std::string(name));
    }
    CK_ASSIGN_OR_RETURN(auto insert, database->Prepare("INSERT INTO groups (name, created_ms, "
                                                       "retention_days) VALUES (?1, ?2, ?3)"));
    insert->BindText(1, name);
    insert->BindInt(2, now_ms);
    BindOptionalInt(*insert, 3, options.default_retention_days);
    CK_RETURN_IF_ERROR(insert->Run());
    id = sqlite3_last_insert_rowid(database->handle());
  }
  group_ids.emplace(std::string(name), id);
  return id;
}

Result<int64_t> LogStore::Impl::EnsureStream(int64_t group_id, std::string_view name,
                                             int64_t now_ms) {
  NameToId& streams = stream_ids[group_id];
  if (auto it = streams.find(name); it != streams.end()) return it->second;
  CK_ASSIGN_OR_RETURN(auto found, FindStream(group_id, name));
  int64_t id;
  if (found) {
    id = *found;
  } else {
    if (!IsValidLogStreamName(name)) {
      return InvalidArgument("invalid log stream name: " + std::string(name));
    }
    CK_ASSIGN_OR_RETURN(auto insert, database->Prepare("INSERT INTO streams (group_id, name, "
                                                       "created_ms) VALUES (?1, ?2, ?3)"));
    insert->BindInt(1, group_id);
    insert->BindText(2, name);
    insert->BindInt(3, now_ms);
    CK_RETURN_IF_ERROR(insert->Run());
    id = sqlite3_last_insert_rowid(database->handle());
  }
  streams.emplace(std::string(name), id);
  return id;
}

Status LogStore::Impl::ApplyStreamDeltas(const StreamDelta& delta, int sign, int64_t now_ms) {
  if (sign > 0) {
    CK_ASSIGN_OR_RETURN(
        auto update,
        database->Prepare("UPDATE streams SET event_count = event_count + ?2, stored_bytes = "
                          "stored_bytes + ?3, first_event_ms = min(coalesce(first_event_ms, ?4), "
                          "?4), last_event_ms = max(coalesce(last_event_ms, ?5), ?5), "
                          "last_ingestion_ms = ?6 WHERE id = ?1"));
    update->BindInt(1, delta.stream_id);
    update->BindInt(2, delta.events);
    update->BindInt(3, delta.bytes);
    update->BindInt(4, delta.first_ms);
    update->BindInt(5, delta.last_ms);
    update->BindInt(6, now_ms);
    return update->Run();
  }
  CK_ASSIGN_OR_RETURN(auto update, database->Prepare("UPDATE streams SET event_count = "
                                                     "max(0, event_count - ?2), stored_bytes = "
                                                     "max(0, stored_bytes - ?3) WHERE id = ?1"));
  update->BindInt(1, delta.stream_id);
  update->BindInt(2, delta.events);
  update->BindInt(3, delta.bytes);
  return update->Run();
}

// ---------------------------------------------------------------------------------------------
// LogStore

LogStore::LogStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LogStore::~LogStore() = default;

Result<std::unique_ptr<LogStore>> LogStore::Open(const std::string& path, LogStoreOptions options) {
  if (path.empty()) return InvalidArgument("the log store needs a file path");
  if (options.clock == nullptr) options.clock = &SystemClock::Instance();
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  CK_ASSIGN_OR_RETURN(impl->database, SqliteDatabase::Open(path));
  CK_RETURN_IF_ERROR(Configure(*impl->database));
  {
    CK_ASSIGN_OR_RETURN(auto transaction, Transaction::Begin(*impl->database, /*write=*/true));
    CK_ASSIGN_OR_RETURN(auto old, impl->database->Prepare(kFindOldLayout));
    CK_ASSIGN_OR_RETURN(bool old_layout, old->Step());
    old->Reset();
    if (old_layout) {
      Logger::Global().Warn("log store written by an older version: starting it over",
                            {{"path", path}});
      CK_RETURN_IF_ERROR(impl->database->Exec(kDropOldLayout));
    }
    CK_RETURN_IF_ERROR(impl->database->Exec(kSchema));
    CK_RETURN_IF_ERROR(transaction.Commit());
  }
  CK_ASSIGN_OR_RETURN(impl->insert_block,
                      PrepareRaw(*impl->database,
                                 "INSERT INTO blocks (id, group_id, stream_id, first_ms, last_ms, "
                                 "ingestion_ms, count, bytes, times, indexes, lengths, traces, "
                                 "ingestions) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
                                 "?11, ?12, ?13)"));
  CK_ASSIGN_OR_RETURN(impl->insert_messages, PrepareRaw(*impl->database,
                                                        "INSERT INTO block_messages (block_id, "
                                                        "messages) VALUES (?1, ?2)"));
  CK_ASSIGN_OR_RETURN(impl->insert_trace_bloom,
                      PrepareRaw(*impl->database,
                                 "INSERT INTO block_blooms (block_id, bloom) "
                                 "VALUES (?1, ?2)"));
  CK_RETURN_IF_ERROR(RegisterTraceBloomFunction(*impl->database));
  return std::unique_ptr<LogStore>(new LogStore(std::move(impl)));
}

namespace {

// The open block of one stream while an Append packs its events.
struct PendingBlock {
  int64_t group_id = 0;
  int64_t stream_id = 0;
  LogBlockBuilder builder;
};

}  // namespace

Status LogStore::Append(std::span<const NewLogEvent> events,
                        std::span<const SourceOffset> offsets) {
  if (events.empty() && offsets.empty()) return Status::Ok();
  Impl& impl = *impl_;
  CK_ASSIGN_OR_RETURN(auto transaction, Transaction::Begin(*impl.database, /*write=*/true));
  Status status = [&]() -> Status {
    CK_RETURN_IF_ERROR(impl.RefreshCaches());
    const int64_t now_ms = impl.NowMs();
    StreamDeltas deltas;
    // One block per stream, in the order the streams first appear (ids follow append order
    // within a stream); a full block is written and a new one started.
    std::vector<PendingBlock> pending;
    std::unordered_map<int64_t, size_t> pending_of_stream;
    const auto flush = [&](PendingBlock& block) -> Status {
      if (block.builder.count() == 0) return Status::Ok();
      EncodedLogBlock encoded = block.builder.Finish();
      StreamDelta& delta = deltas.For(block.stream_id);
      delta.events += encoded.count;
      delta.bytes += static_cast<int64_t>(encoded.bytes);
      delta.first_ms = std::min(delta.first_ms, encoded.first_ms);
      delta.last_ms = std::max(delta.last_ms, encoded.last_ms);
      std::optional<int64_t> block_id;
      if (auto tail = impl.tails.find(block.stream_id); tail != impl.tails.end()) {
        const Impl::TailBlock& last = tail->second;
        const bool fits =
            last.count + encoded.count <= kTailMaxEvents &&
            last.bytes + encoded.bytes <= kTailMaxBytes &&
            std::max(last.last_ms, encoded.last_ms) - std::min(last.first_ms, encoded.first_ms) <=
                kTailMaxSpanMs;
        if (fits) {
          const Impl::TailBlock copy = last;
          CK_ASSIGN_OR_RETURN(std::optional<EncodedLogBlock> merged,
                              impl.MergeIntoTail(copy, encoded));
          if (merged) {
            encoded = std::move(*merged);
            block_id = copy.block_id;
          }
        }
      }
      CK_ASSIGN_OR_RETURN(int64_t id,
                          impl.WriteBlock(block.group_id, block.stream_id, encoded, block_id));
      if (encoded.count < kTailMaxEvents && encoded.bytes < kTailMaxBytes) {
        impl.tails[block.stream_id] = {id, encoded.count, encoded.bytes, encoded.first_ms,
                                       encoded.last_ms};
      } else {
        impl.tails.erase(block.stream_id);
      }
      return Status::Ok();
    };
    const NewLogEvent* previous = nullptr;
    PendingBlock* current = nullptr;
    std::string extracted;
    for (const NewLogEvent& event : events) {
      // Batches come in runs of one stream: compare names before looking anything up.
      if (previous == nullptr || previous->group != event.group ||
          previous->stream != event.stream) {
        CK_ASSIGN_OR_RETURN(int64_t group_id, impl.EnsureGroup(event.group, now_ms));
        CK_ASSIGN_OR_RETURN(int64_t stream_id, impl.EnsureStream(group_id, event.stream, now_ms));
        auto [it, inserted] = pending_of_stream.try_emplace(stream_id, pending.size());
        if (inserted) pending.push_back({group_id, stream_id, {}});
        current = &pending[it->second];
      }
      previous = &event;
      // The tailer hands over trace ids already normalised; only others need work.
      std::string_view trace_id = event.trace_id;
      if (trace_id.empty()) {
        extracted = impl.parser.Parse(event.message, /*want_timestamp=*/false).trace_id;
        trace_id = extracted;
      } else if (!IsNormalizedTraceId(trace_id)) {
        extracted = NormalizeTraceId(trace_id);
        trace_id = extracted;
      }
      if (current->builder.full(event.message.size())) CK_RETURN_IF_ERROR(flush(*current));
      current->builder.set_ingestion(now_ms);
      current->builder.Add(event.timestamp_ms, event.message, trace_id);
    }
    for (PendingBlock& block : pending) CK_RETURN_IF_ERROR(flush(block));
    for (const StreamDelta& delta : deltas.all()) {
      CK_RETURN_IF_ERROR(impl.ApplyStreamDeltas(delta, +1, now_ms));
    }
    for (const SourceOffset& offset : offsets) {
      CK_ASSIGN_OR_RETURN(
          auto upsert, impl.database->Prepare("INSERT INTO source_offsets (path, file_id, offset) "
                                              "VALUES (?1, ?2, ?3) ON CONFLICT (path) DO UPDATE "
                                              "SET file_id = excluded.file_id, "
                                              "offset = excluded.offset"));
      upsert->BindText(1, offset.path);
      upsert->BindInt(2, static_cast<int64_t>(offset.file_id));
      upsert->BindInt(3, static_cast<int64_t>(offset.offset));
      CK_RETURN_IF_ERROR(upsert->Run());
    }
    return Status::Ok();
  }();
  if (status.ok()) status = transaction.Commit();
  if (!status.ok()) {
    impl.ClearCaches();  // ids created by the rolled-back transaction are gone
    return status;
  }
  impl.appended += events.size();
  return Status::Ok();
}

Status LogStore::CreateGroup(std::string_view group, std::optional<int> retention_days) {
  if (!IsValidLogGroupName(group)) {
    return InvalidArgument("invalid log group name: " + std::string(group));
  }
  CK_RETURN_IF_ERROR(ValidateRetention(retention_days));
  Impl& impl = *impl_;
  CK_ASSIGN_OR_RETURN(auto transaction, Transaction::Begin(*impl.database, /*write=*/true));
  CK_ASSIGN_OR_RETURN(auto existing, impl.FindGroup(group));
  if (existing) return AlreadyExists("The specified log group already exists");
  CK_ASSIGN_OR_RETURN(auto insert, impl.database->Prepare("INSERT INTO groups (name, created_ms, "
                                                          "retention_days) VALUES (?1, ?2, ?3)"));
  insert->BindText(1, group);
  insert->BindInt(2, impl.NowMs());
  BindOptionalInt(*insert, 3, retention_days);
  CK_RETURN_IF_ERROR(insert->Run());
  return transaction.Commit();
}

Status LogStore::SetRetention(std::string_view group, std::optional<int> retention_days) {
  CK_RETURN_IF_ERROR(ValidateRetention(retention_days));
  Impl& impl = *impl_;
  CK_ASSIGN_OR_RETURN(
      auto update, impl.database->Prepare("UPDATE groups SET retention_days = ?2 WHERE name = ?1"));
  update->BindText(1, group);
  BindOptionalInt(*update, 2, retention_days);
  CK_RETURN_IF_ERROR(update->Run());
  if (impl.database->Changes() == 0) return NotFound(std::string(kGroupNotFound));
  return Status::Ok();
}

Status LogStore::CreateStream(std::string_view group, std::string_view stream) {
  if (!IsValidLogStreamName(stream)) {
    return InvalidArgument("invalid log stream name: " + std::string(stream));
  }
  Impl& impl = *impl_;
  CK_ASSIGN_OR_RETURN(auto transaction, Transaction::Begin(*impl.database, /*write=*/true));
  CK_ASSIGN_OR_RETURN(int64_t group_id, impl.GroupOrNotFound(group));
  CK_ASSIGN_OR_RETURN(auto existing, impl.FindStream(group_id, stream));
  if (existing) return AlreadyExists("The specified log stream already exists");
  CK_ASSIGN_OR_RETURN(auto insert, impl.database->Prepare("INSERT INTO streams (group_id, name, "
                                                          "created_ms) VALUES (?1, ?2, ?3)"));
  insert->BindInt(1, group_id);
  insert->BindText(2, stream);
  insert->BindInt(3, impl.NowMs());
  CK_RETURN_IF_ERROR(insert->Run());
  return transaction.Commit();
}

Result<std::vector<SourceOffset>> LogStore::SourceOffsets() {
  CK_ASSIGN_OR_RETURN(auto select, impl_->database->Prepare("SELECT path, file_id, offset FROM "
                                                            "source_offsets ORDER BY path"));
  std::vector<SourceOffset> offsets;
  while (true) {
    CK_ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) break;
    offsets.push_back({std::string(select->ColumnText(0)),
                       static_cast<uint64_t>(select->ColumnInt(1)),
                       static_cast<uint64_t>(select->ColumnInt(2))});
  }
  return offsets;
}

Result<std::optional<StoredLogEvent>> LogStore::GetEvent(uint64_t id) {
  // One statement, so one snapshot.
  CK_ASSIGN_OR_RETURN(auto select,
                      impl_->database->Prepare(
                          std::string("SELECT ") + kBlockRowColumns +
                          ", (SELECT name FROM groups WHERE id = b.group_id), (SELECT name "
                          "FROM streams WHERE id = b.stream_id), (SELECT messages FROM "
                          "block_messages WHERE block_id = b.id) FROM blocks b WHERE id = ?1"));
  select->BindInt(1, BlockIdOf(id));
  CK_ASSIGN_OR_RETURN(bool row, select->Step());
  if (!row) return std::optional<StoredLogEvent>();
  // Columns after ReadBlockRow's twelve: group name, stream name, messages.
  Statement& statement = *select;
  const BlockRow block = ReadBlockRow(statement.handle());
  CK_ASSIGN_OR_RETURN(DecodedLogBlock decoded,
                      DecodeLogBlock(block.Columns(statement.ColumnBlob(14)), /*messages=*/true,
                                     /*traces=*/false));
  const uint32_t number = BlockNumberOf(id);
  const auto at = std::find(decoded.numbers.begin(), decoded.numbers.end(), number);
  if (at == decoded.numbers.end()) return std::optional<StoredLogEvent>();
  const size_t position = static_cast<size_t>(at - decoded.numbers.begin());
  StoredLogEvent event;
  event.id = id;
  event.group = statement.ColumnText(12);
  event.stream = statement.ColumnText(13);
  event.timestamp_ms = decoded.timestamps[position];
  event.ingestion_time_ms = decoded.Ingestion(position);
  event.message = decoded.Message(position);
  return std::optional<StoredLogEvent>(std::move(event));
}

nlohmann::json LogStore::StatsJson() {
  Impl& impl = *impl_;
  nlohmann::json stats = {{"appended", impl.appended},
                          {"deleted_by_retention", impl.deleted_by_retention},
                          {"deleted_by_size", impl.deleted_by_size}};
  auto select = impl.database->Prepare(
      "SELECT (SELECT count(*) FROM groups), count(*), coalesce(sum(event_count), 0), "
      "coalesce(sum(stored_bytes), 0), (SELECT count(*) FROM blocks) FROM streams");
  if (!select.ok()) {
    stats["error"] = select.status().message();
    return stats;
  }
  auto row = (*select)->Step();
  if (!row.ok() || !*row) {
    stats["error"] = row.ok() ? "no row" : row.status().message();
    return stats;
  }
  stats["groups"] = (*select)->ColumnInt(0);
  stats["streams"] = (*select)->ColumnInt(1);
  stats["events"] = (*select)->ColumnInt(2);
  stats["bytes"] = (*select)->ColumnInt(3);
  stats["blocks"] = (*select)->ColumnInt(4);
  return stats;
}

}  // namespace ck::collector::logs
