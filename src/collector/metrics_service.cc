#include "collector/metrics_service.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "collector/alarms/alarm_json.h"
#include "collector/metric_alarm_source.h"
#include "collector/metrics/emf.h"
#include "collector/metrics_prometheus.h"
#include "core/logger.h"
#include "http/client.h"
#include "http/url.h"

namespace ck::collector {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Scraped series carry every label (route, method, code, instance...), and alarms watch one
// exact series, so each scraped datum is also stored in per-job rollups: without dimensions
// (all routes, codes and tasks of the job together), and, for series with an HTTP status
// "code", with only "code_class" ("5xx"). The store merges the puts of one period, so a
// rollup's Sum, SampleCount and percentiles are those of its parts.
std::vector<metrics::MetricDatum> WithRollups(std::vector<metrics::MetricDatum> datums) {
  const size_t original = datums.size();
  for (size_t i = 0; i < original; ++i) {
    if (datums[i].key.dimensions.empty()) continue;
    metrics::MetricDatum rollup = datums[i];
    rollup.key.dimensions.clear();
    for (const metrics::Dimension& dimension : datums[i].key.dimensions) {
      if (dimension.name == "code" && dimension.value.size() == 3) {
        metrics::MetricDatum by_class = rollup;
        by_class.key.dimensions = {{"code_class", dimension.value.substr(0, 1) + "xx"}};
        datums.push_back(std::move(by_class));
      }
    }
    datums.push_back(std::move(rollup));
  }
  return datums;
}

constexpr auto kTick = std::chrono::seconds(1);
constexpr auto kDeliveryBudget = std::chrono::seconds(2);
constexpr size_t kMaxKnownTypes = 50'000;
constexpr size_t kMaxEmfErrorBytes = 512;

// Writes `contents` to `path` so that a crash leaves either the old or the new file: a temp file
// beside it, fsync, rename over, fsync of the directory.
Status WriteFileAtomically(const std::string& path, const std::string& contents) {
  const std::string temp = path + ".tmp";
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Unavailable("cannot create " + temp + ": " + std::strerror(errno));
  size_t written = 0;
  while (written < contents.size()) {
    ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::string error = std::strerror(errno);
      ::close(fd);
      return Unavailable("cannot write " + temp + ": " + error);
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    return Unavailable("cannot sync " + temp + ": " + std::strerror(errno));
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    return Unavailable("cannot rename " + temp + ": " + std::strerror(errno));
  }
  int dir = ::open(fs::path(path).parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return Status::Ok();
}

std::string TargetKey(const ScrapeEndpoint& endpoint) {
  return endpoint.job + '\n' + endpoint.instance + '\n' + endpoint.url;
}

json StoreStatsJson(const metrics::MetricStoreStats& stats) {
  return {{"series", stats.series},
          {"datums_accepted", stats.datums_accepted},
          {"datums_rejected", stats.datums_rejected},
          {"datums_dropped_series_limit", stats.datums_dropped_series_limit},
          {"datums_dropped_unflushed_limit", stats.datums_dropped_unflushed_limit},
          {"unflushed_buckets", stats.unflushed_buckets},
          {"flushes", stats.flushes},
          {"flush_failures", stats.flush_failures},
          {"buckets_written", stats.buckets_written},
          {"buckets_pruned", stats.buckets_pruned},
          {"series_expired", stats.series_expired}};
}

}  // namespace

MetricsService::MetricsService(MetricsServiceOptions options) : options_(std::move(options)) {
  alarms_path_ = (fs::path(options_.data_dir) / "telemetry" / "alarms.json").string();
  AlarmActionsOptions actions;
  actions.queue_capacity = options_.webhook_queue_capacity;
  actions.http.connect_timeout = options_.scrape_connect_timeout;
  actions.http.request_timeout = options_.webhook_timeout;
  actions.http.max_response_body_bytes = 64 * 1024;
  actions.http.tls = options_.tls;
  actions.region = options_.alarms.region;
  actions.account_id = options_.alarms.account_id;
  actions.clock = options_.clock;
  actions.on_recorded = [this] { alarms_dirty_ = true; };
  actions_ = std::make_unique<AlarmActions>(std::move(actions));
  engine_ = std::make_unique<AlarmEngine>(options_.alarms, actions_.get());
  actions_->Attach(engine_.get());
}

Result<std::unique_ptr<MetricsService>> MetricsService::Start(MetricsServiceOptions options) {
  if (options.clock == nullptr) return InvalidArgument("metrics service: a clock is required");
  const fs::path directory = fs::path(options.data_dir) / "telemetry";
  std::error_code error;
  fs::create_directories(directory, error);
  if (error) {
    return Unavailable("cannot create " + directory.string() + ": " + error.message());
  }
  std::unique_ptr<MetricsService> service(new MetricsService(std::move(options)));
  metrics::MetricStoreOptions store_options = service->options_.store;
  store_options.path = (directory / "metrics.sqlite3").string();
  store_options.clock = service->options_.clock;
  CK_ASSIGN_OR_RETURN(service->store_, metrics::MetricStore::Open(std::move(store_options)));
  CK_RETURN_IF_ERROR(service->RestoreAlarms());
  service->thread_ = std::thread([raw = service.get()] { raw->Run(); });
  return service;
}

MetricsService::~MetricsService() {
  {
    std::lock_guard lock(stop_mutex_);
    stop_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (store_) (void)store_->Flush();
  if (alarms_dirty_) (void)SaveAlarms();
}

int64_t MetricsService::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             options_.clock->Now().time_since_epoch())
      .count();
}

