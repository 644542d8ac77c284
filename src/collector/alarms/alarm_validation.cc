#include "collector/alarms/alarm_validation.h"

#include <cmath>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "collector/alarms/alarm_rule.h"

namespace ck::collector {
namespace {

Status RequireLength(std::string_view member, std::string_view value, size_t max_length) {
  if (value.empty()) return AlarmConstraintError(member, "", "not be null");
  if (value.size() > max_length) {
    return InvalidArgument("1 validation error detected: Value at '" + std::string(member) +
                           "' failed to satisfy constraint: Member must have length less than "
                           "or equal to " +
                           std::to_string(max_length));
  }
  if (!IsValidUtf8(value)) {
    return InvalidArgument("The value for parameter " + std::string(member) +
                           " must be valid UTF-8");
  }
  return Status::Ok();
}

bool IsPrintableAscii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) return false;
  }
  return true;
}

Status ValidateActions(std::string_view member, const std::vector<std::string>& actions) {
  if (actions.size() > kMaxActionsPerState) {
    return InvalidArgument("1 validation error detected: Value at '" + std::string(member) +
                           "' failed to satisfy constraint: Member must have length less than "
                           "or equal to " +
                           std::to_string(kMaxActionsPerState));
  }
  for (const std::string& action : actions) CK_RETURN_IF_ERROR(ValidateAlarmAction(action));
  return Status::Ok();
}

Status ValidateCommon(std::string_view name, std::string_view description,
                      const std::vector<std::string>& alarm_actions,
                      const std::vector<std::string>& ok_actions,
                      const std::vector<std::string>& insufficient_data_actions) {
  CK_RETURN_IF_ERROR(ValidateAlarmName(name));
  if (!description.empty()) {
    CK_RETURN_IF_ERROR(RequireLength("alarmDescription", description, kMaxAlarmDescriptionLength));
  }
  CK_RETURN_IF_ERROR(ValidateActions("alarmActions", alarm_actions));
  CK_RETURN_IF_ERROR(ValidateActions("oKActions", ok_actions));
  CK_RETURN_IF_ERROR(ValidateActions("insufficientDataActions", insufficient_data_actions));
  return Status::Ok();
}

}  // namespace

Status AlarmConstraintError(std::string_view member, std::string_view value,
                            std::string_view rule) {
  std::string shown = value.empty() ? "null" : "'" + std::string(value.substr(0, 256)) + "'";
  return InvalidArgument("1 validation error detected: Value " + shown + " at '" +
                         std::string(member) + "' failed to satisfy constraint: Member must " +
                         std::string(rule));
}

Status ValidateAlarmName(std::string_view name) {
  CK_RETURN_IF_ERROR(RequireLength("alarmName", name, kMaxAlarmNameLength));
  if (!IsPrintableAscii(name)) {
    return InvalidArgument("Alarm names must contain only printable ASCII characters");
  }
  return Status::Ok();
}

Status ValidateAlarmAction(std::string_view action) {
  auto invalid = [&] {
    return InvalidArgument("Invalid action '" + std::string(action.substr(0, 128)) +
                           "': supported actions are \"log\" and \"webhook:<http or https URL>\"");
  };
  if (action.size() > kMaxActionLength || !IsPrintableAscii(action)) return invalid();
  if (action == "log") return Status::Ok();
  if (!action.starts_with("webhook:")) return invalid();
  std::string_view url = action.substr(8);
  std::string_view rest;
  if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else {
    return invalid();
  }
  if (rest.empty() || rest.front() == '/' || rest.find(' ') != std::string_view::npos) {
    return invalid();
  }
  return Status::Ok();
}

bool IsValidExtendedStatistic(std::string_view text) {
  if (text.size() < 2 || text.front() != 'p') return false;
  std::string_view number = text.substr(1);
  const size_t dot = number.find('.');
  std::string_view whole = number.substr(0, dot);
  std::string_view fraction = dot == std::string_view::npos ? "" : number.substr(dot + 1);
  if (whole.empty() || whole.size() > 3) return false;
  if (dot != std::string_view::npos && (fraction.empty() || fraction.size() > 2)) return false;
  int value = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  bool fraction_zero = true;
  for (char c : fraction) {
    if (c < '0' || c > '9') return false;
    fraction_zero = fraction_zero && c == '0';
  }
  return value < 100 || (value == 100 && fraction_zero);
}

