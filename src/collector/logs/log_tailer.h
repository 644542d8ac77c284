// LogTailer: ships the supervisor's task log files into the log store, the way Docker's awslogs
// driver ships container output to CloudWatch Logs.
//
// The supervisor appends each task's stdout and stderr to <data_dir>/logs/<service>/<task>.log.
// Each file becomes the stream "ecs/<service>/<task>" of the group "<group_prefix>/<service>".
// Lines split on '\n' (a trailing '\r' dropped); empty lines are skipped; invalid UTF-8 becomes
// U+FFFD; a line longer than max_event_bytes becomes several events, cut at character
// boundaries. An event's time is the line's "ts" member when the line is a JSON object with an
// RFC 3339 "ts", else the time the tailer read it. A trailing fragment without '\n' waits for the
// rest of its line, but is shipped once it is partial_flush_delay old or max_event_bytes long.
//
// Delivery is exactly once across restarts: Poll returns events together with the read
// positions they advance to; the caller stores both in one transaction and then commits the
// batch to the tailer. Until Commit, a new Poll produces the same events again.
//
//   CK_ASSIGN_OR_RETURN(auto offsets, store->SourceOffsets());
//   LogTailer tailer(options, offsets);
//   // every ~200 ms, on the thread that appends:
//   for (bool more = true; more;) {
//     CK_ASSIGN_OR_RETURN(TailBatch batch, tailer.Poll());
//     CK_RETURN_IF_ERROR(store->Append(batch.events, batch.offsets));
//     tailer.Commit(batch);
//     more = batch.more;
//   }
//
// A file replaced under the same name (another device/inode) or shorter than the position read
// so far (truncated) is read again from the start. Not detected: a file truncated and regrown
// past the old position between two polls (its new head is skipped), as with `tail -F`.
//
// Disk: the supervisor's files only grow. Once a file's stored position is more than
// 2 * keep_bytes past what was last released, Commit frees the disk blocks of everything before
// position - keep_bytes (fallocate PUNCH_HOLE, KEEP_SIZE): the file keeps its size and offsets,
// the writer keeps appending, and only the last keep_bytes..2*keep_bytes of each file stay on
// disk. Reading a file from an earlier position (a store started over) skips released ranges
// (SEEK_DATA) and the rest of the line cut there. A file system without hole punching keeps
// everything (counted in release_unsupported).
//
// Bounds: at most max_read_bytes read and max_batch_events / max_batch_bytes (CloudWatch's
// PutLogEvents accounting: message bytes + 26 per event) returned per Poll; the rest waits for
// the next one. Files are served round-robin so one busy task cannot starve the others.
// Failure modes: Poll fails only when the logs directory exists but cannot be listed; an
// unreadable or vanished file is skipped (counted) and retried on the next Poll.
// Thread-safety: none; one thread owns a tailer. No threads inside.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "collector/logs/log_line_fields.h"
#include "collector/logs/log_store.h"
#include "core/clock.h"
#include "core/status.h"

namespace ck::collector::logs {

struct LogTailerOptions {
  std::string data_dir = ".ck";
  std::string group_prefix = "/ecs/cuddle-kube";
  size_t max_event_bytes = 262'144 - 26;  // CloudWatch's event size limit (awslogs' as well)
  size_t max_batch_events = 10'000;       // PutLogEvents' limits
  size_t max_batch_bytes = 1'048'576;
  size_t max_read_bytes = 8 * 1'048'576;  // per Poll, over all files
  std::chrono::milliseconds partial_flush_delay{2000};
  uint64_t keep_bytes = 16 * 1'048'576;  // stored bytes kept on disk per file; 0: keep all
  const Clock* clock = &SystemClock::Instance();
};

struct TailBatch {
  std::vector<NewLogEvent> events;
  std::vector<SourceOffset> offsets;  // new positions of the files these events came from
  bool more = false;                  // a bound stopped this Poll early: poll again soon
  uint64_t sequence = 0;              // identifies the Poll for Commit
};

class LogTailer {
 public:
  // `restored`: positions from LogStore::SourceOffsets (those under other directories are kept
  // but unused).
  LogTailer(LogTailerOptions options, std::span<const SourceOffset> restored);
  ~LogTailer();
  LogTailer(const LogTailer&) = delete;
  LogTailer& operator=(const LogTailer&) = delete;