Status MetricsService::RestoreAlarms() {
  std::error_code error;
  if (!fs::exists(alarms_path_, error)) return Status::Ok();
  std::ifstream in(alarms_path_, std::ios::binary);
  std::stringstream contents;
  contents << in.rdbuf();
  if (!in) return Unavailable("cannot read " + alarms_path_);
  Status status = Status::Ok();
  auto parsed = ParseAlarmJson(contents.str());
  status = parsed.ok() ? engine_->FromJson(*parsed) : parsed.status();
  if (status.ok()) return status;
  // Keep the file for inspection and start without alarms rather than not at all.
  const std::string aside = alarms_path_ + ".corrupt-" + std::to_string(NowMs());
  fs::rename(alarms_path_, aside, error);
  Logger::Global().Error(
      "alarms not restored",
      {{"path", alarms_path_}, {"moved_to", aside}, {"error", status.message()}});
  return Status::Ok();
}

Status MetricsService::SaveAlarms() {
  std::lock_guard save(save_mutex_);
  alarms_dirty_ = false;
  Status status = WriteFileAtomically(
      alarms_path_, engine_->ToJson().dump(-1, ' ', false, AlarmJson::error_handler_t::replace));
  std::lock_guard lock(mutex_);
  if (status.ok()) {
    ++alarm_saves_;
  } else {
    ++alarm_save_failures_;
    alarms_dirty_ = true;  // the service thread retries
  }
  return status;
}

void MetricsService::Run() {
  using SteadyClock = std::chrono::steady_clock;
  auto next_flush = SteadyClock::now() + options_.flush_interval;
  auto next_scrape = SteadyClock::now();
  auto next_evaluation = SteadyClock::now();
  std::unique_lock lock(stop_mutex_);
  while (!stop_) {
    lock.unlock();
    const auto now = SteadyClock::now();
    if (options_.flush_interval.count() > 0 && now >= next_flush) {
      (void)Flush();
      next_flush = now + options_.flush_interval;
    }
    if (options_.scrape_interval.count() > 0 && now >= next_scrape) {
      ScrapeNow();
      next_scrape = now + options_.scrape_interval;
    }
    if (options_.evaluate_interval.count() > 0 && now >= next_evaluation) {
      EvaluateNow();
      next_evaluation = now + options_.evaluate_interval;
    }
    // With periodic evaluation off the owner evaluates and delivers itself (DeliverActions).
    if (options_.evaluate_interval.count() > 0) {
      std::lock_guard deliver(deliver_mutex_);
      actions_->Deliver(kDeliveryBudget);
    }
    if (alarms_dirty_) (void)SaveAlarms();
    lock.lock();
    stop_cv_.wait_for(lock, kTick, [this] { return stop_; });
  }
}

