#include "collector/alarms/metric_evaluation.h"

#include <algorithm>
#include <vector>

#include "collector/alarms/alarm_format.h"

namespace ck::collector {
namespace {

struct Point {
  int64_t timestamp_ms;  // start of the period
  double value;
  bool breaching;
};

std::string Plural(int count, std::string_view singular, std::string_view plural) {
  return std::to_string(count) + " " + std::string(count == 1 ? singular : plural);
}

std::string_view WasWere(int count) { return count == 1 ? "was" : "were"; }

// "9.0 (26/11/26 06:45:00), 8.0 (26/11/26 06:40:00)", newest first.
std::string DatapointList(const std::vector<Point>& points) {
  std::string out = "[";
  for (auto it = points.rbegin(); it != points.rend(); ++it) {
    if (it != points.rbegin()) out += ", ";
    out += FormatJavaDouble(it->value) + " (" + FormatReasonDatapointTime(it->timestamp_ms) + ")";
  }
  return out + "]";
}

std::vector<Point> Select(const std::vector<Point>& points, bool breaching) {
  std::vector<Point> out;
  for (const Point& point : points) {
    if (point.breaching == breaching) out.push_back(point);
  }
  return out;
}

class Evaluator {
 public:
  Evaluator(const MetricAlarmSpec& spec, int64_t query_ms) : spec_(spec), query_ms_(query_ms) {}

  std::string ThresholdPhrase(bool negated) const {
    return std::string(negated ? "not " : "") + std::string(ComparisonPhrase(spec_.comparison)) +
           " the threshold (" + FormatJavaDouble(spec_.threshold) + ")";
  }

  // "Threshold Crossed: 3 out of the last 3 datapoints [...] were greater than the threshold
  // (5.0) (minimum 3 datapoints for OK -> ALARM transition)."
  MetricEvaluation OutOfTheLast(AlarmState state, const std::vector<Point>& evaluated) const {
    const int n = spec_.evaluation_periods;
    const int m = spec_.EffectiveDatapointsToAlarm();
    std::vector<Point> breaching = Select(evaluated, true);
    std::vector<Point> not_breaching = Select(evaluated, false);
    // An OK without any non-breaching real datapoint (sparse data under missing / ignore) is
    // explained by the breaching ones falling short of M.
    const bool as_alarm = state == AlarmState::kAlarm || not_breaching.empty();
    const std::vector<Point>& listed = as_alarm ? breaching : not_breaching;
    const int count = static_cast<int>(listed.size());
    const int minimum = as_alarm ? m : n - m + 1;
    MetricEvaluation out;
    out.state = state;
    out.reason = "Threshold Crossed: " + std::to_string(count) + " out of the last " +
                 std::to_string(n) + " datapoints " + DatapointList(listed) + " " +
                 std::string(WasWere(count)) + " " + ThresholdPhrase(!as_alarm) + " (minimum " +
                 Plural(minimum, "datapoint", "datapoints") + " for " +
                 (as_alarm ? "OK -> ALARM" : "ALARM -> OK") + " transition).";
    out.reason_data = ReasonData(evaluated);
    return out;
  }

  // "Threshold Crossed: 1 datapoint [...] was less than the threshold (1.0) and 2 missing
  // datapoints were treated as [Breaching]."
  MetricEvaluation Filled(AlarmState state, const std::vector<Point>& real, int fills) const {
    const bool fills_breach = spec_.treat_missing_data == TreatMissingData::kBreaching;
    const std::vector<Point> listed = Select(real, state == AlarmState::kAlarm);
    const int count = static_cast<int>(listed.size());
    const std::string fill_clause = Plural(fills, "missing datapoint", "missing datapoints") + " " +
                                    std::string(WasWere(fills)) + " treated as [" +
                                    (fills_breach ? "Breaching" : "NonBreaching") + "].";
    MetricEvaluation out;
    out.state = state;
    if (count > 0) {
      out.reason = "Threshold Crossed: " + Plural(count, "datapoint", "datapoints") + " " +
                   DatapointList(listed) + " " + std::string(WasWere(count)) + " " +
                   ThresholdPhrase(state != AlarmState::kAlarm) + " and " + fill_clause;
    } else if (real.empty()) {
      out.reason = "Threshold Crossed: no datapoints were received for " +
                   Plural(fills, "period", "periods") + " and " + fill_clause;
    } else {
      out.reason = "Threshold Crossed: " + fill_clause;
    }
    out.reason_data = ReasonData(real);
    return out;
  }

