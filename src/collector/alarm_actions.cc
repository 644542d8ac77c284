#include "collector/alarm_actions.h"

#include "collector/alarms/alarm_format.h"
#include "core/logger.h"
#include "http/url.h"

namespace ck::collector {

namespace {

constexpr std::string_view kLogAction = "log";
constexpr std::string_view kWebhookPrefix = "webhook:";

// The spelling of CloudWatch's notifications: "AVERAGE", "SAMPLE_COUNT", ...
std::string_view NotificationStatistic(Statistic statistic) {
  switch (statistic) {
    case Statistic::kSampleCount:
      return "SAMPLE_COUNT";
    case Statistic::kAverage:
      return "AVERAGE";
    case Statistic::kSum:
      return "SUM";
    case Statistic::kMinimum:
      return "MINIMUM";
    case Statistic::kMaximum:
      return "MAXIMUM";
  }
  return "AVERAGE";
}

AlarmJson Strings(const std::vector<std::string>& values) {
  AlarmJson out = AlarmJson::array();
  for (const std::string& value : values) out.push_back(value);
  return out;
}

AlarmJson Trigger(const MetricAlarmSpec& spec) {
  AlarmJson trigger = AlarmJson::object();
  trigger["MetricName"] = spec.metric_name;
  trigger["Namespace"] = spec.namespace_name;
  if (spec.statistic) {
    trigger["StatisticType"] = "Statistic";
    trigger["Statistic"] = NotificationStatistic(*spec.statistic);
  } else {
    trigger["StatisticType"] = "ExtendedStatistic";
    trigger["ExtendedStatistic"] = spec.extended_statistic;
  }
  trigger["Unit"] = nullptr;
  AlarmJson dimensions = AlarmJson::array();
  for (const Dimension& dimension : spec.dimensions) {
    AlarmJson item = AlarmJson::object();
    item["value"] = dimension.value;
    item["name"] = dimension.name;
    dimensions.push_back(std::move(item));
  }
  trigger["Dimensions"] = std::move(dimensions);
  trigger["Period"] = spec.period_seconds;
  trigger["EvaluationPeriods"] = spec.evaluation_periods;
  trigger["DatapointsToAlarm"] = spec.EffectiveDatapointsToAlarm();
  trigger["ComparisonOperator"] = ComparisonOperatorName(spec.comparison);
  trigger["Threshold"] = spec.threshold;
  trigger["TreatMissingData"] = TreatMissingDataName(spec.treat_missing_data);
  trigger["EvaluateLowSampleCountPercentile"] = "";
  return trigger;
}

// object[key] when it is a string, else "" (reason data may come from SetAlarmState callers).
std::string StringMember(const AlarmJson& object, const char* key) {
  auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : "";
}

// reason_data.triggeringAlarms [{arn, state: {value, timestamp}}] in the notification's spelling.
AlarmJson TriggeringChildren(const AlarmJson& reason_data) {
  AlarmJson children = AlarmJson::array();
  if (!reason_data.is_object()) return children;
  auto alarms = reason_data.find("triggeringAlarms");
  if (alarms == reason_data.end() || !alarms->is_array()) return children;
  for (const AlarmJson& alarm : *alarms) {
    if (!alarm.is_object()) continue;
    AlarmJson state = AlarmJson::object();
    if (auto found = alarm.find("state"); found != alarm.end() && found->is_object()) {
      state["Value"] = StringMember(*found, "value");
      state["Timestamp"] = StringMember(*found, "timestamp");
    }
    AlarmJson child = AlarmJson::object();
    child["Arn"] = StringMember(alarm, "arn");
    child["State"] = std::move(state);
    children.push_back(std::move(child));
  }
  return children;
}

}  // namespace

AlarmJson AlarmNotification(const AlarmTransition& transition, const AlarmRecord* record,
                            std::string_view region, std::string_view account_id) {
  AlarmJson out = AlarmJson::object();
  out["AlarmName"] = transition.alarm_name;
  out["AlarmDescription"] =
      transition.description.empty() ? AlarmJson(nullptr) : AlarmJson(transition.description);
  out["AWSAccountId"] = account_id;
  if (record != nullptr) {
    out["AlarmConfigurationUpdatedTimestamp"] =
        FormatReasonDataMillis(record->status.config_updated_ms);
  }
  out["NewStateValue"] = AlarmStateName(transition.new_state);
  out["NewStateReason"] = transition.reason;
  out["StateChangeTime"] = FormatReasonDataMillis(transition.timestamp_ms);
  out["Region"] = region;
  out["AlarmArn"] = transition.alarm_arn;
  out["OldStateValue"] = AlarmStateName(transition.old_state);
  if (record != nullptr) {
    const bool metric = record->type == AlarmType::kMetric;
    out["OKActions"] = Strings(metric ? record->metric.ok_actions : record->composite.ok_actions);
    out["AlarmActions"] =
        Strings(metric ? record->metric.alarm_actions : record->composite.alarm_actions);
    out["InsufficientDataActions"] = Strings(metric ? record->metric.insufficient_data_actions
                                                    : record->composite.insufficient_data_actions);
    if (metric) {
      out["Trigger"] = Trigger(record->metric);
    } else {
      out["AlarmRule"] = record->composite.rule;
      out["TriggeringChildren"] = TriggeringChildren(transition.reason_data);
    }
  }
  return out;
}

AlarmActions::AlarmActions(AlarmActionsOptions options) : options_(std::move(options)) {}

int64_t AlarmActions::NowMs() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             options_.clock->Now().time_since_epoch())
      .count();
}

