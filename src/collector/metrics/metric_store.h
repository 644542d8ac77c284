// MetricStore: CloudWatch-like metric storage for the local platform — PutMetricData in,
// GetMetricStatistics and ListMetrics out, durable in one SQLite file.
//
// Model: a series is (namespace, metric name, dimensions) with a unit (the unit of its latest
// put). Every put lands in the series' 1-minute rollup; puts with storage resolution 1 also land
// in its 1-second datapoint. Each datapoint holds SampleCount, Sum, Minimum, Maximum and a
// Distribution (1% relative error) for percentiles. Retention as CloudWatch's first two tiers,
// configurable: 1-second datapoints for 3 hours, 1-minute rollups for 15 days; a datapoint is
// visible while its start is within the retention, and a series whose newest value has aged out
// of the 1-minute retention disappears from ListMetrics and frees its place under the series cap.
//
// Queries (CloudWatch semantics): a period is 1, 5, 10 or 30 s (answered from 1-second
// datapoints, i.e. high-resolution puts only) or a multiple of 60 s (answered from the 1-minute
// rollups, which hold every put). Periods are aligned to multiples of the period since the epoch:
// the datapoint of a period starts at floor(t / period) * period, and a query returns the periods
// from floor(start / period) * period up to (excluding) `end` that hold data, in time order, at
// most 1,440 of them. An unknown series yields no datapoints.
//
// Durability: puts go to memory; Flush() (the owner calls it every second) writes every changed
// datapoint and series in one transaction, so a crash loses at most the puts since the last
// Flush. Reopening the file serves everything flushed before.
//
// Bounds: at most max_series series (puts that would create more are dropped and counted), at
// most max_unflushed_buckets datapoints changed between flushes (more are dropped and counted),
// timestamps accepted from now - standard_retention to now + max_future. Flush() also applies
// retention every retention_interval_s.
//
//   CK_ASSIGN_OR_RETURN(auto store, MetricStore::Open({.path = ".ck/telemetry/metrics.sqlite3"}));
//   CK_RETURN_IF_ERROR(store->Put("ck/list-api", "Latency", {{"Service", "list-api"}}, now_ms,
//                                 12.5, "Milliseconds", 1));
//   CK_RETURN_IF_ERROR(store->Flush());
//   CK_ASSIGN_OR_RETURN(auto points, store->GetStatistics({.key = key, .start_ms = a,
//       .end_ms = b, .period_s = 60, .statistics = {"Average", "p99"}}));
//
// Failure modes: InvalidArgument for malformed input (nothing of that call is stored),
// ResourceExhausted when a cap dropped datums (the others of the call are stored), Internal or
// Unavailable for SQLite failures (a failed Flush keeps its datapoints in memory for the next).
// Thread-safety: all methods are thread-safe; one writing MetricStore per file (two would assign
// clashing series ids). Puts only take an in-memory lock; Flush, retention and GetStatistics
// share the SQLite connection under a second lock, so a query delays a flush (not puts), and
// query cost is bounded by 1,440 periods over at most the retention window.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collector/metrics/aggregate.h"
#include "collector/metrics/metric_database.h"
#include "collector/metrics/metric_types.h"
#include "collector/metrics/statistics.h"
#include "core/clock.h"
#include "core/status.h"

