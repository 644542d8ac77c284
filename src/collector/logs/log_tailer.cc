#include "collector/logs/log_tailer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "collector/logs/log_names.h"
#include "collector/logs/utf8_text.h"
#include "core/file_space.h"

namespace ck::collector::logs {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kLogSuffix = ".log";
constexpr size_t kEventOverhead = 26;  // PutLogEvents counts 26 bytes per event
constexpr size_t kMinEventBytes = 4;   // room for any one character

// Device and inode folded into one number that changes when the file is replaced.
uint64_t FileIdOf(const struct stat& info) {
  return static_cast<uint64_t>(info.st_ino) ^
         (static_cast<uint64_t>(info.st_dev) * 0x9E3779B97F4A7C15ull);
}

std::string TrimTrailingSlashes(std::string text) {
  while (!text.empty() && text.back() == '/') text.pop_back();
  return text;
}

// Reads up to `size` bytes at `offset`, appending them to `out`; returns the count read.
size_t ReadAt(int fd, uint64_t offset, size_t size, std::string& out) {
  const size_t start = out.size();
  out.resize(start + size);
  size_t done = 0;
  while (done < size) {
    const ssize_t n =
        ::pread(fd, out.data() + start + done, size - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  out.resize(start + done);
  return done;
}

}  // namespace

LogTailer::LogTailer(LogTailerOptions options, std::span<const SourceOffset> restored)
    : options_(std::move(options)) {
  if (options_.clock == nullptr) options_.clock = &SystemClock::Instance();
  options_.max_event_bytes = std::max(options_.max_event_bytes, kMinEventBytes);
  options_.max_batch_events = std::max<size_t>(options_.max_batch_events, 1);
  options_.group_prefix = TrimTrailingSlashes(options_.group_prefix);
  // Positions are stored by path: an absolute, normalised data directory keeps them stable when
  // the collector is started with another spelling of the same directory.
  std::error_code error;
  fs::path dir = fs::absolute(options_.data_dir, error);
  if (error) dir = options_.data_dir;
  logs_dir_ = TrimTrailingSlashes((dir.lexically_normal() / "logs").string());
  for (const SourceOffset& offset : restored) restored_[offset.path] = offset;
}

LogTailer::~LogTailer() = default;

bool LogTailer::NamesFor(const std::string& path, std::string* group, std::string* stream) const {
  const std::string prefix = logs_dir_ + "/";
  if (path.size() <= prefix.size() || path.compare(0, prefix.size(), prefix) != 0) return false;
  const std::string_view rest = std::string_view(path).substr(prefix.size());
  const size_t slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) return false;
  const std::string_view service = rest.substr(0, slash);
  std::string_view file = rest.substr(slash + 1);
  if (file.size() <= kLogSuffix.size() || !file.ends_with(kLogSuffix) ||
      file.find('/') != std::string_view::npos) {
    return false;
  }
  const std::string_view task = file.substr(0, file.size() - kLogSuffix.size());
  std::string group_name = options_.group_prefix + "/" + std::string(service);
  std::string stream_name = "ecs/" + std::string(service) + "/" + std::string(task);
  if (!IsValidLogGroupName(group_name) || !IsValidLogStreamName(stream_name)) return false;
  *group = std::move(group_name);
  *stream = std::move(stream_name);
  return true;
}

int64_t LogTailer::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             options_.clock->Now().time_since_epoch())
      .count();
}

Status LogTailer::ListFiles() {
  std::error_code error;
  std::set<std::string> present;
  fs::directory_iterator services(logs_dir_, error);
  if (error) {
    // No logs directory yet (nothing started): nothing to tail.
    if (error == std::errc::no_such_file_or_directory) {
      files_.clear();
      return Status::Ok();
    }
    return Unavailable("cannot list " + logs_dir_ + ": " + error.message());
  }
  for (; services != fs::directory_iterator(); services.increment(error)) {
    if (error) break;
    if (!services->is_directory(error)) continue;
    fs::directory_iterator files(services->path(), error);
    if (error) continue;
    for (; files != fs::directory_iterator(); files.increment(error)) {
      if (error) break;
      if (!files->is_regular_file(error)) continue;
      const std::string path = files->path().string();
      if (!path.ends_with(kLogSuffix)) continue;
      present.insert(path);
      if (files_.contains(path) || skipped_paths_.contains(path)) continue;
      FileState state;
      if (!NamesFor(path, &state.group, &state.stream)) {
        skipped_paths_.insert(path);
        ++files_skipped_;
        continue;
      }
      state.path = path;
      if (auto it = restored_.find(path); it != restored_.end()) {
        state.file_id = it->second.file_id;
        state.offset = it->second.offset;
        restored_.erase(it);
      }
      files_.emplace(path, std::move(state));
    }
  }
  std::erase_if(files_, [&](const auto& entry) { return !present.contains(entry.first); });
  return Status::Ok();
}

