// DynamoDbTracer: records each call made through an observed DynamoDbClient as an X-Ray "aws"
// subsegment of a request's span, the way the X-Ray SDKs instrument their AWS clients.
//
// Each call (one operation with all its retries) becomes a subsegment named "DynamoDB" in
// namespace "aws" with aws.operation, aws.table_name (TableName, or the single table of a batch
// request), aws.region, aws.request_id (x-amzn-RequestId of the last answer) and aws.retries
// (attempts - 1). How it ends:
//
//   success                         http.response.status (200)
//   4xx answer (validation, conditional check, throttling, missing table)
//                                   error (+ throttle for 429) with the status; the error's type
//                                   and message as metadata "aws_error"
//   5xx answer                      fault, cause {type, message, remote: true}
//   client-side failure (TlsError, NetworkingError, TimeoutError, ...)
//                                   fault, cause {type, message, remote: false}; for a TLS
//                                   failure the message is the handshake error, e.g. "TLS
//                                   handshake with 127.0.0.1:8000 failed: certificate verify
//                                   failed: unable to get local issuer certificate"
//
//   DynamoDbClient traced = client->Observed(std::make_unique<DynamoDbTracer>(&span));
//   auto stored = co_await traced.PutItem(put);   // one "DynamoDB" subsegment (PutItem)
//
// The subsegment's id is not sent to DynamoDB (it does not trace). An unsampled span records
// nothing. Thread-safety: used on the client's executor; the span must outlive every call.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "aws/dynamodb_client.h"
#include "telemetry/tracer.h"

namespace ck::aws {

// The subsegment name X-Ray uses for DynamoDB calls (the service map's DynamoDB node).
inline constexpr std::string_view kDynamoDbSubsegmentName = "DynamoDB";

class DynamoDbTracer final : public CallObserver {
 public:
  // `span` may be null (nothing is recorded).
  explicit DynamoDbTracer(telemetry::RequestSpan* span) : span_(span) {}

  std::unique_ptr<Call> Start(std::string_view operation, const nlohmann::json& request,
                              std::string_view region) override;

 private:
  telemetry::RequestSpan* span_;
};

// The table a DynamoDB request document is about: its TableName, or the one table of a
// RequestItems (batch) or TransactItems request; empty when there is none or several.
std::string TableNameOf(const nlohmann::json& request);

}  // namespace ck::aws
