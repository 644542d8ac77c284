#include "cli/verbs/stack_telemetry_feed.h"

#include <chrono>

namespace ck::cli {

namespace {

constexpr auto kInterval = std::chrono::seconds(10);
constexpr const char* kNamespace = "ECS/ContainerInsights";

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct ServiceSample {
  double cpu_units = 0;
  double memory_mib = 0;
  double rx_per_second = 0;
  double tx_per_second = 0;
  bool has_cpu = false;
  bool has_network = false;
};

}  // namespace

StackTelemetryFeed::StackTelemetryFeed(boost::asio::io_context& io, std::string cluster_name)
    : io_(io), timer_(io), cluster_name_(std::move(cluster_name)) {}

void StackTelemetryFeed::Attach(const platform::Supervisor* supervisor,
                                collector::Collector* collector) {
  supervisor_ = supervisor;
  collector_ = collector;
}

void StackTelemetryFeed::Start() {
  Tick();
  Schedule();
}

void StackTelemetryFeed::Stop() {
  stopped_ = true;
  timer_.cancel();
}

void StackTelemetryFeed::Schedule() {
  if (stopped_) return;
  timer_.expires_after(kInterval);
  timer_.async_wait([this](const boost::system::error_code& error) {
    if (error || stopped_) return;
    Tick();
    Schedule();
  });
}

std::vector<collector::ScrapeEndpoint> StackTelemetryFeed::Targets() const {
  std::lock_guard lock(targets_mutex_);
  return targets_;
}

void StackTelemetryFeed::Tick() {
  if (supervisor_ == nullptr) return;
  const nlohmann::json tasks = supervisor_->TasksJson();
  const auto& datastore = supervisor_->stack().datastore;
  const bool datastore_tls = datastore.tls;

  std::vector<collector::ScrapeEndpoint> targets;
  std::vector<pid_t> pids;
  std::map<pid_t, std::string> service_of;
  for (const nlohmann::json& task : tasks.value("tasks", nlohmann::json::array())) {
    const std::string service = task.value("service", "");
    const pid_t pid = task.value("pid", 0);
    if (pid > 0) {
      pids.push_back(pid);
      service_of[pid] = service;
    }
    const std::string state = task.value("state", "");
    const int port = task.value("port", 0);
    if (task.value("kind", "") != "service" || port == 0 ||
        (state != "healthy" && state != "running")) {
      continue;
    }
    if (service == datastore.name && datastore_tls) continue;
    const std::string instance = "127.0.0.1:" + std::to_string(port);
    targets.push_back({service, instance, "http://" + instance + "/metrics"});
  }
  {
    std::lock_guard lock(targets_mutex_);
    targets_ = std::move(targets);
  }
  if (collector_ == nullptr) return;

  std::map<std::string, ServiceSample> services;
  for (const auto& [pid, stats] : sampler_.Sample(pids)) {
    ServiceSample& sample = services[service_of[pid]];
    if (stats.cpu_units) {
      sample.cpu_units += *stats.cpu_units;
      sample.has_cpu = true;
    }
    sample.memory_mib += static_cast<double>(stats.rss_bytes) / (1024.0 * 1024.0);
    if (stats.network_rx_bytes_per_second && stats.network_tx_bytes_per_second) {
      sample.rx_per_second += *stats.network_rx_bytes_per_second;
      sample.tx_per_second += *stats.network_tx_bytes_per_second;
      sample.has_network = true;
    }
  }

  const int64_t now_ms = NowMs();
  std::vector<collector::metrics::MetricDatum> data;
  auto put = [&](const std::string& name, std::vector<collector::metrics::Dimension> dimensions,
                 double value, const char* unit) {
    collector::metrics::MetricDatum datum;
    datum.key = {kNamespace, name, std::move(dimensions)};
    datum.timestamp_ms = now_ms;
    datum.unit = unit;
    datum.values = {value};
    data.push_back(std::move(datum));
  };
  double cluster_restarts = 0;
  for (const platform::ServiceTaskCounts& counts : supervisor_->TaskCounts()) {
    if (counts.kind == platform::ServiceKind::kJob) continue;
    const std::vector<collector::metrics::Dimension> dimensions = {{"ClusterName", cluster_name_},
                                                                   {"ServiceName", counts.service}};
    const uint64_t before = previous_restarts_.count(counts.service)
                                ? previous_restarts_[counts.service]
                                : counts.restarts;
    const double restarts = static_cast<double>(counts.restarts - before);
    previous_restarts_[counts.service] = counts.restarts;
    cluster_restarts += restarts;
    put("RunningTaskCount", dimensions, counts.running, "Count");
    put("DesiredTaskCount", dimensions, counts.desired, "Count");
    put("RestartCount", dimensions, restarts, "Count");
    auto sample = services.find(counts.service);
    if (sample == services.end()) continue;
    if (sample->second.has_cpu) put("CpuUtilized", dimensions, sample->second.cpu_units, "None");
    put("MemoryUtilized", dimensions, sample->second.memory_mib, "Megabytes");
    if (sample->second.has_network) {
      put("NetworkRxBytes", dimensions, sample->second.rx_per_second, "Bytes/Second");
      put("NetworkTxBytes", dimensions, sample->second.tx_per_second, "Bytes/Second");
    }
  }
  put("RestartCount", {{"ClusterName", cluster_name_}}, cluster_restarts, "Count");
  Status status = collector_->PutMetricData(std::move(data));
  (void)status;  // counted by the metric store (rejected datums)
}

}  // namespace ck::cli