bool LogTailer::BatchHasRoom(const PollContext& context, size_t events, size_t bytes) const {
  if (context.batch.events.empty()) return true;  // one line always ships, however large
  return context.batch.events.size() + events <= options_.max_batch_events &&
         context.batch_bytes + bytes + events * kEventOverhead <= options_.max_batch_bytes;
}

bool LogTailer::EmitLine(const FileState& state, std::string_view line, bool parse_json,
                         PollContext& context) {
  std::string first;
  Utf8Append appended = AppendValidUtf8(line, options_.max_event_bytes, true, first);
  if (appended.consumed == line.size()) {
    if (!BatchHasRoom(context, 1, first.size())) return false;
    LogLineFields fields;
    if (parse_json) fields = parser_.Parse(first);
    context.batch_bytes += first.size() + kEventOverhead;
    context.batch.events.push_back(NewLogEvent{state.group, state.stream,
                                               fields.timestamp_ms.value_or(context.now_ms),
                                               std::move(first), std::move(fields.trace_id)});
    return true;
  }
  // Longer than one event: pieces cut at character boundaries, stamped with the read time.
  std::vector<std::string> pieces;
  size_t bytes = first.size();
  pieces.push_back(std::move(first));
  line.remove_prefix(appended.consumed);
  while (!line.empty()) {
    std::string piece;
    line.remove_prefix(AppendValidUtf8(line, options_.max_event_bytes, true, piece).consumed);
    bytes += piece.size();
    pieces.push_back(std::move(piece));
  }
  if (!BatchHasRoom(context, pieces.size(), bytes)) return false;
  for (std::string& piece : pieces) {
    context.batch_bytes += piece.size() + kEventOverhead;
    context.batch.events.push_back(
        NewLogEvent{state.group, state.stream, context.now_ms, std::move(piece), ""});
  }
  ++pending_lines_split_;
  return true;
}

bool LogTailer::PollFile(const FileState& committed, PollContext& context) {
  FileState state = committed;
  struct stat info;
  if (::stat(state.path.c_str(), &info) != 0) return true;  // vanished: dropped on next listing
  const uint64_t file_id = FileIdOf(info);
  const uint64_t size = static_cast<uint64_t>(info.st_size);
  const bool reset = state.file_id != file_id || size < state.offset + state.carry.size();
  if (reset) {
    // Replaced or truncated: the file's content starts again at 0.
    if (state.file_id != 0 || state.offset != 0) ++pending_restarts_;
    state.file_id = file_id;
    state.offset = 0;
    state.carry.clear();
  }
  std::string& data = read_buffer_;
  data = state.carry;
  uint64_t read_from = state.offset + state.carry.size();
  const size_t batch_room = options_.max_batch_bytes > context.batch_bytes
                                ? options_.max_batch_bytes - context.batch_bytes
                                : 0;
  size_t want = static_cast<size_t>(
      std::min<uint64_t>({size - read_from, context.read_budget, std::max<size_t>(batch_room, 1)}));
  bool stopped = false;
  if (want > 0) {
    const int fd = ::open(state.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return true;  // unreadable for now: retried on the next Poll
    struct stat opened;
    const bool same = ::fstat(fd, &opened) == 0 && FileIdOf(opened) == file_id;
    if (!same) {
      ::close(fd);
      return true;  // replaced between stat and open: next Poll starts it over
    }
    // Disk blocks this tailer released (a hole) read as zeros: when reading from a fresh start
    // (say the store was started over), continue at the next data instead, from the first line
    // that starts there.
    if (state.carry.empty()) {
      const off_t next = ::lseek(fd, static_cast<off_t>(read_from), SEEK_DATA);
      const uint64_t data_at = next >= 0        ? static_cast<uint64_t>(next)
                               : errno == ENXIO ? size
                                                : read_from;
      if (data_at > read_from) {
        pending_holes_skipped_ += data_at - read_from;
        state.offset = data_at;
        state.resync = true;
        read_from = data_at;
        want = static_cast<size_t>(std::min<uint64_t>(want, size - read_from));
      }
    }
    const size_t got = want > 0 ? ReadAt(fd, read_from, want, data) : 0;
    ::close(fd);
    context.read_budget -= got;
    pending_bytes_read_ += got;
    if (read_from + got < size) stopped = true;  // more to read than this Poll may
  }

  // Complete lines.
  size_t consumed = 0;
  bool room = true;
  while (consumed < data.size()) {
    const void* newline = std::memchr(data.data() + consumed, '\n', data.size() - consumed);
    if (newline == nullptr) break;
    const size_t end = static_cast<size_t>(static_cast<const char*>(newline) - data.data());
    if (state.resync) {
      // The rest of a line that started in the released range, stored long ago.
      state.resync = false;
      consumed = end + 1;
      continue;
    }
    std::string_view line(data.data() + consumed, end - consumed);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && !EmitLine(state, line, /*parse_json=*/true, context)) {
      room = false;
      break;
    }
    consumed = end + 1;
  }
  if (state.resync) consumed = data.size();  // no line start yet: all of it is old
  state.offset += consumed;
  if (!room) {
    // Unshipped lines are read again next time rather than carried.
    state.carry.clear();
  } else {
    // A fragment's age counts from when its first byte was read.
    const bool fragment_grew = !reset && consumed == 0 && !committed.carry.empty();
    state.carry.assign(data, consumed);
    if (!fragment_grew && !state.carry.empty()) state.carry_since = context.now;
    // A fragment as long as an event ships in event-sized pieces while it grows.
    while (!state.carry.empty()) {
      std::string piece;
      const Utf8Append appended =
          AppendValidUtf8(state.carry, options_.max_event_bytes, false, piece);
      if (!appended.full) break;
      if (!BatchHasRoom(context, 1, piece.size())) {
        room = false;
        break;
      }
      context.batch_bytes += piece.size() + kEventOverhead;
      context.batch.events.push_back(
          NewLogEvent{state.group, state.stream, context.now_ms, std::move(piece), ""});
      state.carry.erase(0, appended.consumed);
      state.offset += appended.consumed;
      state.carry_since = context.now;
      ++pending_lines_split_;
    }
    // A fragment that waited long enough ships as it is.
    if (room && !state.carry.empty() &&
        context.now - state.carry_since >= options_.partial_flush_delay) {
      if (EmitLine(state, state.carry, /*parse_json=*/true, context)) {
        state.offset += state.carry.size();
        state.carry.clear();
        ++pending_partial_flushes_;
      } else {
        room = false;
      }
    }
  }

  const bool moved = state.offset != committed.offset || state.file_id != committed.file_id;
  if (moved) context.batch.offsets.push_back({state.path, state.file_id, state.offset});
  if (moved || state.carry != committed.carry || state.carry_since != committed.carry_since) {
    pending_.push_back({state.path, std::move(state)});
  }
  return room && !stopped;
}

