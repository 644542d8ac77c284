// MetricsApi's JSON 1.0 protocol as the AWS SDKs for CloudWatch see it: error shapes of a
// query-compatible service (x-amzn-query-error code, model shape in __type) and gzip bodies.
#include <gtest/gtest.h>

#include "collector/metrics_api.h"
#include "collector/metrics_api_params.h"
#include "collector/metrics_test_support.h"
#include "collector/otlp/gzip.h"

namespace ck::collector {
namespace {

using nlohmann::json;

constexpr int64_t kPreviousMinuteS = 1'764'139'440;  // 06:44:00, the minute before kTestNowMs

class MetricsApiProtocolTest : public testing::MetricsApiFixture {
 protected:
  MetricsApiProtocolTest() : MetricsApiFixture("metrics-api-protocol") {}

  http::HttpResponse Post(const std::string& operation, std::string body,
                          std::string_view encoding = "") {
    http::HttpRequest request{http::Verb::post, "/", 11};
    request.set("X-Amz-Target", "GraniteServiceVersion20100801." + operation);
    request.set(http::Field::content_type, "application/x-amz-json-1.0");
    if (!encoding.empty()) request.set(http::Field::content_encoding, encoding);
    request.body() = std::move(body);
    return api_->Handle(request);
  }

  static json Dimensions(const std::string& name, const std::string& value) {
    return json::array({{{"Name", name}, {"Value", value}}});
  }
};

// Regression: __type carried the query protocol's code ("ValidationError"), where CloudWatch's
// JSON protocol names the model's shape ("com.amazonaws.cloudwatch#ValidationException"); only
// clients that look codes up through x-amzn-query-error found the right exception.
TEST_F(MetricsApiProtocolTest, ErrorsNameTheModelShapeAndTheQueryCode) {
  EXPECT_EQ(ErrorShapeId("InvalidParameterValue"),
            "com.amazonaws.cloudwatch#InvalidParameterValueException");
  EXPECT_EQ(ErrorShapeId("MissingParameter"),
            "com.amazonaws.cloudwatch#MissingRequiredParameterException");
  EXPECT_EQ(ErrorShapeId("InvalidParameterCombination"),
            "com.amazonaws.cloudwatch#InvalidParameterCombinationException");
  EXPECT_EQ(ErrorShapeId("ValidationError"), "com.amazonaws.cloudwatch#ValidationException");
  EXPECT_EQ(ErrorShapeId("ResourceNotFound"), "com.amazonaws.cloudwatch#ResourceNotFound");
  EXPECT_EQ(ErrorShapeId("LimitExceeded"), "com.amazonaws.cloudwatch#LimitExceededFault");
  EXPECT_EQ(ErrorShapeId("InvalidFormat"), "com.amazonaws.cloudwatch#InvalidFormatFault");
  EXPECT_EQ(ErrorShapeId("InternalServiceError"), "com.amazonaws.cloudwatch#InternalServiceFault");
  EXPECT_EQ(ErrorShapeId("UnknownOperationException"),
            "com.amazon.coral.service#UnknownOperationException");

  http::HttpResponse response =
      Post("GetMetricStatistics", R"({"Namespace": "n", "StartTime": 1, "EndTime": 2})");
  EXPECT_EQ(response.result_int(), 400);
  EXPECT_EQ(json::parse(response.body()),
            json({{"__type", "com.amazonaws.cloudwatch#MissingRequiredParameterException"},
                  {"message", "The parameter MetricName is required."}}));
  EXPECT_EQ(response["x-amzn-query-error"], "MissingParameter;Sender");
  EXPECT_EQ(response["x-amzn-ErrorType"], "MissingRequiredParameterException");
}

// Regression: the SDKs gzip PutMetricData bodies of 10 KiB and more (Content-Encoding: gzip),
// which were refused as SerializationException.
TEST_F(MetricsApiProtocolTest, GzipBodies) {
  json data = json::array();
  for (int i = 0; i < 300; ++i) {
    data.push_back({{"MetricName", "Hits"},
                    {"Dimensions", Dimensions("Shard", std::to_string(i))},
                    {"Timestamp", kPreviousMinuteS},
                    {"Value", i}});
  }
  const std::string plain = json({{"Namespace", "Zipped"}, {"MetricData", data}}).dump();
  auto post = [&](std::string_view encoding, std::string body) {
    return Post("PutMetricData", std::move(body), encoding);
  };
  http::HttpResponse response = post("gzip", otlp::Gzip(plain));
  ASSERT_EQ(response.result_int(), 200) << response.body();
  EXPECT_EQ(response.body(), "{}");
  response = Post("ListMetrics", R"({"Namespace": "Zipped"})");
  EXPECT_EQ(json::parse(response.body())["Metrics"].size(), 300u);

  EXPECT_EQ(post("identity", plain).result_int(), 200);
  response = post("gzip", plain);  // not gzip at all
  EXPECT_EQ(response.result_int(), 400);
  EXPECT_EQ(response["x-amzn-query-error"], "SerializationException;Sender");
  response = post("br", plain);
  EXPECT_EQ(response.result_int(), 400);
  EXPECT_EQ(json::parse(response.body())["message"],
            "Unsupported Content-Encoding br; use gzip or identity");
  // A bomb: 5 MiB of spaces inflate past the 4 MiB limit.
  response = post("gzip", otlp::Gzip(std::string(5 << 20, ' ')));
  EXPECT_EQ(response.result_int(), 413);
  EXPECT_EQ(response["x-amzn-query-error"], "RequestEntityTooLarge;Sender");
}

}  // namespace
}  // namespace ck::collector
