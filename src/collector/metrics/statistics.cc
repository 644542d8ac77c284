#include "collector/metrics/statistics.h"

#include <charconv>
#include <string_view>

namespace ck::collector::metrics {
namespace {

constexpr size_t kMaxPlainStatistics = 5;
constexpr size_t kMaxPercentiles = 10;

// "p" then 0-100 with at most two decimals (CloudWatch's ExtendedStatistic pattern).
std::optional<double> ParsePercentile(std::string_view name) {
  if (name.size() < 2 || name[0] != 'p') return std::nullopt;
  std::string_view number = name.substr(1);
  size_t dot = number.find('.');
  std::string_view whole = number.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? "" : number.substr(dot + 1);
  if (whole.empty() || whole.size() > 3 || fraction.size() > 2) return std::nullopt;
  if (dot != std::string_view::npos && fraction.empty()) return std::nullopt;
  for (char c : number) {
    if (c != '.' && (c < '0' || c > '9')) return std::nullopt;
  }
  if (whole.size() > 1 && whole[0] == '0') return std::nullopt;
  double value = 0;
  auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (error != std::errc() || end != number.data() + number.size() || value > 100) {
    return std::nullopt;
  }
  return value / 100;
}

}  // namespace

Result<std::vector<Statistic>> ParseStatistics(const std::vector<std::string>& names) {
  if (names.empty()) return InvalidArgument("at least one statistic is required");
  std::vector<Statistic> out;
  size_t plain = 0;
  size_t percentiles = 0;
  for (const std::string& name : names) {
    Statistic statistic;
    statistic.name = name;
    if (name == "SampleCount") {
      statistic.kind = StatisticKind::kSampleCount;
    } else if (name == "Sum") {
      statistic.kind = StatisticKind::kSum;
    } else if (name == "Average") {
      statistic.kind = StatisticKind::kAverage;
    } else if (name == "Minimum") {
      statistic.kind = StatisticKind::kMinimum;
    } else if (name == "Maximum") {
      statistic.kind = StatisticKind::kMaximum;
    } else if (std::optional<double> quantile = ParsePercentile(name)) {
      statistic.kind = StatisticKind::kPercentile;
      statistic.quantile = *quantile;
    } else {
      return InvalidArgument("unknown statistic \"" + name +
                             "\" (expected SampleCount, Sum, Average, Minimum, Maximum or pNN.NN)");
    }
    if (statistic.kind == StatisticKind::kPercentile) {
      ++percentiles;
    } else {
      ++plain;
    }
    out.push_back(std::move(statistic));
  }
  if (plain > kMaxPlainStatistics) return InvalidArgument("at most 5 statistics per request");
  if (percentiles > kMaxPercentiles) return InvalidArgument("at most 10 percentiles per request");
  return out;
}

Status ValidatePeriod(int64_t period_s) {
  if (period_s == 1 || period_s == 5 || period_s == 10 || period_s == 30) return Status::Ok();
  if (period_s > 0 && period_s % 60 == 0) return Status::Ok();
  return InvalidArgument("Period must be 1, 5, 10, 30 or a multiple of 60 seconds, got " +
                         std::to_string(period_s));
}

StatisticsDatapoint ComputeDatapoint(const Aggregate& aggregate, int64_t timestamp_ms,
                                     const std::string& unit,
                                     const std::vector<Statistic>& statistics) {
  StatisticsDatapoint point;
  point.timestamp_ms = timestamp_ms;
  point.unit = unit;
  for (const Statistic& statistic : statistics) {
    switch (statistic.kind) {
      case StatisticKind::kSampleCount:
        point.sample_count = aggregate.sample_count;
        break;
      case StatisticKind::kSum:
        point.sum = aggregate.sum;
        break;
      case StatisticKind::kAverage:
        point.average = aggregate.sum / aggregate.sample_count;
        break;
      case StatisticKind::kMinimum:
        point.minimum = aggregate.minimum;
        break;
      case StatisticKind::kMaximum:
        point.maximum = aggregate.maximum;
        break;
      case StatisticKind::kPercentile:
        if (std::optional<double> value = aggregate.Percentile(statistic.quantile)) {
          point.percentiles.emplace_back(statistic.name, *value);
        }
        break;
    }
  }
  return point;
}

}  // namespace ck::collector::metrics
