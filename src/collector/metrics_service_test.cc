// MetricsService with a real SQLite store, real scrapes of a loopback HTTP server, real webhook
// POSTs, and the alarms file across restarts.
#include "collector/metrics_service.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "collector/alarms/alarm_json.h"
#include "collector/metrics_test_support.h"
#include "core/logger.h"

namespace ck::collector {
namespace {

using nlohmann::json;
using testing::kTestNowMs;
using testing::TestClock;
using testing::TestHttpServer;

constexpr int64_t kMinuteStartMs = 1'764'139'500'000;  // 06:45:00, the minute of kTestNowMs
constexpr int64_t kPreviousMinuteMs = kMinuteStartMs - 60'000;

class MetricsServiceTest : public ::testing::Test {
 protected:
  MetricsServiceTest()
      : directory_(std::string("metrics-service-") +
                   ::testing::UnitTest::GetInstance()->current_test_info()->name()) {}

  std::unique_ptr<MetricsService> Start(std::vector<ScrapeEndpoint> targets = {}) {
    MetricsServiceOptions options;
    options.data_dir = directory_.path().string();
    options.scrape_interval = std::chrono::milliseconds(0);  // the tests scrape and evaluate
    options.evaluate_interval = std::chrono::milliseconds(0);
    options.scrape_targets = [targets] { return targets; };
    options.clock = &clock_;
    auto started = MetricsService::Start(std::move(options));
    EXPECT_TRUE(started.ok()) << started.status().ToString();
    return started.ok() ? std::move(*started) : nullptr;
  }

  static metrics::StatisticsDatapoint Minute(MetricsService& service, metrics::SeriesKey key,
                                             int64_t minute_ms = kPreviousMinuteMs) {
    auto points = service.store().GetStatistics(
        {.key = std::move(key),
         .start_ms = minute_ms,
         .end_ms = minute_ms + 60'000,
         .period_s = 60,
         .statistics = {"SampleCount", "Sum", "Average", "Minimum", "Maximum"}});
    EXPECT_TRUE(points.ok()) << points.status().ToString();
    if (!points.ok() || points->size() != 1) {
      ADD_FAILURE() << "expected one datapoint";
      return {};
    }
    return points->front();
  }

  static MetricAlarmSpec LatencyAlarm(std::vector<std::string> actions) {
    MetricAlarmSpec spec;
    spec.name = "list-api-latency";
    spec.description = "list-api is slow";
    spec.namespace_name = "CuddleKube";
    spec.metric_name = "Latency";
    spec.dimensions = {{"Service", "list-api"}};
    spec.statistic = Statistic::kMaximum;
    spec.period_seconds = 60;
    spec.evaluation_periods = 1;
    spec.threshold = 15;
    spec.comparison = ComparisonOperator::kGreaterThanThreshold;
    spec.alarm_actions = std::move(actions);
    return spec;
  }

  static std::string EmfLine(int64_t timestamp_ms, const std::string& values) {
    return R"({"_aws":{"Timestamp":)" + std::to_string(timestamp_ms) +
           R"(,"CloudWatchMetrics":[{"Namespace":"CuddleKube","Dimensions":[["Service"]],)"
           R"("Metrics":[{"Name":"Latency","Unit":"Milliseconds"}]}]},"Service":"list-api",)"
           R"("Latency":)" +
           values + "}";
  }