Status MetricsService::Flush() {
  Status status = store_->Flush();
  if (!status.ok()) {
    std::lock_guard lock(mutex_);
    ++flush_failures_;
  }
  return status;
}

void MetricsService::ObserveLogEvent(std::string_view group, std::string_view message,
                                     int64_t timestamp_ms) {
  metrics::EmfDecodeResult decoded = metrics::DecodeEmf(message);
  if (decoded.status == metrics::EmfStatus::kNotEmf) return;
  std::string error;
  if (decoded.status == metrics::EmfStatus::kInvalid) {
    ++emf_invalid_;
    error = std::move(decoded.error);
  } else {
    Status status = store_->PutMetricData(std::move(decoded.datums));
    if (status.ok()) {
      ++emf_valid_;
      return;
    }
    ++emf_rejected_;
    error = status.message();
  }
  if (error.size() > kMaxEmfErrorBytes) error.resize(kMaxEmfErrorBytes);
  std::lock_guard lock(mutex_);
  last_emf_error_ = {{"log_group", std::string(group)},
                     {"timestamp_ms", timestamp_ms},
                     {"error", std::move(error)}};
}

Status MetricsService::PutMetricData(std::vector<metrics::MetricDatum> data) {
  return store_->PutMetricData(std::move(data));
}

Status MetricsService::PutAlarms(const std::vector<MetricAlarmSpec>& metric_alarms,
                                 const std::vector<CompositeAlarmSpec>& composite_alarms) {
  const int64_t now_ms = NowMs();
  Status first = Status::Ok();
  auto note = [&](const std::string& name, const Status& status) {
    if (!status.ok() && first.ok()) {
      first = Status(status.code(), "alarm " + name + ": " + status.message());
    }
  };
  // A definition of the other type under the same name is replaced too.
  auto clear_other_type = [&](const std::string& name, AlarmType type) {
    std::optional<AlarmRecord> existing = engine_->GetAlarm(name);
    if (existing && existing->type != type) (void)engine_->DeleteAlarms({name});
  };
  for (const MetricAlarmSpec& spec : metric_alarms) {
    clear_other_type(spec.name, AlarmType::kMetric);
    note(spec.name, engine_->PutMetricAlarm(spec, now_ms));
  }
  // Composites may name each other: put those whose children exist, until nothing changes.
  std::vector<const CompositeAlarmSpec*> pending;
  for (const CompositeAlarmSpec& spec : composite_alarms) pending.push_back(&spec);
  std::vector<std::pair<std::string, Status>> failures;
  while (!pending.empty()) {
    std::vector<const CompositeAlarmSpec*> retry;
    failures.clear();
    for (const CompositeAlarmSpec* spec : pending) {
      clear_other_type(spec->name, AlarmType::kComposite);
      Status status = engine_->PutCompositeAlarm(*spec, now_ms);
      if (!status.ok()) {
        retry.push_back(spec);
        failures.emplace_back(spec->name, status);
      }
    }
    if (retry.size() == pending.size()) break;
    pending = std::move(retry);
  }
  for (const auto& [name, status] : failures) note(name, status);
  Status saved = SaveAlarms();
  return first.ok() ? saved : first;
}

void MetricsService::ScrapeNow() {
  std::lock_guard scrape(scrape_mutex_);
  std::vector<ScrapeEndpoint> endpoints;
  if (options_.scrape_targets) endpoints = options_.scrape_targets();
  std::set<std::string> current;
  for (const ScrapeEndpoint& endpoint : endpoints) {
    if (!current.insert(TargetKey(endpoint)).second) continue;
    ScrapeTarget(endpoint, NowMs());
  }
  // Forget targets that left, so a returning one starts its counters afresh.
  std::erase_if(scrape_states_, [&](const auto& entry) { return !current.contains(entry.first); });
  std::lock_guard lock(mutex_);
  std::erase_if(targets_, [&](const auto& entry) { return !current.contains(entry.first); });
}

