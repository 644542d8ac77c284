#include "collector/metric_alarm_source.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

#include "collector/metrics/statistics.h"

namespace ck::collector {

namespace {

constexpr int64_t kMaxPeriodsPerQuery = 1440;  // GetStatistics' limit

// The store's datapoint for the alarm's statistic.
std::optional<double> ValueOf(const metrics::StatisticsDatapoint& point,
                              const MetricAlarmSpec& alarm) {
  if (!alarm.statistic) {
    for (const auto& [name, value] : point.percentiles) {
      if (name == alarm.extended_statistic) return value;
    }
    return std::nullopt;
  }
  switch (*alarm.statistic) {
    case Statistic::kSampleCount:
      return point.sample_count;
    case Statistic::kSum:
      return point.sum;
    case Statistic::kAverage:
      return point.average;
    case Statistic::kMinimum:
      return point.minimum;
    case Statistic::kMaximum:
      return point.maximum;
  }
  return std::nullopt;
}

// Sub-period datapoints folded into one alarm period.
struct Assembled {
  bool any = false;
  double sample_count = 0;
  double sum = 0;
  double minimum = std::numeric_limits<double>::infinity();
  double maximum = -std::numeric_limits<double>::infinity();
  std::optional<double> percentile;
};

bool IsUpperPercentile(const std::string& percentile) {
  return std::strtod(percentile.c_str() + 1, nullptr) >= 50;
}

}  // namespace

metrics::SeriesKey AlarmSeriesKey(const MetricAlarmSpec& alarm) {
  metrics::SeriesKey key{alarm.namespace_name, alarm.metric_name, {}};
  for (const Dimension& dimension : alarm.dimensions) {
    key.dimensions.push_back({dimension.name, dimension.value});
  }
  std::sort(key.dimensions.begin(), key.dimensions.end());
  return key;
}

std::vector<std::optional<double>> StoreDatapointSource::Datapoints(const MetricAlarmSpec& alarm,
                                                                    int64_t end_ms, int count) {
  std::vector<std::optional<double>> out(static_cast<size_t>(std::max(count, 0)));
  if (count <= 0 || alarm.period_seconds <= 0) return out;
  const int64_t period_ms = int64_t{alarm.period_seconds} * 1000;
  const int64_t start_ms = end_ms - count * period_ms;
  const bool sub_minute = alarm.period_seconds < 60;
  const bool direct = sub_minute ? alarm.period_seconds % 10 == 0 && 30 % alarm.period_seconds == 0
                                 : start_ms % period_ms == 0;
  const int64_t step_s = direct ? alarm.period_seconds : (sub_minute ? 10 : 60);
  const int64_t step_ms = step_s * 1000;
  if (period_ms % step_ms != 0 || start_ms % step_ms != 0) return out;  // not an alarm period

  const bool percentile = !alarm.statistic.has_value();
  std::vector<std::string> statistics = {alarm.StatisticLabel()};
  if (!direct && !percentile) statistics = {"SampleCount", "Sum", "Minimum", "Maximum"};
  std::vector<Assembled> assembled(direct ? 0 : out.size());
  const bool upper = percentile && IsUpperPercentile(alarm.extended_statistic);

  const metrics::SeriesKey key = AlarmSeriesKey(alarm);
  for (int64_t chunk = start_ms; chunk < end_ms; chunk += kMaxPeriodsPerQuery * step_ms) {
    auto points =
        store_.GetStatistics({.key = key,
                              .start_ms = chunk,
                              .end_ms = std::min(end_ms, chunk + kMaxPeriodsPerQuery * step_ms),
                              .period_s = step_s,
                              .statistics = statistics});
    if (!points.ok()) {
      if (points.status().code() == StatusCode::kInvalidArgument) return out;
      ++failures_;
      throw std::runtime_error(points.status().ToString());
    }
    for (const metrics::StatisticsDatapoint& point : *points) {
      const int64_t index = (point.timestamp_ms - start_ms) / period_ms;
      if (point.timestamp_ms < start_ms || index >= count) continue;
      if (direct) {
        out[index] = ValueOf(point, alarm);
        continue;
      }
      Assembled& into = assembled[index];
      if (percentile) {
        std::optional<double> value = ValueOf(point, alarm);
        if (!value) continue;
        into.any = true;
        into.percentile = !into.percentile ? *value
                          : upper          ? std::max(*into.percentile, *value)
                                           : std::min(*into.percentile, *value);
        continue;
      }
      if (!point.sample_count || !point.sum || !point.minimum || !point.maximum) continue;
      into.any = true;
      into.sample_count += *point.sample_count;
      into.sum += *point.sum;
      into.minimum = std::min(into.minimum, *point.minimum);
      into.maximum = std::max(into.maximum, *point.maximum);
    }
  }
  for (size_t i = 0; i < assembled.size(); ++i) {
    const Assembled& period = assembled[i];
    if (!period.any) continue;
    if (percentile) {
      out[i] = period.percentile;
      continue;
    }
    switch (*alarm.statistic) {
      case Statistic::kSampleCount:
        out[i] = period.sample_count;
        break;
      case Statistic::kSum:
        out[i] = period.sum;
        break;
      case Statistic::kAverage:
        if (period.sample_count > 0) out[i] = period.sum / period.sample_count;
        break;
      case Statistic::kMinimum:
        out[i] = period.minimum;
        break;
      case Statistic::kMaximum:
        out[i] = period.maximum;
        break;
    }
  }
  return out;
}

}  // namespace ck::collector