  MetricEvaluation Insufficient() const {
    const int n = spec_.evaluation_periods;
    MetricEvaluation out;
    out.state = AlarmState::kInsufficientData;
    out.reason = "Insufficient Data: " + Plural(n, "datapoint", "datapoints") + " " +
                 std::string(WasWere(n)) + " unknown.";
    out.reason_data = ReasonData({});
    return out;
  }

 private:
  AlarmJson ReasonData(const std::vector<Point>& evaluated) const {
    AlarmJson data = AlarmJson::object();
    data["version"] = "1.0";
    data["queryDate"] = FormatReasonDataMillis(query_ms_);
    if (!evaluated.empty())
      data["startDate"] = FormatReasonDataMillis(evaluated.front().timestamp_ms);
    data["statistic"] = spec_.StatisticLabel();
    data["period"] = spec_.period_seconds;
    AlarmJson recent = AlarmJson::array();
    for (const Point& point : evaluated) recent.push_back(point.value);
    data["recentDatapoints"] = std::move(recent);
    data["threshold"] = spec_.threshold;
    if (!evaluated.empty()) {
      AlarmJson points = AlarmJson::array();
      for (auto it = evaluated.rbegin(); it != evaluated.rend(); ++it) {
        AlarmJson point = AlarmJson::object();
        point["timestamp"] = FormatReasonDataMillis(it->timestamp_ms);
        point["value"] = it->value;
        points.push_back(std::move(point));
      }
      data["evaluatedDatapoints"] = std::move(points);
    }
    return data;
  }

  const MetricAlarmSpec& spec_;
  int64_t query_ms_;
};

int CountBreaching(const std::vector<Point>& points) {
  return static_cast<int>(std::count_if(points.begin(), points.end(),
                                        [](const Point& point) { return point.breaching; }));
}

}  // namespace

int EvaluationRange(const MetricAlarmSpec& spec) {
  return std::max(spec.evaluation_periods, 1) + kExtraEvaluationPeriods;
}

int64_t EvaluationEndMs(const MetricAlarmSpec& spec, int64_t now_ms) {
  const int64_t step_ms = std::min<int64_t>(std::max(spec.period_seconds, 1), 60) * 1000;
  int64_t end = now_ms / step_ms * step_ms;
  if (now_ms < 0 && end != now_ms) end -= step_ms;
  return end;
}

MetricEvaluation EvaluateMetricAlarm(const MetricAlarmSpec& spec,
                                     std::span<const std::optional<double>> range, int64_t end_ms,
                                     int64_t query_ms, AlarmState current) {
  const int n = std::max(spec.evaluation_periods, 1);
  const int m = std::clamp(spec.EffectiveDatapointsToAlarm(), 1, n);
  const int64_t period_ms = static_cast<int64_t>(spec.period_seconds) * 1000;
  const int size = static_cast<int>(range.size());

  std::vector<Point> real;
  int oldest_real_age = 0;  // periods back from end_ms to the start of the oldest real datapoint
  for (int i = 0; i < size; ++i) {
    if (!range[i]) continue;
    const int age = size - i;
    const double value = *range[i];
    real.push_back(
        {end_ms - age * period_ms, value, Breaches(spec.comparison, value, spec.threshold)});
    if (real.size() == 1) oldest_real_age = age;
  }
  Evaluator evaluator(spec, query_ms);
  const int real_count = static_cast<int>(real.size());

  if (real_count >= n) {
    std::vector<Point> evaluated(real.end() - n, real.end());
    const bool alarm = CountBreaching(evaluated) >= m;
    return evaluator.OutOfTheLast(alarm ? AlarmState::kAlarm : AlarmState::kOk, evaluated);
  }

  const TreatMissingData mode = spec.treat_missing_data;
  if (mode == TreatMissingData::kBreaching || mode == TreatMissingData::kNotBreaching) {
    const int fills = n - real_count;
    const int breaching = CountBreaching(real) + (mode == TreatMissingData::kBreaching ? fills : 0);
    return evaluator.Filled(breaching >= m ? AlarmState::kAlarm : AlarmState::kOk, real, fills);
  }

  MetricEvaluation retained;
  retained.retained = true;
  retained.state = current;
  if (real.empty()) {
    return mode == TreatMissingData::kIgnore ? retained : evaluator.Insufficient();
  }
  const int breaching = CountBreaching(real);
  if (breaching >= m) return evaluator.OutOfTheLast(AlarmState::kAlarm, real);
  const bool premature = breaching == real_count && oldest_real_age >= m;
  if (premature) {
    return mode == TreatMissingData::kIgnore ? retained
                                             : evaluator.OutOfTheLast(AlarmState::kAlarm, real);
  }
  return evaluator.OutOfTheLast(AlarmState::kOk, real);
}

}  // namespace ck::collector
