#include "collector/alarms/alarm_validation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>

namespace ck::collector {
namespace {

MetricAlarmSpec ValidSpec() {
  MetricAlarmSpec spec;
  spec.name = "register-api-5xx";
  spec.namespace_name = "CuddleKube";
  spec.metric_name = "5xx";
  spec.dimensions = {{"Service", "register-api"}};
  spec.statistic = Statistic::kSum;
  spec.period_seconds = 60;
  spec.evaluation_periods = 3;
  spec.threshold = 1;
  spec.alarm_actions = {"log", "webhook:http://127.0.0.1:9000/hook"};
  return spec;
}

std::string ErrorAfter(const std::function<void(MetricAlarmSpec&)>& change) {
  MetricAlarmSpec spec = ValidSpec();
  change(spec);
  Status status = ValidateMetricAlarmSpec(spec);
  if (status.ok()) return "ok";
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  return status.message();
}

TEST(AlarmValidationTest, ValidSpecPasses) {
  EXPECT_EQ(ErrorAfter([](MetricAlarmSpec&) {}), "ok");
  EXPECT_EQ(ErrorAfter([](MetricAlarmSpec& s) { s.period_seconds = 10; }), "ok");
  EXPECT_EQ(ErrorAfter([](MetricAlarmSpec& s) { s.period_seconds = 20; }), "ok");
  EXPECT_EQ(ErrorAfter([](MetricAlarmSpec& s) { s.period_seconds = 3600; }), "ok");
  EXPECT_EQ(ErrorAfter([](MetricAlarmSpec& s) { s.datapoints_to_alarm = 3; }), "ok");
}

TEST(AlarmValidationTest, CloudWatchMessages) {
  EXPECT_EQ(ErrorAfter([](MetricAlarmSpec& s) { s.name.clear(); }),
            "1 validation error detected: Value null at 'alarmName' failed to satisfy "
            "constraint: Member must not be null");
  EXPECT_EQ(ErrorAfter([](MetricAlarmSpec& s) { s.name = std::string(256, 'a'); }),
            "1 validation error detected: Value at 'alarmName' failed to satisfy constraint: "
            "Member must have length less than or equal to 255");
  EXPECT_EQ(ErrorAfter([](MetricAlarmSpec& s) { s.name = "caf\xc3\xa9"; }),
            "Alarm names must contain only printable ASCII characters");
  EXPECT_EQ(ErrorAfter([](MetricAlarmSpec& s) { s.namespace_name.clear(); }),
            "1 validation error detected: Value null at 'namespace' failed to satisfy "
            "constraint: Member must not be null");
  EXPECT_EQ(ErrorAfter([](MetricAlarmSpec& s) { s.namespace_name = ":x"; }),
            "1 validation error detected: Value ':x' at 'namespace' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: [^:].*");
  EXPECT_EQ(ErrorAfter([](MetricAlarmSpec& s) { s.metric_name.clear(); }),
            "1 validation error detected: Value null at 'metricName' failed to satisfy "
            "constraint: Member must not be null");
  EXPECT_EQ(ErrorAfter([](MetricAlarmSpec& s) {
              s.dimensions.push_back({"Service", "b"});
            }),
            "The collection Dimensions must not contain duplicate names ('Service')");
  EXPECT_EQ(ErrorAfter([](MetricAlarmSpec& s) { s.dimensions[0].value = "\xff"; }),
            "The value for parameter dimensions.member.value must be valid UTF-8");
  EXPECT_EQ(ErrorAfter([](MetricAlarmSpec& s) { s.statistic.reset(); }),
            "Exactly one of Statistic or ExtendedStatistic must be specified");
  EXPECT_EQ(ErrorAfter([](MetricAlarmSpec& s) { s.extended_statistic = "p99"; }),
            "Exactly one of Statistic or ExtendedStatistic must be specified");
  EXPECT_EQ(ErrorAfter([](MetricAlarmSpec& s) {
              s.statistic.reset();
              s.extended_statistic = "p100.5";
            }),
            "The value p100.5 for parameter ExtendedStatistic is not supported.");
  EXPECT_EQ(ErrorAfter([](MetricAlarmSpec& s) { s.period_seconds = 45; }),
            "Period must be 10, 20, 30 or a multiple of 60");
  EXPECT_EQ(ErrorAfter([](MetricAlarmSpec& s) { s.period_seconds = 0; }),
            "Period must be 10, 20, 30 or a multiple of 60");
  EXPECT_EQ(ErrorAfter([](MetricAlarmSpec& s) { s.evaluation_periods = 0; }),
            "1 validation error detected: Value '0' at 'evaluationPeriods' failed to satisfy "
            "constraint: Member must have value greater than or equal to 1");
  EXPECT_EQ(ErrorAfter([](MetricAlarmSpec& s) { s.datapoints_to_alarm = 0; }),
            "1 validation error detected: Value '0' at 'datapointsToAlarm' failed to satisfy "
            "constraint: Member must have value greater than or equal to 1");
  EXPECT_EQ(ErrorAfter([](MetricAlarmSpec& s) { s.datapoints_to_alarm = 4; }),
            "DatapointsToAlarm must be less than or equal to EvaluationPeriods");
  EXPECT_EQ(ErrorAfter([](MetricAlarmSpec& s) { s.evaluation_periods = 1441; }),
            "Metrics cannot be checked across more than a day (EvaluationPeriods * Period must "
            "be <= 86400) for alarms using period < 3600");
  EXPECT_EQ(ErrorAfter([](MetricAlarmSpec& s) {
              s.period_seconds = 3600;
              s.evaluation_periods = 169;
            }),
            "Metrics cannot be checked across more than a week (EvaluationPeriods * Period must "
            "be <= 604800)");
  EXPECT_EQ(ErrorAfter([](MetricAlarmSpec& s) { s.threshold = std::nan(""); }),
            "The value for parameter Threshold must be a finite number");
  EXPECT_EQ(ErrorAfter([](MetricAlarmSpec& s) {
              s.ok_actions = {"log", "log", "log", "log", "log", "log"};
            }),
            "1 validation error detected: Value at 'oKActions' failed to satisfy constraint: "
            "Member must have length less than or equal to 5");
  EXPECT_EQ(ErrorAfter([](MetricAlarmSpec& s) { s.description = std::string(1025, 'd'); }),
            "1 validation error detected: Value at 'alarmDescription' failed to satisfy "
            "constraint: Member must have length less than or equal to 1024");
}

TEST(AlarmValidationTest, Actions) {
  EXPECT_TRUE(ValidateAlarmAction("log").ok());
  EXPECT_TRUE(ValidateAlarmAction("webhook:https://hooks.example.com/a?b=c").ok());
  EXPECT_TRUE(ValidateAlarmAction("webhook:http://127.0.0.1:8080").ok());
  for (const char* bad :
       {"", "LOG", "sns:topic", "webhook:", "webhook:ftp://x", "webhook:http://",
        "webhook:http:///path", "webhook:http://a b", "arn:aws:sns:us-east-1:123456789012:topic"}) {
    SCOPED_TRACE(bad);
    Status status = ValidateAlarmAction(bad);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  }
  EXPECT_EQ(ValidateAlarmAction("sns:topic").message(),
            "Invalid action 'sns:topic': supported actions are \"log\" and \"webhook:<http or "
            "https URL>\"");
}

TEST(AlarmValidationTest, ExtendedStatistics) {
  for (const char* good : {"p0", "p50", "p99", "p99.9", "p99.99", "p100", "p100.0", "p0.5"}) {
    EXPECT_TRUE(IsValidExtendedStatistic(good)) << good;
  }
  for (const char* bad :
       {"", "p", "p-1", "p100.01", "p101", "p99.999", "p9.", "P99", "tm99", "p 99", "p0099"}) {
    EXPECT_FALSE(IsValidExtendedStatistic(bad)) << bad;
  }
}

TEST(AlarmValidationTest, CompositeSpecs) {
  CompositeAlarmSpec spec;
  spec.name = "page";
  spec.rule = "ALARM(a) AND NOT ALARM(b)";
  EXPECT_TRUE(ValidateCompositeAlarmSpec(spec).ok());
  spec.rule.clear();
  EXPECT_EQ(ValidateCompositeAlarmSpec(spec).message(),
            "1 validation error detected: Value null at 'alarmRule' failed to satisfy "
            "constraint: Member must not be null");
  spec.rule = "ALARM(a) AND";
  EXPECT_EQ(ValidateCompositeAlarmSpec(spec).message(),
            "Invalid AlarmRule: expected ALARM, OK, INSUFFICIENT_DATA, TRUE, FALSE, NOT or '(', "
            "found end of rule at position 13");
  spec.rule = "TRUE";
  spec.alarm_actions = {"email:me"};
  EXPECT_EQ(ValidateCompositeAlarmSpec(spec).code(), StatusCode::kInvalidArgument);
}

TEST(AlarmValidationTest, Utf8) {
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xe2\x82"));          // truncated
}

}  // namespace
}  // namespace ck::collector
