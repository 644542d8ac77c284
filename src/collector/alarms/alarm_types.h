// The data model of CloudWatch-style alarms: metric alarm and composite alarm definitions, alarm
// states, the state an alarm is in now, the record of one state transition, an alarm as stored
// (AlarmRecord) and DescribeAlarms' filter.
//
// A MetricAlarmSpec is what PutMetricAlarm carries (AWS field names in comments); a
// CompositeAlarmSpec is what PutCompositeAlarm carries. Both are plain values: validation lives in
// alarm_validation.h, JSON in alarm_json.h, evaluation in metric_evaluation.h and alarm_engine.h.
// The enum <-> AWS string conversions here are the only place those spellings appear.
//
//   MetricAlarmSpec spec;
//   spec.name = "register-api-5xx";
//   spec.namespace_name = "CuddleKube";
//   spec.metric_name = "5xx";
//   spec.statistic = Statistic::kSum;
//   spec.threshold = 1;
//   spec.comparison = ComparisonOperator::kGreaterThanOrEqualToThreshold;
//
// Thread-safety: values; copy freely. Failure: the Parse* functions return nullopt for spellings
// that are not AWS's exact (case-sensitive) ones.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace ck::collector {

// JSON documents produced by the alarms module keep their keys in insertion order, so that
// StateReasonData and HistoryData strings read like CloudWatch's.
using AlarmJson = nlohmann::ordered_json;

enum class AlarmState { kOk, kAlarm, kInsufficientData };
enum class AlarmType { kMetric, kComposite };
enum class Statistic { kSampleCount, kAverage, kSum, kMinimum, kMaximum };
enum class ComparisonOperator {
  kGreaterThanOrEqualToThreshold,
  kGreaterThanThreshold,
  kLessThanThreshold,
  kLessThanOrEqualToThreshold,
};
enum class TreatMissingData { kMissing, kNotBreaching, kBreaching, kIgnore };

// "OK", "ALARM", "INSUFFICIENT_DATA".
std::string_view AlarmStateName(AlarmState state);
std::optional<AlarmState> ParseAlarmState(std::string_view text);
// "MetricAlarm", "CompositeAlarm".
std::string_view AlarmTypeName(AlarmType type);
std::optional<AlarmType> ParseAlarmType(std::string_view text);
// "SampleCount", "Average", "Sum", "Minimum", "Maximum".
std::string_view StatisticName(Statistic statistic);
std::optional<Statistic> ParseStatistic(std::string_view text);
// "GreaterThanOrEqualToThreshold", ...
std::string_view ComparisonOperatorName(ComparisonOperator op);
std::optional<ComparisonOperator> ParseComparisonOperator(std::string_view text);
// The words CloudWatch's reason text uses: "greater than or equal to", "greater than", ...
std::string_view ComparisonPhrase(ComparisonOperator op);
// "missing", "notBreaching", "breaching", "ignore".
std::string_view TreatMissingDataName(TreatMissingData mode);
std::optional<TreatMissingData> ParseTreatMissingData(std::string_view text);

// True if `value` breaches `threshold` under `op`. NaN never breaches.
bool Breaches(ComparisonOperator op, double value, double threshold);

struct Dimension {
  std::string name;   // Name
  std::string value;  // Value
  friend bool operator==(const Dimension&, const Dimension&) = default;
};

struct MetricAlarmSpec {
  std::string name;                   // AlarmName
  std::string description;            // AlarmDescription
  std::string namespace_name;         // Namespace
  std::string metric_name;            // MetricName
  std::vector<Dimension> dimensions;  // Dimensions [{Name, Value}]
  // Exactly one of statistic / extended_statistic is set in a valid spec.
  std::optional<Statistic> statistic;      // Statistic
  std::string extended_statistic;          // ExtendedStatistic: "p99", "p99.9", "p50.25"
  int period_seconds = 60;                 // Period: 10, 20, 30 or a multiple of 60
  int evaluation_periods = 1;              // EvaluationPeriods (N)
  std::optional<int> datapoints_to_alarm;  // DatapointsToAlarm (M); nullopt means N
  double threshold = 0;                    // Threshold
  ComparisonOperator comparison = ComparisonOperator::kGreaterThanThreshold;
  TreatMissingData treat_missing_data = TreatMissingData::kMissing;
  bool actions_enabled = true;                         // ActionsEnabled
  std::vector<std::string> alarm_actions;              // AlarmActions
  std::vector<std::string> ok_actions;                 // OKActions
  std::vector<std::string> insufficient_data_actions;  // InsufficientDataActions

