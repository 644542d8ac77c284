#include "store/api/errors.h"

#include "store/attribute_json.h"

namespace ck::store::api {

ApiError ErrorFromStatus(const Status& status) {
  ErrorType type = ErrorType::kInternalServerError;
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
      type = ErrorType::kValidation;
      break;
    case StatusCode::kUnimplemented:
      type = ErrorType::kSerialization;
      break;
    case StatusCode::kNotFound:
      type = ErrorType::kResourceNotFound;
      break;
    case StatusCode::kAlreadyExists:
      type = ErrorType::kResourceInUse;
      break;
    case StatusCode::kFailedPrecondition:
      type = ErrorType::kConditionalCheckFailed;
      break;
    case StatusCode::kResourceExhausted:
      type = ErrorType::kLimitExceeded;
      break;
    case StatusCode::kUnauthenticated:
      type = ErrorType::kUnrecognizedClient;
      break;
    case StatusCode::kPermissionDenied:
      type = ErrorType::kAccessDenied;
      break;
    case StatusCode::kUnavailable:
      type = ErrorType::kThrottling;
      break;
    default:
      break;
  }
  return {type, status.message(), {}};
}

std::string_view ErrorTypeName(ErrorType type) {
  switch (type) {
    case ErrorType::kValidation:
      return "com.amazon.coral.validate#ValidationException";
    case ErrorType::kSerialization:
      return "com.amazon.coral.service#SerializationException";
    case ErrorType::kResourceNotFound:
      return "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException";
    case ErrorType::kResourceInUse:
      return "com.amazonaws.dynamodb.v20120810#ResourceInUseException";
    case ErrorType::kConditionalCheckFailed:
      return "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException";
    case ErrorType::kLimitExceeded:
      return "com.amazonaws.dynamodb.v20120810#LimitExceededException";
    case ErrorType::kUnrecognizedClient:
      return "com.amazon.coral.service#UnrecognizedClientException";
    case ErrorType::kAccessDenied:
      return "com.amazon.coral.service#AccessDeniedException";
    case ErrorType::kThrottling:
      return "com.amazon.coral.availability#ThrottlingException";
    case ErrorType::kInternalServerError:
      return "com.amazonaws.dynamodb.v20120810#InternalServerError";
    case ErrorType::kUnknownOperation:
      return "com.amazon.coral.service#UnknownOperationException";
    case ErrorType::kMissingAuthenticationToken:
      return "com.amazon.coral.service#MissingAuthenticationTokenException";
    case ErrorType::kIncompleteSignature:
      return "com.amazon.coral.service#IncompleteSignatureException";
    case ErrorType::kInvalidSignature:
      return "com.amazon.coral.service#InvalidSignatureException";
    case ErrorType::kTransactionCanceled:
      return "com.amazonaws.dynamodb.v20120810#TransactionCanceledException";
    case ErrorType::kIdempotentParameterMismatch:
      return "com.amazonaws.dynamodb.v20120810#IdempotentParameterMismatchException";
    case ErrorType::kTableNotFound:
      return "com.amazonaws.dynamodb.v20120810#TableNotFoundException";
  }
  return "com.amazonaws.dynamodb.v20120810#InternalServerError";
}

http::HttpStatus ErrorHttpStatus(ErrorType type) {
  return type == ErrorType::kInternalServerError ? http::HttpStatus::internal_server_error
                                                 : http::HttpStatus::bad_request;
}

std::string ErrorBody(const ApiError& error) {
  std::string body = "{\"__type\":";
  AppendJsonString(ErrorTypeName(error.type), body);
  if (!error.message.empty() || error.type != ErrorType::kUnknownOperation) {
    // DynamoDB spells the member "Message" for these types and "message" elsewhere.
    bool capital = error.type == ErrorType::kSerialization ||
                   error.type == ErrorType::kTransactionCanceled ||
                   error.type == ErrorType::kIdempotentParameterMismatch;
    body += capital ? ",\"Message\":" : ",\"message\":";
    AppendJsonString(error.message, body);
  }
  body += error.extra_members;
  body += '}';
  return body;
}

}  // namespace ck::store::api
