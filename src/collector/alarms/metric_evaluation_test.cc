#include "collector/alarms/metric_evaluation.h"

#include <gtest/gtest.h>

#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace ck::collector {
namespace {

constexpr int64_t kEnd = 1795675800000;   // 2026-11-26T06:50:00Z
constexpr int64_t kQuery = kEnd + 12345;  // 06:50:12.345
constexpr std::string_view kRetain = "retain";

using Range = std::vector<std::optional<double>>;

MetricAlarmSpec Spec(int n = 3, std::optional<int> m = std::nullopt,
                     TreatMissingData mode = TreatMissingData::kMissing) {
  MetricAlarmSpec spec;
  spec.name = "cpu";
  spec.namespace_name = "CuddleKube";
  spec.metric_name = "CPUUtilization";
  spec.statistic = Statistic::kAverage;
  spec.period_seconds = 300;
  spec.evaluation_periods = n;
  spec.datapoints_to_alarm = m;
  spec.threshold = 5;
  spec.comparison = ComparisonOperator::kGreaterThanThreshold;
  spec.treat_missing_data = mode;
  return spec;
}

// "0 - X - X": 0 is non-breaching (0.0), X breaching (10.0), - missing; oldest first.
Range Pattern(std::string_view pattern) {
  Range out;
  std::istringstream in{std::string(pattern)};
  std::string token;
  while (in >> token) {
    if (token == "-") {
      out.push_back(std::nullopt);
    } else {
      out.push_back(token == "X" ? 10.0 : 0.0);
    }
  }
  return out;
}

MetricEvaluation Evaluate(const MetricAlarmSpec& spec, const Range& range,
                          AlarmState current = AlarmState::kOk) {
  return EvaluateMetricAlarm(spec, range, kEnd, kQuery, current);
}

// The state for `pattern`, or "retain" when the current state is kept; checked from both OK and
// ALARM so that "retain" cannot be confused with a computed state.
std::string Outcome(const MetricAlarmSpec& spec, std::string_view pattern) {
  MetricEvaluation from_ok = Evaluate(spec, Pattern(pattern), AlarmState::kOk);
  MetricEvaluation from_alarm = Evaluate(spec, Pattern(pattern), AlarmState::kAlarm);
  if (from_ok.retained && from_alarm.retained && from_ok.state == AlarmState::kOk &&
      from_alarm.state == AlarmState::kAlarm) {
    return std::string(kRetain);
  }
  if (from_ok.retained || from_alarm.retained || from_ok.state != from_alarm.state) {
    return "inconsistent";
  }
  return std::string(AlarmStateName(from_ok.state));
}

struct TableRow {
  const char* pattern;
  std::string_view missing;
  std::string_view ignore;
  std::string_view breaching;
  std::string_view not_breaching;
};

void CheckTable(int n, int m, const std::vector<TableRow>& rows) {
  for (const TableRow& row : rows) {
    SCOPED_TRACE(row.pattern);
    EXPECT_EQ(Outcome(Spec(n, m, TreatMissingData::kMissing), row.pattern), row.missing);
    EXPECT_EQ(Outcome(Spec(n, m, TreatMissingData::kIgnore), row.pattern), row.ignore);
    EXPECT_EQ(Outcome(Spec(n, m, TreatMissingData::kBreaching), row.pattern), row.breaching);
    EXPECT_EQ(Outcome(Spec(n, m, TreatMissingData::kNotBreaching), row.pattern), row.not_breaching);
  }
}

TEST(MetricEvaluationTest, AwsMissingDataTableThreeOutOfThree) {
  // "How alarm state is evaluated when data is missing", first table: N = M = 3, range 5.
  CheckTable(3, 3,
             {
                 {"0 - X - X", "OK", "OK", "OK", "OK"},
                 {"0 - - - -", "OK", "OK", "OK", "OK"},
                 {"- - - - -", "INSUFFICIENT_DATA", kRetain, "ALARM", "OK"},
                 {"0 X X - X", "ALARM", "ALARM", "ALARM", "ALARM"},
                 {"- - X - -", "ALARM", kRetain, "ALARM", "OK"},
             });
}

TEST(MetricEvaluationTest, AwsMissingDataTableTwoOutOfThree) {
  // Second table: M = 2 out of N = 3, range 5.
  CheckTable(3, 2,
             {
                 {"0 - X - X", "ALARM", "ALARM", "ALARM", "ALARM"},
                 {"0 0 X 0 X", "ALARM", "ALARM", "ALARM", "ALARM"},
                 {"0 - X - -", "OK", "OK", "ALARM", "OK"},
                 {"- - - - 0", "OK", "OK", "ALARM", "OK"},
                 {"- - - X -", "ALARM", kRetain, "ALARM", "OK"},
             });
}

TEST(MetricEvaluationTest, PrematureAlarmNeedsTheBreachToBeMPeriodsOld) {
  // The guide: "- - - - X" and "- - - X -" do not go to ALARM when M is 3.
  EXPECT_EQ(Outcome(Spec(3, 3), "- - - - X"), "OK");
  EXPECT_EQ(Outcome(Spec(3, 3), "- - - X -"), "OK");
  EXPECT_EQ(Outcome(Spec(3, 3), "- - X - -"), "ALARM");
  EXPECT_EQ(Outcome(Spec(3, 3), "- X - - -"), "ALARM");
  // A non-breaching real datapoint anywhere in the range rules the shortcut out.
  EXPECT_EQ(Outcome(Spec(3, 3), "0 - X - -"), "OK");
}

TEST(MetricEvaluationTest, EveryComparisonOperator) {
  struct Case {
    ComparisonOperator op;
    double value;
    bool breaches;
  };
  const std::vector<Case> cases = {
      {ComparisonOperator::kGreaterThanOrEqualToThreshold, 5, true},
      {ComparisonOperator::kGreaterThanOrEqualToThreshold, 4.999, false},
      {ComparisonOperator::kGreaterThanThreshold, 5, false},
      {ComparisonOperator::kGreaterThanThreshold, 5.001, true},
      {ComparisonOperator::kLessThanThreshold, 5, false},
      {ComparisonOperator::kLessThanThreshold, 4.999, true},
      {ComparisonOperator::kLessThanOrEqualToThreshold, 5, true},
      {ComparisonOperator::kLessThanOrEqualToThreshold, 5.001, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(ComparisonOperatorName(c.op)) + " " + std::to_string(c.value));
    MetricAlarmSpec spec = Spec(1);
    spec.comparison = c.op;
    MetricEvaluation result = Evaluate(spec, {std::nullopt, std::nullopt, c.value});
    EXPECT_EQ(result.state, c.breaches ? AlarmState::kAlarm : AlarmState::kOk);
  }
  EXPECT_FALSE(Breaches(ComparisonOperator::kGreaterThanOrEqualToThreshold, std::nan(""), 0));
}

TEST(MetricEvaluationTest, MOutOfN) {
  // 2 out of 3.
  EXPECT_EQ(Outcome(Spec(3, 2), "0 0 X 0 X"), "ALARM");
  EXPECT_EQ(Outcome(Spec(3, 2), "X X 0 0 X"), "OK");
  EXPECT_EQ(Outcome(Spec(3, 2), "0 0 X X 0"), "ALARM");
  // 3 out of 5 (range 7).
  EXPECT_EQ(Outcome(Spec(5, 3), "0 0 X 0 X 0 X"), "ALARM");
  EXPECT_EQ(Outcome(Spec(5, 3), "X X 0 0 X 0 X"), "OK");
  EXPECT_EQ(Outcome(Spec(5, 3), "X X X 0 0 0 0"), "OK");  // the X's are too old
  // Gaps are skipped when enough real datapoints remain: the last 5 real ones are X X X 0 0.
  EXPECT_EQ(Outcome(Spec(5, 3), "X X X - - 0 0"), "ALARM");
}

TEST(MetricEvaluationTest, ThresholdReasonAndReasonData) {
  MetricEvaluation result = Evaluate(Spec(), {1, 2, 7, 8, 9});
  EXPECT_EQ(result.state, AlarmState::kAlarm);
  EXPECT_FALSE(result.retained);
  EXPECT_EQ(result.reason,
            "Threshold Crossed: 3 out of the last 3 datapoints [9.0 (26/11/26 06:45:00), 8.0 "
            "(26/11/26 06:40:00), 7.0 (26/11/26 06:35:00)] were greater than the threshold (5.0) "
            "(minimum 3 datapoints for OK -> ALARM transition).");
  EXPECT_EQ(result.reason_data.dump(),
            R"({"version":"1.0","queryDate":"2026-11-26T06:50:12.345+0000",)"
            R"("startDate":"2026-11-26T06:35:00.000+0000","statistic":"Average","period":300,)"
            R"("recentDatapoints":[7.0,8.0,9.0],"threshold":5.0,"evaluatedDatapoints":[)"
            R"({"timestamp":"2026-11-26T06:45:00.000+0000","value":9.0},)"
            R"({"timestamp":"2026-11-26T06:40:00.000+0000","value":8.0},)"
            R"({"timestamp":"2026-11-26T06:35:00.000+0000","value":7.0}]})");
}

TEST(MetricEvaluationTest, OkReasonListsTheNonBreachingDatapoints) {
  MetricEvaluation result = Evaluate(Spec(), {9, 9, 9, 1.5, 9}, AlarmState::kAlarm);
  EXPECT_EQ(result.state, AlarmState::kOk);
  EXPECT_EQ(result.reason,
            "Threshold Crossed: 1 out of the last 3 datapoints [1.5 (26/11/26 06:40:00)] was not "
            "greater than the threshold (5.0) (minimum 1 datapoint for ALARM -> OK transition).");

  MetricAlarmSpec two_of_three = Spec(3, 2);
  two_of_three.comparison = ComparisonOperator::kLessThanOrEqualToThreshold;
  result = Evaluate(two_of_three, {1, 1, 6, 7, 1});
  EXPECT_EQ(result.state, AlarmState::kOk);
  EXPECT_EQ(result.reason,
            "Threshold Crossed: 2 out of the last 3 datapoints [7.0 (26/11/26 06:40:00), 6.0 "
            "(26/11/26 06:35:00)] were not less than or equal to the threshold (5.0) (minimum 2 "
            "datapoints for ALARM -> OK transition).");
}

TEST(MetricEvaluationTest, MissingDataReasons) {
  MetricEvaluation result = Evaluate(Spec(1, 1, TreatMissingData::kBreaching),
                                     {std::nullopt, std::nullopt, std::nullopt});
  EXPECT_EQ(result.state, AlarmState::kAlarm);
  EXPECT_EQ(result.reason,
            "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint "
            "was treated as [Breaching].");
  EXPECT_EQ(result.reason_data.dump(),
            R"({"version":"1.0","queryDate":"2026-11-26T06:50:12.345+0000","statistic":"Average",)"
            R"("period":300,"recentDatapoints":[],"threshold":5.0})");

  result =
      Evaluate(Spec(1, 1, TreatMissingData::kNotBreaching), Pattern("- - -"), AlarmState::kAlarm);
  EXPECT_EQ(result.state, AlarmState::kOk);
  EXPECT_EQ(result.reason,
            "Threshold Crossed: no datapoints were received for 1 period and 1 missing datapoint "
            "was treated as [NonBreaching].");

  result = Evaluate(Spec(3, 3, TreatMissingData::kBreaching), Pattern("- - - 0 -"));
  EXPECT_EQ(result.state, AlarmState::kOk);
  EXPECT_EQ(result.reason,
            "Threshold Crossed: 1 datapoint [0.0 (26/11/26 06:40:00)] was not greater than the "
            "threshold (5.0) and 2 missing datapoints were treated as [Breaching].");

  result = Evaluate(Spec(3, 2, TreatMissingData::kBreaching), Pattern("- - - X -"));
  EXPECT_EQ(result.state, AlarmState::kAlarm);
  EXPECT_EQ(result.reason,
            "Threshold Crossed: 1 datapoint [10.0 (26/11/26 06:40:00)] was greater than the "
            "threshold (5.0) and 2 missing datapoints were treated as [Breaching].");

  result = Evaluate(Spec(3, 2, TreatMissingData::kBreaching), Pattern("- - - 0 -"));
  EXPECT_EQ(result.state, AlarmState::kAlarm);
  EXPECT_EQ(result.reason, "Threshold Crossed: 2 missing datapoints were treated as [Breaching].");

  result = Evaluate(Spec(3, 3), Pattern("- - - - -"));
  EXPECT_EQ(result.state, AlarmState::kInsufficientData);
  EXPECT_EQ(result.reason, "Insufficient Data: 3 datapoints were unknown.");
  result = Evaluate(Spec(1), Pattern("- - -"));
  EXPECT_EQ(result.reason, "Insufficient Data: 1 datapoint was unknown.");

  // Premature ALARM under "missing": the one breaching datapoint is reported against M.
  result = Evaluate(Spec(3, 3), Pattern("- - X - -"));
  EXPECT_EQ(result.state, AlarmState::kAlarm);
  EXPECT_EQ(result.reason,
            "Threshold Crossed: 1 out of the last 3 datapoints [10.0 (26/11/26 06:35:00)] was "
            "greater than the threshold (5.0) (minimum 3 datapoints for OK -> ALARM transition).");
  // Sparse data under "missing" that falls short of M: OK, explained by the breaching count.
  result = Evaluate(Spec(3, 3), Pattern("- - - - X"), AlarmState::kAlarm);
  EXPECT_EQ(result.state, AlarmState::kOk);
  EXPECT_EQ(result.reason,
            "Threshold Crossed: 1 out of the last 3 datapoints [10.0 (26/11/26 06:45:00)] was "
            "greater than the threshold (5.0) (minimum 3 datapoints for OK -> ALARM transition).");
}

TEST(MetricEvaluationTest, IgnoreKeepsInsufficientData) {
  MetricEvaluation result = Evaluate(Spec(3, 3, TreatMissingData::kIgnore), Pattern("- - - - -"),
                                     AlarmState::kInsufficientData);
  EXPECT_TRUE(result.retained);
  EXPECT_EQ(result.state, AlarmState::kInsufficientData);
  EXPECT_TRUE(result.reason.empty());
  // ... but real data still moves it.
  result = Evaluate(Spec(3, 3, TreatMissingData::kIgnore), Pattern("X X X - -"),
                    AlarmState::kInsufficientData);
  EXPECT_FALSE(result.retained);
  EXPECT_EQ(result.state, AlarmState::kAlarm);
}

TEST(MetricEvaluationTest, ExtendedStatisticAndShortRange) {
  MetricAlarmSpec spec = Spec(2);
  spec.statistic.reset();
  spec.extended_statistic = "p99.9";
  MetricEvaluation result = Evaluate(spec, {7});  // shorter than N: the missing periods are older
  EXPECT_EQ(result.state, AlarmState::kOk);       // 1 breaching real datapoint, M = 2
  EXPECT_EQ(result.reason_data["statistic"], "p99.9");
  EXPECT_EQ(result.reason_data["startDate"], "2026-11-26T06:45:00.000+0000");
}

TEST(MetricEvaluationTest, EvaluationRangeAndEnd) {
  MetricAlarmSpec spec = Spec(3);
  EXPECT_EQ(EvaluationRange(spec), 5);
  spec.evaluation_periods = 10;
  EXPECT_EQ(EvaluationRange(spec), 12);
  // 5-minute periods are evaluated every minute: 06:52:41 -> windows ending 06:52:00.
  EXPECT_EQ(EvaluationEndMs(spec, kEnd + 161'000), kEnd + 120'000);
  spec.period_seconds = 10;
  EXPECT_EQ(EvaluationEndMs(spec, kEnd + 161'000), kEnd + 160'000);
  spec.period_seconds = 30;
  EXPECT_EQ(EvaluationEndMs(spec, kEnd + 161'000), kEnd + 150'000);
}

}  // namespace
}  // namespace ck::collector
