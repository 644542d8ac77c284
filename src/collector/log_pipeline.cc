#include "collector/log_pipeline.h"

#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <ctime>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>

#include "collector/logs/log_tailer.h"
#include "core/logger.h"
#include "telemetry/trace_context.h"

namespace ck::collector {

namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(200);
constexpr auto kRetentionInterval = std::chrono::seconds(60);
constexpr size_t kPerEventOverheadBytes = 128;

size_t EventBytes(const logs::NewLogEvent& event) {
  return event.group.size() + event.stream.size() + event.message.size() + event.trace_id.size() +
         kPerEventOverheadBytes;
}

}  // namespace

struct LogPipeline::Impl {
  LogPipelineOptions options;
  std::string store_path;
  std::unique_ptr<logs::LogStore> store;
  std::unique_ptr<logs::LogTailer> tailer;

  mutable std::mutex mutex;
  std::condition_variable wake;
  std::condition_variable passed;
  std::deque<std::vector<logs::NewLogEvent>> queue;
  size_t queue_events = 0;
  size_t queue_bytes = 0;
  uint64_t requested_pass = 0;  // Flush() asks for a pass with a number above this
  uint64_t completed_pass = 0;
  bool stopping = false;
  std::thread writer;

  std::atomic<uint64_t> pushed{0};
  std::atomic<uint64_t> dropped{0};
  std::atomic<uint64_t> tailed{0};
  std::atomic<uint64_t> stored{0};
  std::atomic<uint64_t> write_errors{0};
  std::atomic<uint64_t> bytes_released{0};  // task log file blocks freed (LogTailer)
  std::atomic<uint64_t> release_unsupported{0};

  // Stores one batch (one transaction) and shows it to on_stored; false on failure.
  bool Store(const std::vector<logs::NewLogEvent>& events,
             std::span<const logs::SourceOffset> offsets) {
    if (events.empty() && offsets.empty()) return true;
    Status status = store->Append(events, offsets);
    if (!status.ok()) {
      write_errors += events.size();
      Logger::Global().Error("log store write failed",
                             {{"error", status.message()}, {"events", events.size()}});
      return false;
    }
    stored += events.size();
    if (options.on_stored) {
      for (const auto& event : events) options.on_stored(event);
    }
    return true;
  }

  // One pass: what the tasks wrote (stored with the files' new positions, so a failed write is
  // read again next time), then what was pushed. Returns whether the tailer has more to read.
  bool Pass() {
    bool tail_more = false;
    if (tailer) {
      auto batch = tailer->Poll();
      if (!batch.ok()) {
        Logger::Global().Warn("log tailing failed", {{"error", batch.status().message()}});
      } else if (Store(batch->events, batch->offsets)) {
        tailer->Commit(*batch);
        tailed += batch->events.size();
        bytes_released = tailer->bytes_released();
        release_unsupported = tailer->release_unsupported();
        tail_more = batch->more;
      }
    }
    std::deque<std::vector<logs::NewLogEvent>> pushed_batches;
    {
      std::lock_guard lock(mutex);
      pushed_batches.swap(queue);
      queue_events = 0;
      queue_bytes = 0;
    }
    if (pushed_batches.size() == 1) {
      Store(pushed_batches.front(), {});
    } else if (!pushed_batches.empty()) {
      std::vector<logs::NewLogEvent> events;
      for (auto& pushed_batch : pushed_batches) {
        for (auto& event : pushed_batch) events.push_back(std::move(event));
      }
      Store(events, {});
    }
    return tail_more;
  }

  void Loop() {
    auto next_retention = std::chrono::steady_clock::now() + kRetentionInterval;
    while (true) {
      uint64_t pass_number;
      bool stop;
      {
        std::unique_lock lock(mutex);
        wake.wait_for(lock, kPollInterval, [&] {
          return stopping || !queue.empty() || requested_pass > completed_pass;
        });
        pass_number = requested_pass;
        stop = stopping;
      }
      // Drain: a burst larger than one poll's budget is read in consecutive passes.
      for (int round = 0; round < 64 && Pass(); ++round) {
      }
      {
        std::lock_guard lock(mutex);
        completed_pass = std::max(completed_pass, pass_number);
      }
      passed.notify_all();
      if (stop) break;
      if (std::chrono::steady_clock::now() >= next_retention) {
        next_retention = std::chrono::steady_clock::now() + kRetentionInterval;
        auto deleted = store->ApplyRetention();
        if (!deleted.ok()) {
          Logger::Global().Error("log retention failed", {{"error", deleted.status().message()}});
        }
      }
    }
  }
};

