#include "collector/trace_store.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <unordered_map>

#include "collector/xray_document.h"

namespace ck::collector {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS spans (
  trace_id TEXT NOT NULL,
  id TEXT NOT NULL,
  in_progress INTEGER NOT NULL,
  start_us INTEGER NOT NULL,
  doc TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS spans_by_trace ON spans (trace_id, id);
CREATE TABLE IF NOT EXISTS traces (
  trace_id TEXT PRIMARY KEY,
  start_us INTEGER NOT NULL,
  end_us INTEGER NOT NULL,
  spans INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS traces_by_start ON traces (start_us, trace_id);
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
)sql";

int64_t Micros(double seconds) { return static_cast<int64_t>(std::llround(seconds * 1e6)); }
double Seconds(int64_t micros) { return static_cast<double>(micros) / 1e6; }

// Spans are rows of a rowid table (not WITHOUT ROWID): an index b-tree keeps only ~1 KB of a row
// on its page and spills the rest into an overflow page per row, and span documents are about
// that size. 8 KiB pages (set before the file has tables) and a larger checkpoint interval keep
// the write volume per span low.
Status Configure(SqliteDatabase& database) {
  return database.Exec(
      "PRAGMA page_size=8192; PRAGMA busy_timeout=5000; PRAGMA journal_mode=WAL; "
      "PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY; PRAGMA wal_autocheckpoint=4000;");
}

// Fills service/segment of subsegments whose parent is in the same batch, in order.
void ResolveWithinBatch(std::vector<Span>& spans) {
  std::unordered_map<std::string, const Span*> by_id;
  for (const Span& span : spans) by_id[span.id] = &span;
  for (Span& span : spans) {
    if (!span.service.empty()) continue;
    auto it = by_id.find(span.parent_id);
    if (it == by_id.end() || it->second->service.empty()) continue;
    span.service = it->second->service;
    span.segment_id = it->second->segment_id;
  }
}

}  // namespace

TraceStore::TraceStore(TraceStoreOptions options, std::unique_ptr<SqliteDatabase> writer,
                       std::unique_ptr<SqliteDatabase> reader)
    : options_(std::move(options)), writer_(std::move(writer)), reader_(std::move(reader)) {}

Result<std::unique_ptr<TraceStore>> TraceStore::Open(const TraceStoreOptions& options) {
  if (options.path.empty() || options.path == ":memory:") {
    return InvalidArgument("the trace store needs a file path");
  }
  CK_ASSIGN_OR_RETURN(auto writer, SqliteDatabase::Open(options.path));
  CK_RETURN_IF_ERROR(Configure(*writer));
  CK_RETURN_IF_ERROR(writer->Exec(kSchema));
  CK_ASSIGN_OR_RETURN(auto reader, SqliteDatabase::Open(options.path));
  CK_RETURN_IF_ERROR(Configure(*reader));
  std::unique_ptr<TraceStore> store(new TraceStore(options, std::move(writer), std::move(reader)));
  CK_ASSIGN_OR_RETURN(auto count, store->writer_->Prepare("SELECT count(*) FROM spans"));
  CK_ASSIGN_OR_RETURN(bool row, count->Step());
  if (row) store->stats_.spans_stored = static_cast<uint64_t>(count->ColumnInt(0));
  return store;
}

Status TraceStore::ResolveParent(Span& span) {
  CK_ASSIGN_OR_RETURN(auto select,
                      writer_->Prepare("SELECT doc FROM spans WHERE trace_id = ?1 AND id = ?2"));
  select->BindText(1, span.trace_id);
  select->BindText(2, span.parent_id);
  CK_ASSIGN_OR_RETURN(bool row, select->Step());
  if (!row) return Status::Ok();
  nlohmann::json stored =
      nlohmann::json::parse(select->ColumnText(0), nullptr, /*allow_exceptions=*/false);
  auto parent = SpanFromStoredJson(stored);
  if (!parent.ok()) return Status::Ok();
  span.service = parent->service;
  span.segment_id = parent->segment_id;
  return Status::Ok();
}

Status TraceStore::Write(std::vector<Span>& spans) {
  if (spans.empty()) return Status::Ok();
  ResolveWithinBatch(spans);
  std::lock_guard lock(write_mutex_);
  CK_RETURN_IF_ERROR(writer_->Exec("BEGIN"));
  uint64_t written = 0;
  uint64_t replaced = 0;
  uint64_t added = 0;
  // Per trace in this batch: first start, last end, spans added.
  struct TraceDelta {
    int64_t start_us = INT64_MAX;
    int64_t end_us = 0;
    int64_t added = 0;
  };
  std::unordered_map<std::string, TraceDelta> traces;
  Status status = [&]() -> Status {
    for (Span& span : spans) {
      if (span.kind == SpanKind::kSubsegment && span.service.empty()) {
        CK_RETURN_IF_ERROR(ResolveParent(span));
      }
      const std::string document = StoredSpanJson(span).dump();
      // New spans (the common case) take one statement; an existing one is only replaced when
      // it is in progress and the new document is not.
      CK_ASSIGN_OR_RETURN(
          auto insert, writer_->Prepare("INSERT OR IGNORE INTO spans (trace_id, id, "
                                        "in_progress, start_us, doc) VALUES (?1, ?2, ?3, ?4, ?5)"));
      insert->BindText(1, span.trace_id);
      insert->BindText(2, span.id);
      insert->BindInt(3, span.in_progress ? 1 : 0);
      insert->BindInt(4, Micros(span.start_time));
      insert->BindText(5, document);
      CK_RETURN_IF_ERROR(insert->Run());
      const bool inserted = writer_->Changes() == 1;
      if (!inserted) {
        if (span.in_progress) continue;
        CK_ASSIGN_OR_RETURN(auto update,
                            writer_->Prepare("UPDATE spans SET in_progress = 0, start_us = ?3, "
                                             "doc = ?4 WHERE trace_id = ?1 AND id = ?2 AND "
                                             "in_progress = 1"));
        update->BindText(1, span.trace_id);
        update->BindText(2, span.id);
        update->BindInt(3, Micros(span.start_time));
        update->BindText(4, document);
        CK_RETURN_IF_ERROR(update->Run());
        if (writer_->Changes() == 0) continue;  // a duplicate of a complete span
        ++replaced;
      } else {
        ++added;
      }
      ++written;
      TraceDelta& delta = traces[span.trace_id];
      delta.start_us = std::min(delta.start_us, Micros(span.start_time));
      delta.end_us = std::max(delta.end_us, Micros(std::max(span.end_time, span.start_time)));
      delta.added += inserted ? 1 : 0;
    }
    for (const auto& [trace_id, delta] : traces) {
      CK_ASSIGN_OR_RETURN(
          auto trace,
          writer_->Prepare("INSERT INTO traces (trace_id, start_us, end_us, spans) "
                           "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (trace_id) DO UPDATE SET "
                           "start_us = min(start_us, excluded.start_us), "
                           "end_us = max(end_us, excluded.end_us), "
                           "spans = spans + excluded.spans"));
      trace->BindText(1, trace_id);
      trace->BindInt(2, delta.start_us);
      trace->BindInt(3, delta.end_us);
      trace->BindInt(4, delta.added);
      CK_RETURN_IF_ERROR(trace->Run());
    }
    return Status::Ok();
  }();
  if (!status.ok()) {
    (void)writer_->Exec("ROLLBACK");
    return status;
  }
  CK_RETURN_IF_ERROR(writer_->Exec("COMMIT"));
  std::lock_guard stats_lock(stats_mutex_);
  stats_.spans_written += written;
  stats_.spans_replaced += replaced;
  stats_.spans_stored += added;
  return Status::Ok();
}

Result<std::vector<Span>> TraceStore::GetTrace(const std::string& trace_id) {
  std::vector<Span> spans;
  {
    std::lock_guard lock(read_mutex_);
    CK_ASSIGN_OR_RETURN(auto select, reader_->Prepare("SELECT doc FROM spans WHERE trace_id = ?1"));
    select->BindText(1, trace_id);
    while (true) {
      CK_ASSIGN_OR_RETURN(bool row, select->Step());
      if (!row) break;
      nlohmann::json stored =
          nlohmann::json::parse(select->ColumnText(0), nullptr, /*allow_exceptions=*/false);
      auto span = SpanFromStoredJson(stored);
      if (span.ok()) spans.push_back(std::move(*span));
    }
  }
  if (spans.empty()) return NotFound("trace " + trace_id + " not found");
  ResolveWithinBatch(spans);
  std::stable_sort(spans.begin(), spans.end(),
                   [](const Span& a, const Span& b) { return a.start_time < b.start_time; });
  return spans;
}

Result<std::vector<TraceRef>> TraceStore::TracesInWindow(double start, double end, size_t limit,
                                                         const TraceRef* after) {
  std::lock_guard lock(read_mutex_);
  std::vector<TraceRef> refs;
  const std::string sql =
      after == nullptr
          ? "SELECT trace_id, start_us, end_us FROM traces WHERE start_us >= ?1 AND start_us < ?2 "
            "ORDER BY start_us DESC, trace_id DESC LIMIT ?3"
          : "SELECT trace_id, start_us, end_us FROM traces WHERE start_us >= ?1 AND "
            "(start_us < ?4 OR (start_us = ?4 AND trace_id < ?5)) AND start_us < ?2 "
            "ORDER BY start_us DESC, trace_id DESC LIMIT ?3";
  CK_ASSIGN_OR_RETURN(auto select, reader_->Prepare(sql));
  select->BindInt(1, Micros(start));
  select->BindInt(2, Micros(end));
  select->BindInt(3, static_cast<int64_t>(limit));
  if (after != nullptr) {
    select->BindInt(4, Micros(after->start_time));
    select->BindText(5, after->trace_id);
  }
  while (true) {
    CK_ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) break;
    refs.push_back({std::string(select->ColumnText(0)), Seconds(select->ColumnInt(1)),
                    Seconds(select->ColumnInt(2))});
  }
  return refs;
}

