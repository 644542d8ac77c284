// DynamoDbClient: the C++ DynamoDB client our services use against `ck dynamodb` or real
// DynamoDB (JSON 1.0 protocol over HTTP/HTTPS, SigV4, retries, x-amz-crc32), on C++20 coroutines.
//
//   CK_ASSIGN_OR_RETURN(AwsConfig config, LoadAwsConfig("dynamodb"));
//   CK_ASSIGN_OR_RETURN(auto client, DynamoDbClient::Create(io.get_executor(), {.config =
//   config})); auto got = co_await client->GetItem({.table = "residents", .key = {{"ckid",
//   Str("ck1")}}}); if (got.ok() && *got) Use(**got);
//
// Every call is `POST <endpoint>` with `X-Amz-Target: DynamoDB_20120810.<Operation>` and
// `Content-Type: application/x-amz-json-1.0`, signed with SigV4 (service "dynamodb") afresh for
// each attempt. A response carrying `x-amz-crc32` is checked against its body. Failures become
// AwsErrors (aws_error.h) and are retried per RetryPolicy (retry_policy.h); the Status of a failed
// call reads "Type: message" (e.g. "ConditionalCheckFailedException: The conditional request
// failed", "TlsError: TLS handshake with 127.0.0.1:8000 failed: certificate verify failed: ...").
// Invoke() returns the full outcome (attempts, HTTP status, request id, AwsError) for telemetry.
//
// Observing calls: Observed(observer) returns a view of the client (same connections, same
// configuration) whose every call, however it is made (typed helpers, pages of ScanAll, polls of
// WaitUntilActive), is reported to the observer: Start() before the first attempt, End() with the
// CallOutcome after the last one. A request handler makes one view per request, e.g. to record
// each call as a tracing subsegment (DynamoDbTracer, dynamodb_tracer.h):
//
//   DynamoDbClient traced = client->Observed(std::make_unique<DynamoDbTracer>(&span));
//   auto stored = co_await traced.PutItem(put);
//
// https endpoints are verified against config.ca_bundle (AWS_CA_BUNDLE) or the system store, with
// host-name checking. Connections are kept alive and pooled per endpoint by http::HttpClient.
//
// Coroutine parameters are taken by value, so a temporary request may be passed and the awaitable
// awaited later without dangling references.
//
// Thread-safety: like http::HttpClient, one DynamoDbClient per executor (thread); call it only
// from coroutines running on that executor. Many calls may be in flight at once. Views made by
// Observed() share the client's connections and follow the same rule; like the client, a view
// must outlive the calls made through it (it may outlive the client it came from). A moved-from
// client must not be used.
#pragma once

#include <utility>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "aws/aws_config.h"
#include "aws/aws_error.h"
#include "aws/dynamodb_types.h"
#include "aws/retry_policy.h"
#include "core/clock.h"
#include "core/status.h"
#include "http/client.h"

namespace ck::aws {

// Sleep seam for backoff: completes after `delay` (tests record the delay and return at once).
using SleepFunction = std::function<boost::asio::awaitable<void>(std::chrono::milliseconds)>;

struct DynamoDbClientOptions {
  AwsConfig config;
  RetryOptions retry;            // config.max_attempts, when set, overrides retry.max_attempts
  http::ClientOptions http;      // http.tls, when null, is built from config.ca_bundle
  RandomUnit random;             // null = DefaultRandomUnit()
  SleepFunction sleep;           // null = a steady_timer on the client's executor
  const Clock* clock = nullptr;  // signing time; null = SystemClock
};

// Everything known about one Call, successful or not.
struct CallOutcome {
  Result<nlohmann::json> result = Internal("no attempt was made");
  AwsError error;  // type empty on success
  int attempts = 0;
  int http_status = 0;     // of the last response; 0 if none arrived
  std::string request_id;  // x-amzn-RequestId of the last response
};

// Watches the calls made through a view from DynamoDbClient::Observed(). Start() and Call::End()
// run synchronously on the client's executor and must not block; they cannot change the call.
class CallObserver {
 public:
  // One call in progress; told its outcome once, after the last attempt. A Call destroyed
  // without End() (the coroutine was destroyed mid-call) should close itself quietly.
  class Call {
   public:
    virtual ~Call() = default;
    virtual void End(const CallOutcome& outcome) = 0;
  };