void MetricsService::ScrapeTarget(const ScrapeEndpoint& endpoint, int64_t now_ms) {
  const auto started = std::chrono::steady_clock::now();
  TargetHealth health{.endpoint = endpoint, .last_scrape_ms = now_ms};
  std::optional<metrics::ScrapeMapping> mapped;
  auto scrape = [&]() -> Status {
    CK_ASSIGN_OR_RETURN(http::Url url, http::ParseUrl(endpoint.url));
    http::HttpRequest request{http::Verb::get, url.target, 11};
    request.set(http::Field::accept, "text/plain;version=0.0.4;q=1,*/*;q=0.1");
    request.set(http::Field::user_agent, "ck-collector-scraper");
    http::ClientOptions client{.connect_timeout = options_.scrape_connect_timeout,
                               .request_timeout = options_.scrape_timeout,
                               .max_response_body_bytes = options_.scrape_max_body_bytes,
                               .tls = options_.tls};
    CK_ASSIGN_OR_RETURN(http::HttpResponse response,
                        http::SendBlocking(url, std::move(request), client));
    if (response.result_int() != 200) {
      return Unavailable("HTTP " + std::to_string(response.result_int()));
    }
    CK_ASSIGN_OR_RETURN(metrics::PrometheusExposition exposition,
                        metrics::ParsePrometheusText(response.body()));
    for (const metrics::PrometheusFamily& family : exposition.families) {
      health.samples += family.samples.size();
    }
    RecordTypes(endpoint, exposition);
    mapped =
        metrics::ScrapeToDatapoints(exposition,
                                    {.job = endpoint.job,
                                     .instance = endpoint.instance,
                                     .storage_resolution_s = options_.scrape_storage_resolution_s},
                                    now_ms, scrape_states_[TargetKey(endpoint)]);
    return Status::Ok();
  };
  Status status = scrape();
  health.up = status.ok();
  health.last_error = status.ok() ? "" : status.message();
  health.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - started)
                           .count();
  if (mapped) StoreScraped(WithRollups(std::move(mapped->datums)));

  // Prometheus' synthetic series of a scrape, in namespace ck/scrape.
  std::vector<metrics::Dimension> dimensions = {{"job", endpoint.job}};
  if (!endpoint.instance.empty()) dimensions.push_back({"instance", endpoint.instance});
  std::vector<metrics::MetricDatum> synthetic;
  auto add = [&](const char* name, double value, const char* unit) {
    synthetic.push_back({.key = {std::string(kScrapeHealthNamespace), name, dimensions},
                         .timestamp_ms = now_ms,
                         .unit = unit,
                         .storage_resolution_s = options_.scrape_storage_resolution_s,
                         .values = {value}});
  };
  add("up", health.up ? 1 : 0, "None");
  add("scrape_duration_seconds", static_cast<double>(health.duration_ms) / 1000, "Seconds");
  add("scrape_samples_scraped", static_cast<double>(health.samples), "Count");
  StoreScraped(std::move(synthetic));

  std::lock_guard lock(mutex_);
  ++(health.up ? scrapes_ok_ : scrapes_failed_);
  targets_[TargetKey(endpoint)] = std::move(health);
}

void MetricsService::StoreScraped(std::vector<metrics::MetricDatum> datums) {
  // A sample timestamp outside the store's window would make it refuse the whole batch; such
  // samples are left out (and counted) instead.
  const metrics::MetricStoreOptions& limits = store_->options();
  const int64_t now_ms = NowMs();
  const int64_t oldest_ms = now_ms - limits.standard_retention_s * 1000;
  const int64_t newest_ms = now_ms + limits.max_future_s * 1000;
  size_t dropped = std::erase_if(datums, [&](const metrics::MetricDatum& datum) {
    return datum.timestamp_ms < oldest_ms || datum.timestamp_ms > newest_ms;
  });
  if (!datums.empty()) {
    const size_t total = datums.size();
    Status status = store_->PutMetricData(std::move(datums));
    // The store counts exactly what its caps dropped; this is an upper bound.
    if (!status.ok()) dropped += total;
  }
  if (dropped == 0) return;
  std::lock_guard lock(mutex_);
  scrape_datums_dropped_ += dropped;
}

