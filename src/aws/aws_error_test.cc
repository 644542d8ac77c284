#include "aws/aws_error.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ck::aws {
namespace {

using ::testing::HasSubstr;

TEST(AwsErrorTest, ParsesDynamoDbErrorBody) {
  AwsError error = ParseErrorResponse(
      400,
      R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",)"
      R"("message":"The conditional request failed"})",
      "", "REQ1");
  EXPECT_EQ(error.type, "ConditionalCheckFailedException");
  EXPECT_EQ(error.message, "The conditional request failed");
  EXPECT_EQ(error.http_status, 400);
  EXPECT_EQ(error.request_id, "REQ1");
  EXPECT_FALSE(error.retryable);
  EXPECT_TRUE(error.body.is_object());
}

TEST(AwsErrorTest, AcceptsCapitalisedMessageAndBareType) {
  AwsError error = ParseErrorResponse(
      400, R"({"__type":"ThrottlingException","Message":"Rate exceeded"})", "", "");
  EXPECT_EQ(error.type, "ThrottlingException");
  EXPECT_EQ(error.message, "Rate exceeded");
  EXPECT_TRUE(error.retryable);
}

TEST(AwsErrorTest, FallsBackToHeaderThenUnknown) {
  AwsError from_header =
      ParseErrorResponse(400, "not json", "ValidationException:http://internal.amazon.com/", "");
  EXPECT_EQ(from_header.type, "ValidationException");

  AwsError gateway = ParseErrorResponse(502, "<html>Bad Gateway</html>", "", "");
  EXPECT_EQ(gateway.type, kUnknownError);
  EXPECT_THAT(gateway.message, HasSubstr("HTTP 502"));
  EXPECT_THAT(gateway.message, HasSubstr("Bad Gateway"));
  EXPECT_TRUE(gateway.retryable);

  AwsError not_found = ParseErrorResponse(404, "", "", "");
  EXPECT_EQ(not_found.type, kUnknownError);
  EXPECT_FALSE(not_found.retryable);
}

TEST(AwsErrorTest, StatusCodesByType) {
  auto code_of = [](std::string type, int http_status) {
    AwsError error;
    error.type = std::move(type);
    error.http_status = http_status;
    return error.ToStatus().code();
  };
  EXPECT_EQ(code_of("ConditionalCheckFailedException", 400), StatusCode::kFailedPrecondition);
  EXPECT_EQ(code_of("TransactionCanceledException", 400), StatusCode::kFailedPrecondition);
  EXPECT_EQ(code_of("ResourceNotFoundException", 400), StatusCode::kNotFound);
  EXPECT_EQ(code_of("ResourceInUseException", 400), StatusCode::kFailedPrecondition);
  EXPECT_EQ(code_of("ProvisionedThroughputExceededException", 400), StatusCode::kResourceExhausted);
  EXPECT_EQ(code_of("ThrottlingException", 400), StatusCode::kResourceExhausted);
  EXPECT_EQ(code_of("UnrecognizedClientException", 400), StatusCode::kUnauthenticated);
  EXPECT_EQ(code_of("InvalidSignatureException", 400), StatusCode::kUnauthenticated);
  EXPECT_EQ(code_of("AccessDeniedException", 400), StatusCode::kPermissionDenied);
  EXPECT_EQ(code_of("ValidationException", 400), StatusCode::kInvalidArgument);
  EXPECT_EQ(code_of("InternalServerError", 500), StatusCode::kUnavailable);
  EXPECT_EQ(code_of(std::string(kNetworkingError), 0), StatusCode::kUnavailable);
  EXPECT_EQ(code_of(std::string(kTlsError), 0), StatusCode::kUnavailable);
  EXPECT_EQ(code_of(std::string(kTimeoutError), 0), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(code_of(std::string(kCrc32CheckFailed), 200), StatusCode::kUnavailable);
  EXPECT_EQ(code_of(std::string(kInvalidResponse), 200), StatusCode::kInternal);
}

TEST(AwsErrorTest, RoundTripsThroughStatus) {
  AwsError error = ParseErrorResponse(
      400,
      R"({"__type":"x#ConditionalCheckFailedException","message":"The conditional request failed"})",
      "", "");
  Status status = error.ToStatus();
  EXPECT_EQ(status.message(), "ConditionalCheckFailedException: The conditional request failed");
  AwsError back = AwsErrorFrom(status);
  EXPECT_EQ(back.type, "ConditionalCheckFailedException");
  EXPECT_EQ(back.message, "The conditional request failed");
  EXPECT_FALSE(back.retryable);

  AwsError throttled = AwsErrorFrom(
      ParseErrorResponse(400, R"({"__type":"ProvisionedThroughputExceededException"})", "", "")
          .ToStatus());
  EXPECT_EQ(throttled.type, "ProvisionedThroughputExceededException");
  EXPECT_TRUE(throttled.retryable);

  AwsError server = AwsErrorFrom(ParseErrorResponse(503, "", "", "").ToStatus());
  EXPECT_EQ(server.type, kUnknownError);
  EXPECT_TRUE(server.retryable);  // recognised by its kUnavailable code
}

TEST(AwsErrorTest, TransportErrors) {
  AwsError timeout = TransportError(DeadlineExceeded("request to h:1 timed out"));
  EXPECT_EQ(timeout.type, kTimeoutError);
  EXPECT_TRUE(timeout.retryable);
  AwsError refused = TransportError(Unavailable("connect to h:1 failed: Connection refused"));
  EXPECT_EQ(refused.type, kNetworkingError);
  EXPECT_TRUE(refused.retryable);
  AwsError untrusted = TransportError(Unavailable(
      "TLS handshake with h:1 failed: certificate verify failed: self-signed certificate"));
  EXPECT_EQ(untrusted.type, kTlsError);
  EXPECT_FALSE(untrusted.retryable);
  EXPECT_EQ(untrusted.ToStatus().message(),
            "TlsError: TLS handshake with h:1 failed: certificate verify failed: self-signed "
            "certificate");
  AwsError back = AwsErrorFrom(untrusted.ToStatus());
  EXPECT_EQ(back.type, kTlsError);
  EXPECT_FALSE(back.retryable);
}

TEST(AwsErrorTest, ForeignStatusesGetATypeFromTheirCode) {
  AwsError unavailable = AwsErrorFrom(Unavailable("something: broke"));
  EXPECT_EQ(unavailable.type, kNetworkingError);
  EXPECT_EQ(unavailable.message, "something: broke");
  EXPECT_TRUE(unavailable.retryable);
  AwsError other = AwsErrorFrom(InvalidArgument("bad input"));
  EXPECT_EQ(other.type, kUnknownError);
  EXPECT_FALSE(other.retryable);
}

}  // namespace
}  // namespace ck::aws
