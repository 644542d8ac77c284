// MetricsService: the collector's metrics and alarms — a MetricStore fed by EMF log lines,
// pushed datums (Container Insights samples, PutMetricData) and scrapes of Prometheus /metrics
// targets, and an AlarmEngine evaluated against it whose actions log or call webhooks.
//
// Files: <data_dir>/telemetry/metrics.sqlite3 (the store) and <data_dir>/telemetry/alarms.json
// (definitions, states and history: AlarmEngine::ToJson, replaced atomically — temp file, fsync,
// rename — after every change and transition, restored at start; an unreadable file is moved
// aside to alarms.json.corrupt-<ms>, logged, and the service starts without alarms).
//
// One service thread, every second: Flush()es the store, scrapes the targets every
// scrape_interval, evaluates the alarms every evaluate_interval (against the store through a
// DatapointSource adapter), sends queued webhook notifications (at most ~2 s per tick) and saves
// the alarms when an action's outcome changed their history. Intervals <= 0 turn a periodic job
// off (the owner, or a test, then calls ScrapeNow / EvaluateNow itself; with evaluation off,
// webhook deliveries are also left to DeliverActions).
//
//   CK_ASSIGN_OR_RETURN(auto metrics, MetricsService::Start({.data_dir = ".ck",
//       .scrape_targets = [&] { return supervisor.ScrapeEndpoints(); }}));
//   log writer thread:  metrics->ObserveLogEvent(group, message, timestamp_ms);
//   any thread:         metrics->PutMetricData(std::move(container_insights_datums));
//   at start:           metrics->PutAlarms(stack.metric_alarms, stack.composite_alarms);
//   query thread:       MetricsApi(*metrics).Handle(request);
//
// Thread-safety: every public method may be called from any thread. The store and the engine are
// thread-safe themselves; scrapes, evaluations and deliveries are each serialized by their own
// mutex, so ScrapeNow / EvaluateNow / DeliverActions may run beside the service thread.
// Failure: Start fails when the data directory or the store cannot be opened; afterwards failures
// (scrapes, saves, webhooks, flushes) are counted in StatsJson and never stop the service.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "collector/alarm_actions.h"
#include "collector/alarms/alarm_engine.h"
#include "collector/metrics/metric_store.h"
#include "collector/metrics/prometheus_scrape.h"
#include "collector/metrics/prometheus_text.h"
#include "core/clock.h"
#include "core/status.h"