Result<TailBatch> LogTailer::Poll() {
  ++sequence_;
  pending_.clear();
  pending_bytes_read_ = pending_lines_split_ = pending_partial_flushes_ = pending_restarts_ = 0;
  pending_holes_skipped_ = 0;
  CK_RETURN_IF_ERROR(ListFiles());
  PollContext context;
  context.read_budget = options_.max_read_bytes;
  context.now = options_.clock->Now();
  context.now_ms = NowMs();
  std::vector<const FileState*> order;
  order.reserve(files_.size());
  for (const auto& [path, state] : files_) order.push_back(&state);
  if (!order.empty()) {
    std::rotate(order.begin(), order.begin() + static_cast<ptrdiff_t>(next_file_ % order.size()),
                order.end());
    ++next_file_;
  }
  for (const FileState* state : order) {
    if (!PollFile(*state, context) || context.read_budget == 0) {
      context.batch.more = true;
      break;
    }
  }
  context.batch.sequence = sequence_;
  return std::move(context.batch);
}

void LogTailer::Commit(const TailBatch& batch) {
  if (batch.sequence != sequence_) return;
  for (Advance& advance : pending_) {
    auto it = files_.find(advance.path);
    if (it == files_.end()) continue;
    // A file read again from its start (replaced or truncated) has nothing released yet.
    const bool same_file =
        it->second.file_id == advance.state.file_id && advance.state.offset >= it->second.offset;
    const uint64_t released = same_file ? it->second.released : 0;
    it->second = std::move(advance.state);
    it->second.released = released;
    ReleaseStored(it->second);
  }
  pending_.clear();
  ++sequence_;  // a second Commit of the same batch is ignored
  events_ += batch.events.size();
  bytes_read_ += pending_bytes_read_;
  lines_split_ += pending_lines_split_;
  partial_flushes_ += pending_partial_flushes_;
  restarts_from_zero_ += pending_restarts_;
  bytes_skipped_in_holes_ += pending_holes_skipped_;
}

void LogTailer::ReleaseStored(FileState& state) {
  if (!ReleaseDue(state.offset, options_.keep_bytes, state.released)) return;
  const int fd = ::open(state.path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return;  // vanished or unwritable: the next Poll notices
  struct stat opened {};
  // Only the file whose positions these are: never punch a replacement under the same name.
  if (::fstat(fd, &opened) == 0 && FileIdOf(opened) == state.file_id) {
    PrefixRelease done = KeepRecentPart(fd, state.offset, options_.keep_bytes, state.released);
    bytes_released_ += done.freed;
    if (done.unsupported) ++release_unsupported_;
  }
  ::close(fd);
}

nlohmann::json LogTailer::StatsJson() const {
  return {{"files", files_.size()},
          {"bytes_read", bytes_read_},
          {"events", events_},
          {"lines_split", lines_split_},
          {"partial_flushes", partial_flushes_},
          {"restarts_from_zero", restarts_from_zero_},
          {"files_skipped", files_skipped_},
          {"bytes_released", bytes_released_},
          {"bytes_skipped_in_holes", bytes_skipped_in_holes_},
          {"release_unsupported", release_unsupported_}};
}

}  // namespace ck::collector::logs
