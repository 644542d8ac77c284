// Statistic names and per-period datapoints, as CloudWatch's GetMetricStatistics returns them.
//
// Statistics are "SampleCount", "Sum", "Average", "Minimum", "Maximum" and percentiles "pNN.NN"
// (p0 to p100, at most two decimals: "p50", "p99.9", "p99.99", "p100"). A percentile is reported
// within the Distribution's 1% relative error and clamped to the period's exact Minimum/Maximum;
// it is left out of a datapoint whose period holds a statistic set with unequal values.
// Periods are 1, 5, 10, 30 (high-resolution data) or any multiple of 60 seconds.
//
//   CK_ASSIGN_OR_RETURN(auto wanted, ParseStatistics({"Average", "p99"}));
//   StatisticsDatapoint point = ComputeDatapoint(aggregate, period_start_ms, "Milliseconds",
//   wanted);
//
// Failure modes: ParseStatistics/ValidatePeriod return InvalidArgument naming the bad input.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "collector/metrics/aggregate.h"
#include "core/status.h"

namespace ck::collector::metrics {

enum class StatisticKind { kSampleCount, kSum, kAverage, kMinimum, kMaximum, kPercentile };

struct Statistic {
  StatisticKind kind = StatisticKind::kAverage;
  double quantile = 0;  // for kPercentile, in [0, 1]
  std::string name;     // as requested, e.g. "p99.9"
};

struct StatisticsDatapoint {
  int64_t timestamp_ms = 0;  // start of the period, a multiple of the period
  std::string unit;
  std::optional<double> sample_count;
  std::optional<double> sum;
  std::optional<double> average;
  std::optional<double> minimum;
  std::optional<double> maximum;
  // Requested percentiles that are available, in request order: {"p99", 12.5}.
  std::vector<std::pair<std::string, double>> percentiles;
};

// CloudWatch's limits: at most 5 plain statistics and 10 percentiles per request, at least one.
Result<std::vector<Statistic>> ParseStatistics(const std::vector<std::string>& names);

// 1, 5, 10, 30 or a positive multiple of 60.
Status ValidatePeriod(int64_t period_s);

// The requested statistics of a non-empty aggregate.
StatisticsDatapoint ComputeDatapoint(const Aggregate& aggregate, int64_t timestamp_ms,
                                     const std::string& unit,
                                     const std::vector<Statistic>& statistics);

}  // namespace ck::collector::metrics