namespace ck::collector::metrics {

struct MetricStoreOptions {
  std::string path;                                // SQLite file, created if missing
  int64_t high_resolution_retention_s = 3 * 3600;  // 1-second datapoints
  int64_t standard_retention_s = 15 * 24 * 3600;   // 1-minute rollups
  size_t max_series = 10'000;
  size_t max_unflushed_buckets = 200'000;
  int64_t max_future_s = 2 * 3600;    // how far ahead of the clock a timestamp may be
  int64_t retention_interval_s = 60;  // how often Flush() applies retention
  const Clock* clock = &SystemClock::Instance();
};

// CloudWatch GetMetricStatistics for one exact series.
struct StatisticsRequest {
  SeriesKey key;
  int64_t start_ms = 0;  // inclusive, rounded down to the period
  int64_t end_ms = 0;    // exclusive
  int64_t period_s = 60;
  std::vector<std::string> statistics;  // see statistics.h
};

// A ListMetrics dimension filter: the metric has dimension `name` (with `value`, when given).
struct DimensionFilter {
  std::string name;
  std::optional<std::string> value;
};

struct ListMetricsRequest {
  std::optional<std::string> metric_namespace;
  std::optional<std::string> metric_name;
  std::vector<DimensionFilter> dimensions;  // at most 10
  std::string next_token;                   // from a previous page, or empty
  size_t limit = 500;                       // 1 to 500
};

struct ListedMetric {
  SeriesKey key;
  std::string unit;
  bool high_resolution = false;  // has received storage-resolution-1 puts
};

struct ListMetricsResult {
  std::vector<ListedMetric> metrics;  // ordered by namespace, name, dimensions
  std::string next_token;             // empty on the last page
};

struct MetricStoreStats {
  uint64_t series = 0;  // currently known
  uint64_t datums_accepted = 0;
  uint64_t datums_rejected = 0;                 // invalid (InvalidArgument)
  uint64_t datums_dropped_series_limit = 0;     // would have created a series past max_series
  uint64_t datums_dropped_unflushed_limit = 0;  // past max_unflushed_buckets
  uint64_t unflushed_buckets = 0;
  uint64_t flushes = 0;
  uint64_t flush_failures = 0;
  uint64_t buckets_written = 0;
  uint64_t buckets_pruned = 0;
  uint64_t series_expired = 0;
};

class MetricStore {
 public:
  static Result<std::unique_ptr<MetricStore>> Open(MetricStoreOptions options);
  // Flushes what is still in memory (best effort).
  ~MetricStore();
  MetricStore(const MetricStore&) = delete;
  MetricStore& operator=(const MetricStore&) = delete;

  // One value (PutMetricData with a single Value).
  Status Put(std::string_view metric_namespace, std::string_view metric_name,
             std::vector<Dimension> dimensions, int64_t timestamp_ms, double value,
             std::string_view unit = "None", int storage_resolution_s = 60);
  // A batch as PutMetricData: values (with counts) or statistic sets, each datum its own series.
  // Every datum is validated first; one invalid datum rejects the whole batch.
  Status PutMetricData(std::vector<MetricDatum> data);

  // Writes every datapoint changed since the last Flush in one transaction; applies retention
  // when retention_interval_s has passed since it last ran.
  Status Flush();
  // Deletes datapoints and series past their retention, relative to the clock.
  Status ApplyRetention();

  Result<std::vector<StatisticsDatapoint>> GetStatistics(const StatisticsRequest& request);
  Result<ListMetricsResult> ListMetrics(const ListMetricsRequest& request) const;

  MetricStoreStats stats() const;
  const MetricStoreOptions& options() const { return options_; }

 private:
  struct SeriesState {
    int64_t id = 0;
    std::string unit = "None";
    bool high_resolution = false;
    int64_t last_timestamp_ms = 0;
    bool dirty = false;  // to be written by the next Flush
  };

  enum class PutOutcome { kStored, kSeriesLimit, kUnflushedLimit };

  MetricStore(MetricStoreOptions options, std::unique_ptr<MetricDatabase> database);
  int64_t NowMs() const;
  Status CheckTimestamp(int64_t timestamp_ms, int64_t now_ms) const;
  // Adds a normalized datum unless a cap drops it (counted). Needs mutex_.
  PutOutcome PutLocked(const MetricDatum& datum, int64_t now_ms);
  // Needs database_mutex_.
  Status FlushLocked();
  Status ApplyRetentionLocked(int64_t now_ms);

  const MetricStoreOptions options_;

  // Lock order: database_mutex_ before mutex_. Datapoints leave pending_ only under
  // database_mutex_ and are committed (or put back) before it is released, so a query holding
  // database_mutex_ sees each of them exactly once.
  mutable std::mutex database_mutex_;
  std::unique_ptr<MetricDatabase> database_;
  int64_t last_retention_ms_ = 0;
  std::vector<int64_t> expired_series_;  // removed from memory, to delete from the database

  mutable std::mutex mutex_;
  std::map<SeriesKey, SeriesState> series_;
  std::map<BucketKey, Aggregate> pending_;  // changes since the last flush
  int64_t next_series_id_ = 1;
  MetricStoreStats stats_;
};

}  // namespace ck::collector::metrics
