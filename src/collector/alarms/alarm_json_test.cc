#include "collector/alarms/alarm_json.h"

#include <gtest/gtest.h>

#include <string>

namespace ck::collector {
namespace {

constexpr int64_t kMoment = 1795675500000;  // 2026-11-26T06:45:00Z

AlarmJson Json(std::string_view text) {
  auto parsed = ParseAlarmJson(text);
  EXPECT_TRUE(parsed.ok()) << parsed.status().message();
  return parsed.ok() ? *parsed : AlarmJson();
}

std::string MetricError(std::string_view body) {
  auto spec = ParsePutMetricAlarm(Json(body));
  if (spec.ok()) return "ok";
  EXPECT_EQ(spec.status().code(), StatusCode::kInvalidArgument);
  return spec.status().message();
}

constexpr std::string_view kPutMetricAlarm = R"({
  "AlarmName": "register-api-5xx",
  "AlarmDescription": "Registrations fail",
  "ActionsEnabled": false,
  "OKActions": ["log"],
  "AlarmActions": ["log", "webhook:http://127.0.0.1:9000/page"],
  "InsufficientDataActions": [],
  "MetricName": "5xx",
  "Namespace": "CuddleKube",
  "Statistic": "Sum",
  "Dimensions": [{"Name": "Service", "Value": "register-api"}, {"Name": "Version", "Value": "v2"}],
  "Period": 60,
  "EvaluationPeriods": 5,
  "DatapointsToAlarm": 3,
  "Threshold": 1,
  "ComparisonOperator": "GreaterThanOrEqualToThreshold",
  "TreatMissingData": "notBreaching",
  "Unit": "Count",
  "Tags": [{"Key": "team", "Value": "residents"}]
})";

TEST(AlarmJsonTest, ParsesPutMetricAlarm) {
  auto spec = ParsePutMetricAlarm(Json(kPutMetricAlarm));
  ASSERT_TRUE(spec.ok()) << spec.status().message();
  EXPECT_EQ(spec->name, "register-api-5xx");
  EXPECT_EQ(spec->description, "Registrations fail");
  EXPECT_FALSE(spec->actions_enabled);
  EXPECT_EQ(spec->ok_actions, std::vector<std::string>{"log"});
  EXPECT_EQ(spec->alarm_actions,
            (std::vector<std::string>{"log", "webhook:http://127.0.0.1:9000/page"}));
  EXPECT_TRUE(spec->insufficient_data_actions.empty());
  EXPECT_EQ(spec->metric_name, "5xx");
  EXPECT_EQ(spec->namespace_name, "CuddleKube");
  EXPECT_EQ(spec->statistic, Statistic::kSum);
  EXPECT_EQ(spec->dimensions,
            (std::vector<Dimension>{{"Service", "register-api"}, {"Version", "v2"}}));
  EXPECT_EQ(spec->period_seconds, 60);
  EXPECT_EQ(spec->evaluation_periods, 5);
  EXPECT_EQ(spec->datapoints_to_alarm, 3);
  EXPECT_EQ(spec->threshold, 1.0);
  EXPECT_EQ(spec->comparison, ComparisonOperator::kGreaterThanOrEqualToThreshold);
  EXPECT_EQ(spec->treat_missing_data, TreatMissingData::kNotBreaching);
}

