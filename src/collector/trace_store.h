// TraceStore: durable, bounded storage of spans in SQLite, keyed for trace-by-id reads.
//
// Rows: spans(trace_id, id) -> one of
//   - an X-Ray document exactly as received (a segment with its nested subsegments, or an
//     independent subsegment; id = the document's top id),
//   - the spans of one trace from one OTLP request, as that part of the request in protobuf
//     (otlp::GroupOtlpSpansByTrace; id = the first span's id; in progress when any span is),
//   - one span in its stored JSON form (xray_document.h StoredSpanJson; spans written without a
//     document),
// each decoded again, in full, on read; and traces(trace_id) -> first start, last end and span
// count, indexed by start time for window queries. Keeping what arrived whole makes ingest one
// row per document or trace and no re-serialisation. Write() stores a batch in one transaction.
// A complete row replaces an in-progress one with the same id, never the other way round. An
// independent subsegment (no service yet) takes its service and segment from its parent span when
// the parent is stored. Stores written before OTLP rows existed (formats 0 and 1 only) are read
// as they are.
//
// Retention: EnforceRetention() deletes whole traces that started before now - retention, then
// the oldest traces until at most max_spans spans remain; deletions are counted.
//
//   CK_ASSIGN_OR_RETURN(auto store, TraceStore::Open({.path = ".ck/telemetry/traces.sqlite3"}));
//   CK_RETURN_IF_ERROR(store->Write(spans));
//   CK_ASSIGN_OR_RETURN(std::vector<Span> trace, store->GetTrace("1-5f84c7a1-..."));
//
// Thread-safety: all methods are thread-safe. Writes and reads use separate connections (WAL), so
// queries do not wait for an ingest batch to commit.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "collector/model/span.h"
#include "core/sqlite_database.h"
#include "core/status.h"

namespace ck::collector {

struct TraceStoreOptions {
  std::string path;  // SQLite file; ":memory:" is not supported (two connections share the file)
  double retention_seconds = 24 * 3600;
  uint64_t max_spans = 2'000'000;
};

struct TraceRef {
  std::string trace_id;
  double start_time = 0;
  double end_time = 0;
};

// What a TraceWrite's document is.
enum class DocumentFormat {
  kXRayJson,      // an X-Ray segment document as received (its spans, in decode order)
  kOtlpProtobuf,  // otlp::OtlpTraceGroup::protobuf: the spans of one trace from one OTLP request
};

// One unit of ingest: the spans of a document with the document's bytes (one row), or spans
// without a document (empty `document`; each is stored on its own as StoredSpanJson).
struct TraceWrite {
  std::vector<Span> spans;
  std::string document;
  DocumentFormat format = DocumentFormat::kXRayJson;
};

struct TraceStoreStats {
  uint64_t spans_written = 0;
  uint64_t spans_replaced = 0;  // in-progress spans completed
  uint64_t spans_stored = 0;    // currently stored (approximate between retention runs)
  uint64_t traces_expired = 0;  // deleted by retention (time or size)
};

class TraceStore {
 public:
  static Result<std::unique_ptr<TraceStore>> Open(const TraceStoreOptions& options);

  // Stores a batch atomically. Spans are updated in place (resolved service/segment).
  Status Write(std::vector<TraceWrite>& writes);
  // Stores spans that came without a document, each on its own.
  Status Write(std::vector<Span>& spans);
  // Every span of the trace, in start-time order; NotFound when none is stored.
  Result<std::vector<Span>> GetTrace(const std::string& trace_id);
  // Traces whose first span starts in [start, end), newest first, starting after `after`
  // (a trace id from a previous page) — at most `limit`.
  Result<std::vector<TraceRef>> TracesInWindow(double start, double end, size_t limit,
                                               const TraceRef* after = nullptr);
  // Applies time and size retention relative to `now` (epoch seconds).
  Status EnforceRetention(double now);

  TraceStoreStats stats() const;
  const TraceStoreOptions& options() const { return options_; }

  // Key/value settings kept with the traces (e.g. X-Ray groups), as JSON text.
  Status PutSetting(const std::string& key, const std::string& value);
  Result<std::vector<std::pair<std::string, std::string>>> Settings(const std::string& prefix);
  Status DeleteSetting(const std::string& key);

 private:
  TraceStore(TraceStoreOptions options, std::unique_ptr<SqliteDatabase> writer,
             std::unique_ptr<SqliteDatabase> reader);
  Status ResolveParent(Span& span);
  // Every span stored for the trace on `database` (unsorted, unresolved).
  static Result<std::vector<Span>> LoadTrace(SqliteDatabase& database, const std::string& trace_id);
  Status DeleteTraces(const std::vector<std::string>& trace_ids);

  TraceStoreOptions options_;
  mutable std::mutex write_mutex_;
  std::unique_ptr<SqliteDatabase> writer_;
  mutable std::mutex read_mutex_;
  std::unique_ptr<SqliteDatabase> reader_;
  mutable std::mutex stats_mutex_;
  TraceStoreStats stats_;
};

}  // namespace ck::collector
