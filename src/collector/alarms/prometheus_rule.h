// Renders metric alarms as Prometheus alerting rules (for `ck export prometheus`).
//
// The caller supplies, per alarm, a PromQL expression computing the alarm's statistic for its
// metric (the metric -> PromQL mapping belongs to the metrics side); this file turns the rest of
// the alarm into a rule that `promtool check rules` accepts:
//   alert:  the alarm name with every character outside [A-Za-z0-9_] replaced by '_'
//   expr:   (<expr>) <op> <threshold>          e.g. (sum(rate(x[1m]))) >= 1
//   for:    M periods (DatapointsToAlarm x Period): Prometheus' "true for this long" stands in
//           for "M of N datapoints" — exact for M = N on a per-period expression, an
//           approximation otherwise; TreatMissingData has no equivalent (no data, no alert)
//   labels: alarm_name, namespace, metric_name (original spellings)
//   annotations: summary (threshold in words), description (AlarmDescription, if any)
// Every string is emitted as a YAML double-quoted scalar, so names and expressions need no care.
//
//   std::string yaml = PrometheusRuleFile("cuddle-kube-alarms",
//                                         {{spec, "sum(rate(ck_http_errors_total[1m]))"}}).value();
//
// Thread-safety: pure functions. Failure: InvalidArgument for an empty expression or group name.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "collector/alarms/alarm_types.h"
#include "core/status.h"

namespace ck::collector {

struct PrometheusAlarmRule {
  MetricAlarmSpec alarm;
  std::string expr;  // PromQL for the alarm's statistic of its metric
};

// "register-api 5xx" -> "register_api_5xx"; a leading digit gets a "_" prefix.
std::string PrometheusAlertName(std::string_view alarm_name);
// ">=", ">", "<", "<=".
std::string_view PromQLComparison(ComparisonOperator op);
// Prometheus duration: 180 -> "3m", 5400 -> "1h30m", 10 -> "10s".
std::string PrometheusDuration(int64_t seconds);
// A YAML double-quoted scalar with `text` escaped.
std::string YamlQuoted(std::string_view text);

// One rule: a YAML sequence item ("- alert: ...") whose lines are indented by `indent` spaces.
Result<std::string> PrometheusAlertRule(const MetricAlarmSpec& alarm, std::string_view expr,
                                        int indent = 6);
// A complete rule file with one group holding every rule.
Result<std::string> PrometheusRuleFile(std::string_view group_name,
                                       const std::vector<PrometheusAlarmRule>& rules);

}  // namespace ck::collector