TEST(AlarmJsonTest, DefaultsAndRoundTrips) {
  auto minimal = ParsePutMetricAlarm(Json(
      R"({"AlarmName":"a","Namespace":"N","MetricName":"M","ExtendedStatistic":"p99",
          "Period":10,"EvaluationPeriods":2,"Threshold":0.5,"ComparisonOperator":"LessThanThreshold"})"));
  ASSERT_TRUE(minimal.ok()) << minimal.status().message();
  EXPECT_TRUE(minimal->actions_enabled);
  EXPECT_EQ(minimal->treat_missing_data, TreatMissingData::kMissing);
  EXPECT_EQ(minimal->datapoints_to_alarm, std::nullopt);
  EXPECT_EQ(minimal->EffectiveDatapointsToAlarm(), 2);
  EXPECT_EQ(minimal->extended_statistic, "p99");

  for (const MetricAlarmSpec& spec : {*minimal, *ParsePutMetricAlarm(Json(kPutMetricAlarm))}) {
    auto again = ParsePutMetricAlarm(MetricAlarmSpecToJson(spec));
    ASSERT_TRUE(again.ok()) << again.status().message();
    EXPECT_EQ(*again, spec);
  }

  auto composite = ParsePutCompositeAlarm(Json(
      R"json({"AlarmName":"page","AlarmRule":"ALARM(a) AND NOT ALARM(b)","OKActions":["log"],
          "AlarmDescription":"wake someone","ActionsEnabled":true})json"));
  ASSERT_TRUE(composite.ok()) << composite.status().message();
  EXPECT_EQ(composite->rule, "ALARM(a) AND NOT ALARM(b)");
  auto composite_again = ParsePutCompositeAlarm(CompositeAlarmSpecToJson(*composite));
  ASSERT_TRUE(composite_again.ok());
  EXPECT_EQ(*composite_again, *composite);
}

TEST(AlarmJsonTest, RequestErrors) {
  const std::string base =
      R"("AlarmName":"a","Namespace":"N","MetricName":"M","Statistic":"Sum","Threshold":1,)";
  auto body = [&](std::string_view rest) { return "{" + base + std::string(rest) + "}"; };
  const std::string valid_rest =
      R"("Period":60,"EvaluationPeriods":1,"ComparisonOperator":"GreaterThanThreshold")";
  EXPECT_EQ(MetricError(body(valid_rest)), "ok");
  EXPECT_EQ(MetricError("[1]"), "The request body must be a JSON object");
  EXPECT_EQ(
      MetricError(body(
          R"("Period":"60","EvaluationPeriods":1,"ComparisonOperator":"GreaterThanThreshold")")),
      "Invalid type for parameter Period: expected an integer");
  EXPECT_EQ(
      MetricError(body(
          R"("Period":60.5,"EvaluationPeriods":1,"ComparisonOperator":"GreaterThanThreshold")")),
      "Invalid type for parameter Period: expected an integer");
  EXPECT_EQ(
      MetricError(body(
          R"("Period":60,"EvaluationPeriods":1e10,"ComparisonOperator":"GreaterThanThreshold")")),
      "Invalid type for parameter EvaluationPeriods: expected an integer in the 32-bit range");
  EXPECT_EQ(MetricError(body(R"("Period":60,"ComparisonOperator":"GreaterThanThreshold")")),
            "1 validation error detected: Value null at 'evaluationPeriods' failed to satisfy "
            "constraint: Member must not be null");
  EXPECT_EQ(MetricError(body(R"("Period":60,"EvaluationPeriods":1)")),
            "1 validation error detected: Value null at 'comparisonOperator' failed to satisfy "
            "constraint: Member must not be null");
  EXPECT_EQ(MetricError(body(R"("Period":60,"EvaluationPeriods":1,"ComparisonOperator":"Above")")),
            "1 validation error detected: Value 'Above' at 'comparisonOperator' failed to "
            "satisfy constraint: Member must satisfy enum value set: "
            "[GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold, "
            "LessThanOrEqualToThreshold]");
  EXPECT_EQ(
      MetricError(body(R"("EvaluationPeriods":1,"ComparisonOperator":"GreaterThanThreshold")")),
      "Period is required for alarms based on static thresholds");
  EXPECT_EQ(MetricError(body(valid_rest + R"(,"TreatMissingData":"zero")")),
            "The value zero for parameter TreatMissingData is not supported. Valid values are "
            "missing, ignore, breaching and notBreaching.");
  EXPECT_EQ(MetricError(body(valid_rest + R"(,"AlarmActions":"log")")),
            "Invalid type for parameter AlarmActions: expected a list of strings");
  EXPECT_EQ(MetricError(body(valid_rest + R"(,"Dimensions":[{"Name":"a","Value":1}])")),
            "Invalid type for parameter Value: expected a string");
  EXPECT_EQ(MetricError(body(valid_rest + R"(,"Metrics":[])")),
            "Metric math alarms (Metrics, ThresholdMetricId) are not supported; set Namespace, "
            "MetricName and Statistic or ExtendedStatistic");
  EXPECT_EQ(
      MetricError(
          R"({"AlarmName":"a","Namespace":"N","MetricName":"M","Statistic":"Median","Threshold":1,)" +
          valid_rest + "}"),
      "1 validation error detected: Value 'Median' at 'statistic' failed to satisfy "
      "constraint: Member must satisfy enum value set: [SampleCount, Average, Sum, "
      "Minimum, Maximum]");
  EXPECT_EQ(
      MetricError(body(
          R"("Period":60,"EvaluationPeriods":2,"DatapointsToAlarm":3,"ComparisonOperator":"GreaterThanThreshold")")),
      "DatapointsToAlarm must be less than or equal to EvaluationPeriods");

  auto composite = ParsePutCompositeAlarm(Json(R"({"AlarmName":"c","AlarmRule":"ALARM(a) OR"})"));
  EXPECT_EQ(composite.status().message(),
            "Invalid AlarmRule: expected ALARM, OK, INSUFFICIENT_DATA, TRUE, FALSE, NOT or '(', "
            "found end of rule at position 12");
}

