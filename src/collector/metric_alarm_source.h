// StoreDatapointSource: the AlarmEngine's DatapointSource over the MetricStore — the datapoints a
// metric alarm evaluates, read with GetStatistics.
//
// Value i of Datapoints(alarm, end, count) is the alarm's statistic (Statistic or
// ExtendedStatistic) of its series (namespace, metric name, exactly its dimensions) over
// [end - (count - i) * period, end - (count - 1 - i) * period), nullopt when that period holds no
// data. The store aligns periods to multiples of the period since the epoch, while an alarm's
// periods end at the evaluation time truncated to the minute (AlarmEngine); when the two agree
// (sub-minute periods of 10 and 30 s, and multi-minute periods ending on a multiple of the
// period) the store answers directly. Otherwise (20-second periods, and 5-minute periods
// evaluated at 12:16) the alarm's period is assembled from 10-second or 1-minute datapoints:
// exactly for SampleCount, Sum, Average, Minimum and Maximum; a percentile becomes the highest
// (for p50 and above) or lowest (below p50) of the sub-periods' percentiles — an approximation.
//
//   StoreDatapointSource source(store);
//   engine.Evaluate(now_ms, source);
//
// Thread-safety: as the store (thread-safe). Failure: a store failure other than invalid input
// throws std::runtime_error, which the engine takes as "leave this alarm as it is" (its
// documented contract); invalid input (a series the store would refuse) reads as no data.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <vector>

#include "collector/alarms/alarm_engine.h"
#include "collector/metrics/metric_store.h"

namespace ck::collector {

class StoreDatapointSource final : public DatapointSource {
 public:
  explicit StoreDatapointSource(metrics::MetricStore& store) : store_(store) {}

  std::vector<std::optional<double>> Datapoints(const MetricAlarmSpec& alarm, int64_t end_ms,
                                                int count) override;

  // Store reads that failed (each left its alarm unevaluated).
  uint64_t failures() const { return failures_; }

 private:
  metrics::MetricStore& store_;
  std::atomic<uint64_t> failures_{0};
};

// The alarm's metric as a store series key (dimensions sorted by name).
metrics::SeriesKey AlarmSeriesKey(const MetricAlarmSpec& alarm);

}  // namespace ck::collector
