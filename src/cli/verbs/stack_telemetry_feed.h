// StackTelemetryFeed: what `ck up` tells its collector about the running stack.
//
// Every 10 s, on the supervisor's io_context thread, it
//   - refreshes the list of scrape targets (every running service task's
//     http://127.0.0.1:<port>/metrics; a datastore on HTTPS is left to an outside Prometheus,
//     see `ck export prometheus`) that the collector's scraper reads through Targets(), and
//   - samples each task's CPU, memory and TCP traffic (platform/task_stats.h) and the
//     supervisor's counts, and puts them into the collector's metric store as Container
//     Insights does: namespace ECS/ContainerInsights, dimensions {ClusterName, ServiceName}
//     (and {ClusterName} for cluster totals): CpuUtilized (CPU units, 1024 = one core),
//     MemoryUtilized (MiB), NetworkRxBytes / NetworkTxBytes (bytes/s), RunningTaskCount,
//     DesiredTaskCount, RestartCount (restarts since the previous sample).
//
// Thread-safety: Start on the io_context thread; Targets() from any thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "collector/collector.h"
#include "platform/supervisor.h"
#include "platform/task_stats.h"

namespace ck::cli {

class StackTelemetryFeed {
 public:
  // Scrape targets are shared with the collector before either exists (the collector starts
  // first): create the feed's target list with this, then Attach the supervisor and collector.
  StackTelemetryFeed(boost::asio::io_context& io, std::string cluster_name);

  void Attach(const platform::Supervisor* supervisor, collector::Collector* collector);
  void Start();
  void Stop();

  std::vector<collector::ScrapeEndpoint> Targets() const;

 private:
  void Tick();
  void Schedule();

  boost::asio::io_context& io_;
  boost::asio::steady_timer timer_;
  std::string cluster_name_;
  const platform::Supervisor* supervisor_ = nullptr;
  collector::Collector* collector_ = nullptr;
  platform::TaskStatsSampler sampler_;
  std::map<std::string, uint64_t> previous_restarts_;
  bool stopped_ = false;

  mutable std::mutex targets_mutex_;
  std::vector<collector::ScrapeEndpoint> targets_;
};

}  // namespace ck::cli
