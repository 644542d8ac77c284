// RetryPolicy: which failed AWS calls to try again, and how long to wait before each retry.
//
// Retryable: throttling errors (ProvisionedThroughputExceededException, ThrottlingException,
// RequestLimitExceeded and the other throttling codes the SDKs know), HTTP 5xx and 429, network
// failures and timeouts, and x-amz-crc32 mismatches. Never retried: every other 4xx (validation,
// conditional-check, missing table, authentication...) and certificate-verification failures.
//
// Backoff is exponential with "full jitter" (the AWS Architecture Blog's recommendation, as the
// SDKs use): before retry n (n = attempts made so far) the client sleeps a uniformly random time
// in [0, min(max_delay, base_delay * 2^(n-1))]. Defaults follow the SDKs' DynamoDB settings:
// base 25 ms, cap 20 s, 10 attempts in all (1 try + 9 retries; at most ~12.8 s of sleeping).
//
//   RetryPolicy policy(RetryOptions{}, [] { return 0.5; });   // deterministic in tests
//   if (policy.ShouldRetry(error, attempts)) sleep(policy.Delay(attempts));
//
// Thread-safety: a const RetryPolicy is safe to share if its random function is.
#pragma once

#include <chrono>
#include <functional>
#include <string_view>

#include "aws/aws_error.h"

namespace ck::aws {

struct RetryOptions {
  int max_attempts = 10;  // attempts in all, including the first; 1 disables retries
  std::chrono::milliseconds base_delay{25};
  std::chrono::milliseconds max_delay{20000};
};

// Random seam: a uniformly distributed double in [0, 1).
using RandomUnit = std::function<double()>;
// A thread-local Mersenne Twister seeded from std::random_device.
RandomUnit DefaultRandomUnit();

// True for the throttling error types the AWS SDKs retry.
bool IsThrottlingError(std::string_view type);
// The retry classification described above (by type, then by HTTP status).
bool IsRetryable(const AwsError& error);

class RetryPolicy {
 public:
  explicit RetryPolicy(RetryOptions options = {}, RandomUnit random = nullptr);

  // Whether to retry after `attempts` attempts (>= 1), the last of which failed with `error`.
  bool ShouldRetry(const AwsError& error, int attempts) const;
  // Upper bound of the wait before the retry that follows `attempts` attempts.
  std::chrono::milliseconds Ceiling(int attempts) const;
  // The jittered wait before the retry that follows `attempts` attempts: in [0, Ceiling].
  std::chrono::milliseconds Delay(int attempts) const;

  const RetryOptions& options() const { return options_; }

 private:
  RetryOptions options_;
  RandomUnit random_;
};

}  // namespace ck::aws
