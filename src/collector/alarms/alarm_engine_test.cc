#include "collector/alarms/alarm_engine.h"

#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "collector/alarms/alarm_json.h"

namespace ck::collector {
namespace {

constexpr int64_t kMinute = 60'000;
constexpr int64_t kStart = 1795675800000;  // 2026-11-26T06:50:00Z

// Datapoints by metric name and period start; anything else is missing.
class FakeSource : public DatapointSource {
 public:
  std::vector<std::optional<double>> Datapoints(const MetricAlarmSpec& alarm, int64_t end_ms,
                                                int count) override {
    ++calls;
    last_end_ms = end_ms;
    std::vector<std::optional<double>> out;
    const int64_t period_ms = alarm.period_seconds * 1000LL;
    for (int i = 0; i < count; ++i) {
      const int64_t start = end_ms - (count - i) * period_ms;
      auto series = points.find(alarm.metric_name);
      if (series != points.end() && series->second.contains(start)) {
        out.push_back(series->second.at(start));
      } else {
        out.push_back(std::nullopt);
      }
    }
    return out;
  }

  // Sets the value of the one-minute period starting at kStart + minute * kMinute.
  void Set(const std::string& metric, int minute, double value) {
    points[metric][kStart + minute * kMinute] = value;
  }

  std::map<std::string, std::map<int64_t, double>> points;
  int calls = 0;
  int64_t last_end_ms = 0;
};

class RecordingSink : public ActionSink {
 public:
  void Fire(const AlarmTransition& transition, const std::string& action) override {
    fired.push_back(transition.alarm_name + " " +
                    std::string(AlarmStateName(transition.new_state)) + " " + action);
  }
  std::vector<std::string> fired;
};

MetricAlarmSpec Metric(std::string name, std::string metric, int n = 1,
                       std::optional<int> m = std::nullopt) {
  MetricAlarmSpec spec;
  spec.name = std::move(name);
  spec.namespace_name = "CuddleKube";
  spec.metric_name = std::move(metric);
  spec.statistic = Statistic::kSum;
  spec.period_seconds = 60;
  spec.evaluation_periods = n;
  spec.datapoints_to_alarm = m;
  spec.threshold = 5;
  spec.comparison = ComparisonOperator::kGreaterThanOrEqualToThreshold;
  spec.alarm_actions = {"log", "webhook:http://127.0.0.1:1/alarm"};
  spec.ok_actions = {"log"};
  return spec;
}

CompositeAlarmSpec Composite(std::string name, std::string rule) {
  CompositeAlarmSpec spec;
  spec.name = std::move(name);
  spec.rule = std::move(rule);
  spec.alarm_actions = {"log"};
  return spec;
}

// Time of the evaluation that sees minute `minute` as its newest complete period.
int64_t After(int minute) { return kStart + (minute + 1) * kMinute + 5'000; }

class AlarmEngineTest : public ::testing::Test {
 protected:
  AlarmState StateOf(const std::string& name) const {
    std::optional<AlarmRecord> record = engine_.GetAlarm(name);
    EXPECT_TRUE(record.has_value()) << name;
    return record ? record->status.state : AlarmState::kInsufficientData;
  }

  std::vector<std::string> Changes(int minute) {
    std::vector<std::string> out;
    for (const AlarmTransition& t : engine_.Evaluate(After(minute), source_)) {
      out.push_back(t.alarm_name + ":" + std::string(AlarmStateName(t.old_state)) + "->" +
                    std::string(AlarmStateName(t.new_state)));
    }
    return out;
  }

  FakeSource source_;
  RecordingSink sink_;
  AlarmEngine engine_{AlarmEngineOptions{}, &sink_};
};

using Strings = std::vector<std::string>;

TEST_F(AlarmEngineTest, StartsInsufficientDataThenFollowsTheMetric) {
  ASSERT_TRUE(engine_.PutMetricAlarm(Metric("errors", "5xx"), kStart).ok());
  std::optional<AlarmRecord> record = engine_.GetAlarm("errors");
  ASSERT_TRUE(record);
  EXPECT_EQ(record->status.state, AlarmState::kInsufficientData);
  EXPECT_EQ(record->status.reason, "Unchecked: Initial alarm creation");
  EXPECT_EQ(record->arn, "arn:aws:cloudwatch:local:000000000000:alarm:errors");

  EXPECT_EQ(Changes(0), Strings{});  // no data: stays INSUFFICIENT_DATA, no transition
  EXPECT_EQ(source_.last_end_ms, kStart + kMinute);
  source_.Set("5xx", 1, 2);
  EXPECT_EQ(Changes(1), Strings{"errors:INSUFFICIENT_DATA->OK"});
  source_.Set("5xx", 2, 7);
  EXPECT_EQ(Changes(2), Strings{"errors:OK->ALARM"});
  EXPECT_EQ(Changes(2), Strings{});  // same data, same state: nothing new
  EXPECT_EQ(engine_.GetAlarm("errors")->status.reason,
            "Threshold Crossed: 1 out of the last 1 datapoints [7.0 (26/11/26 06:52:00)] was "
            "greater than or equal to the threshold (5.0) (minimum 1 datapoint for OK -> ALARM "
            "transition).");
  // Three missing periods push the last datapoint out of the range (N + 2 = 3).
  EXPECT_EQ(Changes(3), Strings{});
  EXPECT_EQ(Changes(4), Strings{});
  EXPECT_EQ(Changes(5), Strings{"errors:ALARM->INSUFFICIENT_DATA"});
  EXPECT_EQ(engine_.GetAlarm("errors")->status.reason,
            "Insufficient Data: 1 datapoint was unknown.");

  // OKActions for INSUFFICIENT_DATA -> OK, AlarmActions for OK -> ALARM, and no
  // InsufficientDataActions are configured.
  EXPECT_EQ(sink_.fired, (Strings{"errors OK log", "errors ALARM log",
                                  "errors ALARM webhook:http://127.0.0.1:1/alarm"}));
}

TEST_F(AlarmEngineTest, ActionsFireOncePerTransitionAndOnlyWhenEnabled) {
  ASSERT_TRUE(engine_.PutMetricAlarm(Metric("errors", "5xx"), kStart).ok());
  source_.Set("5xx", 0, 1);
  source_.Set("5xx", 1, 9);
  source_.Set("5xx", 2, 0);
  Changes(0);
  Changes(1);
  Changes(1);
  EXPECT_EQ(sink_.fired, (Strings{"errors OK log", "errors ALARM log",
                                  "errors ALARM webhook:http://127.0.0.1:1/alarm"}));
  ASSERT_TRUE(engine_.SetActionsEnabled({"errors"}, false, After(1)).ok());
  EXPECT_EQ(Changes(2), Strings{"errors:ALARM->OK"});
  EXPECT_EQ(sink_.fired.size(), 3u);
  EXPECT_FALSE(engine_.GetAlarm("errors")->metric.actions_enabled);
}

TEST_F(AlarmEngineTest, MOutOfNOverTime) {
  ASSERT_TRUE(engine_.PutMetricAlarm(Metric("latency", "p99", 3, 2), kStart).ok());
  source_.Set("p99", 0, 9);
  source_.Set("p99", 1, 1);
  EXPECT_EQ(Changes(1), Strings{"latency:INSUFFICIENT_DATA->OK"});
  source_.Set("p99", 2, 9);
  EXPECT_EQ(Changes(2), Strings{"latency:OK->ALARM"});  // 9 1 9: 2 of 3
  source_.Set("p99", 3, 1);
  EXPECT_EQ(Changes(3), Strings{"latency:ALARM->OK"});  // 1 9 1
}

TEST_F(AlarmEngineTest, UpdatingKeepsStateAndRecordsConfiguration) {
  ASSERT_TRUE(engine_.PutMetricAlarm(Metric("errors", "5xx"), kStart).ok());
  source_.Set("5xx", 0, 9);
  Changes(0);
  MetricAlarmSpec updated = Metric("errors", "5xx");
  updated.threshold = 100;
  ASSERT_TRUE(engine_.PutMetricAlarm(updated, After(0)).ok());
  std::optional<AlarmRecord> record = engine_.GetAlarm("errors");
  EXPECT_EQ(record->status.state, AlarmState::kAlarm);
  EXPECT_EQ(record->metric.threshold, 100);
  EXPECT_EQ(record->status.config_updated_ms, After(0));
  EXPECT_EQ(record->status.state_updated_ms, After(0));
  EXPECT_EQ(Changes(0), Strings{"errors:ALARM->OK"});

  HistoryQuery query;
  query.alarm_name = "errors";
  query.newest_first = false;
  std::vector<std::string> summaries;
  for (const AlarmHistoryItem& item : engine_.DescribeAlarmHistory(query)) {
    summaries.push_back(std::string(HistoryItemTypeName(item.type)) + ": " + item.summary);
  }
  EXPECT_EQ(summaries, (Strings{"ConfigurationUpdate: Alarm \"errors\" created",
                                "StateUpdate: Alarm updated from INSUFFICIENT_DATA to ALARM",
                                "ConfigurationUpdate: Alarm \"errors\" updated",
                                "StateUpdate: Alarm updated from ALARM to OK"}));
  query.item_type = HistoryItemType::kStateUpdate;
  query.newest_first = true;
  query.max_records = 1;
  std::vector<AlarmHistoryItem> latest = engine_.DescribeAlarmHistory(query);
  ASSERT_EQ(latest.size(), 1u);
  EXPECT_EQ(latest[0].data["oldState"]["stateValue"], "ALARM");
  EXPECT_EQ(latest[0].data["newState"]["stateValue"], "OK");
  EXPECT_EQ(latest[0].data["newState"]["stateReasonData"]["threshold"], 100.0);
}

TEST_F(AlarmEngineTest, HistoryIsBoundedPerAlarm) {
  AlarmEngineOptions options;
  options.history_per_alarm = 10;
  AlarmEngine engine(options);
  ASSERT_TRUE(engine.PutMetricAlarm(Metric("flappy", "x"), kStart).ok());
  ASSERT_TRUE(engine.PutMetricAlarm(Metric("steady", "y"), kStart).ok());
  for (int i = 0; i < 30; ++i) {
    ASSERT_TRUE(engine
                    .SetAlarmState("flappy", i % 2 ? AlarmState::kOk : AlarmState::kAlarm,
                                   "flip " + std::to_string(i), nullptr, kStart + i)
                    .ok());
  }
  HistoryQuery query;
  query.alarm_name = "flappy";
  query.max_records = 100;
  std::vector<AlarmHistoryItem> items = engine.DescribeAlarmHistory(query);
  ASSERT_EQ(items.size(), 10u);
  EXPECT_EQ(items.front().data["newState"]["stateReason"], "flip 29");
  EXPECT_EQ(items.back().data["newState"]["stateReason"], "flip 20");
  EXPECT_EQ(engine.history_dropped(), 21u);  // 31 items for flappy, 10 kept
  query.alarm_name = "steady";
  EXPECT_EQ(engine.DescribeAlarmHistory(query).size(), 1u);
}

TEST_F(AlarmEngineTest, CompositeRulesAndNesting) {
  ASSERT_TRUE(engine_.PutMetricAlarm(Metric("errors", "5xx"), kStart).ok());
  ASSERT_TRUE(engine_.PutMetricAlarm(Metric("latency", "p99"), kStart).ok());
  ASSERT_TRUE(engine_.PutMetricAlarm(Metric("deploying", "deploy"), kStart).ok());
  ASSERT_TRUE(
      engine_.PutCompositeAlarm(Composite("any-problem", "ALARM(errors) OR ALARM(latency)"), kStart)
          .ok());
  ASSERT_TRUE(engine_
                  .PutCompositeAlarm(
                      Composite("page", R"(ALARM("any-problem") AND NOT ALARM(deploying))"), kStart)
                  .ok());
  ASSERT_TRUE(engine_
                  .PutCompositeAlarm(Composite("all-quiet",
                                               "NOT (ALARM(errors) OR ALARM(latency)) AND "
                                               "(OK(deploying) OR INSUFFICIENT_DATA(deploying))"),
                                     kStart)
                  .ok());
  EXPECT_EQ(StateOf("page"), AlarmState::kInsufficientData);

  source_.Set("5xx", 0, 1);
  source_.Set("p99", 0, 1);
  source_.Set("deploy", 0, 0);
  EXPECT_EQ(Changes(0),
            (Strings{"deploying:INSUFFICIENT_DATA->OK", "errors:INSUFFICIENT_DATA->OK",
                     "latency:INSUFFICIENT_DATA->OK", "all-quiet:INSUFFICIENT_DATA->ALARM",
                     "any-problem:INSUFFICIENT_DATA->OK", "page:INSUFFICIENT_DATA->OK"}));

  // errors breaches: the composite of a composite follows in the same tick.
  source_.Set("5xx", 1, 9);
  source_.Set("p99", 1, 1);
  source_.Set("deploy", 1, 0);
  EXPECT_EQ(Changes(1), (Strings{"errors:OK->ALARM", "all-quiet:ALARM->OK", "any-problem:OK->ALARM",
                                 "page:OK->ALARM"}));
  std::optional<AlarmRecord> page = engine_.GetAlarm("page");
  EXPECT_EQ(page->status.reason,
            "arn:aws:cloudwatch:local:000000000000:alarm:any-problem transitioned to ALARM at "
            "Thursday 26 November, 2026 06:52:05 UTC");
  EXPECT_EQ(
      page->status.reason_data.dump(),
      R"({"triggeringAlarms":[{"arn":"arn:aws:cloudwatch:local:000000000000:alarm:any-problem",)"
      R"("state":{"value":"ALARM","timestamp":"2026-11-26T06:52:05.000+0000"}},)"
      R"({"arn":"arn:aws:cloudwatch:local:000000000000:alarm:deploying",)"
      R"("state":{"value":"OK","timestamp":"2026-11-26T06:51:05.000+0000"}}]})");

  // A deployment starts: NOT ALARM(deploying) turns FALSE.
  source_.Set("5xx", 2, 9);
  source_.Set("deploy", 2, 9);
  EXPECT_EQ(Changes(2), (Strings{"deploying:OK->ALARM", "page:ALARM->OK"}));
  EXPECT_EQ(StateOf("any-problem"), AlarmState::kAlarm);
  EXPECT_EQ(StateOf("latency"), AlarmState::kOk);  // its minute-1 datapoint is still in range
  Strings page_actions;
  for (const std::string& fired : sink_.fired) {
    if (fired.starts_with("page ")) page_actions.push_back(fired);
  }
  EXPECT_EQ(page_actions, Strings{"page ALARM log"});  // no OKActions configured

  DescribeAlarmsFilter parents;
  parents.parents_of = "errors";
  std::vector<std::string> names;
  for (const AlarmRecord& r : engine_.DescribeAlarms(parents)) names.push_back(r.name());
  EXPECT_EQ(names, (Strings{"all-quiet", "any-problem"}));
  DescribeAlarmsFilter children;
  children.children_of = "page";
  names.clear();
  for (const AlarmRecord& r : engine_.DescribeAlarms(children)) names.push_back(r.name());
  EXPECT_EQ(names, (Strings{"any-problem", "deploying"}));
}

TEST_F(AlarmEngineTest, CompositeValidation) {
  ASSERT_TRUE(engine_.PutMetricAlarm(Metric("a", "x"), kStart).ok());
  Status status =
      engine_.PutCompositeAlarm(Composite("c", "ALARM(a) OR ALARM(gone) OR OK(lost)"), kStart);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "Could not save the composite alarm as alarms [gone, lost] in the alarm rule do not "
            "exist");
  EXPECT_EQ(engine_.PutCompositeAlarm(Composite("self", "ALARM(self)"), kStart).message(),
            "Could not save the composite alarm as alarms [self] in the alarm rule do not exist");

  ASSERT_TRUE(engine_.PutCompositeAlarm(Composite("c1", "ALARM(a)"), kStart).ok());
  ASSERT_TRUE(engine_.PutCompositeAlarm(Composite("c2", "ALARM(c1)"), kStart).ok());
  ASSERT_TRUE(engine_.PutCompositeAlarm(Composite("c3", "ALARM(c2) AND TRUE"), kStart).ok());
  EXPECT_EQ(engine_.PutCompositeAlarm(Composite("c1", "ALARM(a) OR ALARM(c3)"), kStart).message(),
            "Could not save the composite alarm as its alarm rule creates a cycle: c1 -> c3 -> c2 "
            "-> c1");
  EXPECT_EQ(engine_.PutCompositeAlarm(Composite("c1", "ALARM(c1)"), kStart).message(),
            "Could not save the composite alarm as its alarm rule creates a cycle: c1 -> c1");
  EXPECT_EQ(engine_.GetAlarm("c1")->composite.rule, "ALARM(a)");  // unchanged

  EXPECT_EQ(engine_.PutMetricAlarm(Metric("c1", "x"), kStart).message(),
            "An alarm named c1 already exists as a CompositeAlarm");
  EXPECT_EQ(engine_.PutCompositeAlarm(Composite("a", "TRUE"), kStart).message(),
            "An alarm named a already exists as a MetricAlarm");
  EXPECT_EQ(engine_.PutCompositeAlarm(Composite("bad", "ALARM(a) AND"), kStart).code(),
            StatusCode::kInvalidArgument);
}

TEST_F(AlarmEngineTest, DeleteIsAllOrNothing) {
  ASSERT_TRUE(engine_.PutMetricAlarm(Metric("a", "x"), kStart).ok());
  ASSERT_TRUE(engine_.PutMetricAlarm(Metric("b", "y"), kStart).ok());
  ASSERT_TRUE(engine_.PutCompositeAlarm(Composite("c", "ALARM(a)"), kStart).ok());
  EXPECT_EQ(engine_.DeleteAlarms({"b", "nope"}).code(), StatusCode::kNotFound);
  Status referenced = engine_.DeleteAlarms({"a", "b"});
  EXPECT_EQ(referenced.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(referenced.message(),
            "The alarm a cannot be deleted because composite alarm c refers to it");
  EXPECT_EQ(engine_.size(), 3u);
  ASSERT_TRUE(engine_.DeleteAlarms({"a", "c"}).ok());
  EXPECT_EQ(engine_.size(), 1u);
  HistoryQuery query;
  query.alarm_name = "a";
  EXPECT_TRUE(engine_.DescribeAlarmHistory(query).empty());
}

TEST_F(AlarmEngineTest, DescribeFilters) {
  ASSERT_TRUE(engine_.PutMetricAlarm(Metric("register-5xx", "5xx"), kStart).ok());
  MetricAlarmSpec quiet = Metric("register-latency", "p99");
  quiet.alarm_actions = {"webhook:https://pager.example/x"};
  ASSERT_TRUE(engine_.PutMetricAlarm(quiet, kStart).ok());
  ASSERT_TRUE(engine_.PutMetricAlarm(Metric("list-5xx", "5xx-list"), kStart).ok());
  ASSERT_TRUE(
      engine_.PutCompositeAlarm(Composite("register-page", "ALARM(register-5xx)"), kStart).ok());
  ASSERT_TRUE(
      engine_.SetAlarmState("register-5xx", AlarmState::kAlarm, "testing", nullptr, kStart).ok());

  auto names = [&](const DescribeAlarmsFilter& filter) {
    Strings out;
    for (const AlarmRecord& r : engine_.DescribeAlarms(filter)) out.push_back(r.name());
    return out;
  };
  DescribeAlarmsFilter filter;
  EXPECT_EQ(names(filter),
            (Strings{"list-5xx", "register-5xx", "register-latency", "register-page"}));
  filter.name_prefix = "register-";
  EXPECT_EQ(names(filter), (Strings{"register-5xx", "register-latency", "register-page"}));
  filter.types = {AlarmType::kMetric};
  EXPECT_EQ(names(filter), (Strings{"register-5xx", "register-latency"}));
  filter.state = AlarmState::kAlarm;
  EXPECT_EQ(names(filter), Strings{"register-5xx"});
  filter = {};
  filter.action_prefix = "webhook:https://pager";
  EXPECT_EQ(names(filter), Strings{"register-latency"});
  filter = {};
  filter.names = {"list-5xx", "register-page", "missing"};
  EXPECT_EQ(names(filter), (Strings{"list-5xx", "register-page"}));
  filter = {};
  filter.max_records = 2;
  EXPECT_EQ(names(filter), (Strings{"list-5xx", "register-5xx"}));
  EXPECT_EQ(DescribeAlarmsResponse(engine_.DescribeAlarms())["CompositeAlarms"][0]["AlarmRule"],
            "ALARM(register-5xx)");
}

TEST_F(AlarmEngineTest, SetAlarmStateAndActionResults) {
  ASSERT_TRUE(engine_.PutMetricAlarm(Metric("errors", "5xx"), kStart).ok());
  EXPECT_EQ(engine_.SetAlarmState("nope", AlarmState::kAlarm, "x", nullptr, kStart).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(engine_.SetAlarmState("errors", AlarmState::kAlarm, "", nullptr, kStart).code(),
            StatusCode::kInvalidArgument);
  ASSERT_TRUE(engine_
                  .SetAlarmState("errors", AlarmState::kAlarm, "testing purposes",
                                 AlarmJson::parse(R"({"by":"ck"})"), kStart + 1)
                  .ok());
  EXPECT_EQ(sink_.fired,
            (Strings{"errors ALARM log", "errors ALARM webhook:http://127.0.0.1:1/alarm"}));
  std::optional<AlarmRecord> record = engine_.GetAlarm("errors");
  EXPECT_EQ(record->status.reason, "testing purposes");
  EXPECT_EQ(record->status.state_updated_ms, kStart + 1);

  AlarmTransition transition;
  transition.alarm_name = "errors";
  transition.timestamp_ms = kStart + 1;
  engine_.RecordActionResult(transition, "webhook:http://127.0.0.1:1/alarm",
                             Unavailable("connection refused"), kStart + 2);
  engine_.RecordActionResult(transition, "log", Status::Ok(), kStart + 3);
  HistoryQuery query;
  query.item_type = HistoryItemType::kAction;
  std::vector<AlarmHistoryItem> items = engine_.DescribeAlarmHistory(query);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].summary, "Successfully executed action log");
  EXPECT_EQ(items[1].summary,
            "Failed to execute action webhook:http://127.0.0.1:1/alarm. Received error: "
            "\"connection refused\"");
  EXPECT_EQ(items[1].data["actionState"], "Failed");
}

TEST_F(AlarmEngineTest, SourceResultsOfTheWrongLengthAreNormalized) {
  class ShortSource : public DatapointSource {
   public:
    std::vector<std::optional<double>> Datapoints(const MetricAlarmSpec&, int64_t, int) override {
      return {9};  // one value: the newest period
    }
  } short_source;
  class LongSource : public DatapointSource {
   public:
    std::vector<std::optional<double>> Datapoints(const MetricAlarmSpec&, int64_t,
                                                  int count) override {
      std::vector<std::optional<double>> out(count + 10, 9.0);
      out.back() = 0;  // the newest is not breaching
      return out;
    }
  } long_source;
  ASSERT_TRUE(engine_.PutMetricAlarm(Metric("errors", "5xx"), kStart).ok());
  EXPECT_EQ(engine_.Evaluate(After(0), short_source).size(), 1u);
  EXPECT_EQ(StateOf("errors"), AlarmState::kAlarm);
  EXPECT_EQ(engine_.Evaluate(After(0), long_source).size(), 1u);
  EXPECT_EQ(StateOf("errors"), AlarmState::kOk);
}

TEST_F(AlarmEngineTest, ThrowingSourceAndSinkAreContained) {
  class ThrowingSource : public DatapointSource {
   public:
    std::vector<std::optional<double>> Datapoints(const MetricAlarmSpec&, int64_t, int) override {
      throw std::runtime_error("metric store down");
    }
  } throwing_source;
  class ThrowingSink : public ActionSink {
   public:
    void Fire(const AlarmTransition&, const std::string& action) override {
      ++calls;
      if (action == "log") throw std::runtime_error("disk full");
    }
    int calls = 0;
  } throwing_sink;
  AlarmEngine engine(AlarmEngineOptions{}, &throwing_sink);
  ASSERT_TRUE(engine.PutMetricAlarm(Metric("errors", "5xx"), kStart).ok());
  EXPECT_TRUE(engine.Evaluate(After(0), throwing_source).empty());
  EXPECT_EQ(engine.GetAlarm("errors")->status.state, AlarmState::kInsufficientData);

  source_.Set("5xx", 0, 9);
  EXPECT_EQ(engine.Evaluate(After(0), source_).size(), 1u);
  EXPECT_EQ(throwing_sink.calls, 2);  // the webhook still fired after "log" threw
  HistoryQuery query;
  query.item_type = HistoryItemType::kAction;
  std::vector<AlarmHistoryItem> items = engine.DescribeAlarmHistory(query);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].summary,
            "Failed to execute action log. Received error: \"the action sink threw an "
            "exception\"");
}