Status ValidateMetricAlarmSpec(const MetricAlarmSpec& spec) {
  CK_RETURN_IF_ERROR(ValidateCommon(spec.name, spec.description, spec.alarm_actions,
                                    spec.ok_actions, spec.insufficient_data_actions));
  CK_RETURN_IF_ERROR(RequireLength("namespace", spec.namespace_name, 255));
  if (spec.namespace_name.front() == ':' || !IsPrintableAscii(spec.namespace_name)) {
    return AlarmConstraintError("namespace", spec.namespace_name,
                                "satisfy regular expression pattern: [^:].*");
  }
  CK_RETURN_IF_ERROR(RequireLength("metricName", spec.metric_name, 255));
  if (spec.dimensions.size() > kMaxDimensions) {
    return InvalidArgument(
        "1 validation error detected: Value at 'dimensions' failed to satisfy constraint: Member "
        "must have length less than or equal to " +
        std::to_string(kMaxDimensions));
  }
  std::set<std::string> dimension_names;
  for (const Dimension& dimension : spec.dimensions) {
    CK_RETURN_IF_ERROR(RequireLength("dimensions.member.name", dimension.name, 255));
    CK_RETURN_IF_ERROR(RequireLength("dimensions.member.value", dimension.value, 1024));
    if (!dimension_names.insert(dimension.name).second) {
      return InvalidArgument("The collection Dimensions must not contain duplicate names ('" +
                             dimension.name + "')");
    }
  }
  const bool has_extended = !spec.extended_statistic.empty();
  if (spec.statistic.has_value() == has_extended) {
    return InvalidArgument("Exactly one of Statistic or ExtendedStatistic must be specified");
  }
  if (has_extended && !IsValidExtendedStatistic(spec.extended_statistic)) {
    return InvalidArgument("The value " + spec.extended_statistic.substr(0, 64) +
                           " for parameter ExtendedStatistic is not supported.");
  }
  const int period = spec.period_seconds;
  if (!(period == 10 || period == 20 || period == 30 || (period >= 60 && period % 60 == 0))) {
    return InvalidArgument("Period must be 10, 20, 30 or a multiple of 60");
  }
  if (spec.evaluation_periods < 1) {
    return AlarmConstraintError("evaluationPeriods", std::to_string(spec.evaluation_periods),
                                "have value greater than or equal to 1");
  }
  if (spec.datapoints_to_alarm) {
    if (*spec.datapoints_to_alarm < 1) {
      return AlarmConstraintError("datapointsToAlarm", std::to_string(*spec.datapoints_to_alarm),
                                  "have value greater than or equal to 1");
    }
    if (*spec.datapoints_to_alarm > spec.evaluation_periods) {
      return InvalidArgument("DatapointsToAlarm must be less than or equal to EvaluationPeriods");
    }
  }
  const int64_t window = static_cast<int64_t>(period) * spec.evaluation_periods;
  if (period < 3600 && window > 86400) {
    return InvalidArgument(
        "Metrics cannot be checked across more than a day (EvaluationPeriods * Period must be <= "
        "86400) for alarms using period < 3600");
  }
  if (window > 604800) {
    return InvalidArgument(
        "Metrics cannot be checked across more than a week (EvaluationPeriods * Period must be <= "
        "604800)");
  }
  if (!std::isfinite(spec.threshold)) {
    return InvalidArgument("The value for parameter Threshold must be a finite number");
  }
  return Status::Ok();
}

Status ValidateCompositeAlarmSpec(const CompositeAlarmSpec& spec) {
  CK_RETURN_IF_ERROR(ValidateCommon(spec.name, spec.description, spec.alarm_actions,
                                    spec.ok_actions, spec.insufficient_data_actions));
  if (spec.rule.empty()) return AlarmConstraintError("alarmRule", "", "not be null");
  auto rule = AlarmRule::Parse(spec.rule);
  if (!rule.ok()) return rule.status();
  return Status::Ok();
}

}  // namespace ck::collector
