// MetricsApi's paging of DescribeAlarms and DescribeAlarmHistory over a real MetricsService:
// MaxRecords (1-100, default 50), NextToken until the last page, InvalidNextToken.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <utility>
#include <vector>

#include "collector/metrics_api.h"
#include "collector/metrics_api_params.h"
#include "collector/metrics_test_support.h"

namespace ck::collector {
namespace {

using nlohmann::json;
using Strings = std::vector<std::string>;

class MetricsApiPagingTest : public testing::MetricsApiFixture {
 protected:
  MetricsApiPagingTest() : MetricsApiFixture("metrics-api-paging") {}

  http::HttpResponse Post(const std::string& operation, const json& body) {
    http::HttpRequest request{http::Verb::post, "/", 11};
    request.set("X-Amz-Target", "GraniteServiceVersion20100801." + operation);
    request.set(http::Field::content_type, "application/x-amz-json-1.0");
    request.body() = body.dump();
    return api_->Handle(request);
  }

  json Ok(const std::string& operation, const json& body) {
    http::HttpResponse response = Post(operation, body);
    json reply = json::parse(response.body(), nullptr, false);
    EXPECT_EQ(response.result_int(), 200) << operation << ": " << reply.dump();
    return reply;
  }

  // Expects CloudWatch's error `code` (x-amzn-query-error, its shape in __type); the message.
  std::string Error(const std::string& operation, const json& body, const std::string& code) {
    http::HttpResponse response = Post(operation, body);
    const json reply = json::parse(response.body(), nullptr, false);
    EXPECT_EQ(response.result_int(), 400) << reply.dump();
    EXPECT_EQ(response["x-amzn-query-error"], code + ";Sender");
    EXPECT_EQ(reply.value("__type", ""), ErrorShapeId(code)) << reply.dump();
    return reply.value("message", "");
  }

  void PutMetricAlarm(const std::string& name) {
    Ok("PutMetricAlarm", {{"AlarmName", name},
                          {"Namespace", "CK/Paging"},
                          {"MetricName", "Errors"},
                          {"Statistic", "Sum"},
                          {"Period", 60},
                          {"EvaluationPeriods", 1},
                          {"Threshold", 1},
                          {"ComparisonOperator", "GreaterThanThreshold"}});
  }

  // Every page of `operation`; each page's item names (AlarmName, in the order returned).
  std::vector<Strings> Pages(const std::string& operation, json body) {
    std::vector<Strings> pages;
    while (pages.size() < 100) {
      const json reply = Ok(operation, body);
      Strings names;
      for (const char* list : {"MetricAlarms", "CompositeAlarms", "AlarmHistoryItems"}) {
        for (const json& item : reply.value(list, json::array())) {
          names.push_back(item.value("AlarmName", ""));
        }
      }
      pages.push_back(std::move(names));
      if (!reply.contains("NextToken")) break;
      EXPECT_TRUE(reply["NextToken"].is_string()) << reply["NextToken"].dump();
      body["NextToken"] = reply["NextToken"];
    }
    return pages;
  }

  static std::vector<size_t> Sizes(const std::vector<Strings>& pages) {
    std::vector<size_t> out;
    for (const Strings& page : pages) out.push_back(page.size());
    return out;
  }
  static Strings Concatenated(const std::vector<Strings>& pages) {
    Strings out;
    for (const Strings& page : pages) out.insert(out.end(), page.begin(), page.end());
    return out;
  }
  // "alarm-007".
  static std::string Numbered(int i) {
    std::string digits = std::to_string(i);
    return "alarm-" + std::string(3 - digits.size(), '0') + digits;
  }
};

TEST_F(MetricsApiPagingTest, DescribeAlarmsPagesOfFiftyUntilNoNextToken) {
  Strings expected;
  for (int i = 0; i < 120; ++i) expected.push_back(Numbered(i));
  // Created out of order, one millisecond apart (the history test below uses the order).
  for (int i = 0; i < 120; ++i) {
    PutMetricAlarm(Numbered((i * 7) % 120));
    clock_.AdvanceMs(1);
  }
  const std::vector<Strings> pages = Pages("DescribeAlarms", {{"MaxRecords", 50}});
  EXPECT_EQ(Sizes(pages), (std::vector<size_t>{50, 50, 20}));
  const Strings names = Concatenated(pages);
  EXPECT_EQ(names, expected);
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), 120u);

  // Without MaxRecords a page holds 50, as in CloudWatch.
  const json first = Ok("DescribeAlarms", json::object());
  EXPECT_EQ(first["MetricAlarms"].size(), 50u);
  EXPECT_EQ(first["MetricAlarms"][49]["AlarmName"], Numbered(49));
  EXPECT_TRUE(first.contains("NextToken"));
  // A filter that fits in one page has no NextToken.
  const json small = Ok("DescribeAlarms", {{"AlarmNamePrefix", "alarm-11"}, {"MaxRecords", 10}});
  EXPECT_EQ(small["MetricAlarms"].size(), 10u);
  EXPECT_FALSE(small.contains("NextToken")) << small.dump();
}

