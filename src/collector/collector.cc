#include "collector/collector.h"

#include <malloc.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <thread>

#include "collector/alarms/alarm_json.h"
#include "collector/collector_metrics.h"
#include "collector/log_pipeline.h"
#include "collector/logs_api.h"
#include "collector/metrics_api.h"
#include "collector/model/xray_document.h"
#include "collector/otlp/otlp_http.h"
#include "collector/service_graph.h"
#include "collector/trace_store.h"
#include "collector/xray_api.h"
#include "core/logger.h"
#include "http/offload.h"
#include "http/server.h"
#include "telemetry/metrics.h"
#include "telemetry/process_metrics.h"

namespace ck::collector {

namespace asio = boost::asio;

namespace {

// An OTLP reply as the HTTP response, with Retry-After when it asks for one.
http::HttpResponse ReplyResponse(otlp::OtlpReply reply, unsigned version) {
  http::HttpResponse response =
      http::MakeResponse(static_cast<http::HttpStatus>(reply.status), reply.content_type,
                         std::move(reply.body), version);
  if (reply.retry_after_seconds) {
    response.set(boost::beast::http::field::retry_after,
                 std::to_string(*reply.retry_after_seconds));
  }
  return response;
}

double NowSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

constexpr size_t kWriteBatchSpans = 2000;
// A writer woken for a partial batch waits this long for a full one: under load, one transaction
// then stores thousands of spans and writes each database page once instead of once per datagram.
constexpr auto kWriteBatchWait = std::chrono::milliseconds(20);
// In-memory cost of a queued span beyond its share of the wire bytes (measured ~2-5 KB).
constexpr size_t kQueuedSpanOverheadBytes = 2048;
// After a burst this large has drained, freed memory is handed back to the OS.
constexpr size_t kTrimAfterSpans = 20'000;
constexpr double kRetentionEverySeconds = 30;

// The stack file's alarms (PutMetricAlarm / PutCompositeAlarm bodies) into the engine; the
// first invalid one fails the start with its name.
Status PutStackAlarms(MetricsService& service, const std::vector<nlohmann::json>& bodies) {
  std::vector<MetricAlarmSpec> metric_alarms;
  std::vector<CompositeAlarmSpec> composite_alarms;
  for (const nlohmann::json& body : bodies) {
    CK_ASSIGN_OR_RETURN(AlarmJson parsed, ParseAlarmJson(body.dump()));
    const std::string name = body.value("AlarmName", "");
    if (parsed.contains("AlarmRule")) {
      auto spec = ParsePutCompositeAlarm(parsed);
      if (!spec.ok()) return InvalidArgument("alarm " + name + ": " + spec.status().message());
      composite_alarms.push_back(std::move(*spec));
    } else {
      auto spec = ParsePutMetricAlarm(parsed);
      if (!spec.ok()) return InvalidArgument("alarm " + name + ": " + spec.status().message());
      metric_alarms.push_back(std::move(*spec));
    }
  }
  if (metric_alarms.empty() && composite_alarms.empty()) return Status::Ok();
  return service.PutAlarms(metric_alarms, composite_alarms);
}

}  // namespace

struct Collector::Impl {
  CollectorOptions options;
  asio::io_context& io;
  std::unique_ptr<TraceStore> store;
  ServiceGraph graph;
  std::unique_ptr<XRayApi> api;
  std::unique_ptr<LogPipeline> log_pipeline;
  std::unique_ptr<logs::LogStore> log_reader;  // the query thread's connection
  std::unique_ptr<LogsApi> logs_api;
  std::unique_ptr<MetricsService> metrics_service;
  std::unique_ptr<MetricsApi> metrics_api;

  asio::ip::udp::socket udp;
  std::unique_ptr<http::HttpServer> api_server;
  std::unique_ptr<http::HttpServer> otlp_server;
  asio::ip::tcp::endpoint api_endpoint;
  std::optional<asio::ip::tcp::endpoint> otlp_endpoint;

  // Query thread: SQLite reads never run on the I/O thread.
  asio::io_context query_io;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> query_guard;
  std::thread query_thread;