  TestClock clock_;
  testing::TempDirectory directory_;
};

const metrics::SeriesKey kLatency{"CuddleKube", "Latency", {{"Service", "list-api"}}};

TEST_F(MetricsServiceTest, EmfLinesBecomeMetrics) {
  auto service = Start();
  ASSERT_NE(service, nullptr);
  service->ObserveLogEvent("/ecs/cuddle-kube/list-api",
                           EmfLine(kPreviousMinuteMs + 30'000, "[12,18]"),
                           kPreviousMinuteMs + 30'000);
  service->ObserveLogEvent("/ecs/cuddle-kube/list-api", R"({"msg":"no metrics here"})",
                           kPreviousMinuteMs + 31'000);
  service->ObserveLogEvent("/ecs/cuddle-kube/list-api",
                           R"({"_aws":{"Timestamp":"soon","CloudWatchMetrics":[]}})",
                           kPreviousMinuteMs + 32'000);

  metrics::StatisticsDatapoint point = Minute(*service, kLatency);
  EXPECT_EQ(point.sample_count, 2);
  EXPECT_EQ(point.sum, 30);
  EXPECT_EQ(point.average, 15);
  EXPECT_EQ(point.minimum, 12);
  EXPECT_EQ(point.maximum, 18);
  EXPECT_EQ(point.unit, "Milliseconds");

  json stats = service->StatsJson();
  EXPECT_EQ(stats["emf_valid"], 1);
  EXPECT_EQ(stats["emf_invalid"], 1);
  EXPECT_EQ(stats["emf_rejected"], 0);
  EXPECT_EQ(stats["last_emf_error"]["log_group"], "/ecs/cuddle-kube/list-api");
  EXPECT_EQ(stats["last_emf_error"]["timestamp_ms"], kPreviousMinuteMs + 32'000);

  // A document the store refuses (older than its 15 days) is counted apart.
  service->ObserveLogEvent("g", EmfLine(kTestNowMs - 16LL * 24 * 3600 * 1000, "1"), kTestNowMs);
  EXPECT_EQ(service->StatsJson()["emf_rejected"], 1);
}

TEST_F(MetricsServiceTest, ScrapesARealTargetIntoDatapoints) {
  TestHttpServer target;
  auto exposition = [](int requests, int inflight, int bucket1, int bucket2, double sum) {
    return "# HELP http_requests_total Requests served.\n"
           "# TYPE http_requests_total counter\n"
           "http_requests_total{code=\"200\",route=\"/list\"} " +
           std::to_string(requests) +
           "\n"
           "# TYPE inflight_requests gauge\n"
           "inflight_requests " +
           std::to_string(inflight) +
           "\n"
           "# TYPE request_duration_seconds histogram\n"
           "request_duration_seconds_bucket{le=\"0.1\"} " +
           std::to_string(bucket1) + "\nrequest_duration_seconds_bucket{le=\"1\"} " +
           std::to_string(bucket2) + "\nrequest_duration_seconds_bucket{le=\"+Inf\"} " +
           std::to_string(bucket2) + "\nrequest_duration_seconds_sum " + std::to_string(sum) +
           "\nrequest_duration_seconds_count " + std::to_string(bucket2) + "\n";
  };
  const std::string instance = target.HostPort();
  auto service = Start({{"list-api", instance, target.Url("/metrics")}});
  ASSERT_NE(service, nullptr);

  clock_.SetMs(kPreviousMinuteMs + 10'000);
  target.SetMetrics(exposition(10, 3, 1, 2, 0.6));
  service->ScrapeNow();
  clock_.SetMs(kPreviousMinuteMs + 20'000);
  target.SetMetrics(exposition(25, 5, 3, 5, 2.1));
  service->ScrapeNow();

  metrics::StatisticsDatapoint requests =
      Minute(*service, {"ck/list-api",
                        "http_requests_total",
                        {{"code", "200"}, {"instance", instance}, {"route", "/list"}}});
  EXPECT_EQ(requests.sample_count, 1);  // the first scrape only records the counter
  EXPECT_EQ(requests.sum, 15);
  EXPECT_EQ(requests.unit, "Count");

  metrics::StatisticsDatapoint inflight =
      Minute(*service, {"ck/list-api", "inflight_requests", {{"instance", instance}}});
  EXPECT_EQ(inflight.sample_count, 2);
  EXPECT_EQ(inflight.sum, 8);
  EXPECT_EQ(inflight.minimum, 3);
  EXPECT_EQ(inflight.maximum, 5);

  metrics::StatisticsDatapoint duration =
      Minute(*service, {"ck/list-api", "request_duration_seconds", {{"instance", instance}}});
  EXPECT_EQ(duration.sample_count, 3);
  EXPECT_DOUBLE_EQ(*duration.sum, 1.5);
  EXPECT_EQ(duration.unit, "Seconds");

  metrics::StatisticsDatapoint up =
      Minute(*service, {"ck/scrape", "up", {{"instance", instance}, {"job", "list-api"}}});
  EXPECT_EQ(up.sample_count, 2);
  EXPECT_EQ(up.minimum, 1);

  EXPECT_EQ(service->ScrapedType("ck/list-api", "http_requests_total"),
            metrics::PrometheusType::kCounter);
  EXPECT_EQ(service->ScrapedType("ck/list-api", "request_duration_seconds"),
            metrics::PrometheusType::kHistogram);
  EXPECT_EQ(service->ScrapedType("ck/list-api", "nothing"), std::nullopt);

  std::vector<TargetHealth> targets = service->Targets();
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_TRUE(targets[0].up);
  EXPECT_EQ(targets[0].samples, 7u);
  EXPECT_EQ(targets[0].last_scrape_ms, kPreviousMinuteMs + 20'000);
  EXPECT_EQ(targets[0].last_error, "");

  // The target fails: up 0 with the reason, and the counters say so.
  clock_.SetMs(kPreviousMinuteMs + 30'000);
  target.SetStatus(503);
  service->ScrapeNow();
  targets = service->Targets();
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_FALSE(targets[0].up);
  EXPECT_EQ(targets[0].last_error, "HTTP 503");
  up = Minute(*service, {"ck/scrape", "up", {{"instance", instance}, {"job", "list-api"}}});
  EXPECT_EQ(up.sample_count, 3);
  EXPECT_EQ(up.minimum, 0);
  json stats = service->StatsJson();
  EXPECT_EQ(stats["scrapes_ok"], 2);
  EXPECT_EQ(stats["scrapes_failed"], 1);
  EXPECT_EQ(stats["targets"][0]["up"], false);
  EXPECT_EQ(stats["targets"][0]["last_error"], "HTTP 503");
}

TEST_F(MetricsServiceTest, MalformedScrapeIsAFailedScrape) {
  TestHttpServer target;
  target.SetMetrics("# TYPE x counter\n# TYPE x counter\nx 1\n");
  auto service = Start({{"bad", "", target.Url("/metrics")}});
  ASSERT_NE(service, nullptr);
  service->ScrapeNow();
  std::vector<TargetHealth> targets = service->Targets();
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_FALSE(targets[0].up);
  EXPECT_EQ(targets[0].last_error.substr(0, 7), "line 2:");
  EXPECT_EQ(service->StatsJson()["scrapes_failed"], 1);
}

TEST_F(MetricsServiceTest, AlarmFiresWebhookAndLogAction) {
  TestHttpServer hook;
  auto service = Start();
  ASSERT_NE(service, nullptr);
  const std::string webhook = "webhook:" + hook.Url("/hook");
  ASSERT_TRUE(service->PutAlarms({LatencyAlarm({"log", webhook})}, {}).ok());
  service->ObserveLogEvent("g", EmfLine(kPreviousMinuteMs + 30'000, "[12,18]"), 0);

  std::FILE* log = std::tmpfile();
  ASSERT_NE(log, nullptr);
  Logger::Global().Configure("ck-test", LogLevel::kInfo, log);
  std::vector<AlarmTransition> transitions = service->EvaluateNow();
  Logger::Global().Configure("ck", LogLevel::kInfo, stdout);
  ASSERT_EQ(transitions.size(), 1u);
  const AlarmTransition& transition = transitions[0];
  EXPECT_EQ(transition.new_state, AlarmState::kAlarm);
  EXPECT_EQ(transition.reason.substr(0, 55),
            "Threshold Crossed: 1 out of the last 1 datapoints [18.0");

  // The log action: one JSON line.
  std::rewind(log);
  char buffer[4096] = {};
  ASSERT_NE(std::fgets(buffer, sizeof buffer, log), nullptr);
  std::fclose(log);
  json line = json::parse(buffer, nullptr, false);
  ASSERT_TRUE(line.is_object()) << buffer;
  EXPECT_EQ(line["msg"], "alarm state change");
  EXPECT_EQ(line["alarm"], "list-api-latency");
  EXPECT_EQ(line["old_state"], "INSUFFICIENT_DATA");
  EXPECT_EQ(line["new_state"], "ALARM");
  EXPECT_EQ(line["reason"], transition.reason);

  // The webhook: queued by the evaluation, sent by the delivery.
  EXPECT_EQ(service->DeliverActions(), 1u);
  std::vector<testing::ReceivedRequest> received = hook.received();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].method, "POST");
  EXPECT_EQ(received[0].target, "/hook");
  EXPECT_EQ(received[0].content_type, "application/json");
  json expected = {{"AlarmName", "list-api-latency"},
                   {"AlarmDescription", "list-api is slow"},
                   {"AWSAccountId", "000000000000"},
                   {"AlarmConfigurationUpdatedTimestamp", "2025-11-26T06:45:12.345+0000"},
                   {"NewStateValue", "ALARM"},
                   {"NewStateReason", transition.reason},
                   {"StateChangeTime", "2025-11-26T06:45:12.345+0000"},
                   {"Region", "local"},
                   {"AlarmArn", "arn:aws:cloudwatch:local:000000000000:alarm:list-api-latency"},
                   {"OldStateValue", "INSUFFICIENT_DATA"},
                   {"OKActions", json::array()},
                   {"AlarmActions", {"log", webhook}},
                   {"InsufficientDataActions", json::array()},
                   {"Trigger",
                    {{"MetricName", "Latency"},
                     {"Namespace", "CuddleKube"},
                     {"StatisticType", "Statistic"},
                     {"Statistic", "MAXIMUM"},
                     {"Unit", nullptr},
                     {"Dimensions", {{{"value", "list-api"}, {"name", "Service"}}}},
                     {"Period", 60},
                     {"EvaluationPeriods", 1},
                     {"DatapointsToAlarm", 1},
                     {"ComparisonOperator", "GreaterThanThreshold"},
                     {"Threshold", 15.0},
                     {"TreatMissingData", "missing"},
                     {"EvaluateLowSampleCountPercentile", ""}}}};
  EXPECT_EQ(json::parse(received[0].body, nullptr, false), expected) << received[0].body;

  // Both actions are in the alarm's history as successes.
  std::vector<AlarmHistoryItem> actions = service->alarms().DescribeAlarmHistory(
      {.alarm_name = "list-api-latency", .item_type = HistoryItemType::kAction});
  ASSERT_EQ(actions.size(), 2u);
  EXPECT_EQ(actions[0].summary, "Successfully executed action " + webhook);
  EXPECT_EQ(actions[1].summary, "Successfully executed action log");
  json stats = service->StatsJson();
  EXPECT_EQ(stats["alarm_transitions"], 1);
  EXPECT_EQ(stats["actions"]["webhooks_sent"], 1);
  EXPECT_EQ(stats["actions"]["logged"], 1);
  EXPECT_EQ(stats["action_failures"], 0);

  // Nothing fires again while the state holds.
  EXPECT_TRUE(service->EvaluateNow().empty());
  EXPECT_EQ(service->DeliverActions(), 0u);
}

TEST_F(MetricsServiceTest, FailedWebhookIsRecorded) {
  TestHttpServer hook;
  hook.SetStatus(500);
  auto service = Start();
  ASSERT_NE(service, nullptr);
  const std::string webhook = "webhook:" + hook.Url("/hook");
  ASSERT_TRUE(service->PutAlarms({LatencyAlarm({webhook})}, {}).ok());
  service->ObserveLogEvent("g", EmfLine(kPreviousMinuteMs + 30'000, "40"), 0);
  ASSERT_EQ(service->EvaluateNow().size(), 1u);
  EXPECT_EQ(service->DeliverActions(), 1u);
  std::vector<AlarmHistoryItem> actions = service->alarms().DescribeAlarmHistory(
      {.alarm_name = "list-api-latency", .item_type = HistoryItemType::kAction});
  ASSERT_EQ(actions.size(), 1u);
  EXPECT_EQ(actions[0].summary,
            "Failed to execute action " + webhook + ". Received error: \"HTTP 500\"");
  json stats = service->StatsJson();
  EXPECT_EQ(stats["actions"]["webhooks_failed"], 1);
  EXPECT_EQ(stats["action_failures"], 1);
}

TEST_F(MetricsServiceTest, AlarmsSurviveARestart) {
  CompositeAlarmSpec any;
  any.name = "any-problem";
  any.rule = "ALARM(\"list-api-latency\")";
  {
    auto service = Start();
    ASSERT_NE(service, nullptr);
    ASSERT_TRUE(service->PutAlarms({LatencyAlarm({"log"})}, {any}).ok());
    service->ObserveLogEvent("g", EmfLine(kPreviousMinuteMs + 30'000, "40"), 0);
    EXPECT_EQ(service->EvaluateNow().size(), 2u);  // the metric alarm and its composite
  }
  clock_.AdvanceMs(60'000);
  auto service = Start();
  ASSERT_NE(service, nullptr);
  std::vector<AlarmRecord> alarms = service->alarms().DescribeAlarms();
  ASSERT_EQ(alarms.size(), 2u);
  EXPECT_EQ(alarms[0].name(), "any-problem");
  EXPECT_EQ(alarms[0].status.state, AlarmState::kAlarm);
  EXPECT_EQ(alarms[0].composite.rule, any.rule);
  EXPECT_EQ(alarms[1].name(), "list-api-latency");
  EXPECT_EQ(alarms[1].status.state, AlarmState::kAlarm);
  EXPECT_EQ(alarms[1].metric, LatencyAlarm({"log"}));
  EXPECT_EQ(alarms[1].status.state_updated_ms, kTestNowMs);
  // Creation, the transition and the log action's outcome are all in the history.
  EXPECT_EQ(service->alarms().DescribeAlarmHistory({.alarm_name = "list-api-latency"}).size(), 3u);
  // The metric datapoints survived too.
  EXPECT_EQ(Minute(*service, kLatency).maximum, 40);
}

TEST_F(MetricsServiceTest, UnreadableAlarmsFileIsMovedAside) {
  std::filesystem::create_directories(directory_.path() / "telemetry");
  std::ofstream(directory_.path() / "telemetry" / "alarms.json") << "{not json";
  auto service = Start();
  ASSERT_NE(service, nullptr);
  EXPECT_EQ(service->alarms().size(), 0u);
  int moved = 0;
  for (const auto& entry : std::filesystem::directory_iterator(directory_.path() / "telemetry")) {
    if (entry.path().filename().string().rfind("alarms.json.corrupt-", 0) == 0) {
      ++moved;
      EXPECT_EQ(testing::ReadFile(entry.path()), "{not json");
    }
  }
  EXPECT_EQ(moved, 1);
}

TEST_F(MetricsServiceTest, PutAlarmsOrdersCompositesAndReplaces) {
  auto service = Start();
  ASSERT_NE(service, nullptr);
  CompositeAlarmSpec outer{.name = "outer", .rule = "ALARM(inner) OR ALARM(list-api-latency)"};
  CompositeAlarmSpec inner{.name = "inner", .rule = "ALARM(list-api-latency)"};
  // The outer composite comes first although it names the inner one.
  ASSERT_TRUE(service->PutAlarms({LatencyAlarm({})}, {outer, inner}).ok());
  EXPECT_EQ(service->alarms().size(), 3u);

  MetricAlarmSpec changed = LatencyAlarm({});
  changed.threshold = 99;
  ASSERT_TRUE(service->PutAlarms({changed}, {}).ok());
  EXPECT_EQ(service->alarms().GetAlarm("list-api-latency")->metric.threshold, 99);

  CompositeAlarmSpec broken{.name = "broken", .rule = "ALARM(missing)"};
  Status status = service->PutAlarms({}, {broken});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message().substr(0, 14), "alarm broken: ");
  // Saved: the file holds the three alarms.
  auto saved = ParseAlarmJson(testing::ReadFile(service->alarms_path()));
  ASSERT_TRUE(saved.ok());
  EXPECT_EQ((*saved)["MetricAlarms"].size(), 1u);
  EXPECT_EQ((*saved)["CompositeAlarms"].size(), 2u);
}

TEST_F(MetricsServiceTest, ServiceThreadScrapesEvaluatesAndFlushes) {
  TestHttpServer target;
  target.SetMetrics("# TYPE queue_depth gauge\nqueue_depth 4\n");
  MetricsServiceOptions options;
  options.data_dir = directory_.path().string();
  options.scrape_targets = [&target] {
    return std::vector<ScrapeEndpoint>{{"worker", "", target.Url("/metrics")}};
  };
  options.clock = &clock_;
  auto started = MetricsService::Start(std::move(options));
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  std::unique_ptr<MetricsService> service = std::move(*started);
  // The first tick runs every job; the flush follows a second later.
  json stats;
  for (int i = 0; i < 1000; ++i) {
    stats = service->StatsJson();
    if (stats["scrapes_ok"] >= 1 && stats["evaluations"] >= 1 && stats["store"]["flushes"] >= 1) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GE(stats["scrapes_ok"].get<int>(), 1) << stats.dump();
  EXPECT_GE(stats["evaluations"].get<int>(), 1) << stats.dump();
  EXPECT_GE(stats["store"]["flushes"].get<int>(), 1) << stats.dump();
  EXPECT_EQ(Minute(*service, {"ck/worker", "queue_depth", {}}, kMinuteStartMs).maximum, 4);
}

TEST(MetricsAlarmActionsTest, FullQueueRefusesAndRecords) {
  TestClock clock;
  AlarmActions actions({.queue_capacity = 1, .clock = &clock});
  AlarmEngine engine({}, &actions);
  actions.Attach(&engine);
  MetricAlarmSpec spec;
  spec.name = "a";
  spec.namespace_name = "n";
  spec.metric_name = "m";
  spec.statistic = Statistic::kSum;
  spec.alarm_actions = {"webhook:http://127.0.0.1:1/a", "webhook:http://127.0.0.1:1/b"};
  ASSERT_TRUE(engine.PutMetricAlarm(spec, kTestNowMs).ok());
  ASSERT_TRUE(engine.SetAlarmState("a", AlarmState::kAlarm, "test", nullptr, kTestNowMs).ok());
  AlarmActionsStats stats = actions.stats();
  EXPECT_EQ(stats.fired, 2u);
  EXPECT_EQ(stats.queued, 1u);
  EXPECT_EQ(stats.webhooks_dropped, 1u);
  std::vector<AlarmHistoryItem> items =
      engine.DescribeAlarmHistory({.alarm_name = "a", .item_type = HistoryItemType::kAction});
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].summary,
            "Failed to execute action webhook:http://127.0.0.1:1/b. Received error: \"the webhook "
            "queue is full (1 notifications)\"");
}

TEST(MetricsAlarmActionsTest, CompositeNotification) {
  AlarmRecord record;
  record.type = AlarmType::kComposite;
  record.composite = {.name = "page", .rule = "ALARM(cpu)", .alarm_actions = {"log"}};
  record.status.config_updated_ms = kTestNowMs - 1000;
  AlarmTransition transition{.alarm_name = "page",
                             .alarm_arn = "arn:aws:cloudwatch:local:000000000000:alarm:page",
                             .type = AlarmType::kComposite,
                             .old_state = AlarmState::kOk,
                             .new_state = AlarmState::kAlarm,
                             .reason = "r",
                             .timestamp_ms = kTestNowMs};
  transition.reason_data = AlarmJson::parse(
      R"({"triggeringAlarms":[{"arn":"arn:cpu","state":{"value":"ALARM","timestamp":"t"}},)"
      R"({"arn":5,"state":[]}]})");
  AlarmJson notification = AlarmNotification(transition, &record, "local", "000000000000");
  EXPECT_EQ(notification["AlarmDescription"], nullptr);
  EXPECT_EQ(notification["AlarmRule"], "ALARM(cpu)");
  EXPECT_FALSE(notification.contains("Trigger"));
  EXPECT_EQ(
      notification["TriggeringChildren"].dump(),
      R"([{"Arn":"arn:cpu","State":{"Value":"ALARM","Timestamp":"t"}},{"Arn":"","State":{}}])");
  EXPECT_EQ(notification["OldStateValue"], "OK");
  EXPECT_EQ(notification["AlarmConfigurationUpdatedTimestamp"], "2025-11-26T06:45:11.345+0000");
}

}  // namespace
}  // namespace ck::collector
