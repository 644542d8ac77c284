#include "telemetry/segment.h"

#include <gtest/gtest.h>

namespace ck::telemetry {
namespace {

TEST(SegmentTest, SerialisesPerTheSegmentDocumentSchema) {
  SequenceRandom random({0x70de5b6f19ff9a0aULL});
  Segment segment;
  segment.name = "register-api";
  segment.id = "70de5b6f19ff9a0a";
  segment.trace_id = "1-581cf771-a006649127e371903a2de979";
  segment.parent_id = "53995c3f42cd8ad8";
  segment.origin = "AWS::ECS::Container";
  segment.start_time = 1478293361.271;
  segment.end_time = 1478293361.449;
  segment.http_request = HttpRequestInfo{
      "POST", "http://register-api.cuddle-kube.local/register", "curl/7.88", "10.0.0.7", true,
      false};
  segment.SetHttpResponse(503, 41);
  ASSERT_TRUE(segment.AddAnnotation("resident", std::string("alice")).ok());
  ASSERT_TRUE(segment.AddAnnotation("attempt", int64_t{2}).ok());
  ASSERT_TRUE(segment.AddAnnotation("ratio", 0.5).ok());
  ASSERT_TRUE(segment.AddAnnotation("vip", true).ok());
  ASSERT_TRUE(segment.AddMetadata("body", {{"name", "alice"}}).ok());

  Segment call;
  call.kind = SegmentKind::kSubsegment;
  call.name = "DynamoDB";
  call.id = "53995c3f42cd8ad8";
  call.namespace_name = kNamespaceAws;
  call.start_time = 1478293361.3;
  call.end_time = 1478293361.4;
  call.aws = AwsCallInfo{"PutItem", "residents", "us-east-1", "", 0};
  call.working_directory = "/app";
  call.AddException("TLSHandshakeError", "certificate verify failed", true, random);
  segment.subsegments.push_back(call);

  nlohmann::json expected = nlohmann::json::parse(R"({
    "name": "register-api",
    "id": "70de5b6f19ff9a0a",
    "trace_id": "1-581cf771-a006649127e371903a2de979",
    "parent_id": "53995c3f42cd8ad8",
    "origin": "AWS::ECS::Container",
    "start_time": 1478293361.271,
    "end_time": 1478293361.449,
    "http": {
      "request": {"method": "POST", "url": "http://register-api.cuddle-kube.local/register",
                  "user_agent": "curl/7.88", "client_ip": "10.0.0.7", "x_forwarded_for": true},
      "response": {"status": 503, "content_length": 41}
    },
    "fault": true,
    "annotations": {"resident": "alice", "attempt": 2, "ratio": 0.5, "vip": true},
    "metadata": {"default": {"body": {"name": "alice"}}},
    "subsegments": [{
      "name": "DynamoDB",
      "id": "53995c3f42cd8ad8",
      "namespace": "aws",
      "start_time": 1478293361.3,
      "end_time": 1478293361.4,
      "aws": {"operation": "PutItem", "table_name": "residents", "region": "us-east-1",
              "retries": 0},
      "fault": true,
      "cause": {"working_directory": "/app", "exceptions": [
        {"id": "70de5b6f19ff9a0a", "message": "certificate verify failed",
         "type": "TLSHandshakeError", "remote": true}]}
    }]
  })");
  EXPECT_EQ(segment.ToJson(), expected) << segment.ToJson().dump(2);
}

TEST(SegmentTest, InProgressAndIndependentSubsegment) {
  Segment call;
  call.kind = SegmentKind::kSubsegment;
  call.name = "list-api";
  call.id = "0000000000000abc";
  call.namespace_name = kNamespaceRemote;
  call.start_time = 10;
  call.in_progress = true;
  call.http_request = HttpRequestInfo{"GET", "http://list-api/list", "", "", false, true};
  nlohmann::json expected = nlohmann::json::parse(R"({
    "type": "subsegment", "trace_id": "1-581cf771-a006649127e371903a2de979",
    "parent_id": "70de5b6f19ff9a0a", "name": "list-api", "id": "0000000000000abc",
    "namespace": "remote", "start_time": 10, "in_progress": true,
    "http": {"request": {"method": "GET", "url": "http://list-api/list", "traced": true}}
  })");
  EXPECT_EQ(call.ToIndependentJson("1-581cf771-a006649127e371903a2de979", "70de5b6f19ff9a0a"),
            expected);
}

TEST(SegmentTest, StatusFlags) {
  auto flags = [](int status) {
    Segment segment;
    segment.SetHttpResponse(status);
    return std::make_tuple(segment.error, segment.throttle, segment.fault);
  };
  EXPECT_EQ(flags(200), std::make_tuple(false, false, false));
  EXPECT_EQ(flags(404), std::make_tuple(true, false, false));
  EXPECT_EQ(flags(429), std::make_tuple(true, true, false));
  EXPECT_EQ(flags(500), std::make_tuple(false, false, true));
  EXPECT_EQ(flags(503), std::make_tuple(false, false, true));
}

TEST(SegmentTest, AnnotationAndMetadataValidation) {
  Segment segment;
  EXPECT_FALSE(segment.AddAnnotation("", true).ok());
  EXPECT_FALSE(segment.AddAnnotation("has space", true).ok());
  EXPECT_FALSE(segment.AddAnnotation("dot.ted", true).ok());
  EXPECT_FALSE(segment.AddAnnotation(std::string(501, 'a'), true).ok());
  EXPECT_FALSE(segment.AddAnnotation("nan", std::numeric_limits<double>::quiet_NaN()).ok());
  EXPECT_TRUE(segment.annotations.empty());
  ASSERT_TRUE(segment.AddAnnotation("long_value", std::string(1500, 'x')).ok());
  EXPECT_EQ(std::get<std::string>(segment.annotations["long_value"]).size(), 1000u);
  EXPECT_FALSE(segment.AddMetadata("k", 1, "AWS.reserved").ok());
  ASSERT_TRUE(segment.AddMetadata("k", 1, "debug").ok());
  EXPECT_EQ(segment.metadata["debug"]["k"], 1);
}

TEST(SegmentTest, NamesAreSanitised) {
  EXPECT_EQ(SanitizeSegmentName("list-api"), "list-api");
  EXPECT_EQ(SanitizeSegmentName("a<b>\"c\x01!"), "abc");
  EXPECT_EQ(SanitizeSegmentName("Résidence @home:80/x"), "Résidence @home:80/x");
  EXPECT_EQ(SanitizeSegmentName("<>"), "unknown");
  EXPECT_EQ(SanitizeSegmentName(std::string(300, 'n')).size(), 200u);
  std::string accents;
  for (int i = 0; i < 150; ++i) accents += "é";
  EXPECT_EQ(SanitizeSegmentName(accents).size(), 200u);  // 100 whole two-byte characters
}

TEST(SegmentTest, EpochSecondsHaveMicrosecondPrecision) {
  WallTime time = WallTime(std::chrono::microseconds(1478293361271123));
  EXPECT_DOUBLE_EQ(ToEpochSeconds(time), 1478293361.271123);
}

}  // namespace
}  // namespace ck::telemetry