  // Ingest queue, drained by the writer thread.
  std::mutex queue_mutex;
  std::condition_variable queue_ready;
  std::condition_variable queue_drained;
  std::deque<TraceWrite> queue;
  size_t queue_spans = 0;
  size_t queue_bytes = 0;
  std::deque<size_t> queue_item_bytes;  // per queued item, to release its share
  size_t peak_since_trim = 0;
  bool stopping = false;
  size_t in_flight = 0;
  size_t flush_waiters = 0;  // Flush() callers: the writer stops waiting for a full batch
  std::thread writer_thread;

  std::atomic<uint64_t> datagrams_received{0};
  std::atomic<uint64_t> datagrams_rejected{0};
  std::atomic<uint64_t> spans_received{0};
  std::atomic<uint64_t> spans_dropped{0};
  std::atomic<uint64_t> spans_stored{0};
  std::atomic<uint64_t> write_errors{0};
  std::atomic<uint64_t> otlp_requests{0};
  std::atomic<uint64_t> otlp_rejected_requests{0};
  std::atomic<uint64_t> otlp_rejected_spans{0};
  std::string last_rejection;
  std::mutex rejection_mutex;
  telemetry::MetricsRegistry metrics;  // GET /metrics on the API port

  Impl(asio::io_context& io_context, CollectorOptions collector_options)
      : options(std::move(collector_options)), io(io_context), udp(io_context) {}

  void NoteRejection(const std::string& reason) {
    std::lock_guard lock(rejection_mutex);
    last_rejection = reason;
  }

  bool QueueFull() {
    std::lock_guard lock(queue_mutex);
    return queue_spans >= options.queue_capacity_spans ||
           queue_bytes >= options.queue_capacity_bytes;
  }

  // Queues writes[0..count) whole, or none of them when the queue cannot take them all (counted
  // as dropped). `wire_bytes`: the size of what they arrived in (datagram, request body).
  bool Enqueue(TraceWrite* writes, size_t count, size_t wire_bytes) {
    size_t spans = 0;
    size_t bytes = wire_bytes;
    for (size_t i = 0; i < count; ++i) {
      spans += writes[i].spans.size();
      bytes += writes[i].document.size() + writes[i].spans.size() * kQueuedSpanOverheadBytes;
    }
    spans_received += spans;
    if (spans == 0) return true;
    bool wake = false;
    {
      std::lock_guard lock(queue_mutex);
      if (stopping || queue_spans + spans > options.queue_capacity_spans ||
          queue_bytes + bytes > options.queue_capacity_bytes) {
        spans_dropped += spans;
        return false;
      }
      // The writer waits either for a first item or for a full batch: wake it only then, so a
      // steady stream costs no futex call per datagram.
      wake = queue.empty() ||
             (queue_spans < kWriteBatchSpans && queue_spans + spans >= kWriteBatchSpans);
      for (size_t i = 0; i < count; ++i) {
        if (writes[i].spans.empty()) continue;
        const size_t item_bytes = writes[i].document.size() +
                                  writes[i].spans.size() * kQueuedSpanOverheadBytes +
                                  (i == 0 ? wire_bytes : 0);
        queue.push_back(std::move(writes[i]));
        queue_item_bytes.push_back(item_bytes);
      }
      queue_bytes += bytes;
      queue_spans += spans;
      peak_since_trim = std::max(peak_since_trim, queue_spans);
    }
    if (wake) queue_ready.notify_one();
    return true;
  }