TEST_F(AlarmEngineTest, SnapshotRoundTrip) {
  ASSERT_TRUE(engine_.PutMetricAlarm(Metric("errors", "5xx", 3, 2), kStart).ok());
  ASSERT_TRUE(engine_.PutMetricAlarm(Metric("latency", "p99"), kStart).ok());
  ASSERT_TRUE(engine_.PutCompositeAlarm(Composite("c1", "ALARM(errors)"), kStart).ok());
  ASSERT_TRUE(
      engine_.PutCompositeAlarm(Composite("c2", "ALARM(c1) OR ALARM(latency)"), kStart).ok());
  source_.Set("5xx", 0, 9);
  source_.Set("5xx", 1, 9);
  source_.Set("p99", 1, 1);
  Changes(1);

  AlarmJson snapshot = engine_.ToJson();
  AlarmEngine restored;
  ASSERT_TRUE(restored.FromJson(AlarmJson::parse(snapshot.dump())).ok());
  EXPECT_EQ(restored.ToJson(), snapshot);
  EXPECT_EQ(restored.GetAlarm("c2")->status.state, AlarmState::kAlarm);
  EXPECT_EQ(restored.GetAlarm("errors")->metric, engine_.GetAlarm("errors")->metric);
  HistoryQuery all;
  EXPECT_EQ(restored.DescribeAlarmHistory(all).size(), engine_.DescribeAlarmHistory(all).size());

  AlarmJson dangling = snapshot;
  dangling["MetricAlarms"].erase(0);  // "errors", still named by c1
  EXPECT_EQ(restored.FromJson(dangling).message(),
            "Composite alarm c1 refers to missing alarm errors");
  EXPECT_EQ(restored.size(), 4u);  // unchanged after a refused snapshot
  AlarmJson cyclic = snapshot;
  cyclic["CompositeAlarms"][0]["AlarmRule"] = "ALARM(c2)";
  EXPECT_EQ(restored.FromJson(cyclic).message(),
            "Could not save the composite alarm as its alarm rule creates a cycle: c1 -> c2 -> c1");
  EXPECT_EQ(restored.FromJson(AlarmJson::parse(R"({"Version":"1"})")).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(restored.FromJson(AlarmJson::array()).code(), StatusCode::kInvalidArgument);
}

TEST_F(AlarmEngineTest, LimitOnAlarmCount) {
  AlarmEngineOptions options;
  options.max_alarms = 2;
  AlarmEngine engine(options);
  ASSERT_TRUE(engine.PutMetricAlarm(Metric("a", "x"), kStart).ok());
  ASSERT_TRUE(engine.PutMetricAlarm(Metric("b", "x"), kStart).ok());
  ASSERT_TRUE(engine.PutMetricAlarm(Metric("b", "y"), kStart).ok());  // update, not a new alarm
  Status status = engine.PutMetricAlarm(Metric("c", "x"), kStart);
  EXPECT_EQ(status.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(status.message(), "The maximum number of alarms (2) has been reached");
}

}  // namespace
}  // namespace ck::collector
