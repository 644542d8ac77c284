// The one place where ck::Status codes and protocol failures become DynamoDB error responses.
//
// Operations report failures as Statuses; this file maps their codes to DynamoDB's error types:
//   kInvalidArgument    -> com.amazon.coral.validate#ValidationException
//   kUnimplemented      -> com.amazon.coral.service#SerializationException (attribute_json.h)
//   kNotFound           -> com.amazonaws.dynamodb.v20120810#ResourceNotFoundException
//   kAlreadyExists      -> com.amazonaws.dynamodb.v20120810#ResourceInUseException
//   kFailedPrecondition -> com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException
//   kResourceExhausted  -> com.amazonaws.dynamodb.v20120810#LimitExceededException
//   kUnauthenticated    -> com.amazon.coral.service#UnrecognizedClientException
//   kPermissionDenied   -> com.amazon.coral.service#AccessDeniedException
//   kUnavailable        -> com.amazon.coral.availability#ThrottlingException (retryable)
//   anything else       -> com.amazonaws.dynamodb.v20120810#InternalServerError (HTTP 500)
// Failures with no Status code of their own (UnknownOperation, the SigV4 family,
// TransactionCanceled, IdempotentParameterMismatch) are named explicitly with an ErrorType.
// Client errors are HTTP 400.
//
// Thread-safety: pure functions and value types.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "http/message.h"

namespace ck::store::api {

enum class ErrorType {
  kValidation,
  kSerialization,
  kResourceNotFound,
  kResourceInUse,
  kConditionalCheckFailed,
  kLimitExceeded,
  kUnrecognizedClient,
  kAccessDenied,
  kThrottling,
  kInternalServerError,
  kUnknownOperation,
  kMissingAuthenticationToken,
  kIncompleteSignature,
  kInvalidSignature,
  kTransactionCanceled,
  kIdempotentParameterMismatch,
  kTableNotFound,  // the backup operations' own "Table not found: <name>"
};

struct ApiError {
  ErrorType type = ErrorType::kInternalServerError;
  std::string message;
  // Extra JSON members for the body, already serialised with a leading comma, e.g.
  // ,"Item":{...} or ,"CancellationReasons":[...].
  std::string extra_members;
};

// The Status -> DynamoDB mapping described above.
ApiError ErrorFromStatus(const Status& status);

// "com.amazon.coral.validate#ValidationException" etc.
std::string_view ErrorTypeName(ErrorType type);
http::HttpStatus ErrorHttpStatus(ErrorType type);
// {"__type":"...","message":"..."<extra members>}
std::string ErrorBody(const ApiError& error);

// DynamoDB's standard messages, said once.
inline constexpr std::string_view kConditionalCheckFailedMessage = "The conditional request failed";
inline constexpr std::string_view kResourceNotFoundMessage = "Requested resource not found";

}  // namespace ck::store::api
