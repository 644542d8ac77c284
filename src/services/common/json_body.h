// JSON request and response helpers shared by every service handler.
//
//   CK_ASSIGN_OR_RETURN(nlohmann::json body, ParseJsonObject(request));   // 400 text on failure
//   return JsonResponse(HttpStatus::created, {{"ckid", id}});
//
// Errors are always `{"error": "<message>"}` (http::MakeJsonError), optionally with more fields.
//
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "core/status.h"
#include "http/message.h"

namespace ck::services {

// `body` serialised as application/json with the given status.
http::HttpResponse JsonResponse(http::HttpStatus status, const nlohmann::json& body);

// {"error": message} plus `extra`'s fields (e.g. "reasons") as application/json.
http::HttpResponse JsonError(http::HttpStatus status, std::string_view message,
                             const nlohmann::json& extra = nullptr);

// The request body as a JSON object. kInvalidArgument "invalid JSON: <parser reason>" or
// "request body must be a JSON object" otherwise.
Result<nlohmann::json> ParseJsonObject(const http::HttpRequest& request);
Result<nlohmann::json> ParseJsonObject(std::string_view text);

// The HTTP status that reports `status` to a caller: 400 for kInvalidArgument, 404 kNotFound,
// 409 kAlreadyExists/kFailedPrecondition, 503 kResourceExhausted (throttled), 504
// kDeadlineExceeded, and
// 502 for everything else (a dependency failed).
http::HttpStatus HttpStatusFor(const Status& status);

}  // namespace ck::services