TEST(AlarmJsonTest, ParseAlarmJsonRefusesBadAndDeepInput) {
  EXPECT_EQ(ParseAlarmJson("{").status().message(), "The request body is not valid JSON");
  EXPECT_EQ(ParseAlarmJson("{\"a\":\"\xff\"}").status().message(),
            "The request body is not valid JSON");
  std::string deep = std::string(64, '[') + std::string(64, ']');
  EXPECT_TRUE(ParseAlarmJson(deep).ok());
  std::string deeper = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_EQ(ParseAlarmJson(deeper).status().message(),
            "The request body nests deeper than 64 levels");
}

AlarmRecord SampleMetricRecord() {
  AlarmRecord record;
  record.type = AlarmType::kMetric;
  record.arn = "arn:aws:cloudwatch:local:000000000000:alarm:cpu";
  record.metric.name = "cpu";
  record.metric.namespace_name = "CuddleKube";
  record.metric.metric_name = "CPUUtilization";
  record.metric.dimensions = {{"Service", "list-api"}};
  record.metric.statistic = Statistic::kAverage;
  record.metric.period_seconds = 300;
  record.metric.evaluation_periods = 3;
  record.metric.threshold = 80;
  record.metric.alarm_actions = {"log"};
  record.status.state = AlarmState::kAlarm;
  record.status.reason = "Threshold Crossed: ...";
  record.status.reason_data = AlarmJson::parse(R"({"version":"1.0","threshold":80.0})");
  record.status.state_updated_ms = kMoment + 1;
  record.status.config_updated_ms = kMoment;
  return record;
}

