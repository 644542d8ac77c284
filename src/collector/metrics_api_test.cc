// MetricsApi over a real MetricsService (SQLite store, alarms file): CloudWatch's JSON 1.0
// operations, their error shapes, and the two Prometheus extensions checked with promtool.
#include "collector/metrics_api.h"

#include <gtest/gtest.h>

#include "collector/alarms/alarm_json.h"
#include "collector/alarms/prometheus_rule.h"
#include "collector/metrics_api_params.h"
#include "collector/metrics_test_support.h"

namespace ck::collector {
namespace {

using nlohmann::json;
using testing::kTestNowMs;
using testing::TestClock;

constexpr int64_t kMinuteStartS = 1'764'139'500;  // 06:45:00, the minute of kTestNowMs
constexpr int64_t kPreviousMinuteS = kMinuteStartS - 60;

class MetricsApiTest : public ::testing::Test {
 protected:
  MetricsApiTest()
      : directory_(std::string("metrics-api-") +
                   ::testing::UnitTest::GetInstance()->current_test_info()->name()) {}

  void SetUp() override { Start(); }

  void Start(std::vector<ScrapeEndpoint> targets = {}) {
    api_.reset();
    service_.reset();
    MetricsServiceOptions options;
    options.data_dir = directory_.path().string();
    options.scrape_interval = std::chrono::milliseconds(0);
    options.evaluate_interval = std::chrono::milliseconds(0);
    options.scrape_targets = [targets] { return targets; };
    options.clock = &clock_;
    auto started = MetricsService::Start(std::move(options));
    ASSERT_TRUE(started.ok()) << started.status().ToString();
    service_ = std::move(*started);
    api_ = std::make_unique<MetricsApi>(*service_);
  }

  http::HttpResponse Post(const std::string& operation, const std::string& body) {
    http::HttpRequest request{http::Verb::post, "/", 11};
    request.set("X-Amz-Target", "GraniteServiceVersion20100801." + operation);
    request.set(http::Field::content_type, "application/x-amz-json-1.0");
    request.body() = body;
    EXPECT_TRUE(MetricsApi::Accepts(request));
    return api_->Handle(request);
  }

  std::pair<int, json> Call(const std::string& operation, const json& body) {
    http::HttpResponse response = Post(operation, body.dump());
    EXPECT_EQ(response[http::Field::content_type], "application/x-amz-json-1.0");
    return {response.result_int(), json::parse(response.body(), nullptr, false)};
  }

  // Expects CloudWatch's error `code` (in x-amzn-query-error, its shape in __type) and returns
  // the message.
  std::string Error(const std::string& operation, const json& body, const std::string& code,
                    int status = 400) {
    http::HttpResponse response = Post(operation, body.dump());
    const json reply = json::parse(response.body(), nullptr, false);
    EXPECT_EQ(response.result_int(), status) << reply.dump();
    EXPECT_EQ(response["x-amzn-query-error"], code + (status >= 500 ? ";Receiver" : ";Sender"));
    EXPECT_EQ(reply.value("__type", ""), ErrorShapeId(code)) << reply.dump();
    return reply.value("message", "");
  }

  http::HttpResponse Get(const std::string& path) {
    http::HttpRequest request{http::Verb::get, path, 11};
    EXPECT_TRUE(MetricsApi::Accepts(request));
    return api_->Handle(request);
  }

  void Ok(const std::string& operation, const json& body) {
    auto [code, reply] = Call(operation, body);
    EXPECT_EQ(code, 200) << operation << ": " << reply.dump();
    EXPECT_EQ(reply, json::object());
  }

  static json Dimensions(std::vector<std::pair<std::string, std::string>> dimensions) {
    json out = json::array();
    for (auto& [name, value] : dimensions) out.push_back({{"Name", name}, {"Value", value}});
    return out;
  }