void AlarmActions::Record(const AlarmTransition& transition, const std::string& action,
                          const Status& result) {
  if (engine_ == nullptr) return;
  engine_->RecordActionResult(transition, action, result, NowMs());
  if (options_.on_recorded) options_.on_recorded();
}

void AlarmActions::Fire(const AlarmTransition& transition, const std::string& action) {
  {
    std::lock_guard lock(mutex_);
    ++stats_.fired;
  }
  if (action == kLogAction) {
    Logger::Global().Info("alarm state change",
                          {{"alarm", transition.alarm_name},
                           {"alarm_arn", transition.alarm_arn},
                           {"old_state", AlarmStateName(transition.old_state)},
                           {"new_state", AlarmStateName(transition.new_state)},
                           {"reason", transition.reason}});
    {
      std::lock_guard lock(mutex_);
      ++stats_.logged;
    }
    Record(transition, action, Status::Ok());
    return;
  }
  const bool webhook = action.substr(0, kWebhookPrefix.size()) == kWebhookPrefix;
  auto url = webhook ? http::ParseUrl(std::string_view(action).substr(kWebhookPrefix.size()))
                     : Result<http::Url>(InvalidArgument("unknown action kind"));
  if (!url.ok()) {
    {
      std::lock_guard lock(mutex_);
      ++stats_.invalid;
    }
    Record(transition, action, url.status());
    return;
  }
  std::optional<AlarmRecord> record =
      engine_ != nullptr ? engine_->GetAlarm(transition.alarm_name) : std::nullopt;
  Notification notification{transition, action,
                            std::string(std::string_view(action).substr(kWebhookPrefix.size())),
                            AlarmNotification(transition, record ? &*record : nullptr,
                                              options_.region, options_.account_id)
                                .dump(-1, ' ', false, AlarmJson::error_handler_t::replace)};
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() < options_.queue_capacity) {
      queue_.push_back(std::move(notification));
      stats_.queued = queue_.size();
      return;
    }
    ++stats_.webhooks_dropped;
  }
  Record(transition, action,
         ResourceExhausted("the webhook queue is full (" + std::to_string(options_.queue_capacity) +
                           " notifications)"));
}

size_t AlarmActions::Deliver(std::chrono::milliseconds budget) {
  const auto deadline = std::chrono::steady_clock::now() + budget;
  size_t delivered = 0;
  while (true) {
    Notification notification;
    {
      std::lock_guard lock(mutex_);
      if (queue_.empty() || (delivered > 0 && std::chrono::steady_clock::now() >= deadline)) {
        break;
      }
      notification = std::move(queue_.front());
      queue_.pop_front();
      stats_.queued = queue_.size();
    }
    Status result = Status::Ok();
    auto url = http::ParseUrl(notification.url);
    if (!url.ok()) {
      result = url.status();
    } else {
      http::HttpRequest request{http::Verb::post, url->target, 11};
      request.set(http::Field::content_type, "application/json");
      request.set(http::Field::user_agent, "ck-collector-alarms");
      request.body() = std::move(notification.body);
      auto response = http::SendBlocking(*url, std::move(request), options_.http);
      if (!response.ok()) {
        result = response.status();
      } else if (response->result_int() < 200 || response->result_int() > 299) {
        result = Unavailable("HTTP " + std::to_string(response->result_int()));
      }
    }
    {
      std::lock_guard lock(mutex_);
      ++(result.ok() ? stats_.webhooks_sent : stats_.webhooks_failed);
    }
    Record(notification.transition, notification.action, result);
    ++delivered;
  }
  return delivered;
}

AlarmActionsStats AlarmActions::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

}  // namespace ck::collector
