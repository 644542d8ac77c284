// happiness-api: raises one resident's happiness.
//
//   POST /  {"ckid": "<id>"}  ->
//     201 the resident after the update (all eight fields, as list-api returns them)
//     400 {"error": "..."} for invalid JSON, or "ckid must be a non-empty string of at most
//         128 bytes" (kMaxCkidBytes), or "ValidationException: ..." when the datastore refuses
//         the request
//     404 {"error": "no resident with ckid <id>"}
//     502 {"error": "<datastore error>"} when the datastore fails (unreachable, TLS, 5xx, ...)
//
// The update is one conditional UpdateItem on that ckid:
//   SET happiness = if_not_exists(happiness, :zero) + :one
//   IF attribute_exists(ckid) AND (attribute_not_exists(happiness) OR happiness < :max)
// with ReturnValues ALL_NEW, so a resident without happiness gets 1 and happiness stops at
// kMaxHappiness (a resident already there is returned unchanged, still 201). Fixes the original,
// which always updated ck1 and failed on items without happiness.
//
// Each datastore call is an "aws" DynamoDB subsegment; a datastore failure answered with 502 is
// also recorded as the cause on the request's segment.
//
// Thread-safety: the handler runs on the service's io thread.
#pragma once

#include <utility>

#include <boost/asio/awaitable.hpp>

#include "http/message.h"
#include "services/common/service_host.h"

namespace ck::services::happiness_api {

inline constexpr int kMaxHappiness = 10;

boost::asio::awaitable<http::HttpResponse> HandleFeed(ServiceContext* context,
                                                      http::HttpRequest request,
                                                      telemetry::RequestSpan* span);

ServiceDefinition HappinessApiService();

}  // namespace ck::services::happiness_api
