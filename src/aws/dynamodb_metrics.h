// DynamoDbCallMetrics: records each call made through an observed DynamoDbClient in a
// component's dependency RED metrics (telemetry/red_metrics.h) as dependency "DynamoDB" with the
// API operation ("Scan", "PutItem", ...), its outcome and its duration (retries included), then
// hands the call on to an inner observer, so one view can be both measured and traced:
//
//   DynamoDbClient view = client->Observed(std::make_unique<DynamoDbCallMetrics>(
//       dependency_metrics, std::make_unique<DynamoDbTracer>(&span)));
//
// Outcomes: ok; throttle for a throttling error type (ProvisionedThroughputExceededException,
// ThrottlingException, ... see retry_policy.h) or HTTP 429; error for any other 4xx answer of
// the service (validation, conditional check, missing table); fault for 5xx answers and
// client-side failures (TLS, network, timeouts). The tracer marks only 429 as a throttle, as the
// X-Ray SDKs do; metrics count DynamoDB's own throttling errors too, which is what capacity
// alarms need.
//
// Thread-safety: like any CallObserver, used on the client's executor; `metrics` (may be null:
// nothing recorded) must outlive every call.
#pragma once

#include <memory>
#include <string_view>

#include "aws/dynamodb_client.h"
#include "telemetry/red_metrics.h"

namespace ck::aws {

// The DynamoDB call outcome as a dependency outcome (see above).
telemetry::DependencyOutcome DependencyOutcomeOf(const CallOutcome& outcome);

class DynamoDbCallMetrics final : public CallObserver {
 public:
  // `inner` (may be null) sees every call too, after this one starts timing it.
  explicit DynamoDbCallMetrics(telemetry::DependencyMetrics* metrics,
                               std::unique_ptr<CallObserver> inner = nullptr)
      : metrics_(metrics), inner_(std::move(inner)) {}

  std::unique_ptr<Call> Start(std::string_view operation, const nlohmann::json& request,
                              std::string_view region) override;

 private:
  telemetry::DependencyMetrics* metrics_;
  std::unique_ptr<CallObserver> inner_;
};

}  // namespace ck::aws
