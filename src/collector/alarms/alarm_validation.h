// Validation of alarm definitions, with the messages CloudWatch's PutMetricAlarm and
// PutCompositeAlarm return as ValidationError.
//
// Call these before storing a spec; AlarmEngine does. They check one spec on its own: whether the
// alarms a composite rule names exist (and form no cycle) is the engine's check.
//
// Actions are strings of two kinds: "log" (write the transition to the log) and
// "webhook:<http or https URL>" (POST the transition there); at most kMaxActionsPerState each.
//
// Thread-safety: pure functions. Failure: InvalidArgument with the message to show the caller.
#pragma once

#include <cstddef>
#include <string_view>

#include "collector/alarms/alarm_types.h"
#include "core/status.h"
#include "core/utf8.h"

namespace ck::collector {

inline constexpr size_t kMaxAlarmNameLength = 255;
inline constexpr size_t kMaxAlarmDescriptionLength = 1024;
inline constexpr size_t kMaxDimensions = 30;
inline constexpr size_t kMaxActionsPerState = 5;
inline constexpr size_t kMaxActionLength = 1024;

// CloudWatch's constraint message: "1 validation error detected: Value 'v' at 'member' failed to
// satisfy constraint: Member must <rule>" (Value null when `value` is empty).
Status AlarmConstraintError(std::string_view member, std::string_view value, std::string_view rule);

Status ValidateAlarmName(std::string_view name);
Status ValidateAlarmAction(std::string_view action);
// "p" then a percentile in [0, 100] with at most two decimals: p99, p99.9, p50.25, p0, p100.
bool IsValidExtendedStatistic(std::string_view text);

Status ValidateMetricAlarmSpec(const MetricAlarmSpec& spec);
// Name, description, actions, and that the rule parses (alarm_rule.h).
Status ValidateCompositeAlarmSpec(const CompositeAlarmSpec& spec);

}  // namespace ck::collector
