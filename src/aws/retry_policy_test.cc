#include "aws/retry_policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

namespace ck::aws {
namespace {

using std::chrono::milliseconds;

AwsError Error(std::string type, int http_status) {
  AwsError error;
  error.type = std::move(type);
  error.http_status = http_status;
  return error;
}

TEST(RetryPolicyTest, RetriesThrottlingServerAndTransportErrors) {
  for (const auto& error :
       {Error("ProvisionedThroughputExceededException", 400), Error("ThrottlingException", 400),
        Error("RequestLimitExceeded", 400), Error("TooManyRequestsException", 429),
        Error("UnknownError", 429), Error("InternalServerError", 500), Error("UnknownError", 502),
        Error("ServiceUnavailable", 503), Error(std::string(kNetworkingError), 0),
        Error(std::string(kTimeoutError), 0), Error(std::string(kCrc32CheckFailed), 200)}) {
    EXPECT_TRUE(IsRetryable(error)) << error.type << " " << error.http_status;
  }
}

TEST(RetryPolicyTest, NeverRetriesOtherClientErrors) {
  for (const auto& error :
       {Error("ConditionalCheckFailedException", 400), Error("ValidationException", 400),
        Error("ResourceNotFoundException", 400), Error("TransactionCanceledException", 400),
        Error("UnrecognizedClientException", 400), Error("InvalidSignatureException", 403),
        Error("AccessDeniedException", 400), Error("SerializationException", 400),
        Error("UnknownError", 404), Error("LimitExceededException", 400),
        Error(std::string(kTlsError), 0), Error(std::string(kInvalidRequest), 0),
        Error(std::string(kInvalidResponse), 200)}) {
    EXPECT_FALSE(IsRetryable(error)) << error.type << " " << error.http_status;
  }
}

TEST(RetryPolicyTest, ThrottlingList) {
  EXPECT_TRUE(IsThrottlingError("ProvisionedThroughputExceededException"));
  EXPECT_TRUE(IsThrottlingError("ThrottlingException"));
  EXPECT_TRUE(IsThrottlingError("RequestLimitExceeded"));
  EXPECT_FALSE(IsThrottlingError("ValidationException"));
  EXPECT_FALSE(IsThrottlingError(""));
}

TEST(RetryPolicyTest, StopsAtMaxAttempts) {
  RetryPolicy policy(RetryOptions{.max_attempts = 3}, [] { return 0.5; });
  AwsError throttled = Error("ThrottlingException", 400);
  EXPECT_TRUE(policy.ShouldRetry(throttled, 1));
  EXPECT_TRUE(policy.ShouldRetry(throttled, 2));
  EXPECT_FALSE(policy.ShouldRetry(throttled, 3));
  EXPECT_FALSE(policy.ShouldRetry(Error("ValidationException", 400), 1));

  RetryPolicy no_retries(RetryOptions{.max_attempts = 1});
  EXPECT_FALSE(no_retries.ShouldRetry(throttled, 1));
}

TEST(RetryPolicyTest, DefaultsMatchTheDocumentation) {
  RetryPolicy policy;
  EXPECT_EQ(policy.options().max_attempts, 10);
  EXPECT_EQ(policy.options().base_delay, milliseconds(25));
  EXPECT_EQ(policy.options().max_delay, milliseconds(20000));
}

TEST(RetryPolicyTest, CeilingDoublesUpToTheCap) {
  RetryPolicy policy(RetryOptions{}, [] { return 0.0; });
  std::vector<int64_t> ceilings;
  for (int attempts = 1; attempts <= 12; ++attempts) {
    ceilings.push_back(policy.Ceiling(attempts).count());
  }
  EXPECT_EQ(ceilings, (std::vector<int64_t>{25, 50, 100, 200, 400, 800, 1600, 3200, 6400, 12800,
                                            20000, 20000}));
  EXPECT_EQ(policy.Ceiling(1000), milliseconds(20000));  // no overflow far past the cap
}

TEST(RetryPolicyTest, FullJitterSpansZeroToCeiling) {
  double unit = 0.0;
  RetryPolicy policy(RetryOptions{}, [&] { return unit; });
  unit = 0.0;
  EXPECT_EQ(policy.Delay(1), milliseconds(0));
  EXPECT_EQ(policy.Delay(4), milliseconds(0));
  unit = 0.5;
  EXPECT_EQ(policy.Delay(1), milliseconds(13));  // floor(0.5 * 26)
  EXPECT_EQ(policy.Delay(4), milliseconds(100));
  unit = 0.999999;
  EXPECT_EQ(policy.Delay(1), milliseconds(25));
  EXPECT_EQ(policy.Delay(11), milliseconds(20000));
  unit = 7.0;  // a broken random source is clamped, never exceeding the ceiling
  EXPECT_EQ(policy.Delay(3), milliseconds(100));
}

TEST(RetryPolicyTest, DefaultRandomDelaysStayWithinBoundsAndVary) {
  RetryPolicy policy;
  std::vector<int64_t> seen;
  for (int i = 0; i < 200; ++i) {
    auto delay = policy.Delay(6);
    ASSERT_GE(delay.count(), 0);
    ASSERT_LE(delay.count(), 800);
    seen.push_back(delay.count());
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_LT(seen.front(), 200);  // full jitter: the whole range is used
  EXPECT_GT(seen.back(), 600);
}

}  // namespace
}  // namespace ck::aws
