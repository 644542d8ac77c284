#include "collector/alarms/prometheus_rule.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "collector/alarms/alarm_format.h"

namespace ck::collector {
namespace {

// Shortest round-trip spelling, valid as a PromQL number literal ("5", "0.25", "1e+20").
std::string PromQLNumber(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

bool IsBlank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace

std::string PrometheusAlertName(std::string_view alarm_name) {
  std::string out;
  for (char c : alarm_name) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    out.push_back(keep ? c : '_');
  }
  if (out.empty() || (out.front() >= '0' && out.front() <= '9')) out.insert(out.begin(), '_');
  return out;
}

std::string_view PromQLComparison(ComparisonOperator op) {
  switch (op) {
    case ComparisonOperator::kGreaterThanOrEqualToThreshold:
      return ">=";
    case ComparisonOperator::kGreaterThanThreshold:
      return ">";
    case ComparisonOperator::kLessThanThreshold:
      return "<";
    case ComparisonOperator::kLessThanOrEqualToThreshold:
      return "<=";
  }
  return ">";
}

std::string PrometheusDuration(int64_t seconds) {
  if (seconds <= 0) return "0s";
  std::string out;
  if (seconds >= 3600) out += std::to_string(seconds / 3600) + "h";
  if (seconds % 3600 >= 60) out += std::to_string(seconds % 3600 / 60) + "m";
  if (seconds % 60 != 0) out += std::to_string(seconds % 60) + "s";
  return out;
}

std::string YamlQuoted(std::string_view text) {
  constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (char c : text) {
    const unsigned char byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (byte < 0x20 || byte == 0x7f) {
          out += {'\\', 'x', kHex[byte >> 4], kHex[byte & 15]};
        } else {
          out.push_back(c);
        }
    }
  }
  return out + "\"";
}

Result<std::string> PrometheusAlertRule(const MetricAlarmSpec& alarm, std::string_view expr,
                                        int indent) {
  if (IsBlank(expr)) {
    return InvalidArgument("No PromQL expression for alarm " + alarm.name);
  }
  const std::string pad(static_cast<size_t>(std::max(indent, 0)), ' ');
  const int m = alarm.EffectiveDatapointsToAlarm();
  const std::string threshold_expr = "(" + std::string(expr) + ") " +
                                     std::string(PromQLComparison(alarm.comparison)) + " " +
                                     PromQLNumber(alarm.threshold);
  const std::string summary = alarm.name + ": " + alarm.StatisticLabel() + " of " +
                              alarm.namespace_name + "/" + alarm.metric_name + " " +
                              std::string(ComparisonPhrase(alarm.comparison)) + " " +
                              FormatJavaDouble(alarm.threshold) + " for " + std::to_string(m) +
                              " out of " + std::to_string(alarm.evaluation_periods) +
                              " datapoints of " + std::to_string(alarm.period_seconds) + "s";
  std::string out;
  out += pad + "- alert: " + YamlQuoted(PrometheusAlertName(alarm.name)) + "\n";
  out += pad + "  expr: " + YamlQuoted(threshold_expr) + "\n";
  out += pad + "  for: " +
         YamlQuoted(PrometheusDuration(static_cast<int64_t>(m) * alarm.period_seconds)) + "\n";
  out += pad + "  labels:\n";
  out += pad + "    alarm_name: " + YamlQuoted(alarm.name) + "\n";
  out += pad + "    namespace: " + YamlQuoted(alarm.namespace_name) + "\n";
  out += pad + "    metric_name: " + YamlQuoted(alarm.metric_name) + "\n";
  out += pad + "  annotations:\n";
  out += pad + "    summary: " + YamlQuoted(summary) + "\n";
  if (!alarm.description.empty()) {
    out += pad + "    description: " + YamlQuoted(alarm.description) + "\n";
  }
  return out;
}

Result<std::string> PrometheusRuleFile(std::string_view group_name,
                                       const std::vector<PrometheusAlarmRule>& rules) {
  if (IsBlank(group_name)) return InvalidArgument("A Prometheus rule group needs a name");
  std::string out = "groups:\n  - name: " + YamlQuoted(group_name) + "\n";
  if (rules.empty()) return out + "    rules: []\n";
  out += "    rules:\n";
  for (const PrometheusAlarmRule& rule : rules) {
    CK_ASSIGN_OR_RETURN(std::string entry, PrometheusAlertRule(rule.alarm, rule.expr, 6));
    out += entry;
  }
  return out;
}

}  // namespace ck::collector
