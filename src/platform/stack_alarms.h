// The stack file's `alarms:` section: alarm name -> CloudWatch alarm properties.
//
// Properties use CloudWatch's (and CloudFormation's AWS::CloudWatch::Alarm) PascalCase names:
// Namespace, MetricName, Dimensions ({Name: Value} map or [{Name, Value}] list), Statistic or
// ExtendedStatistic, Period, EvaluationPeriods, DatapointsToAlarm, Threshold,
// ComparisonOperator, TreatMissingData, AlarmActions, OKActions, AlarmDescription; an
// AlarmRule makes a composite alarm. Each entry becomes a PutMetricAlarm / PutCompositeAlarm
// JSON body (AlarmName from the key); the collector validates them when the stack starts.
//
//   alarms:
//     list-api-p99:
//       Namespace: ck/list-api
//       MetricName: ck_http_server_request_duration_seconds
//       ExtendedStatistic: p99
//       Period: 60
//       EvaluationPeriods: 3
//       Threshold: 0.5
//       ComparisonOperator: GreaterThanThreshold
//
// Failure modes: InvalidArgument "<file>:<line>:<column>: alarms.<name>: ..." for a shape that
// cannot be an alarm (not a map, a nested value where a scalar belongs).
// Thread-safety: pure function.
#pragma once

#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"

namespace ck::platform {

Result<std::vector<nlohmann::json>> ParseStackAlarms(const YAML::Node& alarms,
                                                     const std::string& file_name);

}  // namespace ck::platform
