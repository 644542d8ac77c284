// AwsError: what went wrong with one AWS call, and how it travels inside a Status.
//
// Every failed call of the DynamoDB client produces an AwsError: the service's error type
// ("ConditionalCheckFailedException", from the `__type` field of the error body), its message,
// the HTTP status and request id, and whether retrying may help. Failures that never got a
// service answer use client-side types:
//
//   NetworkingError   connect/reset/DNS failure or a non-verification TLS failure (retryable)
//   TlsError          the server's certificate failed verification (not retryable; the message
//                     carries OpenSSL's reason, e.g. "certificate verify failed: self-signed ...")
//   TimeoutError      the request deadline expired (retryable)
//   CRC32CheckFailed  the x-amz-crc32 header did not match the body (retryable)
//   InvalidResponse   a 2xx answer whose body is not a JSON object (not retryable)
//   InvalidRequest    the request could not be serialised, e.g. invalid UTF-8 (not retryable)
//   UnknownError      an HTTP error without a recognisable error type (retryable only for 5xx)
//
// APIs return Result<T>; the Status then carries the error as "Type: message" with a code chosen
// by ToStatus() (e.g. kFailedPrecondition for ConditionalCheckFailedException, kNotFound for
// ResourceNotFoundException, kResourceExhausted for throttling, kUnavailable for 5xx and network
// failures). AwsErrorFrom() recovers type, message and retryability from such a Status:
//
//   auto put = co_await client.PutItem(request);
//   if (!put.ok() && AwsErrorFrom(put.status()).type == "ConditionalCheckFailedException") ...
//
// Thread-safety: value types and pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/status.h"

namespace ck::aws {

struct AwsError {
  std::string type;     // e.g. "ValidationException"; never empty for a failure
  std::string message;  // the service's message, verbatim
  int http_status = 0;  // 0 when no response arrived
  std::string request_id;
  bool retryable = false;
  nlohmann::json body;  // the whole error document (e.g. CancellationReasons), or null

  // Status with code by type/HTTP status and message "Type: message".
  Status ToStatus() const;
};

// Client-side error types (see above).
inline constexpr std::string_view kNetworkingError = "NetworkingError";
inline constexpr std::string_view kTlsError = "TlsError";
inline constexpr std::string_view kTimeoutError = "TimeoutError";
inline constexpr std::string_view kCrc32CheckFailed = "CRC32CheckFailed";
inline constexpr std::string_view kInvalidResponse = "InvalidResponse";
inline constexpr std::string_view kInvalidRequest = "InvalidRequest";
inline constexpr std::string_view kUnknownError = "UnknownError";

// True when the error is the service's answer (its own error types, and UnknownError for an
// HTTP error without one); false for the client-side types above that the client raised itself
// (networking, TLS, timeouts, CRC mismatches, unusable answers, unserialisable requests). Tracing
// records the former as "remote" exceptions, as the X-Ray SDKs do.
bool IsServiceError(const AwsError& error);

// Interprets a non-2xx AWS JSON-protocol answer: the type comes from the body's `__type`
// (namespace before '#' dropped) or the x-amzn-ErrorType header; the message from "message" or
// "Message". `retryable` is set by IsRetryable().
AwsError ParseErrorResponse(int http_status, std::string_view body,
                            std::string_view error_type_header, std::string_view request_id);

// Converts a transport failure reported by http::HttpClient (kDeadlineExceeded, kUnavailable,
// TLS reasons) into NetworkingError / TlsError / TimeoutError.
AwsError TransportError(const Status& status);

// Recovers an AwsError from a Status made by AwsError::ToStatus(). For a Status that did not come
// from the AWS client, the type is derived from the code (kUnavailable -> NetworkingError,
// kDeadlineExceeded -> TimeoutError, otherwise UnknownError) and the message is kept whole.
// http_status and request_id are not carried by a Status and come back empty.
AwsError AwsErrorFrom(const Status& status);

}  // namespace ck::aws