Status TraceStore::DeleteTraces(const std::vector<std::string>& trace_ids) {
  for (const std::string& trace_id : trace_ids) {
    CK_ASSIGN_OR_RETURN(auto spans, writer_->Prepare("DELETE FROM spans WHERE trace_id = ?1"));
    spans->BindText(1, trace_id);
    CK_RETURN_IF_ERROR(spans->Run());
    const uint64_t removed = static_cast<uint64_t>(writer_->Changes());
    CK_ASSIGN_OR_RETURN(auto trace, writer_->Prepare("DELETE FROM traces WHERE trace_id = ?1"));
    trace->BindText(1, trace_id);
    CK_RETURN_IF_ERROR(trace->Run());
    std::lock_guard stats_lock(stats_mutex_);
    stats_.spans_stored -= std::min(stats_.spans_stored, removed);
    ++stats_.traces_expired;
  }
  return Status::Ok();
}

Status TraceStore::EnforceRetention(double now) {
  std::lock_guard lock(write_mutex_);
  // Batches keep each transaction short so ingest is not held up for long.
  constexpr int64_t kBatch = 500;
  while (true) {
    std::vector<std::string> expired;
    {
      CK_ASSIGN_OR_RETURN(auto select,
                          writer_->Prepare("SELECT trace_id FROM traces WHERE start_us < ?1 "
                                           "ORDER BY start_us LIMIT ?2"));
      select->BindInt(1, Micros(now - options_.retention_seconds));
      select->BindInt(2, kBatch);
      while (true) {
        CK_ASSIGN_OR_RETURN(bool row, select->Step());
        if (!row) break;
        expired.emplace_back(select->ColumnText(0));
      }
    }
    if (expired.empty()) {
      uint64_t stored;
      {
        std::lock_guard stats_lock(stats_mutex_);
        stored = stats_.spans_stored;
      }
      if (stored <= options_.max_spans) break;
      CK_ASSIGN_OR_RETURN(auto oldest, writer_->Prepare("SELECT trace_id FROM traces ORDER BY "
                                                        "start_us LIMIT ?1"));
      // Each trace holds at least one span, so deleting `excess` traces is never too few.
      const uint64_t excess = stored - options_.max_spans;
      oldest->BindInt(1, static_cast<int64_t>(std::min<uint64_t>(excess, kBatch)));
      while (true) {
        CK_ASSIGN_OR_RETURN(bool row, oldest->Step());
        if (!row) break;
        expired.emplace_back(oldest->ColumnText(0));
      }
      if (expired.empty()) break;
    }
    CK_RETURN_IF_ERROR(writer_->Exec("BEGIN"));
    Status status = DeleteTraces(expired);
    if (!status.ok()) {
      (void)writer_->Exec("ROLLBACK");
      return status;
    }
    CK_RETURN_IF_ERROR(writer_->Exec("COMMIT"));
  }
  return Status::Ok();
}

