#include "collector/alarms/prometheus_rule.h"

#include <gtest/gtest.h>

namespace ck::collector {
namespace {

MetricAlarmSpec Spec() {
  MetricAlarmSpec spec;
  spec.name = "register-api 5xx";
  spec.description = "Registrations fail: \"TLS\" errors\nsee runbook";
  spec.namespace_name = "CuddleKube";
  spec.metric_name = "5xx";
  spec.statistic = Statistic::kSum;
  spec.period_seconds = 60;
  spec.evaluation_periods = 5;
  spec.datapoints_to_alarm = 3;
  spec.threshold = 1;
  spec.comparison = ComparisonOperator::kGreaterThanOrEqualToThreshold;
  return spec;
}

TEST(PrometheusRuleTest, Helpers) {
  EXPECT_EQ(PrometheusAlertName("register-api 5xx"), "register_api_5xx");
  EXPECT_EQ(PrometheusAlertName("5xx"), "_5xx");
  EXPECT_EQ(PrometheusAlertName(""), "_");
  EXPECT_EQ(PrometheusAlertName("caf\xc3\xa9"), "caf__");
  EXPECT_EQ(PromQLComparison(ComparisonOperator::kGreaterThanOrEqualToThreshold), ">=");
  EXPECT_EQ(PromQLComparison(ComparisonOperator::kGreaterThanThreshold), ">");
  EXPECT_EQ(PromQLComparison(ComparisonOperator::kLessThanThreshold), "<");
  EXPECT_EQ(PromQLComparison(ComparisonOperator::kLessThanOrEqualToThreshold), "<=");
  EXPECT_EQ(PrometheusDuration(10), "10s");
  EXPECT_EQ(PrometheusDuration(180), "3m");
  EXPECT_EQ(PrometheusDuration(5400), "1h30m");
  EXPECT_EQ(PrometheusDuration(3661), "1h1m1s");
  EXPECT_EQ(PrometheusDuration(86400), "24h");
  EXPECT_EQ(PrometheusDuration(0), "0s");
  EXPECT_EQ(YamlQuoted("a\"b\\c\n\x01"), R"("a\"b\\c\n\x01")");
}

TEST(PrometheusRuleTest, RuleFile) {
  MetricAlarmSpec latency = Spec();
  latency.name = "list-api-latency";
  latency.description.clear();
  latency.statistic.reset();
  latency.extended_statistic = "p99";
  latency.period_seconds = 10;
  latency.evaluation_periods = 3;
  latency.datapoints_to_alarm.reset();
  latency.threshold = 0.25;
  latency.comparison = ComparisonOperator::kGreaterThanThreshold;
  auto yaml = PrometheusRuleFile(
      "cuddle-kube-alarms",
      {{Spec(), R"(sum(rate(ck_http_responses_total{service="register-api",code=~"5.."}[1m])))"},
       {latency,
        "histogram_quantile(0.99, sum by (le) (rate(ck_http_duration_seconds_bucket[10s])))"}});
  ASSERT_TRUE(yaml.ok()) << yaml.status().message();
  EXPECT_EQ(*yaml,
            "groups:\n"
            "  - name: \"cuddle-kube-alarms\"\n"
            "    rules:\n"
            "      - alert: \"register_api_5xx\"\n"
            "        expr: \"(sum(rate(ck_http_responses_total{service=\\\"register-api\\\","
            "code=~\\\"5..\\\"}[1m]))) >= 1\"\n"
            "        for: \"3m\"\n"
            "        labels:\n"
            "          alarm_name: \"register-api 5xx\"\n"
            "          namespace: \"CuddleKube\"\n"
            "          metric_name: \"5xx\"\n"
            "        annotations:\n"
            "          summary: \"register-api 5xx: Sum of CuddleKube/5xx greater than or equal to "
            "1.0 for 3 out of 5 datapoints of 60s\"\n"
            "          description: \"Registrations fail: \\\"TLS\\\" errors\\nsee runbook\"\n"
            "      - alert: \"list_api_latency\"\n"
            "        expr: \"(histogram_quantile(0.99, sum by (le) "
            "(rate(ck_http_duration_seconds_bucket[10s])))) > 0.25\"\n"
            "        for: \"30s\"\n"
            "        labels:\n"
            "          alarm_name: \"list-api-latency\"\n"
            "          namespace: \"CuddleKube\"\n"
            "          metric_name: \"5xx\"\n"
            "        annotations:\n"
            "          summary: \"list-api-latency: p99 of CuddleKube/5xx greater than 0.25 for 3 "
            "out of 3 datapoints of 10s\"\n");
}

TEST(PrometheusRuleTest, Errors) {
  EXPECT_EQ(PrometheusAlertRule(Spec(), "  ").status().message(),
            "No PromQL expression for alarm register-api 5xx");
  EXPECT_EQ(PrometheusRuleFile("", {}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(*PrometheusRuleFile("empty", {}), "groups:\n  - name: \"empty\"\n    rules: []\n");
  MetricAlarmSpec big = Spec();
  big.threshold = 1e20;
  EXPECT_NE(PrometheusAlertRule(big, "up")->find("expr: \"(up) >= 1e+20\""), std::string::npos);
}

}  // namespace
}  // namespace ck::collector