  TestClock clock_;
  testing::TempDirectory directory_;
  std::unique_ptr<MetricsService> service_;
  std::unique_ptr<MetricsApi> api_;
};

TEST_F(MetricsApiTest, PutMetricDataThenGetMetricStatistics) {
  const json service = Dimensions({{"Service", "list-api"}});
  Ok("PutMetricData",
     {{"Namespace", "CuddleKube"},
      {"MetricData",
       {{{"MetricName", "Latency"},
         {"Dimensions", service},
         {"Timestamp", kPreviousMinuteS + 5},
         {"Values", {10, 20}},
         {"Counts", {1, 3}},
         {"Unit", "Milliseconds"}},
        {{"MetricName", "Latency"},
         {"Dimensions", service},
         {"Timestamp", "2025-11-26T06:44:40.250Z"},
         {"Value", 50},
         {"Unit", "Milliseconds"}},
        {{"MetricName", "Latency"},
         {"Dimensions", service},
         {"Timestamp", kPreviousMinuteS - 50.5},
         {"StatisticValues", {{"SampleCount", 4}, {"Sum", 8}, {"Minimum", 1}, {"Maximum", 3}}},
         {"Unit", "Milliseconds"}}}}});

  auto [code, reply] =
      Call("GetMetricStatistics",
           {{"Namespace", "CuddleKube"},
            {"MetricName", "Latency"},
            {"Dimensions", service},
            {"StartTime", "2025-11-26T06:43:00Z"},
            {"EndTime", kMinuteStartS},
            {"Period", 60},
            {"Statistics", {"SampleCount", "Average", "Sum", "Minimum", "Maximum"}}});
  ASSERT_EQ(code, 200) << reply.dump();
  json expected = {{"Label", "Latency"},
                   {"Datapoints",
                    {{{"Timestamp", kPreviousMinuteS - 60},
                      {"SampleCount", 4},
                      {"Average", 2},
                      {"Sum", 8},
                      {"Minimum", 1},
                      {"Maximum", 3},
                      {"Unit", "Milliseconds"}},
                     {{"Timestamp", kPreviousMinuteS},
                      {"SampleCount", 5},
                      {"Average", 24},
                      {"Sum", 120},
                      {"Minimum", 10},
                      {"Maximum", 50},
                      {"Unit", "Milliseconds"}}}}};
  EXPECT_EQ(reply, expected);
  EXPECT_TRUE(reply["Datapoints"][0]["Timestamp"].is_number_integer());

  // Percentiles, within the sketch's 1% relative error.
  std::tie(code, reply) = Call("GetMetricStatistics", {{"Namespace", "CuddleKube"},
                                                       {"MetricName", "Latency"},
                                                       {"Dimensions", service},
                                                       {"StartTime", kPreviousMinuteS},
                                                       {"EndTime", kMinuteStartS},
                                                       {"Period", 60},
                                                       {"ExtendedStatistics", {"p100", "p50"}}});
  ASSERT_EQ(code, 200) << reply.dump();
  ASSERT_EQ(reply["Datapoints"].size(), 1u);
  const json& point = reply["Datapoints"][0];
  EXPECT_EQ(point["Timestamp"], kPreviousMinuteS);
  EXPECT_NEAR(point["ExtendedStatistics"]["p100"].get<double>(), 50, 0.5);
  EXPECT_NEAR(point["ExtendedStatistics"]["p50"].get<double>(), 20, 0.2);
  EXPECT_FALSE(point.contains("Average"));

  // A Unit other than the series' matches nothing; another series has no datapoints.
  std::tie(code, reply) = Call("GetMetricStatistics", {{"Namespace", "CuddleKube"},
                                                       {"MetricName", "Latency"},
                                                       {"Dimensions", service},
                                                       {"StartTime", kPreviousMinuteS},
                                                       {"EndTime", kMinuteStartS},
                                                       {"Period", 60},
                                                       {"Unit", "Seconds"},
                                                       {"Statistics", {"Sum"}}});
  EXPECT_EQ(reply, json({{"Label", "Latency"}, {"Datapoints", json::array()}}));
  std::tie(code, reply) = Call("GetMetricStatistics", {{"Namespace", "CuddleKube"},
                                                       {"MetricName", "Latency"},
                                                       {"StartTime", kPreviousMinuteS},
                                                       {"EndTime", kMinuteStartS},
                                                       {"Period", 60},
                                                       {"Statistics", {"Sum"}}});
  EXPECT_EQ(reply["Datapoints"], json::array());
}

TEST_F(MetricsApiTest, ListMetricsFiltersAndPages) {
  auto put = [&](const std::string& metric_namespace, const std::string& name,
                 std::vector<std::pair<std::string, std::string>> dimensions) {
    Ok("PutMetricData", {{"Namespace", metric_namespace},
                         {"MetricData",
                          {{{"MetricName", name},
                            {"Dimensions", Dimensions(std::move(dimensions))},
                            {"Value", 1}}}}});
  };
  put("CuddleKube", "Latency", {{"Service", "list-api"}});
  put("CuddleKube", "Latency", {{"Service", "register-api"}});
  put("CuddleKube", "Errors", {{"Service", "list-api"}, {"Route", "/list"}});
  put("Other", "Latency", {{"Service", "list-api"}});

  auto [code, reply] =
      Call("ListMetrics", {{"Namespace", "CuddleKube"},
                           {"Dimensions", {{{"Name", "Service"}, {"Value", "list-api"}}}}});
  ASSERT_EQ(code, 200) << reply.dump();
  json expected = {{"Metrics",
                    {{{"Namespace", "CuddleKube"},
                      {"MetricName", "Errors"},
                      {"Dimensions", Dimensions({{"Route", "/list"}, {"Service", "list-api"}})}},
                     {{"Namespace", "CuddleKube"},
                      {"MetricName", "Latency"},
                      {"Dimensions", Dimensions({{"Service", "list-api"}})}}}}};
  EXPECT_EQ(reply, expected);

  std::tie(code, reply) =
      Call("ListMetrics", {{"MetricName", "Latency"}, {"Dimensions", {{{"Name", "Service"}}}}});
  ASSERT_EQ(reply["Metrics"].size(), 3u);
  EXPECT_EQ(reply["Metrics"][2]["Namespace"], "Other");

  // 501 series: a full page of 500 with a token, then the last one.
  json data = json::array();
  for (int i = 0; i < 501; ++i) {
    data.push_back({{"MetricName", "m"},
                    {"Dimensions", Dimensions({{"i", std::to_string(1000 + i)}})},
                    {"Value", i}});
  }
  Ok("PutMetricData", {{"Namespace", "Paging"}, {"MetricData", data}});
  std::tie(code, reply) = Call("ListMetrics", {{"Namespace", "Paging"}});
  ASSERT_EQ(reply["Metrics"].size(), 500u);
  ASSERT_TRUE(reply.contains("NextToken"));
  std::tie(code, reply) =
      Call("ListMetrics", {{"Namespace", "Paging"}, {"NextToken", reply["NextToken"]}});
  ASSERT_EQ(reply["Metrics"].size(), 1u);
  EXPECT_EQ(reply["Metrics"][0]["Dimensions"][0]["Value"], "1500");
  EXPECT_FALSE(reply.contains("NextToken"));
}

TEST_F(MetricsApiTest, ErrorShapes) {
  const json datum = {{"MetricName", "m"}, {"Value", 1}};
  EXPECT_EQ(Error("PutMetricData", {{"MetricData", {datum}}}, "MissingParameter"),
            "The parameter Namespace is required.");
  EXPECT_EQ(
      Error("PutMetricData", {{"Namespace", 7}, {"MetricData", {datum}}}, "SerializationException"),
      "Unexpected value for 'Namespace': expected a string");
  EXPECT_EQ(Error("PutMetricData", {{"Namespace", "AWS/EC2"}, {"MetricData", {datum}}},
                  "InvalidParameterValue"),
            "The value AWS/EC2 for parameter Namespace is invalid.");
  EXPECT_EQ(Error("PutMetricData",
                  {{"Namespace", "n"},
                   {"MetricData",
                    {datum,
                     {{"MetricName", "m"},
                      {"Value", 1},
                      {"StatisticValues",
                       {{"SampleCount", 1}, {"Sum", 1}, {"Minimum", 1}, {"Maximum", 1}}}}}}},
                  "InvalidParameterCombination"),
            "The parameters MetricData.member.2.Value, MetricData.member.2.Values and "
            "MetricData.member.2.StatisticValues are mutually exclusive.");
  EXPECT_EQ(Error("PutMetricData",
                  {{"Namespace", "n"},
                   {"MetricData", {{{"MetricName", "m"}, {"Unit", "Parsecs"}, {"Value", 1}}}}},
                  "InvalidParameterValue"),
            "Unit \"Parsecs\" is not a CloudWatch unit");
  EXPECT_EQ(Error("PutMetricData",
                  {{"Namespace", "n"},
                   {"MetricData",
                    {{{"MetricName", "m"}, {"Dimensions", {{{"Name", "a"}}}}, {"Value", 1}}}}},
                  "MissingParameter"),
            "The parameter MetricData.member.1.Dimensions.member.1.Value is required.");

  const json query = {{"Namespace", "n"},
                      {"MetricName", "m"},
                      {"StartTime", kPreviousMinuteS},
                      {"EndTime", kMinuteStartS},
                      {"Period", 60}};
  json both = query;
  both["Statistics"] = {"Sum"};
  both["ExtendedStatistics"] = {"p99"};
  EXPECT_EQ(Error("GetMetricStatistics", both, "InvalidParameterCombination"),
            "Must specify either Statistics or ExtendedStatistics, but not both.");
  json odd_period = query;
  odd_period["Statistics"] = {"Sum"};
  odd_period["Period"] = 7;
  EXPECT_EQ(Error("GetMetricStatistics", odd_period, "InvalidParameterValue").substr(0, 33),
            "The parameter Period 7 is invalid");
  json too_many = query;
  too_many["Statistics"] = {"Sum"};
  too_many["Period"] = 1;
  too_many["StartTime"] = kMinuteStartS - 1441;
  EXPECT_EQ(Error("GetMetricStatistics", too_many, "InvalidParameterCombination"),
            "You have requested up to 1441 datapoints, which exceeds the limit of 1,440. You may "
            "reduce the datapoints requested by increasing Period, or decreasing the time range.");
  json backwards = query;
  backwards["Statistics"] = {"Sum"};
  backwards["StartTime"] = kMinuteStartS;
  EXPECT_EQ(Error("GetMetricStatistics", backwards, "InvalidParameterValue"),
            "The parameter StartTime must be less than the parameter EndTime.");
  json bad_time = query;
  bad_time["Statistics"] = {"Sum"};
  bad_time["EndTime"] = "yesterday";
  EXPECT_EQ(Error("GetMetricStatistics", bad_time, "InvalidParameterValue"),
            "The parameter EndTime is not a valid timestamp.");

  EXPECT_EQ(Error("GetMetricData", json::object(), "UnknownOperationException"),
            "Unknown operation GetMetricData");
  http::HttpResponse response = Post("ListMetrics", "[1, 2");
  EXPECT_EQ(response.result_int(), 400);
  EXPECT_EQ(json::parse(response.body()),
            json({{"__type", "com.amazon.coral.service#SerializationException"},
                  {"message", "The request body is not a valid JSON object"}}));
  EXPECT_EQ(response["x-amzn-query-error"], "SerializationException;Sender");
  EXPECT_EQ(response["x-amzn-ErrorType"], "SerializationException");
  EXPECT_EQ(response["x-amzn-RequestId"].size(), 36u);

  // Alarm operations. An unknown alarm is 404, as CloudWatch's model declares ResourceNotFound.
  EXPECT_EQ(Error("DeleteAlarms", {{"AlarmNames", {"ghost"}}}, "ResourceNotFound", 404),
            "The alarm ghost does not exist");
  EXPECT_EQ(
      Error("SetAlarmState", {{"AlarmName", "ghost"}, {"StateValue", "OK"}, {"StateReason", "r"}},
            "ResourceNotFound", 404),
      "The alarm ghost does not exist");
  EXPECT_EQ(Error("PutCompositeAlarm", {{"AlarmName", "c"}, {"AlarmRule", "ALARM(ghost)"}},
                  "ValidationError"),
            "Could not save the composite alarm as alarms [ghost] in the alarm rule do not exist");
  EXPECT_EQ(Error("PutMetricAlarm",
                  {{"AlarmName", "a"},
                   {"Namespace", "n"},
                   {"MetricName", "m"},
                   {"Statistic", "Sum"},
                   {"Period", 60},
                   {"EvaluationPeriods", 0},
                   {"Threshold", 1},
                   {"ComparisonOperator", "GreaterThanThreshold"}},
                  "ValidationError"),
            "1 validation error detected: Value '0' at 'evaluationPeriods' failed to satisfy "
            "constraint: Member must have value greater than or equal to 1");
  EXPECT_EQ(Error("SetAlarmState",
                  {{"AlarmName", "a"},
                   {"StateValue", "ALARM"},
                   {"StateReason", "test"},
                   {"StateReasonData", "{broken"}},
                  "InvalidFormat"),
            "StateReasonData is not a valid JSON object.");
  EXPECT_EQ(
      Error("SetAlarmState", {{"AlarmName", "a"}, {"StateValue", "ALARM"}}, "MissingParameter"),
      "The parameter StateReason is required.");
}

TEST_F(MetricsApiTest, AlarmOperations) {
  Ok("PutMetricAlarm", {{"AlarmName", "cpu"},
                        {"AlarmDescription", "busy"},
                        {"Namespace", "ECS/ContainerInsights"},
                        {"MetricName", "CpuUtilized"},
                        {"Dimensions", Dimensions({{"ServiceName", "list-api"}})},
                        {"Statistic", "Average"},
                        {"Period", 60},
                        {"EvaluationPeriods", 1},
                        {"Threshold", 80},
                        {"ComparisonOperator", "GreaterThanThreshold"},
                        {"AlarmActions", {"log"}}});
  // Saved before the answer.
  auto saved = ParseAlarmJson(testing::ReadFile(service_->alarms_path()));
  ASSERT_TRUE(saved.ok());
  EXPECT_EQ((*saved)["MetricAlarms"][0]["AlarmName"], "cpu");

  auto [code, reply] = Call("DescribeAlarms", json::object());
  ASSERT_EQ(code, 200);
  ASSERT_EQ(reply["MetricAlarms"].size(), 1u);
  json alarm = reply["MetricAlarms"][0];
  EXPECT_EQ(alarm["AlarmArn"], "arn:aws:cloudwatch:local:000000000000:alarm:cpu");
  EXPECT_EQ(alarm["StateValue"], "INSUFFICIENT_DATA");
  EXPECT_EQ(alarm["AlarmConfigurationUpdatedTimestamp"], kTestNowMs / 1000.0);
  EXPECT_EQ(alarm["StateUpdatedTimestamp"], kTestNowMs / 1000.0);
  EXPECT_EQ(alarm["Dimensions"], Dimensions({{"ServiceName", "list-api"}}));

  clock_.AdvanceMs(1000);
  Ok("SetAlarmState", {{"AlarmName", "cpu"},
                       {"StateValue", "ALARM"},
                       {"StateReason", "testing the action"},
                       {"StateReasonData", R"({"why": "test"})"}});
  std::tie(code, reply) =
      Call("DescribeAlarms", {{"StateValue", "ALARM"}, {"AlarmNames", {"cpu"}}});
  ASSERT_EQ(reply["MetricAlarms"].size(), 1u);
  EXPECT_EQ(reply["MetricAlarms"][0]["StateReason"], "testing the action");
  EXPECT_EQ(reply["MetricAlarms"][0]["StateReasonData"], R"({"why":"test"})");
  EXPECT_EQ(reply["MetricAlarms"][0]["StateUpdatedTimestamp"], (kTestNowMs + 1000) / 1000.0);

  std::tie(code, reply) =
      Call("DescribeAlarmHistory", {{"AlarmName", "cpu"}, {"HistoryItemType", "StateUpdate"}});
  ASSERT_EQ(reply["AlarmHistoryItems"].size(), 1u);
  EXPECT_EQ(reply["AlarmHistoryItems"][0]["HistorySummary"],
            "Alarm updated from INSUFFICIENT_DATA to ALARM");
  EXPECT_EQ(reply["AlarmHistoryItems"][0]["Timestamp"], (kTestNowMs + 1000) / 1000.0);
  std::tie(code, reply) =
      Call("DescribeAlarmHistory", {{"AlarmName", "cpu"}, {"HistoryItemType", "Action"}});
  ASSERT_EQ(reply["AlarmHistoryItems"].size(), 1u);
  EXPECT_EQ(reply["AlarmHistoryItems"][0]["HistorySummary"], "Successfully executed action log");

  Ok("DisableAlarmActions", {{"AlarmNames", {"cpu"}}});
  std::tie(code, reply) = Call("DescribeAlarms", json::object());
  EXPECT_EQ(reply["MetricAlarms"][0]["ActionsEnabled"], false);
  Ok("EnableAlarmActions", {{"AlarmNames", {"cpu"}}});
  std::tie(code, reply) = Call("DescribeAlarms", json::object());
  EXPECT_EQ(reply["MetricAlarms"][0]["ActionsEnabled"], true);

  Ok("PutCompositeAlarm", {{"AlarmName", "page"}, {"AlarmRule", "ALARM(cpu)"}});
  std::tie(code, reply) = Call("DescribeAlarms", {{"AlarmTypes", {"CompositeAlarm"}}});
  ASSERT_EQ(reply["CompositeAlarms"].size(), 1u);
  EXPECT_EQ(reply["CompositeAlarms"][0]["AlarmRule"], "ALARM(cpu)");

  EXPECT_EQ(Error("DeleteAlarms", {{"AlarmNames", {"cpu"}}}, "ValidationError").substr(0, 13),
            "The alarm cpu");
  Ok("DeleteAlarms", {{"AlarmNames", {"cpu", "page"}}});
  std::tie(code, reply) =
      Call("DescribeAlarms", {{"AlarmTypes", {"MetricAlarm", "CompositeAlarm"}}});
  EXPECT_EQ(reply, json({{"MetricAlarms", json::array()}, {"CompositeAlarms", json::array()}}));
  // The deletion is in the file too.
  Start();
  EXPECT_EQ(service_->alarms().size(), 0u);
}

TEST_F(MetricsApiTest, PrometheusRulesPassPromtool) {
  testing::TestHttpServer target;
  target.SetMetrics(
      "# TYPE http_requests_total counter\nhttp_requests_total{code=\"500\"} 1\n"
      "# TYPE inflight_requests gauge\ninflight_requests 2\n"
      "# TYPE request_duration_seconds histogram\n"
      "request_duration_seconds_bucket{le=\"0.1\"} 1\n"
      "request_duration_seconds_bucket{le=\"+Inf\"} 1\n"
      "request_duration_seconds_sum 0.05\nrequest_duration_seconds_count 1\n");
  const std::string instance = target.HostPort();
  Start({{"list-api", instance, target.Url("/metrics")}});
  service_->ScrapeNow();  // teaches the service the families' types

  auto alarm = [&](const std::string& name, const std::string& metric_namespace,
                   const std::string& metric, json dimensions, const std::string& statistic,
                   int period, double threshold, const std::string& comparison) {
    json body = {{"AlarmName", name},      {"Namespace", metric_namespace},
                 {"MetricName", metric},   {"Dimensions", std::move(dimensions)},
                 {"Period", period},       {"EvaluationPeriods", 3},
                 {"Threshold", threshold}, {"ComparisonOperator", comparison}};
    body[statistic[0] == 'p' ? "ExtendedStatistic" : "Statistic"] = statistic;
    Ok("PutMetricAlarm", body);
  };
  alarm("list-api p99", "ck/list-api", "request_duration_seconds",
        Dimensions({{"instance", instance}}), "p99", 60, 0.25, "GreaterThanThreshold");
  alarm("list-api errors", "ck/list-api", "http_requests_total", Dimensions({{"code", "500"}}),
        "Sum", 300, 1, "GreaterThanOrEqualToThreshold");
  alarm("list-api busy", "ck/list-api", "inflight_requests", json::array(), "Average", 60, 10,
        "GreaterThanThreshold");
  alarm("list-api down", "ck/scrape", "up", Dimensions({{"job", "list-api"}}), "Minimum", 60, 1,
        "LessThanThreshold");
  alarm("cpu \"hot\"", "ECS/ContainerInsights", "CpuUtilized",
        Dimensions({{"ServiceName", "list-api"}, {"ClusterName", "cuddle-kube"}}), "Average", 300,
        80, "GreaterThanThreshold");
  alarm("emf latency", "CuddleKube", "Latency", Dimensions({{"Service", "list-api"}}), "p99", 60,
        0.5, "GreaterThanThreshold");
  alarm("emf requests", "CuddleKube", "Requests", json::array(), "Sum", 300, 100,
        "LessThanThreshold");
  Ok("PutCompositeAlarm", {{"AlarmName", "any"}, {"AlarmRule", "ALARM(\"emf latency\")"}});

  http::HttpResponse response = Get("/v1/alarms/prometheus-rules");
  ASSERT_EQ(response.result_int(), 200) << response.body();
  EXPECT_EQ(response[http::Field::content_type], "text/yaml; charset=utf-8");
  const std::string rules = response.body();
  const std::vector<std::string> expressions = {
      "(histogram_quantile(0.99, sum by (le) (increase(request_duration_seconds_bucket{job=\"list-"
      "api\",instance=\"" +
          instance + "\"}[1m])))) > 0.25",
      "(sum(increase(http_requests_total{job=\"list-api\",code=\"500\"}[5m]))) >= 1",
      "(avg_over_time(inflight_requests{job=\"list-api\"}[1m])) > 10",
      "(min_over_time(up{job=\"list-api\"}[1m])) < 1",
      "(avg_over_time(ck_cloudwatch_metric{namespace=\"ECS/ContainerInsights\",metric="
      "\"CpuUtilized\",cluster_name=\"cuddle-kube\",service_name=\"list-api\",statistic="
      "\"Average\"}[5m])) > 80",
      "(max_over_time(ck_cloudwatch_metric{namespace=\"CuddleKube\",metric=\"Latency\",service="
      "\"list-api\",statistic=\"p99\"}[1m])) > 0.5",
      "(avg_over_time(ck_cloudwatch_metric{namespace=\"CuddleKube\",metric=\"Requests\","
      "statistic=\"Sum\"}[5m]) * 5) < 100"};
  for (const std::string& expression : expressions) {
    EXPECT_NE(rules.find("expr: " + YamlQuoted(expression)), std::string::npos)
        << expression << "\n"
        << rules;
  }
  EXPECT_EQ(rules.find("alert: \"any\""), std::string::npos);  // composites have no rule

  if (::access(testing::kPromtool, X_OK) != 0) {
    GTEST_SKIP() << testing::kPromtool << " is missing (Debian's prometheus package)";
  }
  std::ofstream(directory_.path() / "rules.yml") << rules;
  testing::ToolResult checked = testing::RunPromtool(
      {"check", "rules", (directory_.path() / "rules.yml").string()}, directory_.path());
  EXPECT_EQ(checked.exit_code, 0) << checked.output << "\n" << rules;
  EXPECT_NE(checked.output.find("SUCCESS: 7 rules found"), std::string::npos) << checked.output;
}

TEST_F(MetricsApiTest, PrometheusExpositionPassesPromtool) {
  auto put = [&](const std::string& metric_namespace, const std::string& metric,
                 std::vector<std::pair<std::string, std::string>> dimensions, json values,
                 int64_t timestamp_s, const std::string& unit = "None") {
    Ok("PutMetricData", {{"Namespace", metric_namespace},
                         {"MetricData",
                          {{{"MetricName", metric},
                            {"Dimensions", Dimensions(std::move(dimensions))},
                            {"Timestamp", timestamp_s},
                            {"Values", std::move(values)},
                            {"Unit", unit}}}}});
  };
  put("ECS/ContainerInsights", "CpuUtilized",
      {{"ServiceName", "list-api"}, {"ClusterName", "cuddle-kube"}}, {40, 60},
      kPreviousMinuteS + 10, "Percent");
  put("CuddleKube", "Latency", {{"Service", "list-api"}}, {10, 20, 30}, kPreviousMinuteS + 20,
      "Milliseconds");
  put("Other", "Weird", {{"Metric", "m\"q"}, {"statistic", "s"}, {"__x", "y"}}, {7},
      kPreviousMinuteS + 30);
  put("ck/list-api", "inflight_requests", {}, {3}, kPreviousMinuteS + 30);  // scraped: left out
  put("CuddleKube", "Fresh", {}, {1}, kMinuteStartS + 5);  // its minute is not complete yet
  put("CuddleKube", "Old", {}, {1}, kPreviousMinuteS - 60);
  // An alarm on a percentile has it exported too.
  Ok("PutMetricAlarm", {{"AlarmName", "latency"},
                        {"Namespace", "CuddleKube"},
                        {"MetricName", "Latency"},
                        {"Dimensions", Dimensions({{"Service", "list-api"}})},
                        {"ExtendedStatistic", "p100"},
                        {"Period", 60},
                        {"EvaluationPeriods", 1},
                        {"Threshold", 25},
                        {"ComparisonOperator", "GreaterThanThreshold"}});

  http::HttpResponse response = Get("/v1/metrics/prometheus?debug=1");
  ASSERT_EQ(response.result_int(), 200) << response.body();
  EXPECT_EQ(response[http::Field::content_type], "text/plain; version=0.0.4; charset=utf-8");
  auto series = [](const std::string& labels, const std::string& statistic,
                   const std::string& value) {
    return "ck_cloudwatch_metric{" + labels + ",statistic=\"" + statistic + "\"} " + value + "\n";
  };
  const std::string latency = R"(namespace="CuddleKube",metric="Latency",service="list-api")";
  const std::string cpu =
      R"(namespace="ECS/ContainerInsights",metric="CpuUtilized",cluster_name="cuddle-kube",)"
      R"(service_name="list-api")";
  const std::string weird =
      R"(namespace="Other",metric="Weird",exported_metric="m\"q",exported__x="y",)"
      R"(exported_statistic="s")";
  const std::string expected =
      "# HELP ck_cloudwatch_metric A statistic over the last complete minute of a metric only "
      "the collector holds (EMF, PutMetricData, Container Insights).\n"
      "# TYPE ck_cloudwatch_metric gauge\n" +
      series(latency, "SampleCount", "3") + series(latency, "Sum", "60") +
      series(latency, "Average", "20") + series(latency, "Minimum", "10") +
      series(latency, "Maximum", "30") + series(latency, "p100", "30") +
      series(cpu, "SampleCount", "2") + series(cpu, "Sum", "100") + series(cpu, "Average", "50") +
      series(cpu, "Minimum", "40") + series(cpu, "Maximum", "60") +
      series(weird, "SampleCount", "1") + series(weird, "Sum", "7") +
      series(weird, "Average", "7") + series(weird, "Minimum", "7") + series(weird, "Maximum", "7");
  EXPECT_EQ(response.body(), expected);

