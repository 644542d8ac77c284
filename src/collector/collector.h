// Collector: the telemetry receiver the stack's services send traces to.
//
// It listens on
//   - UDP  :2000  the X-Ray daemon protocol (header line + one segment document per datagram),
//   - TCP  :2000  the X-Ray API: the daemon's sampling endpoints (GetSamplingRules,
//                 SamplingTargets) and the query API (GetServiceGraph, GetTraceSummaries,
//                 BatchGetTraces, GetTraceGraph, groups) — see xray_api.h,
//   - TCP  :2000  also the CloudWatch Logs API (Logs_20140328.* targets, Logs Insights queries)
//                 — see logs_api.h,
//   - TCP  :4318  OTLP/HTTP /v1/traces and /v1/logs (JSON or protobuf, optionally gzip).
// The API port also answers `GET /stats` (JSON counters) and `GET /metrics` (the same counters
// and process metrics in the Prometheus text format, collector_metrics.h).
// Logs: task output is tailed from the supervisor's files and stored with pushed OTLP records
// by the LogPipeline's writer thread (log_pipeline.h).
// Receivers decode on the I/O thread (without the JSON trees only reads show: the store keeps
// what arrived) and hand spans to a bounded queue; one writer thread stores them in the
// TraceStore in transactions of up to 2,000 spans (waiting up to 20 ms to fill one) and feeds
// the live ServiceGraph; queries run on a query thread. When the queue is full new spans are
// dropped and counted (OTLP answers 503), so a flood never blocks a sender or grows memory
// without bound.
//
//   asio::io_context io;
//   CK_ASSIGN_OR_RETURN(auto collector, Collector::Start(io, CollectorOptions{.data_dir = ".ck"}));
//   io.run();  // until collector->Shutdown() and the servers drain
//
// Thread-safety: Start/Shutdown on the io_context's thread; Flush and StatsJson from any
// thread. Destroy after the io_context has stopped running.
#pragma once

#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "collector/metrics/metric_types.h"
#include "collector/metrics_service.h"
#include "collector/model/span.h"
#include "core/status.h"
#include "telemetry/sampler.h"

namespace ck::collector {

struct CollectorOptions {
  std::string data_dir = ".ck";  // traces live in <data_dir>/telemetry/traces.sqlite3
  std::string host = "127.0.0.1";
  uint16_t xray_port = 2000;  // UDP daemon protocol and TCP API on the same number; 0 = pick
  std::optional<uint16_t> otlp_port = 4318;  // nullopt = no OTLP receiver; 0 = pick
  double retention_seconds = 24 * 3600;
  uint64_t max_spans = 2'000'000;
  size_t queue_capacity_spans = 200'000;
  // The queue is also bounded by an estimate of its memory (wire size + 2 KiB per span).
  size_t queue_capacity_bytes = 128u << 20;
  std::vector<telemetry::SamplingRule> sampling_rules = telemetry::Sampler::DefaultRules();
  // Logs (log_pipeline.h): tail <data_dir>/logs/<service>/<task>.log into log groups
  // <log_group_prefix>/<service>; OTLP /v1/logs and the CloudWatch Logs API on the API port.
  std::string log_group_prefix = "/ecs/cuddle-kube";
  bool tail_task_logs = true;
  uint64_t log_max_bytes = 1ull << 30;
  std::optional<int> log_retention_days = 30;
  // Metrics and alarms (metrics_service.h): Prometheus targets to scrape (asked from the metrics
  // thread), and alarms as PutMetricAlarm / PutCompositeAlarm bodies (the stack file's).
  std::function<std::vector<ScrapeEndpoint>()> scrape_targets;
  std::vector<nlohmann::json> alarms;
};

class Collector {
 public:
  static Result<std::unique_ptr<Collector>> Start(boost::asio::io_context& io,
                                                  CollectorOptions options);
  ~Collector();
  Collector(const Collector&) = delete;
  Collector& operator=(const Collector&) = delete;

  // Stops receiving; servers drain; the writer stores what is queued before the destructor ends.
  void Shutdown();

  boost::asio::ip::udp::endpoint udp_endpoint() const;
  boost::asio::ip::tcp::endpoint api_endpoint() const;
  std::optional<boost::asio::ip::tcp::endpoint> otlp_endpoint() const;

  // Blocks until everything queued so far is stored (tests and benchmarks).
  void Flush();
  // Counters: received, rejected and dropped datagrams/spans, queue depth, store statistics.
  nlohmann::json StatsJson() const;
  // Datums for the metric store (Container Insights samples from `ck up`); any thread.
  Status PutMetricData(std::vector<metrics::MetricDatum> data);

  struct Impl;

 private:
  explicit Collector(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ck::collector