  void WriterLoop() {
    double next_retention = NowSeconds() + kRetentionEverySeconds;
    while (true) {
      std::vector<TraceWrite> batch;
      size_t batch_spans = 0;
      {
        std::unique_lock lock(queue_mutex);
        queue_ready.wait_for(lock, std::chrono::seconds(1),
                             [&] { return stopping || !queue.empty(); });
        if (queue.empty() && stopping) break;
        if (!queue.empty() && queue_spans < kWriteBatchSpans) {
          queue_ready.wait_for(lock, kWriteBatchWait, [&] {
            return stopping || flush_waiters > 0 || queue_spans >= kWriteBatchSpans;
          });
        }
        while (!queue.empty() && batch_spans < kWriteBatchSpans) {
          batch_spans += queue.front().spans.size();
          batch.push_back(std::move(queue.front()));
          queue.pop_front();
          queue_bytes -= queue_item_bytes.front();
          queue_item_bytes.pop_front();
        }
        queue_spans -= batch_spans;
        in_flight = batch_spans;
      }
      if (!batch.empty()) {
        Status status = store->Write(batch);
        if (status.ok()) {
          spans_stored += batch_spans;
          for (const TraceWrite& write : batch) {
            for (const Span& span : write.spans) graph.Add(span);
          }
        } else {
          write_errors += batch_spans;
          Logger::Global().Error("trace store write failed",
                                 {{"error", status.message()}, {"spans", batch_spans}});
        }
      }
      batch.clear();
      bool trim = false;
      {
        std::lock_guard lock(queue_mutex);
        in_flight = 0;
        if (queue.empty() && peak_since_trim >= kTrimAfterSpans) {
          peak_since_trim = 0;
          trim = true;
        }
      }
      queue_drained.notify_all();
      // glibc keeps freed burst memory in its arenas; give it back so RSS falls again.
      if (trim) ::malloc_trim(0);
      if (NowSeconds() >= next_retention) {
        next_retention = NowSeconds() + kRetentionEverySeconds;
        Status status = store->EnforceRetention(NowSeconds());
        if (!status.ok()) {
          Logger::Global().Error("trace retention failed", {{"error", status.message()}});
        }
      }
    }
  }

  void HandleDatagram(std::string_view datagram) {
    ++datagrams_received;
    std::string_view document;
    // The store keeps the document's text: ingest needs no JSON trees of it.
    auto spans = DecodeDatagram(datagram, &document, SpanDetail::kIndex);
    if (!spans.ok()) {
      ++datagrams_rejected;
      NoteRejection(spans.status().message());
      return;
    }
    for (Span& span : *spans) span.source = SpanSource::kXRay;
    TraceWrite write{std::move(*spans), std::string(document), DocumentFormat::kXRayJson};
    Enqueue(&write, 1, datagram.size());
  }

  asio::awaitable<void> ReceiveDatagrams() {
    std::vector<char> buffer(kMaxDatagramBytes + 1);
    asio::ip::udp::endpoint sender;
    while (true) {
      boost::system::error_code error;
      size_t size = co_await udp.async_receive_from(
          asio::buffer(buffer), sender, asio::redirect_error(asio::use_awaitable, error));
      if (error == asio::error::operation_aborted || !udp.is_open()) co_return;
      if (error) continue;  // e.g. ICMP port unreachable reported on the socket
      HandleDatagram(std::string_view(buffer.data(), size));
    }
  }

  http::HttpResponse HandleOtlp(const http::HttpRequest& request) {
    ++otlp_requests;
    if (request.target() == "/v1/logs") return HandleOtlpLogs(request);
    if (request.target() != "/v1/traces") {
      return http::MakeJsonError(http::HttpStatus::not_found,
                                 "unknown path; OTLP goes to POST /v1/traces or /v1/logs");
    }
    if (request.method() != boost::beast::http::verb::post) {
      return http::MakeJsonError(http::HttpStatus::method_not_allowed, "use POST");
    }
    if (QueueFull()) {
      // Refuse before decoding: a client retrying into a full queue costs nothing but this.
      ++otlp_rejected_requests;
      return ReplyResponse(otlp::OtlpOverloaded(http::HeaderValue(request, "Content-Type"), 1),
                           request.version());
    }
    otlp::OtlpLimits limits;
    std::vector<otlp::OtlpTraceGroup> groups;
    otlp::OtlpReply reply = otlp::HandleTraceExportByTrace(
        http::HeaderValue(request, "Content-Type"), http::HeaderValue(request, "Content-Encoding"),
        request.body(), limits, &groups);
    if (reply.status >= 400) {
      ++otlp_rejected_requests;
      NoteRejection("OTLP: HTTP " + std::to_string(reply.status));
    }
    if (reply.status == 200 && !groups.empty()) {
      // One row per trace: the group's protobuf is stored and mapped again, in full, on read.
      std::vector<TraceWrite> writes;
      writes.reserve(groups.size());
      size_t count = 0;
      for (otlp::OtlpTraceGroup& group : groups) {
        count += group.spans.size();
        writes.push_back(TraceWrite{std::move(group.spans), std::move(group.protobuf),
                                    DocumentFormat::kOtlpProtobuf});
      }
      if (!Enqueue(writes.data(), writes.size(), request.body().size())) {
        reply = otlp::OtlpOverloaded(http::HeaderValue(request, "Content-Type"), 1);
        NoteRejection("OTLP: queue full, " + std::to_string(count) + " spans dropped");
      }
    }
    return ReplyResponse(std::move(reply), request.version());
  }

