// AlarmActions: the collector's alarm ActionSink. "log" writes one JSON log line; "webhook:<url>"
// POSTs the transition as CloudWatch's SNS alarm notification (AlarmNotification below).
//
// Fire() never waits for the network: a log action is written and recorded at once; a webhook's
// notification is built and queued in a bounded queue that the owner drains with Deliver() on its
// own thread (MetricsService's service thread). A full queue refuses the notification, counts it
// and records a failed action. Deliver() sends each notification with a short deadline and records
// the outcome (a 2xx answer is success) as an Action history item through
// AlarmEngine::RecordActionResult.
//
//   AlarmActions actions({.clock = &clock});
//   AlarmEngine engine({}, &actions);
//   actions.Attach(&engine);            // before the first Fire
//   ... service thread: actions.Deliver(std::chrono::seconds(2));
//
// Thread-safety: Fire from any thread (the engine calls it from Evaluate and SetAlarmState);
// Deliver from one thread at a time; stats from any thread.
// Failure: every failure is counted and recorded in the alarm's history; nothing throws.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include "collector/alarms/alarm_engine.h"
#include "collector/alarms/alarm_types.h"
#include "core/clock.h"
#include "http/client.h"

namespace ck::collector {

struct AlarmActionsOptions {
  size_t queue_capacity = 64;  // webhook notifications waiting for Deliver
  http::ClientOptions http = {.connect_timeout = std::chrono::milliseconds(500),
                              .request_timeout = std::chrono::milliseconds(2000)};
  std::string region = "local";
  std::string account_id = "000000000000";
  const Clock* clock = &SystemClock::Instance();
  // Called after an action's outcome was recorded in the engine (the history changed).
  std::function<void()> on_recorded;
};

struct AlarmActionsStats {
  uint64_t fired = 0;             // actions passed to Fire
  uint64_t logged = 0;            // "log" actions written
  uint64_t webhooks_sent = 0;     // answered with 2xx
  uint64_t webhooks_failed = 0;   // no answer, or not 2xx
  uint64_t webhooks_dropped = 0;  // refused because the queue was full
  uint64_t invalid = 0;           // unknown action kinds or malformed webhook URLs
  uint64_t queued = 0;            // waiting now
};

class AlarmActions final : public ActionSink {
 public:
  explicit AlarmActions(AlarmActionsOptions options = {});
  AlarmActions(const AlarmActions&) = delete;
  AlarmActions& operator=(const AlarmActions&) = delete;

  // The engine whose alarms fire here (for RecordActionResult and alarm definitions).
  void Attach(AlarmEngine* engine) { engine_ = engine; }

  void Fire(const AlarmTransition& transition, const std::string& action) override;

  // Sends queued notifications, oldest first, until the queue is empty or `budget` has passed
  // (a notification already started is finished). Returns how many were sent (either outcome).
  size_t Deliver(std::chrono::milliseconds budget);

  AlarmActionsStats stats() const;

 private:
  struct Notification {
    AlarmTransition transition;
    std::string action;
    std::string url;
    std::string body;
  };

  int64_t NowMs() const;
  void Record(const AlarmTransition& transition, const std::string& action, const Status& result);

  const AlarmActionsOptions options_;
  AlarmEngine* engine_ = nullptr;
  mutable std::mutex mutex_;
  std::deque<Notification> queue_;
  AlarmActionsStats stats_;
};

// CloudWatch's alarm notification (the SNS message body): AlarmName, AlarmDescription,
// AWSAccountId, AlarmConfigurationUpdatedTimestamp, NewStateValue, NewStateReason,
// StateChangeTime, Region, AlarmArn, OldStateValue, OKActions, AlarmActions,
// InsufficientDataActions, then for a metric alarm Trigger {MetricName, Namespace, StatisticType,
// Statistic | ExtendedStatistic, Unit, Dimensions [{value, name}], Period, EvaluationPeriods,
// DatapointsToAlarm, ComparisonOperator, Threshold, TreatMissingData,
// EvaluateLowSampleCountPercentile}, for a composite alarm AlarmRule and TriggeringChildren.
// `record` is the alarm as stored (nullptr when it was deleted meanwhile: the transition's fields
// only). Times as in CloudWatch's notifications: "2026-11-26T06:45:00.000+0000".
AlarmJson AlarmNotification(const AlarmTransition& transition, const AlarmRecord* record,
                            std::string_view region, std::string_view account_id);

}  // namespace ck::collector