  // Reads what the files gained since the last committed position.
  Result<TailBatch> Poll();
  // Marks the batch stored: the next Poll continues after it. A batch from an older Poll than the
  // latest is ignored (its events are produced again).
  void Commit(const TailBatch& batch);

  // Counters: files, bytes_read, events, lines_split, partial_flushes, restarts_from_zero,
  // files_skipped, bytes_released, release_unsupported, bytes_skipped_in_holes.
  nlohmann::json StatsJson() const;
  uint64_t bytes_released() const { return bytes_released_; }
  uint64_t release_unsupported() const { return release_unsupported_; }

  // Group and stream of a task log file path, as named above; false when the path is not
  // <data_dir>/logs/<service>/<task>.log or the names are not valid CloudWatch names.
  bool NamesFor(const std::string& path, std::string* group, std::string* stream) const;

 private:
  struct FileState {
    std::string path;
    std::string group;
    std::string stream;
    uint64_t file_id = 0;
    uint64_t offset = 0;    // bytes before this are stored
    uint64_t released = 0;  // disk blocks before this were freed (this run)
    bool resync = false;    // after a released range: skip to the next line start
    std::string carry;      // bytes [offset, offset + carry.size()) read but not yet shipped
    WallTime carry_since;   // when the carried fragment was first read
  };
  // What a Poll would make of a file, applied by Commit.
  struct Advance {
    std::string path;
    FileState state;
  };

  struct PollContext {
    TailBatch batch;
    size_t batch_bytes = 0;  // PutLogEvents accounting
    size_t read_budget = 0;
    WallTime now;
    int64_t now_ms = 0;
  };

  Status ListFiles();
  // Reads and splits one file into the batch; false when a bound stops the Poll.
  bool PollFile(const FileState& committed, PollContext& context);
  // Adds the events of one line (or flushed fragment) when they fit the batch; false otherwise.
  bool EmitLine(const FileState& state, std::string_view line, bool parse_json,
                PollContext& context);
  bool BatchHasRoom(const PollContext& context, size_t events, size_t bytes) const;
  // Frees the disk blocks of a file's stored prefix once it is large enough (see above).
  void ReleaseStored(FileState& state);
  int64_t NowMs() const;

  LogTailerOptions options_;
  std::string logs_dir_;
  std::map<std::string, FileState> files_;  // by path; the committed state
  std::map<std::string, SourceOffset> restored_;
  std::set<std::string> skipped_paths_;  // names that are not valid CloudWatch names
  std::vector<Advance> pending_;
  uint64_t sequence_ = 0;
  size_t next_file_ = 0;  // round-robin start
  LogLineParser parser_;
  std::string read_buffer_;

  uint64_t bytes_read_ = 0;
  uint64_t events_ = 0;
  uint64_t lines_split_ = 0;
  uint64_t partial_flushes_ = 0;
  uint64_t restarts_from_zero_ = 0;
  uint64_t files_skipped_ = 0;
  uint64_t bytes_released_ = 0;
  uint64_t release_unsupported_ = 0;
  uint64_t bytes_skipped_in_holes_ = 0;
  // Counted per Poll and added on Commit, so a repeated Poll does not count twice.
  uint64_t pending_bytes_read_ = 0;
  uint64_t pending_lines_split_ = 0;
  uint64_t pending_partial_flushes_ = 0;
  uint64_t pending_restarts_ = 0;
  uint64_t pending_holes_skipped_ = 0;
};

}  // namespace ck::collector::logs