  http::HttpResponse HandleOtlpLogs(const http::HttpRequest& request) {
    const std::string_view content_type = http::HeaderValue(request, "Content-Type");
    otlp::OtlpReply reply;
    if (request.method() != boost::beast::http::verb::post) {
      return http::MakeJsonError(http::HttpStatus::method_not_allowed, "use POST");
    }
    if (log_pipeline->QueueFull()) {
      reply = otlp::OtlpOverloaded(content_type, 1);
    } else {
      std::vector<otlp::OtlpLogRecord> records;
      reply = otlp::HandleLogsExport(content_type, http::HeaderValue(request, "Content-Encoding"),
                                     request.body(), otlp::OtlpLimits{}, &records);
      if (reply.status == 200 && !records.empty()) {
        const int64_t now_ms = static_cast<int64_t>(NowSeconds() * 1000);
        if (!log_pipeline->Push(
                LogEventsFromOtlp(std::move(records), options.log_group_prefix, now_ms))) {
          reply = otlp::OtlpOverloaded(content_type, 1);
        }
      }
    }
    if (reply.status >= 400) {
      ++otlp_rejected_requests;
      NoteRejection("OTLP logs: HTTP " + std::to_string(reply.status));
    }
    return ReplyResponse(std::move(reply), request.version());
  }