  virtual ~CallObserver() = default;
  // Before the first attempt of `operation` (e.g. "PutItem") with its request document, for a
  // client signing for `region`. May return null to ignore the call.
  virtual std::unique_ptr<Call> Start(std::string_view operation, const nlohmann::json& request,
                                      std::string_view region) = 0;
};

class DynamoDbClient {
 public:
  // kInvalidArgument for a malformed endpoint or an unreadable CA bundle.
  static Result<std::unique_ptr<DynamoDbClient>> Create(boost::asio::any_io_executor executor,
                                                        DynamoDbClientOptions options);
  ~DynamoDbClient();
  DynamoDbClient(const DynamoDbClient&) = delete;
  DynamoDbClient& operator=(const DynamoDbClient&) = delete;
  DynamoDbClient(DynamoDbClient&&) noexcept;
  DynamoDbClient& operator=(DynamoDbClient&&) noexcept;

  // A view of this client whose calls are reported to `observer` (see above). The view replaces
  // any observer this client has.
  DynamoDbClient Observed(std::unique_ptr<CallObserver> observer) const;

  // Sends one operation (e.g. "PutItem") with its request document, retrying per policy.
  boost::asio::awaitable<CallOutcome> Invoke(std::string operation, nlohmann::json request);
  // Invoke() reduced to the response document or the error Status.
  boost::asio::awaitable<Result<nlohmann::json>> Call(std::string operation,
                                                      nlohmann::json request);

  // Items. Put/Update/Delete return the Attributes asked for with return_values.
  boost::asio::awaitable<Result<ItemResult>> GetItem(GetItemRequest request);
  boost::asio::awaitable<Result<ItemResult>> PutItem(PutItemRequest request);
  boost::asio::awaitable<Result<ItemResult>> UpdateItem(UpdateItemRequest request);
  boost::asio::awaitable<Result<ItemResult>> DeleteItem(DeleteItemRequest request);

  // One page; pass page.last_evaluated_key as exclusive_start_key for the next.
  boost::asio::awaitable<Result<Page>> Query(QueryRequest request);
  boost::asio::awaitable<Result<Page>> Scan(ScanRequest request);
  // Follows LastEvaluatedKey until the last page (or until `max_items` items were collected);
  // the returned page's count/scanned_count are totals and last_evaluated_key is where it stopped.
  boost::asio::awaitable<Result<Page>> QueryAll(QueryRequest request, size_t max_items = SIZE_MAX);
  boost::asio::awaitable<Result<Page>> ScanAll(ScanRequest request, size_t max_items = SIZE_MAX);

  // Batches. Unprocessed keys/items are resubmitted with the retry policy's backoff until none
  // remain or max_attempts rounds were made; what is still unprocessed then is returned.
  boost::asio::awaitable<Result<BatchGetResult>> BatchGetItem(
      std::map<std::string, KeysAndAttributes> tables);
  boost::asio::awaitable<Result<BatchWriteRequests>> BatchWriteItem(BatchWriteRequests requests);

  // Transactions. A cancelled transaction fails with "TransactionCanceledException: ...
  // [reasons]"; AwsErrorFrom() gives the type.
  boost::asio::awaitable<Status> TransactWriteItems(TransactWriteRequest request);
  boost::asio::awaitable<Result<std::vector<ItemResult>>> TransactGetItems(
      std::vector<TransactGetItem> items);

  // Tables.
  boost::asio::awaitable<Result<TableDescription>> CreateTable(CreateTableRequest request);
  boost::asio::awaitable<Result<TableDescription>> DescribeTable(std::string table);
  boost::asio::awaitable<Result<TableDescription>> DeleteTable(std::string table);
  boost::asio::awaitable<Result<ListTablesPage>> ListTables(std::string exclusive_start_table = {},
                                                            std::optional<int> limit = {});
  boost::asio::awaitable<Result<std::vector<std::string>>> ListAllTables();
  // Polls DescribeTable (every `interval`, via the sleep seam) until the table is ACTIVE;
  // kDeadlineExceeded after `timeout`.
  boost::asio::awaitable<Status> WaitUntilActive(
      std::string table, std::chrono::milliseconds timeout = std::chrono::seconds(30),
      std::chrono::milliseconds interval = std::chrono::milliseconds(50));

  const AwsConfig& config() const;
  const RetryPolicy& retry_policy() const;
  // Closes idle pooled connections.
  void CloseIdle();

 private:
  struct Impl;
  DynamoDbClient(std::shared_ptr<Impl> impl, std::unique_ptr<CallObserver> observer);
  boost::asio::awaitable<Result<Page>> Paginate(std::string operation, nlohmann::json request,
                                                size_t max_items);
  std::shared_ptr<Impl> impl_;  // shared with views made by Observed()
  std::unique_ptr<CallObserver> observer_;
};

}  // namespace ck::aws
