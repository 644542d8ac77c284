#include "aws/retry_policy.h"

#include <algorithm>
#include <array>
#include <random>

namespace ck::aws {
namespace {

// The throttling codes of the AWS SDKs' standard retry strategy.
constexpr std::array<std::string_view, 12> kThrottlingErrors = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "Throttling",
    "ThrottledException",
    "RequestThrottled",
    "RequestThrottledException",
    "TooManyRequestsException",
    "BandwidthLimitExceeded",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
};

// Transient service and client-side failures.
constexpr std::array<std::string_view, 7> kTransientErrors = {
    kNetworkingError,  kTimeoutError,        kCrc32CheckFailed, "InternalServerError",
    "InternalFailure", "ServiceUnavailable", "RequestTimeout",
};

template <size_t N>
bool Contains(const std::array<std::string_view, N>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

}  // namespace

RandomUnit DefaultRandomUnit() {
  return [] {
    thread_local std::mt19937_64 engine{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
  };
}

bool IsThrottlingError(std::string_view type) { return Contains(kThrottlingErrors, type); }

bool IsRetryable(const AwsError& error) {
  if (IsThrottlingError(error.type) || Contains(kTransientErrors, error.type)) return true;
  if (error.type == kTlsError || error.type == kInvalidRequest || error.type == kInvalidResponse) {
    return false;
  }
  return error.http_status >= 500 || error.http_status == 429;
}

RetryPolicy::RetryPolicy(RetryOptions options, RandomUnit random)
    : options_(options), random_(random ? std::move(random) : DefaultRandomUnit()) {}

bool RetryPolicy::ShouldRetry(const AwsError& error, int attempts) const {
  return attempts < options_.max_attempts && IsRetryable(error);
}

std::chrono::milliseconds RetryPolicy::Ceiling(int attempts) const {
  // Past 2^30 the cap has long been reached; clamping the exponent avoids overflow.
  int exponent = std::clamp(attempts - 1, 0, 30);
  auto ceiling = options_.base_delay.count() * (int64_t{1} << exponent);
  return std::chrono::milliseconds(std::min<int64_t>(ceiling, options_.max_delay.count()));
}

std::chrono::milliseconds RetryPolicy::Delay(int attempts) const {
  double unit = std::clamp(random_(), 0.0, 1.0);
  auto ceiling = Ceiling(attempts).count();
  auto delay = static_cast<int64_t>(unit * static_cast<double>(ceiling + 1));
  return std::chrono::milliseconds(std::min<int64_t>(delay, ceiling));
}

}  // namespace ck::aws
