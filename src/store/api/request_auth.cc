#include "store/api/request_auth.h"

#include "core/clock.h"

namespace ck::store::api {

namespace {

constexpr auto kMaxSkew = std::chrono::minutes(15);

ApiError Error(ErrorType type, std::string message) { return {type, std::move(message), {}}; }

}  // namespace

std::optional<ApiError> AuthenticateRequest(const http::HttpRequest& request,
                                            const std::vector<sigv4::Credentials>& credentials,
                                            std::chrono::system_clock::time_point now) {
  std::string_view header = http::HeaderValue(request, "authorization");
  size_t start = header.find_first_not_of(' ');
  if (header.empty() || start == std::string_view::npos || header.substr(start, 5) != "AWS4-") {
    return Error(ErrorType::kMissingAuthenticationToken, "Request is missing Authentication Token");
  }
  auto authorization = sigv4::ParseAuthorization(header);
  if (!authorization.ok()) {
    return Error(ErrorType::kIncompleteSignature,
                 authorization.status().message() + " Authorization=" + std::string(header));
  }
  std::string_view amz_date = http::HeaderValue(request, "x-amz-date");
  if (amz_date.empty()) {
    return Error(ErrorType::kIncompleteSignature,
                 "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' "
                 "header. Authorization=" +
                     std::string(header));
  }
  WallTime signed_time;
  if (!ParseAmzDate(std::string(amz_date), &signed_time)) {
    return Error(ErrorType::kIncompleteSignature,
                 "Date must be in ISO-8601 'basic format'. Got '" + std::string(amz_date) +
                     "'. See http://en.wikipedia.org/wiki/ISO_8601");
  }
  if (signed_time < now - kMaxSkew) {
    return Error(ErrorType::kInvalidSignature,
                 "Signature expired: " + std::string(amz_date) + " is now earlier than " +
                     FormatAmzDate(now - kMaxSkew) + " (" + FormatAmzDate(now) + " - 15 min.)");
  }
  if (signed_time > now + kMaxSkew) {
    return Error(ErrorType::kInvalidSignature,
                 "Signature not yet current: " + std::string(amz_date) + " is still later than " +
                     FormatAmzDate(now + kMaxSkew) + " (" + FormatAmzDate(now) + " + 15 min.)");
  }
  const sigv4::Credentials* known = nullptr;
  for (const auto& candidate : credentials) {
    if (candidate.access_key_id == authorization->access_key_id) known = &candidate;
  }
  if (known == nullptr) {
    return Error(ErrorType::kUnrecognizedClient,
                 "The security token included in the request is invalid.");
  }
  sigv4::SignableRequest signable;
  signable.method = std::string(request.method_string());
  std::string_view target = request.target();
  size_t question = target.find('?');
  signable.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) signable.query = std::string(target.substr(question + 1));
  for (const auto& field : request) {
    signable.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  signable.body = request.body();
  if (!sigv4::VerifySignature(signable, *authorization, known->secret_access_key, amz_date)) {
    return Error(ErrorType::kInvalidSignature,
                 "The request signature we calculated does not match the signature you provided. "
                 "Check your AWS Secret Access Key and signing method. Consult the service "
                 "documentation for details.");
  }
  return std::nullopt;
}

}  // namespace ck::store::api
