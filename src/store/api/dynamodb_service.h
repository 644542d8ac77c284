// DynamoDbService: the DynamoDB JSON 1.0 protocol as a pure request -> response handler.
//
// `ck dynamodb` is this class behind an HTTP server. Handle() takes one complete HTTP request
// and returns the response the real service would send: `POST /` with
// `X-Amz-Target: DynamoDB_20120810.<Operation>` and a JSON body, SigV4-verified against the
// configured credentials, answered with `application/x-amz-json-1.0`, `x-amzn-RequestId` and
// `x-amz-crc32`; `GET /` answers a health line. A POST is checked in DynamoDB's order: SigV4
// authentication, then the X-Amz-Target operation, then the JSON body, then the operation's own
// validation. Errors have DynamoDB's `__type` namespaces, messages and HTTP statuses (see
// errors.h). Data lives in one SQLite file (engine/storage.h).
//
//   DynamoDbOptions options;
//   options.data_path = ".ck/dynamodb.sqlite";
//   CK_ASSIGN_OR_RETURN(auto service, DynamoDbService::Open(options));
//   http::HttpResponse response = service->Handle(request);   // on the worker thread
//   service->SweepExpiredItems();                             // e.g. once a second
//
// Thread-safety: none. Construct, call Handle() and SweepExpiredItems() from one worker thread
// (blocking SQLite work happens inside). Handle() never throws and never crashes on any input;
// internal failures become HTTP 500 InternalServerError responses.
#pragma once

#include <limits>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/sigv4.h"
#include "core/status.h"
#include "http/message.h"
#include "store/engine/storage.h"

namespace ck::store::api {

struct DynamoDbOptions {
  // The SQLite database file; created if missing (its directory must exist).
  std::string data_path;
  engine::Durability durability = engine::Durability::kNormal;
  // Used in ARNs and the health line.
  std::string region = "us-east-1";
  // Access keys accepted by SigV4 verification. Default: ck-local / ck-local-secret.
  std::vector<sigv4::Credentials> credentials = {{"ck-local", "ck-local-secret", ""}};
  // When false, requests are not authenticated at all (local convenience; off by default).
  bool verify_signatures = true;
  // Wall clock for signature expiry, CreationDateTime and TTL. Default: system_clock::now.
  std::function<std::chrono::system_clock::time_point()> clock;
};

class ServiceState;

// True when `operation` (e.g. "PutItem") is one Handle() implements.
bool IsImplementedOperation(std::string_view operation);

class DynamoDbService {
 public:
  // Opens (or creates) the database and loads the table catalog. kInternal/kUnavailable when
  // the file cannot be opened (e.g. locked by another process).
  static Result<std::unique_ptr<DynamoDbService>> Open(const DynamoDbOptions& options);
  ~DynamoDbService();

  http::HttpResponse Handle(const http::HttpRequest& request);

  // Deletes items whose TTL attribute lies in the past (and at most five years in the past, as
  // DynamoDB does), with their index rows, at most `max_items` of them. Returns how many were
  // deleted: `max_items` means more may be left, so a caller that must keep serving requests
  // sweeps in steps and lets requests in between.
  size_t SweepExpiredItems(size_t max_items = std::numeric_limits<size_t>::max());

 private:
  explicit DynamoDbService(std::unique_ptr<ServiceState> state);
  std::unique_ptr<ServiceState> state_;
};

}  // namespace ck::store::api
