#include "aws/dynamodb_metrics.h"

#include <gtest/gtest.h>

#include <vector>

namespace ck::aws {
namespace {

// Records what an inner observer is told.
class RecordingObserver final : public CallObserver {
 public:
  struct Log {
    std::vector<std::string> started;
    std::vector<int> ended_status;
  };
  explicit RecordingObserver(Log* log) : log_(log) {}
  std::unique_ptr<Call> Start(std::string_view operation, const nlohmann::json&,
                              std::string_view) override {
    log_->started.emplace_back(operation);
    return std::make_unique<RecordingCall>(log_);
  }

 private:
  class RecordingCall final : public Call {
   public:
    explicit RecordingCall(Log* log) : log_(log) {}
    void End(const CallOutcome& outcome) override {
      log_->ended_status.push_back(outcome.http_status);
    }

   private:
    Log* log_;
  };
  Log* log_;
};

CallOutcome Failed(std::string type, int http_status) {
  CallOutcome outcome;
  outcome.error.type = std::move(type);
  outcome.error.message = "m";
  outcome.error.http_status = http_status;
  outcome.http_status = http_status;
  outcome.result = outcome.error.ToStatus();
  return outcome;
}

CallOutcome Succeeded() {
  CallOutcome outcome;
  outcome.result = nlohmann::json::object();
  outcome.http_status = 200;
  return outcome;
}

TEST(DynamoDbCallMetricsTest, ClassifiesOutcomes) {
  using telemetry::DependencyOutcome;
  EXPECT_EQ(DependencyOutcomeOf(Succeeded()), DependencyOutcome::kOk);
  EXPECT_EQ(DependencyOutcomeOf(Failed("ConditionalCheckFailedException", 400)),
            DependencyOutcome::kError);
  EXPECT_EQ(DependencyOutcomeOf(Failed("ProvisionedThroughputExceededException", 400)),
            DependencyOutcome::kThrottle);
  EXPECT_EQ(DependencyOutcomeOf(Failed("UnknownError", 429)), DependencyOutcome::kThrottle);
  EXPECT_EQ(DependencyOutcomeOf(Failed("InternalServerError", 500)), DependencyOutcome::kFault);
  EXPECT_EQ(DependencyOutcomeOf(Failed(std::string(kTlsError), 0)), DependencyOutcome::kFault);
  EXPECT_EQ(DependencyOutcomeOf(Failed(std::string(kTimeoutError), 0)), DependencyOutcome::kFault);
}

TEST(DynamoDbCallMetricsTest, RecordsEachCallAndHandsItOn) {
  telemetry::MetricsRegistry registry;
  auto metrics = telemetry::DependencyMetrics::Create(registry, "list-api");
  ASSERT_TRUE(metrics.ok());
  RecordingObserver::Log log;
  DynamoDbCallMetrics observer(metrics->get(), std::make_unique<RecordingObserver>(&log));
  const nlohmann::json request = {{"TableName", "t"}};
  for (const CallOutcome& outcome : {Succeeded(), Succeeded(), Failed("ValidationException", 400),
                                     Failed(std::string(kTlsError), 0)}) {
    std::unique_ptr<CallObserver::Call> call = observer.Start("Scan", request, "us-east-1");
    ASSERT_NE(call, nullptr);
    call->End(outcome);
  }
  EXPECT_EQ(log.started, (std::vector<std::string>{"Scan", "Scan", "Scan", "Scan"}));
  EXPECT_EQ(log.ended_status, (std::vector<int>{200, 200, 400, 0}));
  const std::string text = registry.Render();
  for (const char* line :
       {"ck_dependency_requests_total{service=\"list-api\",dependency=\"DynamoDB\","
        "operation=\"Scan\",outcome=\"ok\"} 2\n",
        "ck_dependency_requests_total{service=\"list-api\",dependency=\"DynamoDB\","
        "operation=\"Scan\",outcome=\"error\"} 1\n",
        "ck_dependency_requests_total{service=\"list-api\",dependency=\"DynamoDB\","
        "operation=\"Scan\",outcome=\"fault\"} 1\n",
        "ck_dependency_request_duration_seconds_count{service=\"list-api\","
        "dependency=\"DynamoDB\",operation=\"Scan\"} 4\n"}) {
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
  }
}

TEST(DynamoDbCallMetricsTest, WithoutMetricsOnlyTheInnerObserverSeesCalls) {
  RecordingObserver::Log log;
  DynamoDbCallMetrics observer(nullptr, std::make_unique<RecordingObserver>(&log));
  observer.Start("GetItem", nlohmann::json::object(), "us-east-1")->End(Succeeded());
  EXPECT_EQ(log.started, (std::vector<std::string>{"GetItem"}));
  DynamoDbCallMetrics nothing(nullptr);
  EXPECT_EQ(nothing.Start("GetItem", nlohmann::json::object(), "us-east-1"), nullptr);
}

}  // namespace
}  // namespace ck::aws