  if (::access(testing::kPromtool, X_OK) != 0) {
    GTEST_SKIP() << testing::kPromtool << " is missing (Debian's prometheus package)";
  }
  testing::ToolResult checked =
      testing::RunPromtool({"check", "metrics"}, directory_.path(), &response.body());
  EXPECT_EQ(checked.exit_code, 0) << checked.output;
  EXPECT_EQ(checked.output, "");
}

TEST_F(MetricsApiTest, RoutesAndMethods) {
  http::HttpRequest otlp{http::Verb::post, "/v1/metrics", 11};
  EXPECT_FALSE(MetricsApi::Accepts(otlp));
  http::HttpRequest logs{http::Verb::post, "/", 11};
  logs.set("X-Amz-Target", "Logs_20140328.PutLogEvents");
  EXPECT_FALSE(MetricsApi::Accepts(logs));

  http::HttpRequest post_rules{http::Verb::post, "/v1/alarms/prometheus-rules", 11};
  ASSERT_TRUE(MetricsApi::Accepts(post_rules));
  http::HttpResponse response = api_->Handle(post_rules);
  EXPECT_EQ(response.result_int(), 405);
  EXPECT_EQ(response[http::Field::allow], "GET");

  http::HttpRequest get_target{http::Verb::get, "/", 11};
  get_target.set("X-Amz-Target", "GraniteServiceVersion20100801.ListMetrics");
  response = api_->Handle(get_target);
  EXPECT_EQ(response.result_int(), 405);
  EXPECT_EQ(json::parse(response.body())["__type"],
            "com.amazon.coral.service#UnknownOperationException");

  // No alarms: an empty rule group, still a valid file.
  response = Get("/v1/alarms/prometheus-rules");
  EXPECT_EQ(response.body(), "groups:\n  - name: \"ck-alarms\"\n    rules: []\n");
}

}  // namespace
}  // namespace ck::collector