LogPipeline::LogPipeline(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<LogPipeline>> LogPipeline::Start(LogPipelineOptions options) {
  namespace fs = std::filesystem;
  const fs::path directory = fs::path(options.data_dir) / "telemetry";
  std::error_code error;
  fs::create_directories(directory, error);
  if (error) return Internal("cannot create " + directory.string() + ": " + error.message());

  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  impl->store_path = (directory / "logs.sqlite3").string();
  logs::LogStoreOptions store_options;
  store_options.max_bytes = impl->options.max_bytes;
  store_options.default_retention_days = impl->options.retention_days;
  CK_ASSIGN_OR_RETURN(impl->store, logs::LogStore::Open(impl->store_path, store_options));
  if (impl->options.tail_task_logs) {
    logs::LogTailerOptions tailer_options;
    tailer_options.data_dir = impl->options.data_dir;
    tailer_options.group_prefix = impl->options.group_prefix;
    CK_ASSIGN_OR_RETURN(auto offsets, impl->store->SourceOffsets());
    impl->tailer = std::make_unique<logs::LogTailer>(tailer_options, offsets);
  }
  Impl& self = *impl;
  impl->writer = std::thread([&self] { self.Loop(); });
  return std::unique_ptr<LogPipeline>(new LogPipeline(std::move(impl)));
}

LogPipeline::~LogPipeline() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
  }
  impl_->wake.notify_all();
  if (impl_->writer.joinable()) impl_->writer.join();
}

bool LogPipeline::Push(std::vector<logs::NewLogEvent> events) {
  const size_t count = events.size();
  impl_->pushed += count;
  if (count == 0) return true;
  size_t bytes = 0;
  for (const auto& event : events) bytes += EventBytes(event);
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopping || impl_->queue_events + count > impl_->options.queue_capacity_events ||
        impl_->queue_bytes + bytes > impl_->options.queue_capacity_bytes) {
      impl_->dropped += count;
      return false;
    }
    impl_->queue.push_back(std::move(events));
    impl_->queue_events += count;
    impl_->queue_bytes += bytes;
  }
  impl_->wake.notify_one();
  return true;
}

bool LogPipeline::QueueFull() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->queue_events >= impl_->options.queue_capacity_events ||
         impl_->queue_bytes >= impl_->options.queue_capacity_bytes;
}

void LogPipeline::Flush() {
  std::unique_lock lock(impl_->mutex);
  const uint64_t wanted = ++impl_->requested_pass;
  impl_->wake.notify_one();
  impl_->passed.wait(lock, [&] { return impl_->completed_pass >= wanted || impl_->stopping; });
}

nlohmann::json LogPipeline::StatsJson() const {
  nlohmann::json stats = {{"pushed", impl_->pushed.load()},
                          {"dropped", impl_->dropped.load()},
                          {"tailed", impl_->tailed.load()},
                          {"stored", impl_->stored.load()},
                          {"write_errors", impl_->write_errors.load()},
                          {"bytes_released", impl_->bytes_released.load()},
                          {"release_unsupported", impl_->release_unsupported.load()}};
  {
    std::lock_guard lock(impl_->mutex);
    stats["queue_events"] = impl_->queue_events;
    stats["queue_capacity_events"] = impl_->options.queue_capacity_events;
  }
  return stats;
}

const std::string& LogPipeline::store_path() const { return impl_->store_path; }

namespace {

// Characters CloudWatch allows in group names ([.-_/#A-Za-z0-9]); others become '_'.
std::string GroupSafe(std::string_view name) {
  std::string safe(name.empty() ? std::string_view("unknown_service") : name);
  for (char& c : safe) {
    const bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                         (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' || c == '#';
    if (!allowed) c = '_';
  }
  return safe.substr(0, 200);
}

std::string Rfc3339Millis(int64_t epoch_ms) {
  const std::time_t seconds = static_cast<std::time_t>(epoch_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(epoch_ms % 1000));
  return buffer;
}

}  // namespace

std::vector<logs::NewLogEvent> LogEventsFromOtlp(std::vector<otlp::OtlpLogRecord> records,
                                                 const std::string& group_prefix, int64_t now_ms) {
  std::vector<logs::NewLogEvent> events;
  events.reserve(records.size());
  for (otlp::OtlpLogRecord& record : records) {
    const std::string service = GroupSafe(record.service_name);
    int64_t timestamp_ms = record.time_unix_nano != 0 ? record.time_unix_nano / 1'000'000
                           : record.observed_time_unix_nano != 0
                               ? record.observed_time_unix_nano / 1'000'000
                               : now_ms;
    if (timestamp_ms <= 0) timestamp_ms = now_ms;
    std::string level = !record.severity_text.empty()
                            ? record.severity_text
                            : otlp::OtlpSeverityShortName(record.severity_number);
    for (char& c : level) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    nlohmann::json line = nlohmann::json::object();
    line["ts"] = Rfc3339Millis(timestamp_ms);
    if (!level.empty()) line["level"] = level;
    line["service"] = record.service_name.empty() ? "unknown_service" : record.service_name;
    line["msg"] = std::move(record.body);
    if (!record.scope_name.empty()) line["scope"] = std::move(record.scope_name);
    for (auto& [key, value] : record.attributes.items()) {
      if (!line.contains(key)) line[key] = std::move(value);
    }
    std::string trace_id;
    if (!record.trace_id.empty()) {
      trace_id = telemetry::W3cToXRayTraceId(record.trace_id).value_or("");
      if (!trace_id.empty()) line["trace_id"] = trace_id;
    }
    if (!record.span_id.empty()) line["span_id"] = std::move(record.span_id);
    events.push_back(logs::NewLogEvent{
        group_prefix + "/" + service, "otlp/" + service, timestamp_ms,
        line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), std::move(trace_id)});
  }
  return events;
}

}  // namespace ck::collector