  nlohmann::json Stats() {
    nlohmann::json stats = {
        {"datagrams_received", datagrams_received.load()},
        {"datagrams_rejected", datagrams_rejected.load()},
        {"spans_received", spans_received.load()},
        {"spans_dropped", spans_dropped.load()},
        {"spans_stored", spans_stored.load()},
        {"write_errors", write_errors.load()},
        {"otlp_requests", otlp_requests.load()},
        {"otlp_rejected_requests", otlp_rejected_requests.load()},
        {"graph_dropped_nodes", graph.dropped_nodes()},
    };
    {
      std::lock_guard lock(queue_mutex);
      stats["queue_depth"] = queue_spans + in_flight;
      stats["queue_capacity"] = options.queue_capacity_spans;
      stats["queue_bytes"] = queue_bytes;
      stats["queue_capacity_bytes"] = options.queue_capacity_bytes;
    }
    {
      std::lock_guard lock(rejection_mutex);
      stats["last_rejection"] = last_rejection;
    }
    stats["logs"] = log_pipeline->StatsJson();
    stats["metrics"] = metrics_service->StatsJson();
    TraceStoreStats store_stats = store->stats();
    stats["store"] = {{"spans_written", store_stats.spans_written},
                      {"spans_replaced", store_stats.spans_replaced},
                      {"spans_stored", store_stats.spans_stored},
                      {"traces_expired", store_stats.traces_expired},
                      {"retention_seconds", options.retention_seconds},
                      {"max_spans", options.max_spans}};
    return stats;
  }
};

Collector::Collector(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<Collector>> Collector::Start(asio::io_context& io,
                                                    CollectorOptions options) {
  namespace fs = std::filesystem;
  const fs::path directory = fs::path(options.data_dir) / "telemetry";
  std::error_code error;
  fs::create_directories(directory, error);
  if (error) return Internal("cannot create " + directory.string() + ": " + error.message());

  auto impl = std::make_unique<Impl>(io, std::move(options));
  Impl& self = *impl;
  TraceStoreOptions store_options;
  store_options.path = (directory / "traces.sqlite3").string();
  store_options.retention_seconds = self.options.retention_seconds;
  store_options.max_spans = self.options.max_spans;
  CK_ASSIGN_OR_RETURN(self.store, TraceStore::Open(store_options));
  self.api = std::make_unique<XRayApi>(*self.store, self.graph, self.options.sampling_rules);
  CK_RETURN_IF_ERROR(AddCollectorMetrics(self.metrics, [&self] { return self.Stats(); }));
  CK_RETURN_IF_ERROR(telemetry::AddProcessMetrics(self.metrics));
  MetricsServiceOptions metrics_options;
  metrics_options.data_dir = self.options.data_dir;
  metrics_options.scrape_targets = self.options.scrape_targets;
  CK_ASSIGN_OR_RETURN(self.metrics_service, MetricsService::Start(std::move(metrics_options)));
  CK_RETURN_IF_ERROR(PutStackAlarms(*self.metrics_service, self.options.alarms));
  self.metrics_api = std::make_unique<MetricsApi>(*self.metrics_service);
  LogPipelineOptions log_options;
  log_options.on_stored = [metrics = self.metrics_service.get()](const logs::NewLogEvent& event) {
    metrics->ObserveLogEvent(event.group, event.message, event.timestamp_ms);
  };
  log_options.data_dir = self.options.data_dir;
  log_options.group_prefix = self.options.log_group_prefix;
  log_options.tail_task_logs = self.options.tail_task_logs;
  log_options.max_bytes = self.options.log_max_bytes;
  log_options.retention_days = self.options.log_retention_days;
  CK_ASSIGN_OR_RETURN(self.log_pipeline, LogPipeline::Start(std::move(log_options)));
  CK_ASSIGN_OR_RETURN(self.log_reader, logs::LogStore::Open(self.log_pipeline->store_path()));
  self.logs_api = std::make_unique<LogsApi>(*self.log_reader);

  boost::system::error_code bind_error;
  const auto address = asio::ip::make_address(self.options.host, bind_error);
  if (bind_error) return InvalidArgument("bad collector address '" + self.options.host + "'");
  http::ServerOptions api_options;
  api_options.server_name = "ck-collector";
  api_options.body_limit_bytes = 4 << 20;  // PutLogEvents batches are up to 1 MiB of text
  auto make_api_server = [&self, &io, api_options] {
    return std::make_unique<http::HttpServer>(
        io, api_options, [&self](http::HttpRequest request) -> asio::awaitable<http::HttpResponse> {
          if (telemetry::IsMetricsRequest(request)) {
            co_return telemetry::MetricsResponse(self.metrics, request);
          }
          if (request.target() == "/stats") {
            co_return http::MakeResponse(http::HttpStatus::ok, "application/json",
                                         self.Stats().dump() + "\n", request.version());
          }
          const http::HttpRequest* incoming = &request;
          if (MetricsApi::Accepts(request)) {
            co_return co_await http::OffloadTo(self.query_io.get_executor(), [&self, incoming] {
              return self.metrics_api->Handle(*incoming);
            });
          }
          if (LogsApi::Accepts(request)) {
            co_return co_await http::OffloadTo(self.query_io.get_executor(), [&self, incoming] {
              return self.logs_api->Handle(*incoming);
            });
          }
          co_return co_await http::OffloadTo(self.query_io.get_executor(), [&self, incoming] {
            return self.api->Handle(*incoming);
          });
        });
  };
  // UDP first, then the TCP API on the same number, as the X-Ray daemon does. With port 0 the
  // number UDP got may be taken for TCP by another process: try another one.
  constexpr int kPortAttempts = 20;
  for (int attempt = 1;; ++attempt) {
    boost::system::error_code ignored;
    self.udp.close(ignored);
    self.udp.open(address.is_v6() ? asio::ip::udp::v6() : asio::ip::udp::v4(), bind_error);
    if (!bind_error) {
      self.udp.set_option(asio::socket_base::receive_buffer_size(4 << 20), bind_error);
      bind_error = {};
      self.udp.bind(asio::ip::udp::endpoint(address, self.options.xray_port), bind_error);
    }
    if (bind_error) {
      return Unavailable("cannot bind UDP " + self.options.host + ":" +
                         std::to_string(self.options.xray_port) + ": " + bind_error.message());
    }
    const uint16_t xray_port = self.udp.local_endpoint().port();
    self.api_server = make_api_server();
    auto listening = self.api_server->Listen(self.options.host, xray_port);
    if (listening.ok()) {
      self.api_endpoint = *listening;
      break;
    }
    if (self.options.xray_port != 0 || attempt == kPortAttempts) {
      self.udp.close(ignored);
      return listening.status();
    }
  }

  self.query_guard.emplace(asio::make_work_guard(self.query_io));
  self.query_thread = std::thread([&self] { self.query_io.run(); });
  self.writer_thread = std::thread([&self] { self.WriterLoop(); });
  auto collector = std::unique_ptr<Collector>(new Collector(std::move(impl)));
  self.api_server->Start();

  if (self.options.otlp_port) {
    http::ServerOptions otlp_options;
    otlp_options.server_name = "ck-collector";
    otlp_options.body_limit_bytes = otlp::OtlpLimits{}.max_body_bytes;
    // Requests the server itself rejects (too large, malformed) still get a google.rpc.Status.
    otlp_options.error_response = [](http::HttpStatus status, const std::string& message,
                                     std::string_view content_type, unsigned version) {
      otlp::OtlpReply reply = otlp::OtlpErrorReply(content_type, static_cast<int>(status), message);
      return http::MakeResponse(status, reply.content_type, std::move(reply.body), version);
    };
    self.otlp_server = std::make_unique<http::HttpServer>(
        io, otlp_options,
        [&self](http::HttpRequest request) -> asio::awaitable<http::HttpResponse> {
          co_return self.HandleOtlp(request);
        });
    CK_ASSIGN_OR_RETURN(self.otlp_endpoint,
                        self.otlp_server->Listen(self.options.host, *self.options.otlp_port));
    self.otlp_server->Start();
  }

  asio::co_spawn(io, self.ReceiveDatagrams(), asio::detached);
  Logger::Global().Info(
      "collector listening",
      {{"xray_udp", self.options.host + ":" + std::to_string(self.udp.local_endpoint().port())},
       {"xray_api", "http://" + self.options.host + ":" + std::to_string(self.api_endpoint.port())},
       {"otlp", self.otlp_endpoint ? "http://" + self.options.host + ":" +
                                         std::to_string(self.otlp_endpoint->port())
                                   : std::string("off")},
       {"store", store_options.path}});
  return collector;
}

Collector::~Collector() {
  if (!impl_) return;
  {
    std::lock_guard lock(impl_->queue_mutex);
    impl_->stopping = true;
  }
  impl_->queue_ready.notify_all();
  if (impl_->writer_thread.joinable()) impl_->writer_thread.join();
  impl_->query_guard.reset();
  if (impl_->query_thread.joinable()) impl_->query_thread.join();
  impl_->log_pipeline.reset();     // stores what is queued and tailed
  impl_->metrics_service.reset();  // flushes the store, saves the alarms
}

Status Collector::PutMetricData(std::vector<metrics::MetricDatum> data) {
  return impl_->metrics_service->PutMetricData(std::move(data));
}

void Collector::Shutdown() {
  boost::system::error_code ignored;
  impl_->udp.close(ignored);
  if (impl_->api_server) impl_->api_server->Shutdown();
  if (impl_->otlp_server) impl_->otlp_server->Shutdown();
}

asio::ip::udp::endpoint Collector::udp_endpoint() const {
  boost::system::error_code ignored;
  return impl_->udp.local_endpoint(ignored);
}

asio::ip::tcp::endpoint Collector::api_endpoint() const { return impl_->api_endpoint; }

std::optional<asio::ip::tcp::endpoint> Collector::otlp_endpoint() const {
  return impl_->otlp_endpoint;
}

void Collector::Flush() {
  std::unique_lock lock(impl_->queue_mutex);
  ++impl_->flush_waiters;
  impl_->queue_ready.notify_one();
  impl_->queue_drained.wait(lock, [&] { return impl_->queue.empty() && impl_->in_flight == 0; });
  --impl_->flush_waiters;
  lock.unlock();
  impl_->log_pipeline->Flush();
}

nlohmann::json Collector::StatsJson() const { return impl_->Stats(); }

}  // namespace ck::collector
