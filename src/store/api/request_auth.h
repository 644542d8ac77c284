// SigV4 authentication of DynamoDB requests, with DynamoDB's error types and messages.
//
// Checks, in DynamoDB's order: an Authorization header is present and is AWS4-* (else
// MissingAuthenticationTokenException "Request is missing Authentication Token"); it parses and
// an X-Amz-Date is present (else IncompleteSignatureException); the date is within 15 minutes of
// now (else InvalidSignatureException "Signature expired: ..."); the access key is one we know
// (else UnrecognizedClientException "The security token included in the request is invalid.");
// the signature matches (else InvalidSignatureException "The request signature we calculated
// does not match ..."). The credential scope's region and service are not checked.
//
// Thread-safety: pure function.
#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include "core/sigv4.h"
#include "http/message.h"
#include "store/api/errors.h"

namespace ck::store::api {

// nullopt when the request is authentic.
std::optional<ApiError> AuthenticateRequest(const http::HttpRequest& request,
                                            const std::vector<sigv4::Credentials>& credentials,
                                            std::chrono::system_clock::time_point now);

}  // namespace ck::store::api