TraceStoreStats TraceStore::stats() const {
  std::lock_guard stats_lock(stats_mutex_);
  return stats_;
}

Status TraceStore::PutSetting(const std::string& key, const std::string& value) {
  std::lock_guard lock(write_mutex_);
  CK_ASSIGN_OR_RETURN(auto upsert, writer_->Prepare("INSERT OR REPLACE INTO settings (key, value) "
                                                    "VALUES (?1, ?2)"));
  upsert->BindText(1, key);
  upsert->BindText(2, value);
  return upsert->Run();
}

Result<std::vector<std::pair<std::string, std::string>>> TraceStore::Settings(
    const std::string& prefix) {
  std::lock_guard lock(read_mutex_);
  CK_ASSIGN_OR_RETURN(auto select,
                      reader_->Prepare("SELECT key, value FROM settings WHERE "
                                       "substr(key, 1, length(?1)) = ?1 ORDER BY key"));
  select->BindText(1, prefix);
  std::vector<std::pair<std::string, std::string>> settings;
  while (true) {
    CK_ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) break;
    settings.emplace_back(std::string(select->ColumnText(0)), std::string(select->ColumnText(1)));
  }
  return settings;
}

Status TraceStore::DeleteSetting(const std::string& key) {
  std::lock_guard lock(write_mutex_);
  CK_ASSIGN_OR_RETURN(auto remove, writer_->Prepare("DELETE FROM settings WHERE key = ?1"));
  remove->BindText(1, key);
  return remove->Run();
}

}  // namespace ck::collector
