#include "collector/alarms/alarm_types.h"

#include <array>
#include <cmath>
#include <utility>

namespace ck::collector {
namespace {

template <typename Enum, size_t kSize>
using NameTable = std::array<std::pair<Enum, std::string_view>, kSize>;

constexpr NameTable<AlarmState, 3> kStates = {{
    {AlarmState::kOk, "OK"},
    {AlarmState::kAlarm, "ALARM"},
    {AlarmState::kInsufficientData, "INSUFFICIENT_DATA"},
}};
constexpr NameTable<AlarmType, 2> kTypes = {{
    {AlarmType::kMetric, "MetricAlarm"},
    {AlarmType::kComposite, "CompositeAlarm"},
}};
constexpr NameTable<Statistic, 5> kStatistics = {{
    {Statistic::kSampleCount, "SampleCount"},
    {Statistic::kAverage, "Average"},
    {Statistic::kSum, "Sum"},
    {Statistic::kMinimum, "Minimum"},
    {Statistic::kMaximum, "Maximum"},
}};
constexpr NameTable<ComparisonOperator, 4> kOperators = {{
    {ComparisonOperator::kGreaterThanOrEqualToThreshold, "GreaterThanOrEqualToThreshold"},
    {ComparisonOperator::kGreaterThanThreshold, "GreaterThanThreshold"},
    {ComparisonOperator::kLessThanThreshold, "LessThanThreshold"},
    {ComparisonOperator::kLessThanOrEqualToThreshold, "LessThanOrEqualToThreshold"},
}};
constexpr NameTable<ComparisonOperator, 4> kPhrases = {{
    {ComparisonOperator::kGreaterThanOrEqualToThreshold, "greater than or equal to"},
    {ComparisonOperator::kGreaterThanThreshold, "greater than"},
    {ComparisonOperator::kLessThanThreshold, "less than"},
    {ComparisonOperator::kLessThanOrEqualToThreshold, "less than or equal to"},
}};
constexpr NameTable<TreatMissingData, 4> kMissingModes = {{
    {TreatMissingData::kMissing, "missing"},
    {TreatMissingData::kNotBreaching, "notBreaching"},
    {TreatMissingData::kBreaching, "breaching"},
    {TreatMissingData::kIgnore, "ignore"},
}};

template <typename Enum, size_t kSize>
std::string_view NameOf(const NameTable<Enum, kSize>& table, Enum value) {
  for (const auto& [entry, name] : table) {
    if (entry == value) return name;
  }
  return "";
}

template <typename Enum, size_t kSize>
std::optional<Enum> ValueOf(const NameTable<Enum, kSize>& table, std::string_view text) {
  for (const auto& [entry, name] : table) {
    if (name == text) return entry;
  }
  return std::nullopt;
}

}  // namespace

std::string_view AlarmStateName(AlarmState state) { return NameOf(kStates, state); }
std::optional<AlarmState> ParseAlarmState(std::string_view text) { return ValueOf(kStates, text); }
std::string_view AlarmTypeName(AlarmType type) { return NameOf(kTypes, type); }
std::optional<AlarmType> ParseAlarmType(std::string_view text) { return ValueOf(kTypes, text); }
std::string_view StatisticName(Statistic statistic) { return NameOf(kStatistics, statistic); }
std::optional<Statistic> ParseStatistic(std::string_view text) {
  return ValueOf(kStatistics, text);
}
std::string_view ComparisonOperatorName(ComparisonOperator op) { return NameOf(kOperators, op); }
std::optional<ComparisonOperator> ParseComparisonOperator(std::string_view text) {
  return ValueOf(kOperators, text);
}
std::string_view ComparisonPhrase(ComparisonOperator op) { return NameOf(kPhrases, op); }
std::string_view TreatMissingDataName(TreatMissingData mode) { return NameOf(kMissingModes, mode); }
std::optional<TreatMissingData> ParseTreatMissingData(std::string_view text) {
  return ValueOf(kMissingModes, text);
}

bool Breaches(ComparisonOperator op, double value, double threshold) {
  if (std::isnan(value)) return false;
  switch (op) {
    case ComparisonOperator::kGreaterThanOrEqualToThreshold:
      return value >= threshold;
    case ComparisonOperator::kGreaterThanThreshold:
      return value > threshold;
    case ComparisonOperator::kLessThanThreshold:
      return value < threshold;
    case ComparisonOperator::kLessThanOrEqualToThreshold:
      return value <= threshold;
  }
  return false;
}

std::string MetricAlarmSpec::StatisticLabel() const {
  if (statistic) return std::string(StatisticName(*statistic));
  return extended_statistic;
}

namespace {

template <typename Spec>
const std::vector<std::string>& ActionsForSpec(const Spec& spec, AlarmState state) {
  switch (state) {
    case AlarmState::kAlarm:
      return spec.alarm_actions;
    case AlarmState::kOk:
      return spec.ok_actions;
    case AlarmState::kInsufficientData:
      break;
  }
  return spec.insufficient_data_actions;
}

}  // namespace

const std::vector<std::string>& ActionsFor(const MetricAlarmSpec& spec, AlarmState state) {
  return ActionsForSpec(spec, state);
}
const std::vector<std::string>& ActionsFor(const CompositeAlarmSpec& spec, AlarmState state) {
  return ActionsForSpec(spec, state);
}

}  // namespace ck::collector