TEST_F(MetricsApiPagingTest, MetricAndCompositeAlarmsShareThePages) {
  for (const char* name : {"b", "d", "f"}) PutMetricAlarm(name);
  Ok("PutCompositeAlarm", {{"AlarmName", "a"}, {"AlarmRule", "ALARM(b)"}});
  Ok("PutCompositeAlarm", {{"AlarmName", "c"}, {"AlarmRule", "ALARM(d)"}});
  Ok("PutCompositeAlarm", {{"AlarmName", "e"}, {"AlarmRule", "ALARM(f) OR ALARM(c)"}});
  const json both = {"MetricAlarm", "CompositeAlarm"};
  json reply = Ok("DescribeAlarms", {{"AlarmTypes", both}, {"MaxRecords", 4}});
  ASSERT_EQ(reply["CompositeAlarms"].size(), 2u);
  ASSERT_EQ(reply["MetricAlarms"].size(), 2u);
  EXPECT_EQ(reply["CompositeAlarms"][0]["AlarmName"], "a");
  EXPECT_EQ(reply["MetricAlarms"][0]["AlarmName"], "b");
  EXPECT_EQ(reply["CompositeAlarms"][1]["AlarmName"], "c");
  EXPECT_EQ(reply["MetricAlarms"][1]["AlarmName"], "d");
  ASSERT_TRUE(reply.contains("NextToken"));
  reply = Ok("DescribeAlarms",
             {{"AlarmTypes", both}, {"MaxRecords", 4}, {"NextToken", reply["NextToken"]}});
  EXPECT_EQ(reply["CompositeAlarms"].size(), 1u);
  EXPECT_EQ(reply["CompositeAlarms"][0]["AlarmName"], "e");
  EXPECT_EQ(reply["MetricAlarms"].size(), 1u);
  EXPECT_EQ(reply["MetricAlarms"][0]["AlarmName"], "f");
  EXPECT_FALSE(reply.contains("NextToken"));
  // Only metric alarms (the default AlarmTypes): 3 of them, pages of 2.
  EXPECT_EQ(Pages("DescribeAlarms", {{"MaxRecords", 2}}),
            (std::vector<Strings>{{"b", "d"}, {"f"}}));
}

TEST_F(MetricsApiPagingTest, DescribeAlarmHistoryPagesBothWays) {
  for (int i = 0; i < 120; ++i) {
    PutMetricAlarm(Numbered(i));
    if (i % 2 == 1) clock_.AdvanceMs(1);  // two items per millisecond
  }
  Strings oldest_first;
  for (int i = 0; i < 120; ++i) oldest_first.push_back(Numbered(i));
  const Strings newest_first(oldest_first.rbegin(), oldest_first.rend());

  std::vector<Strings> pages = Pages("DescribeAlarmHistory", {{"MaxRecords", 50}});
  EXPECT_EQ(Sizes(pages), (std::vector<size_t>{50, 50, 20}));
  EXPECT_EQ(Concatenated(pages), newest_first);
  pages = Pages(
      "DescribeAlarmHistory",
      {{"MaxRecords", 50}, {"ScanBy", "TimestampDescending"}, {"AlarmTypes", {"MetricAlarm"}}});
  EXPECT_EQ(Concatenated(pages), newest_first);
  pages = Pages("DescribeAlarmHistory", {{"MaxRecords", 50}, {"ScanBy", "TimestampAscending"}});
  EXPECT_EQ(Sizes(pages), (std::vector<size_t>{50, 50, 20}));
  EXPECT_EQ(Concatenated(pages), oldest_first);
  // Default page size 50; timestamps stay epoch seconds.
  const json first = Ok("DescribeAlarmHistory", json::object());
  ASSERT_EQ(first["AlarmHistoryItems"].size(), 50u);
  EXPECT_EQ(first["AlarmHistoryItems"][0]["Timestamp"], (testing::kTestNowMs + 59) / 1000.0);
  EXPECT_TRUE(first["NextToken"].is_string());
  // One alarm's history fits in a page.
  const json one = Ok("DescribeAlarmHistory", {{"AlarmName", Numbered(7)}, {"MaxRecords", 1}});
  EXPECT_EQ(one["AlarmHistoryItems"].size(), 1u);
  EXPECT_FALSE(one.contains("NextToken"));
}

TEST_F(MetricsApiPagingTest, BadNextTokenAndMaxRecords) {
  PutMetricAlarm("cpu");
  PutMetricAlarm("mem");
  const std::string invalid = "The service cannot process the NextToken.";
  EXPECT_EQ(Error("DescribeAlarms", {{"NextToken", "not-a-token"}}, "InvalidNextToken"), invalid);
  EXPECT_EQ(Error("DescribeAlarmHistory", {{"NextToken", "bm9wZQ=="}}, "InvalidNextToken"),
            invalid);
  EXPECT_EQ(ErrorShapeId("InvalidNextToken"), "com.amazonaws.cloudwatch#InvalidNextToken");
  // One operation's token is not the other's.
  const json alarms = Ok("DescribeAlarms", {{"MaxRecords", 1}});
  ASSERT_TRUE(alarms.contains("NextToken"));
  EXPECT_EQ(Error("DescribeAlarmHistory", {{"NextToken", alarms["NextToken"]}}, "InvalidNextToken"),
            invalid);
  const json history = Ok("DescribeAlarmHistory", {{"MaxRecords", 1}});
  ASSERT_TRUE(history.contains("NextToken"));
  EXPECT_EQ(Error("DescribeAlarms", {{"NextToken", history["NextToken"]}}, "InvalidNextToken"),
            invalid);
  // A token of the wrong JSON type is a serialization error, as for ListMetrics.
  EXPECT_EQ(Error("DescribeAlarms", {{"NextToken", 5}}, "SerializationException"),
            "Unexpected value for 'NextToken': expected a string");

  for (const char* operation : {"DescribeAlarms", "DescribeAlarmHistory"}) {
    for (int records : {0, 101}) {
      EXPECT_EQ(Error(operation, {{"MaxRecords", records}}, "ValidationError"),
                "1 validation error detected: Value '" + std::to_string(records) +
                    "' at 'maxRecords' failed to satisfy constraint: Member must have value "
                    "between 1 and 100");
    }
    EXPECT_EQ(Ok(operation, {{"MaxRecords", 100}}).contains("NextToken"), false) << operation;
  }
}

}  // namespace
}  // namespace ck::collector
