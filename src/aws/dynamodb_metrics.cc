#include "aws/dynamodb_metrics.h"

#include <chrono>
#include <string>
#include <utility>

#include "aws/dynamodb_tracer.h"
#include "aws/retry_policy.h"

namespace ck::aws {
namespace {

class MeasuredCall final : public CallObserver::Call {
 public:
  MeasuredCall(telemetry::DependencyMetrics* metrics, std::string operation,
               std::unique_ptr<CallObserver::Call> inner)
      : metrics_(metrics),
        operation_(std::move(operation)),
        inner_(std::move(inner)),
        start_(std::chrono::steady_clock::now()) {}

  void End(const CallOutcome& outcome) override {
    if (metrics_ != nullptr) {
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
      metrics_->Record(kDynamoDbSubsegmentName, operation_, DependencyOutcomeOf(outcome), seconds);
    }
    if (inner_) inner_->End(outcome);
  }

 private:
  telemetry::DependencyMetrics* metrics_;
  std::string operation_;
  std::unique_ptr<CallObserver::Call> inner_;  // ends itself if End() never runs
  std::chrono::steady_clock::time_point start_;
};

}  // namespace

telemetry::DependencyOutcome DependencyOutcomeOf(const CallOutcome& outcome) {
  using telemetry::DependencyOutcome;
  if (outcome.result.ok()) return DependencyOutcome::kOk;
  const AwsError& error = outcome.error;
  if (IsThrottlingError(error.type) || error.http_status == 429) {
    return DependencyOutcome::kThrottle;
  }
  if (IsServiceError(error) && error.http_status >= 400 && error.http_status < 500) {
    return DependencyOutcome::kError;
  }
  return DependencyOutcome::kFault;
}

std::unique_ptr<CallObserver::Call> DynamoDbCallMetrics::Start(std::string_view operation,
                                                               const nlohmann::json& request,
                                                               std::string_view region) {
  std::unique_ptr<Call> inner = inner_ ? inner_->Start(operation, request, region) : nullptr;
  if (metrics_ == nullptr) return inner;
  return std::make_unique<MeasuredCall>(metrics_, std::string(operation), std::move(inner));
}

}  // namespace ck::aws
