#include "collector/trace_store.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <unordered_map>

#include "collector/model/xray_document.h"
#include "collector/otlp/otlp_trace_decoder.h"

namespace ck::collector {
namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS spans (
  trace_id TEXT NOT NULL,
  id TEXT NOT NULL,
  in_progress INTEGER NOT NULL,
  start_us INTEGER NOT NULL,
  format INTEGER NOT NULL,  -- 0: one span as stored JSON, 1: an X-Ray document as received,
                            -- 2: one trace's spans of an OTLP request as protobuf (a BLOB)
  spans INTEGER NOT NULL,   -- spans in the row
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

constexpr int64_t kFormatSpan = 0;
constexpr int64_t kFormatXRayDocument = 1;
constexpr int64_t kFormatOtlpProtobuf = 2;

int64_t RowFormat(DocumentFormat format) {
  return format == DocumentFormat::kOtlpProtobuf ? kFormatOtlpProtobuf : kFormatXRayDocument;
}

// Fills service/segment of subsegments whose parent is among `spans`, in order.
void ResolveWithin(const std::vector<Span*>& spans) {
  std::unordered_map<std::string, const Span*> by_id;
  for (const Span* span : spans) by_id[span->id] = span;
  for (Span* span : spans) {
    if (!span->service.empty()) continue;
    auto it = by_id.find(span->parent_id);
    if (it == by_id.end() || it->second->service.empty()) continue;
    span->service = it->second->service;
    span->segment_id = it->second->segment_id;
  }
}

void ResolveWithinBatch(std::vector<Span>& spans) {
  std::vector<Span*> pointers;
  pointers.reserve(spans.size());
  for (Span& span : spans) pointers.push_back(&span);
  ResolveWithin(pointers);
}

// Appends the spans of one stored row.
void DecodeRow(int64_t format, std::string_view text, std::vector<Span>& out) {
  if (format == kFormatXRayDocument) {
    auto spans = DecodeSegmentDocument(text);
    if (!spans.ok()) return;
    for (Span& span : *spans) out.push_back(std::move(span));
    return;
  }
  if (format == kFormatOtlpProtobuf) {
    auto decoded = otlp::DecodeOtlpTraceProtobuf(text);
    if (!decoded.ok()) return;
    for (Span& span : decoded->spans) out.push_back(std::move(span));
    return;
  }
  auto span = SpanFromStoredText(text);
  if (span.ok()) out.push_back(std::move(*span));
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
  CK_ASSIGN_OR_RETURN(auto count,
                      store->writer_->Prepare("SELECT coalesce(sum(spans), 0) FROM spans"));
  CK_ASSIGN_OR_RETURN(bool row, count->Step());
  if (row) store->stats_.spans_stored = static_cast<uint64_t>(count->ColumnInt(0));
  return store;
}

Result<std::vector<Span>> TraceStore::LoadTrace(SqliteDatabase& database,
                                                const std::string& trace_id) {
  CK_ASSIGN_OR_RETURN(auto select,
                      database.Prepare("SELECT format, doc FROM spans WHERE trace_id = ?1"));
  select->BindText(1, trace_id);
  std::vector<Span> spans;
  while (true) {
    CK_ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) break;
    DecodeRow(select->ColumnInt(0), select->ColumnBlob(1), spans);
  }
  return spans;
}

Status TraceStore::ResolveParent(Span& span) {
  // The parent is usually a stored row's top span; a nested one needs the whole trace.
  std::vector<Span> candidates;
  {
    CK_ASSIGN_OR_RETURN(auto select, writer_->Prepare("SELECT format, doc FROM spans WHERE "
                                                      "trace_id = ?1 AND id = ?2"));
    select->BindText(1, span.trace_id);
    select->BindText(2, span.parent_id);
    CK_ASSIGN_OR_RETURN(bool row, select->Step());
    if (row) DecodeRow(select->ColumnInt(0), select->ColumnBlob(1), candidates);
  }
  if (candidates.empty() || candidates.front().service.empty()) {
    CK_ASSIGN_OR_RETURN(candidates, LoadTrace(*writer_, span.trace_id));
    ResolveWithinBatch(candidates);
  }
  for (const Span& candidate : candidates) {
    if (candidate.id != span.parent_id || candidate.service.empty()) continue;
    span.service = candidate.service;
    span.segment_id = candidate.segment_id;
    break;
  }
  return Status::Ok();
}

Status TraceStore::Write(std::vector<Span>& spans) {
  std::vector<TraceWrite> writes(1);
  writes[0].spans = std::move(spans);
  Status status = Write(writes);
  spans = std::move(writes[0].spans);
  return status;
}

Status TraceStore::Write(std::vector<TraceWrite>& writes) {
  std::vector<Span*> all;
  bool unresolved = false;
  for (TraceWrite& write : writes) {
    for (Span& span : write.spans) {
      all.push_back(&span);
      unresolved = unresolved || (span.kind == SpanKind::kSubsegment && span.service.empty());
    }
  }
  if (all.empty()) return Status::Ok();
  if (unresolved) ResolveWithin(all);
  static const std::string kInsert =
      "INSERT OR IGNORE INTO spans (trace_id, id, in_progress, start_us, format, spans, doc) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
  static const std::string kSelectInProgress =
      "SELECT spans FROM spans WHERE trace_id = ?1 AND id = ?2 AND in_progress = 1";
  static const std::string kReplace =
      "UPDATE spans SET in_progress = 0, start_us = ?3, format = ?4, spans = ?5, doc = ?6 "
      "WHERE trace_id = ?1 AND id = ?2";
  static const std::string kUpsertTrace =
      "INSERT INTO traces (trace_id, start_us, end_us, spans) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT (trace_id) DO UPDATE SET start_us = min(start_us, excluded.start_us), "
      "end_us = max(end_us, excluded.end_us), spans = spans + excluded.spans";
  std::lock_guard lock(write_mutex_);
  CK_RETURN_IF_ERROR(writer_->Exec("BEGIN"));
  uint64_t written = 0;
  uint64_t replaced = 0;
  int64_t added = 0;
  // Per trace in this batch: first start, last end, spans added. Keys view the batch's spans.
  struct TraceDelta {
    int64_t start_us = INT64_MAX;
    int64_t end_us = 0;
    int64_t added = 0;
  };
  std::unordered_map<std::string_view, TraceDelta> traces;
  // What one row holds: a document's spans (keyed by its first span) or one span.
  struct Row {
    const Span* key = nullptr;
    bool in_progress = false;
    double start_time = 0;
    double end_time = 0;
    int64_t format = kFormatSpan;
    int64_t span_count = 1;
    std::string_view bytes;
  };
  // OTLP rows hold protobuf bytes, the others JSON text.
  const auto bind_doc = [](Statement& statement, int index, const Row& row) {
    if (row.format == kFormatOtlpProtobuf) {
      statement.BindBlob(index, row.bytes);
    } else {
      statement.BindText(index, row.bytes);
    }
  };
  auto store_row = [&](const Row& row) -> Status {
    const int64_t start_us = Micros(row.start_time);
    // New rows (the common case) take one statement; an existing one is only replaced when it
    // is in progress and the new one is not.
    CK_ASSIGN_OR_RETURN(auto insert, writer_->Prepare(kInsert));
    insert->BindText(1, row.key->trace_id);
    insert->BindText(2, row.key->id);
    insert->BindInt(3, row.in_progress ? 1 : 0);
    insert->BindInt(4, start_us);
    insert->BindInt(5, row.format);
    insert->BindInt(6, row.span_count);
    bind_doc(*insert, 7, row);
    CK_RETURN_IF_ERROR(insert->Run());
    int64_t delta = row.span_count;
    if (writer_->Changes() != 1) {
      if (row.in_progress) return Status::Ok();
      int64_t previous = 0;
      {
        CK_ASSIGN_OR_RETURN(auto old, writer_->Prepare(kSelectInProgress));
        old->BindText(1, row.key->trace_id);
        old->BindText(2, row.key->id);
        CK_ASSIGN_OR_RETURN(bool found, old->Step());
        if (!found) return Status::Ok();  // a duplicate of a complete row
        previous = old->ColumnInt(0);
      }
      CK_ASSIGN_OR_RETURN(auto update, writer_->Prepare(kReplace));
      update->BindText(1, row.key->trace_id);
      update->BindText(2, row.key->id);
      update->BindInt(3, start_us);
      update->BindInt(4, row.format);
      update->BindInt(5, row.span_count);
      bind_doc(*update, 6, row);
      CK_RETURN_IF_ERROR(update->Run());
      ++replaced;
      delta = row.span_count - previous;
    }
    written += static_cast<uint64_t>(row.span_count);
    added += delta;
    TraceDelta& trace = traces[row.key->trace_id];
    trace.start_us = std::min(trace.start_us, start_us);
    trace.end_us = std::max(trace.end_us, Micros(std::max(row.end_time, row.start_time)));
    trace.added += delta;
    return Status::Ok();
  };
  Status status = [&]() -> Status {
    for (TraceWrite& write : writes) {
      if (write.spans.empty()) continue;
      for (Span& span : write.spans) {
        if (span.kind == SpanKind::kSubsegment && span.service.empty()) {
          CK_RETURN_IF_ERROR(ResolveParent(span));
        }
      }
      if (!write.document.empty()) {
        Row row;
        row.key = &write.spans.front();
        row.format = RowFormat(write.format);
        row.span_count = static_cast<int64_t>(write.spans.size());
        row.bytes = write.document;
        // An X-Ray document is in progress when its top segment is; an OTLP group when any of
        // its spans is (OTLP has no in-progress spans on the wire: an unset end time).
        row.in_progress = row.key->in_progress;
        row.start_time = row.key->start_time;
        for (const Span& span : write.spans) {
          row.end_time = std::max(row.end_time, span.end_time);
          if (write.format == DocumentFormat::kOtlpProtobuf) {
            row.in_progress = row.in_progress || span.in_progress;
            row.start_time = std::min(row.start_time, span.start_time);
          }
        }
        CK_RETURN_IF_ERROR(store_row(row));
        continue;
      }
      for (const Span& span : write.spans) {
        const std::string text = StoredSpanJson(span).dump();
        CK_RETURN_IF_ERROR(store_row(
            Row{&span, span.in_progress, span.start_time, span.end_time, kFormatSpan, 1, text}));
      }
    }
    for (const auto& [trace_id, delta] : traces) {
      CK_ASSIGN_OR_RETURN(auto trace, writer_->Prepare(kUpsertTrace));
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
  stats_.spans_stored = static_cast<uint64_t>(
      std::max<int64_t>(0, static_cast<int64_t>(stats_.spans_stored) + added));
  return Status::Ok();
}

Result<std::vector<Span>> TraceStore::GetTrace(const std::string& trace_id) {
  std::vector<Span> spans;
  {
    std::lock_guard lock(read_mutex_);
    CK_ASSIGN_OR_RETURN(spans, LoadTrace(*reader_, trace_id));
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
    uint64_t removed = 0;
    {
      CK_ASSIGN_OR_RETURN(auto count, writer_->Prepare("SELECT coalesce(sum(spans), 0) FROM spans "
                                                       "WHERE trace_id = ?1"));
      count->BindText(1, trace_id);
      CK_ASSIGN_OR_RETURN(bool row, count->Step());
      if (row) removed = static_cast<uint64_t>(count->ColumnInt(0));
    }
    CK_ASSIGN_OR_RETURN(auto spans, writer_->Prepare("DELETE FROM spans WHERE trace_id = ?1"));
    spans->BindText(1, trace_id);
    CK_RETURN_IF_ERROR(spans->Run());
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