void MetricsService::RecordTypes(const ScrapeEndpoint& endpoint,
                                 const metrics::PrometheusExposition& scrape) {
  const std::string metric_namespace = std::string(kScrapeNamespacePrefix) + endpoint.job;
  std::lock_guard lock(mutex_);
  auto record = [&](const std::string& name, metrics::PrometheusType type) {
    auto key = std::make_pair(metric_namespace, name);
    if (auto it = types_.find(key); it != types_.end()) {
      it->second = type;
    } else if (types_.size() < kMaxKnownTypes) {
      types_.emplace(std::move(key), type);
    }
  };
  for (const metrics::PrometheusFamily& family : scrape.families) {
    if (family.type == metrics::PrometheusType::kSummary) {
      // Quantiles are stored like a gauge, _sum and _count like counters.
      record(family.name, metrics::PrometheusType::kGauge);
      record(family.name + "_sum", metrics::PrometheusType::kCounter);
      record(family.name + "_count", metrics::PrometheusType::kCounter);
    } else {
      record(family.name, family.type);
    }
  }
}

std::optional<metrics::PrometheusType> MetricsService::ScrapedType(
    std::string_view metric_namespace, std::string_view metric_name) const {
  std::lock_guard lock(mutex_);
  auto it = types_.find({std::string(metric_namespace), std::string(metric_name)});
  if (it == types_.end()) return std::nullopt;
  return it->second;
}

std::vector<AlarmTransition> MetricsService::EvaluateNow() {
  std::lock_guard evaluate(evaluate_mutex_);
  StoreDatapointSource source(*store_);
  std::vector<AlarmTransition> transitions = engine_->Evaluate(NowMs(), source);
  {
    std::lock_guard lock(mutex_);
    ++evaluations_;
    evaluation_read_failures_ += source.failures();
    alarm_transitions_ += transitions.size();
  }
  if (!transitions.empty()) (void)SaveAlarms();
  return transitions;
}

size_t MetricsService::DeliverActions() {
  std::lock_guard deliver(deliver_mutex_);
  size_t delivered = 0;
  while (actions_->stats().queued > 0) {
    delivered += actions_->Deliver(std::chrono::hours(1));
  }
  if (alarms_dirty_) (void)SaveAlarms();
  return delivered;
}

std::vector<TargetHealth> MetricsService::Targets() const {
  std::lock_guard lock(mutex_);
  std::vector<TargetHealth> out;
  for (const auto& [key, health] : targets_) out.push_back(health);
  return out;
}

json MetricsService::StatsJson() const {
  const AlarmActionsStats actions = actions_->stats();
  json out = {
      {"store", StoreStatsJson(store_->stats())},
      {"emf_valid", emf_valid_.load()},
      {"emf_invalid", emf_invalid_.load()},
      {"emf_rejected", emf_rejected_.load()},
      {"alarms", engine_->size()},
      {"alarm_history_dropped", engine_->history_dropped()},
      {"actions",
       {{"fired", actions.fired},
        {"logged", actions.logged},
        {"webhooks_sent", actions.webhooks_sent},
        {"webhooks_failed", actions.webhooks_failed},
        {"webhooks_dropped", actions.webhooks_dropped},
        {"invalid", actions.invalid},
        {"queued", actions.queued}}},
      {"action_failures", actions.webhooks_failed + actions.webhooks_dropped + actions.invalid}};
  std::lock_guard lock(mutex_);
  out["scrapes_ok"] = scrapes_ok_;
  out["scrapes_failed"] = scrapes_failed_;
  out["scrape_datums_dropped"] = scrape_datums_dropped_;
  out["evaluations"] = evaluations_;
  out["evaluation_read_failures"] = evaluation_read_failures_;
  out["alarm_transitions"] = alarm_transitions_;
  out["alarm_saves"] = alarm_saves_;
  out["alarm_save_failures"] = alarm_save_failures_;
  out["flush_failures"] = flush_failures_;
  if (!last_emf_error_.is_null()) out["last_emf_error"] = last_emf_error_;
  json targets = json::array();
  for (const auto& [key, health] : targets_) {
    targets.push_back({{"job", health.endpoint.job},
                       {"instance", health.endpoint.instance},
                       {"url", health.endpoint.url},
                       {"up", health.up},
                       {"last_error", health.last_error},
                       {"last_scrape_ms", health.last_scrape_ms},
                       {"duration_ms", health.duration_ms},
                       {"samples", health.samples}});
  }
  out["targets"] = std::move(targets);
  return out;
}

}  // namespace ck::collector