TEST(AlarmJsonTest, DescribeAlarmsElements) {
  AlarmRecord record = SampleMetricRecord();
  EXPECT_EQ(AlarmRecordToJson(record).dump(),
            R"({"AlarmName":"cpu","AlarmArn":"arn:aws:cloudwatch:local:000000000000:alarm:cpu",)"
            R"("ActionsEnabled":true,"OKActions":[],"AlarmActions":["log"],)"
            R"("InsufficientDataActions":[],"MetricName":"CPUUtilization",)"
            R"("Namespace":"CuddleKube","Statistic":"Average",)"
            R"("Dimensions":[{"Name":"Service","Value":"list-api"}],"Period":300,)"
            R"("EvaluationPeriods":3,"Threshold":80.0,"ComparisonOperator":"GreaterThanThreshold",)"
            R"("TreatMissingData":"missing",)"
            R"("AlarmConfigurationUpdatedTimestamp":"2026-11-26T06:45:00.000Z",)"
            R"("StateValue":"ALARM","StateReason":"Threshold Crossed: ...",)"
            R"("StateReasonData":"{\"version\":\"1.0\",\"threshold\":80.0}",)"
            R"("StateUpdatedTimestamp":"2026-11-26T06:45:00.001Z",)"
            R"("StateTransitionedTimestamp":"2026-11-26T06:45:00.001Z"})");

  AlarmRecord composite;
  composite.type = AlarmType::kComposite;
  composite.arn = "arn:aws:cloudwatch:local:000000000000:alarm:page";
  composite.composite.name = "page";
  composite.composite.rule = "ALARM(cpu)";
  composite.status.config_updated_ms = kMoment;
  composite.status.state_updated_ms = kMoment;
  EXPECT_EQ(AlarmRecordToJson(composite).dump(),
            R"({"AlarmName":"page","AlarmArn":"arn:aws:cloudwatch:local:000000000000:alarm:page",)"
            R"json("AlarmRule":"ALARM(cpu)","ActionsEnabled":true,"AlarmActions":[],)json"
            R"("OKActions":[],)"
            R"("InsufficientDataActions":[],)"
            R"("AlarmConfigurationUpdatedTimestamp":"2026-11-26T06:45:00.000Z",)"
            R"("StateValue":"INSUFFICIENT_DATA","StateReason":"Unchecked: Initial alarm creation",)"
            R"("StateUpdatedTimestamp":"2026-11-26T06:45:00.000Z",)"
            R"("StateTransitionedTimestamp":"2026-11-26T06:45:00.000Z"})");

  AlarmJson response = DescribeAlarmsResponse({record, composite});
  ASSERT_EQ(response["MetricAlarms"].size(), 1u);
  ASSERT_EQ(response["CompositeAlarms"].size(), 1u);
  EXPECT_EQ(response["CompositeAlarms"][0]["AlarmName"], "page");

  auto back = AlarmRecordFromJson(AlarmRecordToJson(record), AlarmType::kMetric);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->metric, record.metric);
  EXPECT_EQ(back->status.state, record.status.state);
  EXPECT_EQ(back->status.reason, record.status.reason);
  EXPECT_EQ(back->status.reason_data, record.status.reason_data);
  EXPECT_EQ(back->status.state_updated_ms, record.status.state_updated_ms);
  EXPECT_EQ(back->status.config_updated_ms, record.status.config_updated_ms);

  AlarmJson broken = AlarmRecordToJson(record);
  broken["StateValue"] = "PANIC";
  EXPECT_EQ(AlarmRecordFromJson(broken, AlarmType::kMetric).status().message(),
            "1 validation error detected: Value 'PANIC' at 'stateValue' failed to satisfy "
            "constraint: Member must satisfy enum value set: [OK, ALARM, INSUFFICIENT_DATA]");
}

TEST(AlarmJsonTest, HistoryItems) {
  AlarmHistoryItem item;
  item.alarm_name = "cpu";
  item.alarm_type = AlarmType::kMetric;
  item.timestamp_ms = kMoment;
  item.type = HistoryItemType::kStateUpdate;
  item.summary = "Alarm updated from OK to ALARM";
  item.data = AlarmJson::parse(R"({"version":"1.0","newState":{"stateValue":"ALARM"}})");
  AlarmJson json = HistoryItemToJson(item);
  EXPECT_EQ(
      json.dump(),
      R"({"AlarmName":"cpu","AlarmType":"MetricAlarm","Timestamp":"2026-11-26T06:45:00.000Z",)"
      R"("HistoryItemType":"StateUpdate","HistorySummary":"Alarm updated from OK to ALARM",)"
      R"("HistoryData":"{\"version\":\"1.0\",\"newState\":{\"stateValue\":\"ALARM\"}}"})");
  auto back = HistoryItemFromJson(json);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->alarm_name, item.alarm_name);
  EXPECT_EQ(back->timestamp_ms, item.timestamp_ms);
  EXPECT_EQ(back->type, item.type);
  EXPECT_EQ(back->summary, item.summary);
  EXPECT_EQ(back->data, item.data);
  EXPECT_EQ(DescribeAlarmHistoryResponse({item})["AlarmHistoryItems"][0], json);
}

