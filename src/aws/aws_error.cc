#include "aws/aws_error.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "aws/retry_policy.h"

namespace ck::aws {
namespace {

template <size_t N>
bool OneOf(std::string_view value, const std::array<std::string_view, N>& list) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

constexpr std::array<std::string_view, 5> kPreconditionErrors = {
    "ConditionalCheckFailedException", "TransactionCanceledException",
    "TransactionConflictException", "TransactionInProgressException",
    "IdempotentParameterMismatchException"};
constexpr std::array<std::string_view, 7> kAuthenticationErrors = {
    "UnrecognizedClientException",  "InvalidSignatureException",
    "MissingAuthenticationToken",   "MissingAuthenticationTokenException",
    "IncompleteSignatureException", "ExpiredTokenException",
    "InvalidClientTokenId"};
constexpr std::array<std::string_view, 3> kLimitErrors = {
    "LimitExceededException", "ItemCollectionSizeLimitExceededException", "RequestLimitExceeded"};

bool IsTypeName(std::string_view text) {
  return !text.empty() && std::isupper(static_cast<unsigned char>(text[0])) &&
         std::all_of(text.begin(), text.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '_' || c == '.'; });
}

std::string Snippet(std::string_view body) {
  constexpr size_t kMax = 200;
  std::string out(body.substr(0, kMax));
  if (body.size() > kMax) out += "...";
  return out;
}

}  // namespace

Status AwsError::ToStatus() const {
  std::string text = type + ": " + message;
  StatusCode code;
  if (OneOf(type, kPreconditionErrors) || type == "ResourceInUseException") {
    code = StatusCode::kFailedPrecondition;
  } else if (type == "ResourceNotFoundException") {
    code = StatusCode::kNotFound;
  } else if (IsThrottlingError(type) || OneOf(type, kLimitErrors)) {
    code = StatusCode::kResourceExhausted;
  } else if (OneOf(type, kAuthenticationErrors)) {
    code = StatusCode::kUnauthenticated;
  } else if (type == "AccessDeniedException") {
    code = StatusCode::kPermissionDenied;
  } else if (type == kTimeoutError) {
    code = StatusCode::kDeadlineExceeded;
  } else if (type == kNetworkingError || type == kTlsError || type == kCrc32CheckFailed ||
             http_status >= 500) {
    code = StatusCode::kUnavailable;
  } else if (type == kInvalidResponse) {
    code = StatusCode::kInternal;
  } else if (http_status >= 400 || type == kInvalidRequest) {
    code = StatusCode::kInvalidArgument;
  } else {
    code = StatusCode::kInternal;
  }
  return Status(code, std::move(text));
}

AwsError ParseErrorResponse(int http_status, std::string_view body,
                            std::string_view error_type_header, std::string_view request_id) {
  AwsError error;
  error.http_status = http_status;
  error.request_id = std::string(request_id);
  nlohmann::json document = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (document.is_object()) {
    error.body = document;
    for (const char* key : {"__type", "code", "Code"}) {
      auto it = document.find(key);
      if (it != document.end() && it->is_string()) {
        std::string type = it->get<std::string>();
        error.type = type.substr(type.rfind('#') + 1);  // npos + 1 == 0 keeps the whole
        break;
      }
    }
    for (const char* key : {"message", "Message"}) {
      auto it = document.find(key);
      if (it != document.end() && it->is_string()) {
        error.message = it->get<std::string>();
        break;
      }
    }
  }
  if (error.type.empty() && !error_type_header.empty()) {
    error.type = std::string(error_type_header.substr(0, error_type_header.find(':')));
  }
  if (error.type.empty()) {
    error.type = std::string(kUnknownError);
    error.message = "HTTP " + std::to_string(http_status) +
                    (body.empty() ? std::string() : ": " + Snippet(body));
  }
  error.retryable = IsRetryable(error);
  return error;
}

bool IsServiceError(const AwsError& error) {
  for (std::string_view client_side : {kNetworkingError, kTlsError, kTimeoutError,
                                       kCrc32CheckFailed, kInvalidResponse, kInvalidRequest}) {
    if (error.type == client_side) return false;
  }
  return true;
}

AwsError TransportError(const Status& status) {
  AwsError error;
  error.message = status.message();
  if (status.code() == StatusCode::kDeadlineExceeded) {
    error.type = std::string(kTimeoutError);
  } else if (status.message().find("certificate verify failed") != std::string::npos) {
    error.type = std::string(kTlsError);
  } else if (status.code() == StatusCode::kUnavailable) {
    error.type = std::string(kNetworkingError);
  } else {
    error.type = std::string(kInvalidRequest);  // e.g. an unusable CA bundle
  }
  error.retryable = IsRetryable(error);
  return error;
}

AwsError AwsErrorFrom(const Status& status) {
  AwsError error;
  const std::string& text = status.message();
  size_t colon = text.find(": ");
  if (colon != std::string::npos && IsTypeName(std::string_view(text).substr(0, colon))) {
    error.type = text.substr(0, colon);
    error.message = text.substr(colon + 2);
  } else {
    error.type = std::string(status.code() == StatusCode::kUnavailable        ? kNetworkingError
                             : status.code() == StatusCode::kDeadlineExceeded ? kTimeoutError
                                                                              : kUnknownError);
    error.message = text;
  }
  // A Status does not carry the HTTP status, so a 5xx without a known type is recognised by the
  // code ToStatus() gave it.
  error.retryable =
      IsRetryable(error) || (status.code() == StatusCode::kUnavailable && error.type != kTlsError);
  return error;
}

}  // namespace ck::aws
