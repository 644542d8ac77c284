// AWS Signature Version 4: signing requests (client side) and verifying them (server side).
//
// One implementation of the canonical request / string-to-sign / signing-key steps serves both
// the C++ DynamoDB client and `ck dynamodb`'s verifier, so the two can never disagree. Checked
// against AWS's published SigV4 test suite (sigv4_test.cc).
//
//   SignableRequest request{"POST", "/", "", {{"host", "127.0.0.1:8000"}, ...}, body};
//   Sign(request, credentials, "us-east-1", "dynamodb", "20260101T000000Z");
//   // request.headers now holds Authorization and X-Amz-Date (and X-Amz-Security-Token).
//
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace ck::sigv4 {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty when none
};

// The parts of an HTTP request that SigV4 covers.
struct SignableRequest {
  std::string method;
  std::string path;   // as sent on the wire, e.g. "/" or "/a%20b"
  std::string query;  // raw query string without '?', may be empty
  std::vector<std::pair<std::string, std::string>> headers;  // as sent, any case, may repeat
  std::string body;
};

// The canonical request for the given signed header names (lower-case, sorted).
std::string CanonicalRequest(const SignableRequest& request,
                             const std::vector<std::string>& signed_headers);
// "AWS4-HMAC-SHA256\n<amz_date>\n<scope>\n<hex sha256 of canonical request>".
std::string StringToSign(std::string_view amz_date, std::string_view scope,
                         std::string_view canonical_request);
// HMAC chain over date (YYYYMMDD), region, service, "aws4_request"; raw bytes.
std::string SigningKey(std::string_view secret_access_key, std::string_view date,
                       std::string_view region, std::string_view service);

// Signs `request` in place: sets X-Amz-Date, X-Amz-Security-Token (when a session token is
// present) and Authorization, signing every header present plus those. `amz_date` is
// "YYYYMMDDTHHMMSSZ" (pass the clock's now).
void Sign(SignableRequest& request, const Credentials& credentials, std::string_view region,
          std::string_view service, std::string_view amz_date);

// A parsed `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`.
struct Authorization {
  std::string access_key_id;
  std::string date;     // YYYYMMDD from the credential scope
  std::string region;
  std::string service;
  std::vector<std::string> signed_headers;
  std::string signature;  // lower-case hex
};
// kInvalidArgument with a message naming what is malformed.
Result<Authorization> ParseAuthorization(std::string_view header_value);

// Recomputes the signature for a parsed Authorization with the given secret and compares it in
// constant time. `amz_date` is the request's X-Amz-Date value.
bool VerifySignature(const SignableRequest& request, const Authorization& authorization,
                     std::string_view secret_access_key, std::string_view amz_date);

}  // namespace ck::sigv4