TEST(AlarmJsonTest, DescribeRequests) {
  auto filter = ParseDescribeAlarms(Json("{}"));
  ASSERT_TRUE(filter.ok());
  EXPECT_EQ(filter->types, std::vector<AlarmType>{AlarmType::kMetric});  // CloudWatch's default
  EXPECT_EQ(filter->max_records, 50u);  // a page of 50 unless MaxRecords says otherwise
  filter = ParseDescribeAlarms(Json(
      R"({"AlarmTypes":["CompositeAlarm","MetricAlarm"],"StateValue":"ALARM","AlarmNamePrefix":"reg",
          "ActionPrefix":"webhook:","ParentsOfAlarmName":"x","MaxRecords":10})"));
  ASSERT_TRUE(filter.ok()) << filter.status().message();
  EXPECT_EQ(filter->types, (std::vector<AlarmType>{AlarmType::kComposite, AlarmType::kMetric}));
  EXPECT_EQ(filter->state, AlarmState::kAlarm);
  EXPECT_EQ(filter->name_prefix, "reg");
  EXPECT_EQ(filter->action_prefix, "webhook:");
  EXPECT_EQ(filter->parents_of, "x");
  EXPECT_EQ(filter->max_records, 10u);
  EXPECT_EQ(ParseDescribeAlarms(Json(R"({"StateValue":"BAD"})")).status().message(),
            "1 validation error detected: Value 'BAD' at 'stateValue' failed to satisfy "
            "constraint: Member must satisfy enum value set: [OK, ALARM, INSUFFICIENT_DATA]");
  EXPECT_EQ(ParseDescribeAlarms(Json(R"({"MaxRecords":0})")).status().message(),
            "1 validation error detected: Value '0' at 'maxRecords' failed to satisfy "
            "constraint: Member must have value between 1 and 100");
  EXPECT_EQ(ParseDescribeAlarms(Json(R"({"MaxRecords":101})")).status().message(),
            "1 validation error detected: Value '101' at 'maxRecords' failed to satisfy "
            "constraint: Member must have value between 1 and 100");
  EXPECT_EQ(ParseDescribeAlarmHistory(Json("{}"))->max_records, 50u);
  EXPECT_EQ(ParseDescribeAlarmHistory(Json(R"({"MaxRecords":0})")).status().message(),
            "1 validation error detected: Value '0' at 'maxRecords' failed to satisfy "
            "constraint: Member must have value between 1 and 100");

  auto query = ParseDescribeAlarmHistory(Json(
      R"({"AlarmName":"cpu","HistoryItemType":"StateUpdate","StartDate":"2026-11-26T06:45:00Z",
          "EndDate":1795675600,"ScanBy":"TimestampAscending","MaxRecords":5})"));
  ASSERT_TRUE(query.ok()) << query.status().message();
  EXPECT_EQ(query->alarm_name, "cpu");
  EXPECT_EQ(query->item_type, HistoryItemType::kStateUpdate);
  EXPECT_EQ(query->start_ms, kMoment);
  EXPECT_EQ(query->end_ms, kMoment + 100'000);
  EXPECT_FALSE(query->newest_first);
  EXPECT_EQ(query->max_records, 5u);
  EXPECT_EQ(ParseDescribeAlarmHistory(Json(R"({"StartDate":"yesterday"})")).status().message(),
            "Invalid type for parameter StartDate: expected a timestamp (ISO 8601 or epoch "
            "seconds)");
  EXPECT_EQ(ParseDescribeAlarmHistory(Json(R"({"HistoryItemType":"Everything"})")).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ck::collector