namespace ck::collector {

// One Prometheus target: its series land in namespace "ck/<job>" with dimension
// instance=<instance> (when not empty); `url` is the full http(s) URL of its /metrics.
struct ScrapeEndpoint {
  std::string job;
  std::string instance;
  std::string url;
};

struct MetricsServiceOptions {
  std::string data_dir = ".ck";
  std::chrono::milliseconds scrape_interval{10'000};    // <= 0: no periodic scrapes
  std::chrono::milliseconds evaluate_interval{10'000};  // <= 0: no periodic evaluation
  std::chrono::milliseconds flush_interval{1'000};      // <= 0: no periodic flushes
  // The targets, asked before every scrape (from the service thread; must be thread-safe).
  std::function<std::vector<ScrapeEndpoint>()> scrape_targets;
  int scrape_storage_resolution_s = 60;  // 1 stores scrapes at high resolution too
  std::chrono::milliseconds scrape_connect_timeout{500};
  std::chrono::milliseconds scrape_timeout{2'000};
  size_t scrape_max_body_bytes = 4u << 20;
  // TLS for https targets and webhooks; null: the system's CA store.
  std::shared_ptr<boost::asio::ssl::context> tls;
  size_t webhook_queue_capacity = 64;
  std::chrono::milliseconds webhook_timeout{2'000};
  // Store bounds and retention; `path` and `clock` are set by the service.
  metrics::MetricStoreOptions store;
  AlarmEngineOptions alarms;
  const Clock* clock = &SystemClock::Instance();
};

// The last scrape of one target.
struct TargetHealth {
  ScrapeEndpoint endpoint;
  bool up = false;
  std::string last_error;  // empty when up
  int64_t last_scrape_ms = 0;
  int64_t duration_ms = 0;
  uint64_t samples = 0;  // samples in the last successful scrape
};

class MetricsService {
 public:
  static Result<std::unique_ptr<MetricsService>> Start(MetricsServiceOptions options);
  // Stops the thread, flushes the store and saves the alarms. Undelivered webhook notifications
  // are dropped.
  ~MetricsService();
  MetricsService(const MetricsService&) = delete;
  MetricsService& operator=(const MetricsService&) = delete;

  // For every stored log event (on the log writer thread): lines without "_aws" cost one
  // substring search; EMF documents are decoded (metric_store.md, "EMF") and stored with the
  // document's own _aws.Timestamp (`timestamp_ms` is only kept with the last error). Valid,
  // invalid and refused documents are counted.
  void ObserveLogEvent(std::string_view group, std::string_view message, int64_t timestamp_ms);

  // A PutMetricData batch (Container Insights samples, the API). Errors as MetricStore's.
  Status PutMetricData(std::vector<metrics::MetricDatum> data);

  // Alarms from a stack file: metric alarms, then composite alarms (in dependency order), each
  // replacing an alarm of the same name (also one of the other type, when nothing refers to it).
  // Applies as many as it can; returns the first error (InvalidArgument naming the alarm). Saves.
  Status PutAlarms(const std::vector<MetricAlarmSpec>& metric_alarms,
                   const std::vector<CompositeAlarmSpec>& composite_alarms);

  // The periodic jobs, run now on the calling thread.
  void ScrapeNow();
  std::vector<AlarmTransition> EvaluateNow();
  size_t DeliverActions();  // sends every queued webhook notification
  Status Flush();           // the store's Flush

  // Writes alarms.json now. The API calls it after each change it makes; on failure the
  // service thread retries every second.
  Status SaveAlarms();

  // {"store": {...}, "scrapes_ok", "scrapes_failed", "scrape_datums_dropped", "emf_valid",
  //  "emf_invalid", "emf_rejected", "last_emf_error"?, "evaluations",
  //  "evaluation_read_failures", "alarm_transitions",
  //  "alarms", "alarm_history_dropped", "alarm_saves", "alarm_save_failures", "actions": {...},
  //  "action_failures", "flush_failures", "targets": [{job, instance, url, up, last_error,
  //  last_scrape_ms, duration_ms, samples}]}
  nlohmann::json StatsJson() const;
  std::vector<TargetHealth> Targets() const;

  // The Prometheus type of a scraped metric (namespace "ck/<job>", metric name) as its last
  // scrape declared it; nullopt when not scraped since start.
  std::optional<metrics::PrometheusType> ScrapedType(std::string_view metric_namespace,
                                                     std::string_view metric_name) const;

  metrics::MetricStore& store() { return *store_; }
  // Thread-safe itself; call SaveAlarms() after changing it.
  AlarmEngine& alarms() { return *engine_; }
  const MetricsServiceOptions& options() const { return options_; }
  int64_t NowMs() const;
  const std::string& alarms_path() const { return alarms_path_; }

 private:
  explicit MetricsService(MetricsServiceOptions options);
  Status RestoreAlarms();
  void Run();
  void ScrapeTarget(const ScrapeEndpoint& endpoint, int64_t now_ms);
  void RecordTypes(const ScrapeEndpoint& endpoint, const metrics::PrometheusExposition& scrape);
  void StoreScraped(std::vector<metrics::MetricDatum> datums);

  const MetricsServiceOptions options_;
  std::string alarms_path_;
  std::unique_ptr<metrics::MetricStore> store_;
  std::unique_ptr<AlarmActions> actions_;
  std::unique_ptr<AlarmEngine> engine_;

  std::mutex scrape_mutex_;  // one scrape at a time; guards scrape_states_
  std::map<std::string, metrics::ScrapeState> scrape_states_;
  std::mutex evaluate_mutex_;
  std::mutex deliver_mutex_;
  std::mutex save_mutex_;  // ToJson and the file write together, so the newest snapshot wins

  mutable std::mutex mutex_;  // guards what follows
  std::map<std::string, TargetHealth> targets_;
  std::map<std::pair<std::string, std::string>, metrics::PrometheusType> types_;
  nlohmann::json last_emf_error_;
  uint64_t scrapes_ok_ = 0;
  uint64_t scrapes_failed_ = 0;
  uint64_t scrape_datums_dropped_ = 0;
  uint64_t evaluations_ = 0;
  uint64_t evaluation_read_failures_ = 0;  // alarms left unevaluated: the store failed
  uint64_t alarm_transitions_ = 0;
  uint64_t alarm_saves_ = 0;
  uint64_t alarm_save_failures_ = 0;
  uint64_t flush_failures_ = 0;

  std::atomic<uint64_t> emf_valid_{0};
  std::atomic<uint64_t> emf_invalid_{0};
  std::atomic<uint64_t> emf_rejected_{0};
  std::atomic<bool> alarms_dirty_{false};

  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace ck::collector
