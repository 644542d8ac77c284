#include "aws/dynamodb_tracer.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace ck::aws {
namespace {

class TracedCall final : public CallObserver::Call {
 public:
  TracedCall(telemetry::Subsegment subsegment, telemetry::AwsCallInfo info)
      : subsegment_(std::move(subsegment)), info_(std::move(info)) {}

  void End(const CallOutcome& outcome) override {
    info_.request_id = outcome.request_id;
    info_.retries = std::max(0, outcome.attempts - 1);
    subsegment_.SetAws(info_);
    if (outcome.result.ok()) {
      subsegment_.End(outcome.http_status);
      return;
    }
    const AwsError& error = outcome.error;
    const bool from_service = IsServiceError(error);
    if (from_service && error.http_status >= 400 && error.http_status < 500) {
      // Refused, not failed: an error (a throttle for 429) on the call, never a fault.
      nlohmann::json detail = {{"type", error.type}, {"message", error.message}};
      (void)subsegment_.AddMetadata("aws_error", std::move(detail));
      subsegment_.End(error.http_status);
      return;
    }
    subsegment_.EndWithError(error.type, error.message, /*remote=*/from_service);
  }

 private:
  telemetry::Subsegment subsegment_;  // ends itself (without a status) if End() never runs
  telemetry::AwsCallInfo info_;
};

// The single table name among `names`, or empty.
std::string Single(const std::vector<std::string>& names) {
  if (names.empty()) return {};
  for (const std::string& name : names) {
    if (name != names.front()) return {};
  }
  return names.front();
}

}  // namespace

std::string TableNameOf(const nlohmann::json& request) {
  if (!request.is_object()) return {};
  if (auto table = request.find("TableName"); table != request.end() && table->is_string()) {
    return table->get<std::string>();
  }
  std::vector<std::string> names;
  if (auto items = request.find("RequestItems"); items != request.end() && items->is_object()) {
    for (const auto& [name, ignored] : items->items()) names.push_back(name);
    return Single(names);
  }
  if (auto items = request.find("TransactItems"); items != request.end() && items->is_array()) {
    for (const nlohmann::json& item : *items) {
      if (!item.is_object()) continue;
      for (const auto& [kind, action] : item.items()) {
        if (!action.is_object()) continue;
        auto table = action.find("TableName");
        if (table != action.end() && table->is_string()) names.push_back(table->get<std::string>());
      }
    }
    return Single(names);
  }
  return {};
}

std::unique_ptr<CallObserver::Call> DynamoDbTracer::Start(std::string_view operation,
                                                          const nlohmann::json& request,
                                                          std::string_view region) {
  if (span_ == nullptr) return nullptr;
  telemetry::AwsCallInfo info;
  info.operation = std::string(operation);
  info.table_name = TableNameOf(request);
  info.region = std::string(region);
  telemetry::Subsegment subsegment =
      span_->StartSubsegment(std::string(kDynamoDbSubsegmentName), telemetry::kNamespaceAws);
  subsegment.SetAws(info);
  return std::make_unique<TracedCall>(std::move(subsegment), std::move(info));
}

}  // namespace ck::aws
