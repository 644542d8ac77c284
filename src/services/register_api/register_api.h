// register-api: admits a new resident.
//
//   POST /  JSON resident in (name, type, os required; petname, service, happiness, image
//           optional) ->
//     201 {"message": "item <name>, is registered", "ckid": "<32 hex digits>"}
//     400 {"error": "invalid JSON: ..."} or {"error": "request body must be a JSON object"}
//     400 {"error": "invalid resident: <reasons joined by '; '>", "reasons": [...]}
//         when validate-api says it is invalid
//     502 {"error": "validate-api unavailable: <reason>"} when validate-api cannot be asked
//         (unreachable, an error status, or an answer without "valid"): nothing is stored
//     502 {"error": "<datastore error>"}, e.g. "TlsError: TLS handshake with ... failed: ...",
//         when PutItem fails
//
// The resident is stored with a fresh random 128-bit ckid (PutItem conditioned on
// attribute_not_exists(ckid)), happiness 5 unless given, and a picture from kResidentImages
// unless given. Fixes the original's bugs: a failed validate-api call no longer lets the
// registration through, and ids are random 128-bit values instead of rand.Intn(10000000).
//
// Traced (docs/tracing.md): the call to validate-api is a "remote" subsegment, the PutItem an
// "aws" DynamoDB subsegment; a datastore failure (e.g. the TLS error) is also the cause on the
// segment. Log lines carry the request's trace ids.
//
// Thread-safety: the handler runs on the service's io thread.
#pragma once

#include <utility>

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "http/message.h"
#include "services/common/service_host.h"
#include "store/attribute_value.h"
#include "telemetry/tracer.h"

namespace ck::services::register_api {

inline constexpr int kDefaultHappiness = 5;

// The item stored for a validated `resident` under `ckid`.
store::Item ResidentItem(const nlohmann::json& resident, const std::string& ckid);

boost::asio::awaitable<http::HttpResponse> HandleRegister(ServiceContext* context,
                                                          http::HttpRequest request,
                                                          telemetry::RequestSpan* span);

ServiceDefinition RegisterApiService();

}  // namespace ck::services::register_api
