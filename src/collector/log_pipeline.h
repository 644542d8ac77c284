// LogPipeline: the collector's log ingest — task output tailed from the supervisor's files and
// records pushed over OTLP/HTTP /v1/logs, stored in the LogStore by one writer thread.
//
// Every ~200 ms (or as soon as pushed records are queued) the writer reads what the tasks wrote
// since the last pass (LogTailer: group <group_prefix>/<service>, stream ecs/<service>/<task>),
// takes the queued records, and appends both in one transaction together with the files' new
// read positions, so a restart neither loses nor repeats a line. Retention runs every minute.
// Pushed records wait in a bounded queue (events and bytes); when it is full they are refused
// and counted, and OTLP answers 429.
//
//   CK_ASSIGN_OR_RETURN(auto logs, LogPipeline::Start(LogPipelineOptions{.data_dir = ".ck"}));
//   logs->Push(std::move(events));   // from any thread
//   logs->Flush();                   // tests: everything written so far is stored
//
// Thread-safety: Push, Flush and StatsJson from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "collector/logs/log_store.h"
#include "collector/otlp/otlp_logs_request.h"
#include "core/status.h"

namespace ck::collector {

struct LogPipelineOptions {
  std::string data_dir = ".ck";  // tails <data_dir>/logs; stores <data_dir>/telemetry/logs.sqlite3
  std::string group_prefix = "/ecs/cuddle-kube";
  bool tail_task_logs = true;
  uint64_t max_bytes = 1ull << 30;
  std::optional<int> retention_days = 30;  // for groups created by ingest
  size_t queue_capacity_events = 100'000;
  size_t queue_capacity_bytes = 64u << 20;
  // Sees every stored event after its batch committed (EMF extraction); on the writer thread.
  std::function<void(const logs::NewLogEvent&)> on_stored;
};

class LogPipeline {
 public:
  static Result<std::unique_ptr<LogPipeline>> Start(LogPipelineOptions options);
  ~LogPipeline();  // stores what is queued and tailed, then stops
  LogPipeline(const LogPipeline&) = delete;
  LogPipeline& operator=(const LogPipeline&) = delete;

  // Queues pushed events; false (and counted as dropped) when the queue is full.
  bool Push(std::vector<logs::NewLogEvent> events);
  bool QueueFull() const;
  // Blocks until everything pushed and every line written to the task files so far is stored.
  void Flush();
  nlohmann::json StatsJson() const;

  const std::string& store_path() const;

  struct Impl;

 private:
  explicit LogPipeline(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// OTLP log records as log events: group <group_prefix>/<service.name>, stream
// otlp/<service.name>, and a JSON message shaped like our services' log lines
// ({"ts", "level", "msg", "service", attributes..., "trace_id" (X-Ray form), "span_id"}), so
// Insights queries and trace links treat both alike. Names are made valid CloudWatch names.
std::vector<logs::NewLogEvent> LogEventsFromOtlp(std::vector<otlp::OtlpLogRecord> records,
                                                 const std::string& group_prefix, int64_t now_ms);

}  // namespace ck::collector
