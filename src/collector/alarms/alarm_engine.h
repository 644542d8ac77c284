// AlarmEngine: the alarms of one Cuddle Kube installation. Holds metric and composite alarms,
// evaluates them on each tick, records state transitions in a bounded history and fires the
// configured actions — CloudWatch alarms without the cloud.
//
// Metric data comes in through DatapointSource (the metric store adapts to it); actions go out
// through ActionSink (the owner implements "log" and "webhook:<url>"). Time is always passed in
// (epoch milliseconds), so tests and replays need no clock.
//
//   AlarmEngine engine;                       // or AlarmEngine(options, &sink)
//   CK_RETURN_IF_ERROR(engine.PutMetricAlarm(spec, now_ms));
//   CK_RETURN_IF_ERROR(engine.PutCompositeAlarm(composite, now_ms));
//   every few seconds: std::vector<AlarmTransition> changed = engine.Evaluate(now_ms, source);
//   persist: write engine.ToJson().dump(); on start: engine.FromJson(parsed)
//
// Evaluate(now, source) asks the source for each metric alarm's evaluation range (see
// metric_evaluation.h), moves alarms to their new states, then evaluates composite alarms in
// dependency order against the states just computed (ALARM when the rule is TRUE, else OK).
// Every state change is returned, recorded as a StateUpdate history item, and — when the alarm's
// actions are enabled — each action configured for the new state is passed to ActionSink::Fire.
// New alarms start in INSUFFICIENT_DATA ("Unchecked: Initial alarm creation"); updating an alarm
// keeps its state, as in CloudWatch.
//
// Thread-safety: every method may be called from any thread; one mutex guards the alarms. The
// DatapointSource is queried and the ActionSink is called without that mutex held, on the thread
// that called Evaluate / SetAlarmState; the sink may call back into the engine.
// Failure: methods return InvalidArgument (ValidationError) for bad definitions, NotFound for
// unknown alarms, FailedPrecondition when deleting an alarm a composite still refers to and
// ResourceExhausted past AlarmEngineOptions::max_alarms.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collector/alarms/alarm_history.h"
#include "collector/alarms/alarm_rule.h"
#include "collector/alarms/alarm_types.h"
#include "core/status.h"

namespace ck::collector {

// Where metric alarms get their data. Datapoints returns `count` values, oldest first, one per
// period of alarm.period_seconds: value i is the alarm's statistic (Statistic or
// ExtendedStatistic) of the metric (Namespace, MetricName and exactly these Dimensions) over
// [end_ms - (count - i) * period, end_ms - (count - 1 - i) * period); nullopt when that period
// has no data. A result of another length is padded with missing values at the old end or cut
// from the old end. Called without the engine's lock. Should not throw; if it does, that alarm
// is left as it is for this evaluation.
class DatapointSource {
 public:
  virtual ~DatapointSource() = default;
  virtual std::vector<std::optional<double>> Datapoints(const MetricAlarmSpec& alarm,
                                                        int64_t end_ms, int count) = 0;
};

// Where actions go: called once per action of a transition ("log", "webhook:<url>"), after the
// state change is recorded. Must not block for long (hand network calls to a worker); report the
// outcome with AlarmEngine::RecordActionResult if wanted. Should not throw; if it does, the
// engine records a failed "Action" history item and goes on with the other actions.
class ActionSink {
 public:
  virtual ~ActionSink() = default;
  virtual void Fire(const AlarmTransition& transition, const std::string& action) = 0;
};

struct AlarmEngineOptions {
  std::string region = "local";             // in AlarmArn
  std::string account_id = "000000000000";  // in AlarmArn
  size_t history_per_alarm = 100;
  size_t max_alarms = 5000;
};

class AlarmEngine {
 public:
  explicit AlarmEngine(AlarmEngineOptions options = {}, ActionSink* sink = nullptr);

