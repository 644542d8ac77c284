// LogStore: durable, bounded storage for log events, organised as CloudWatch Logs organises them
// (log groups, each with log streams, each an ordered series of events).
//
// One SQLite file (WAL). Every Append is one transaction, so a batch is either stored whole or
// not at all; the tailer's read positions are committed in the same transaction as the events
// they produced, so a restart neither loses nor repeats a line. Events are stored in blocks per
// stream (log_block.h; small appends join the stream's last block), found by (group, time range)
// for scans and through per-block trace-id filters (a JSON message's `trace_id`, X-Ray form)
// for trace -> log links.
//
// Bounds: each group's retention (days; nullopt = never expire) and a total size cap
// (message bytes): ApplyRetention deletes expired events and then the oldest blocks' events
// (first-appended first) until the store is under the cap, and counts what it deleted.
//
//   CK_ASSIGN_OR_RETURN(auto store, LogStore::Open(".ck/telemetry/logs.sqlite3", {}));
//   CK_RETURN_IF_ERROR(store->Append(events));
//   store->Scan(request, [&](const insights::LogEvent& event) { return run.Add(event); });
//
// Failure modes: NotFound for an unknown group or stream, AlreadyExists when creating one that
// exists, InvalidArgument for malformed names/tokens, Internal for SQLite failures.
// Thread-safety: one instance per thread. Several instances may open the same file (the
// collector's writer thread appends, its query thread reads); SQLite's WAL keeps readers
// consistent while the writer commits.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "collector/insights/log_event.h"
#include "collector/insights/query.h"
#include "core/clock.h"
#include "core/status.h"

namespace ck::collector::logs {

struct LogStoreOptions {
  uint64_t max_bytes = 1ull << 30;            // total message bytes kept
  std::optional<int> default_retention_days;  // for groups Append creates; nullopt = never expire
  const Clock* clock = &SystemClock::Instance();
};

struct NewLogEvent {
  std::string group;
  std::string stream;
  int64_t timestamp_ms = 0;
  std::string message;   // valid UTF-8
  std::string trace_id;  // X-Ray form; when empty, a JSON message's "trace_id" member is used
};

// How far a tailed file has been read (LogTailer).
struct SourceOffset {
  std::string path;
  uint64_t file_id = 0;  // device and inode, to notice a file replaced under the same name
  uint64_t offset = 0;
};

struct LogGroupInfo {
  std::string name;
  int64_t creation_time_ms = 0;
  std::optional<int> retention_days;
  uint64_t stored_bytes = 0;
  uint64_t event_count = 0;
};

struct LogStreamInfo {
  std::string name;
  int64_t creation_time_ms = 0;
  std::optional<int64_t> first_event_timestamp_ms;
  std::optional<int64_t> last_event_timestamp_ms;
  std::optional<int64_t> last_ingestion_time_ms;
  uint64_t stored_bytes = 0;
};

struct StoredLogEvent {
  uint64_t id = 0;
  std::string group;
  std::string stream;
  int64_t timestamp_ms = 0;
  int64_t ingestion_time_ms = 0;
  std::string message;
};

template <typename T>
struct Page {
  std::vector<T> items;
  std::optional<std::string> next_token;  // pass back to get the next page
};

// A position in a scan: resume strictly after this event, in the scan's order.
struct ScanPosition {
  int64_t timestamp_ms = 0;
  uint64_t id = 0;
};

struct ScanRequest {
  std::vector<std::string> groups;   // empty: every group
  std::vector<std::string> streams;  // empty: every stream of those groups
  int64_t start_ms = 0;              // inclusive
  int64_t end_ms = INT64_MAX;        // inclusive
  insights::ScanNeeds needs;         // columns to read, order; stop_after_matches is the caller's
  std::optional<ScanPosition> resume_after;
  std::string trace_id;  // non-empty: only events of this trace (X-Ray form)
};

class LogStore {
 public:
  static Result<std::unique_ptr<LogStore>> Open(const std::string& path,
                                                LogStoreOptions options = {});
  ~LogStore();
  LogStore(const LogStore&) = delete;
  LogStore& operator=(const LogStore&) = delete;

  // --- writes -------------------------------------------------------------------------------
  // Stores the events (creating groups and streams on first use) and the offsets, in one
  // transaction; ingestion time is the clock's now.
  Status Append(std::span<const NewLogEvent> events, std::span<const SourceOffset> offsets = {});
  Status CreateGroup(std::string_view group, std::optional<int> retention_days);
  Status DeleteGroup(std::string_view group);  // with its streams and events
  Status SetRetention(std::string_view group, std::optional<int> retention_days);
  Status CreateStream(std::string_view group, std::string_view stream);
  Status DeleteStream(std::string_view group, std::string_view stream);
  // Deletes expired events, then the oldest until under max_bytes; returns how many went.
  Result<uint64_t> ApplyRetention();

  // --- reads --------------------------------------------------------------------------------
  Result<std::vector<SourceOffset>> SourceOffsets();
  Result<Page<LogGroupInfo>> DescribeGroups(std::string_view name_prefix, size_t limit,
                                            std::string_view next_token);
  // order_by_last_event: by last event time (else by name); descending reverses.
  Result<Page<LogStreamInfo>> DescribeStreams(std::string_view group, std::string_view name_prefix,
                                              bool order_by_last_event, bool descending,
                                              size_t limit, std::string_view next_token);
  // Visits matching events in time order (needs.ascending; ties by id) until `visit` returns
  // false. NotFound when a named group does not exist.
  Status Scan(const ScanRequest& request,
              const std::function<bool(const insights::LogEvent&)>& visit);
  // One event by id (@ptr); nullopt when it does not exist (anymore).
  Result<std::optional<StoredLogEvent>> GetEvent(uint64_t id);

  // Counters and sizes: groups, streams, events, bytes, deleted by retention and by size.
  nlohmann::json StatsJson();

  struct Impl;

 private:
  explicit LogStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ck::collector::logs