  // M: DatapointsToAlarm, or EvaluationPeriods when unset.
  int EffectiveDatapointsToAlarm() const {
    return datapoints_to_alarm.value_or(evaluation_periods);
  }
  // The statistic as CloudWatch names it in StateReasonData: "Average" or "p99".
  std::string StatisticLabel() const;

  friend bool operator==(const MetricAlarmSpec&, const MetricAlarmSpec&) = default;
};

struct CompositeAlarmSpec {
  std::string name;         // AlarmName
  std::string description;  // AlarmDescription
  std::string rule;         // AlarmRule, see alarm_rule.h
  bool actions_enabled = true;
  std::vector<std::string> alarm_actions;
  std::vector<std::string> ok_actions;
  std::vector<std::string> insufficient_data_actions;

  friend bool operator==(const CompositeAlarmSpec&, const CompositeAlarmSpec&) = default;
};

inline constexpr std::string_view kInitialStateReason = "Unchecked: Initial alarm creation";

// Where an alarm is now. reason_data is the StateReasonData object (null when there is none).
struct AlarmStatus {
  AlarmState state = AlarmState::kInsufficientData;
  std::string reason = std::string(kInitialStateReason);
  AlarmJson reason_data;
  int64_t state_updated_ms = 0;   // StateUpdatedTimestamp: the last state change
  int64_t config_updated_ms = 0;  // AlarmConfigurationUpdatedTimestamp
};

// One state change of one alarm. `actions` are the actions configured for the new state when
// the alarm's actions are enabled (empty otherwise); each is fired once through the ActionSink.
struct AlarmTransition {
  std::string alarm_name;
  std::string alarm_arn;
  AlarmType type = AlarmType::kMetric;
  std::string description;
  AlarmState old_state = AlarmState::kInsufficientData;
  AlarmState new_state = AlarmState::kInsufficientData;
  std::string old_reason;
  std::string reason;
  AlarmJson reason_data;
  int64_t timestamp_ms = 0;
  std::vector<std::string> actions;
};

// One stored alarm as DescribeAlarms shows it: exactly one of `metric` / `composite` is
// meaningful, as `type` says.
struct AlarmRecord {
  AlarmType type = AlarmType::kMetric;
  std::string arn;
  MetricAlarmSpec metric;
  CompositeAlarmSpec composite;
  AlarmStatus status;

  const std::string& name() const {
    return type == AlarmType::kMetric ? metric.name : composite.name;
  }
  bool actions_enabled() const {
    return type == AlarmType::kMetric ? metric.actions_enabled : composite.actions_enabled;
  }
};

// DescribeAlarms' filters; every set filter must match.
struct DescribeAlarmsFilter {
  std::vector<std::string> names;   // AlarmNames; empty matches any
  std::string name_prefix;          // AlarmNamePrefix
  std::optional<AlarmState> state;  // StateValue
  std::vector<AlarmType> types = {AlarmType::kMetric, AlarmType::kComposite};  // AlarmTypes
  std::string action_prefix;  // ActionPrefix: any action of the alarm starts with it
  std::string children_of;    // ChildrenOfAlarmName: the alarms this composite's rule names
  std::string parents_of;     // ParentsOfAlarmName: the composites whose rule names this alarm
  size_t max_records = 0;     // MaxRecords; 0 means no limit
  std::string after_name;     // paging: only alarms named after this one; empty: from the first
};

// The actions configured for `state` (AlarmActions, OKActions or InsufficientDataActions).
const std::vector<std::string>& ActionsFor(const MetricAlarmSpec& spec, AlarmState state);
const std::vector<std::string>& ActionsFor(const CompositeAlarmSpec& spec, AlarmState state);

}  // namespace ck::collector