  AlarmEngine(const AlarmEngine&) = delete;
  AlarmEngine& operator=(const AlarmEngine&) = delete;

  // Creates or replaces (keeping its state) the alarm. Validates the spec; a name held by a
  // composite alarm is refused.
  Status PutMetricAlarm(const MetricAlarmSpec& spec, int64_t now_ms);
  // Also refuses rules naming alarms that do not exist ("Could not save the composite alarm as
  // alarms [x] in the alarm rule do not exist") and rules that would create a cycle.
  Status PutCompositeAlarm(const CompositeAlarmSpec& spec, int64_t now_ms);
  // All or nothing: every name must exist and no remaining composite may refer to them. Their
  // history goes with them.
  Status DeleteAlarms(const std::vector<std::string>& names);
  // SetAlarmState: forces a state until the next evaluation says otherwise (for testing actions).
  // `reason_data` is null or a JSON object. Fires actions like an evaluated transition.
  Status SetAlarmState(const std::string& name, AlarmState state, const std::string& reason,
                       const AlarmJson& reason_data, int64_t now_ms);
  // EnableAlarmActions / DisableAlarmActions.
  Status SetActionsEnabled(const std::vector<std::string>& names, bool enabled, int64_t now_ms);

  std::vector<AlarmTransition> Evaluate(int64_t now_ms, DatapointSource& source);

  // Matching alarms, sorted by name (bytewise), metric and composite alarms together; at most
  // filter.max_records of them, starting after filter.after_name (alarm_paging.h pages with it).
  std::vector<AlarmRecord> DescribeAlarms(const DescribeAlarmsFilter& filter = {}) const;
  std::optional<AlarmRecord> GetAlarm(const std::string& name) const;
  // Matching items in the query's order, at most query.max_records, after query.after.
  std::vector<AlarmHistoryItem> DescribeAlarmHistory(const HistoryQuery& query) const;

  // Records an "Action" history item for an action fired through the sink.
  void RecordActionResult(const AlarmTransition& transition, const std::string& action,
                          const Status& result, int64_t now_ms);

  // Definitions, states and history: {"Version": 1, "MetricAlarms": [...], "CompositeAlarms":
  // [...], "History": [...]}, elements shaped as in DescribeAlarms / DescribeAlarmHistory.
  AlarmJson ToJson() const;
  // Replaces everything with a ToJson() document. All or nothing; InvalidArgument if any alarm is
  // invalid, a rule names a missing alarm or the rules form a cycle.
  Status FromJson(const AlarmJson& snapshot);

  // "arn:aws:cloudwatch:<region>:<account>:alarm:<name>".
  std::string AlarmArn(std::string_view name) const;
  size_t size() const;
  // History items dropped because an alarm's ring was full.
  uint64_t history_dropped() const;

 private:
  struct Entry {
    AlarmRecord record;
    std::optional<AlarmRule> rule;  // composite alarms
    uint64_t generation = 0;        // bumped on every configuration change
  };
  using AlarmMap = std::map<std::string, Entry, std::less<>>;

  Status CheckCapacityLocked(const std::string& name, AlarmType type) const;
  AlarmTransition TransitionLocked(Entry& entry, AlarmState state, std::string reason,
                                   AlarmJson reason_data, int64_t now_ms);
  void EvaluateCompositesLocked(int64_t now_ms, std::vector<AlarmTransition>* transitions);
  void EvaluateCompositeLocked(Entry& entry, int64_t now_ms,
                               std::vector<AlarmTransition>* transitions);
  void RecordConfigurationLocked(const Entry& entry, bool created, int64_t now_ms);
  void FireActions(const std::vector<AlarmTransition>& transitions);

  const AlarmEngineOptions options_;
  ActionSink* const sink_;
  mutable std::mutex mu_;
  AlarmMap alarms_;
  AlarmHistory history_;
  uint64_t next_generation_ = 1;
};

}  // namespace ck::collector
