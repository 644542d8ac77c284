// validate-api: decides whether a resident may be registered.
//
//   POST /   JSON resident in  ->  200 {"valid": true|false, "message": [reasons]}
//            400 {"error": "invalid JSON: ..."} / {"error": "request body must be a JSON object"}
//
// Rules (each broken rule adds one reason, in this order):
//   name, type, os   required non-empty strings, at most 100 characters, no control characters
//   petname          optional string, at most 100 characters, no control characters
//   image            optional string, at most 300 characters, a site path ("/...") or http(s) URL
//   service          optional whole number 0..1000 (years in service; digits in a string accepted)
//   happiness        optional whole number 1..10
// Other fields are ignored (register-api assigns ckid itself).
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "http/message.h"
#include "services/common/service_host.h"

namespace ck::services::validate_api {

// The reasons `resident` is invalid; empty when it is valid.
std::vector<std::string> ValidateResident(const nlohmann::json& resident);

// POST / as described above.
http::HttpResponse HandleValidate(const http::HttpRequest& request);

ServiceDefinition ValidateApiService();

}  // namespace ck::services::validate_api
