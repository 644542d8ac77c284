#include "store/api/server_metrics.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "store/api/dynamodb_service.h"

namespace ck::store::api {
namespace {

// The lines of `text` that start with `prefix`.
std::string Lines(const std::string& text, const std::string& prefix) {
  std::string out;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(at, end - at);
    if (line.rfind(prefix, 0) == 0) out += line + "\n";
    at = end + 1;
  }
  return out;
}

http::HttpRequest ApiRequest(std::string_view target, std::string body) {
  http::HttpRequest request(http::Verb::post, "/", 11);
  request.set(http::Field::content_type, "application/x-amz-json-1.0");
  request.set("X-Amz-Target", target);
  request.body() = std::move(body);
  request.prepare_payload();
  return request;
}

class DynamoDbServerMetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() /
                 ("ck_server_metrics_test_" + std::to_string(::getpid()));
    std::filesystem::remove_all(directory_);
    std::filesystem::create_directories(directory_);
    DynamoDbOptions options;
    options.data_path = (directory_ / "dynamodb.sqlite3").string();
    options.verify_signatures = false;
    auto service = DynamoDbService::Open(options);
    ASSERT_TRUE(service.ok()) << service.status().ToString();
    service_ = std::move(*service);
    auto metrics = DynamoDbServerMetrics::Create(registry_, options.data_path);
    ASSERT_TRUE(metrics.ok()) << metrics.status().ToString();
    metrics_ = std::move(*metrics);
  }
  void TearDown() override {
    service_.reset();
    std::filesystem::remove_all(directory_);
  }
  http::HttpResponse Serve(const http::HttpRequest& request, double seconds = 0.001) {
    http::HttpResponse response = service_->Handle(request);
    metrics_->Record(request, response, seconds);
    return response;
  }

  std::filesystem::path directory_;
  std::unique_ptr<DynamoDbService> service_;
  telemetry::MetricsRegistry registry_;
  std::unique_ptr<DynamoDbServerMetrics> metrics_;
};

TEST_F(DynamoDbServerMetricsTest, CountsCallsByOperationOutcomeAndErrorType) {
  const std::string create =
      R"({"TableName":"things","KeySchema":[{"AttributeName":"k","KeyType":"HASH"}],)"
      R"("AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"}],)"
      R"("BillingMode":"PAY_PER_REQUEST"})";
  EXPECT_EQ(Serve(ApiRequest("DynamoDB_20120810.CreateTable", create)).result_int(), 200u);
  EXPECT_EQ(Serve(ApiRequest("DynamoDB_20120810.CreateTable", create)).result_int(), 400u);
  EXPECT_EQ(Serve(ApiRequest("DynamoDB_20120810.DescribeTable", R"({"TableName":"missing"})"))
                .result_int(),
            400u);
  EXPECT_EQ(Serve(ApiRequest("DynamoDB_20120810.Frobnicate", "{}")).result_int(), 400u);
  EXPECT_EQ(Serve(ApiRequest("Garbage\"target", "{}")).result_int(), 400u);
  Serve(http::HttpRequest(http::Verb::get, "/", 11));  // the health line: not an API call

  const std::string text = registry_.Render();
  EXPECT_EQ(Lines(text, "ck_dynamodb_requests_total"),
            "ck_dynamodb_requests_total{operation=\"CreateTable\",outcome=\"error\","
            "error_type=\"ResourceInUseException\"} 1\n"
            "ck_dynamodb_requests_total{operation=\"CreateTable\",outcome=\"ok\",error_type=\"\"} "
            "1\n"
            "ck_dynamodb_requests_total{operation=\"DescribeTable\",outcome=\"error\","
            "error_type=\"ResourceNotFoundException\"} 1\n"
            "ck_dynamodb_requests_total{operation=\"Unknown\",outcome=\"error\","
            "error_type=\"UnknownOperationException\"} 2\n");
  EXPECT_EQ(Lines(text, "ck_dynamodb_request_duration_seconds_count"),
            "ck_dynamodb_request_duration_seconds_count{operation=\"CreateTable\"} 2\n"
            "ck_dynamodb_request_duration_seconds_count{operation=\"DescribeTable\"} 1\n"
            "ck_dynamodb_request_duration_seconds_count{operation=\"Unknown\"} 2\n");
  const std::string size_line = Lines(text, "ck_dynamodb_database_bytes ");
  ASSERT_FALSE(size_line.empty()) << text;
  EXPECT_NE(size_line, "ck_dynamodb_database_bytes 0\n");
}

TEST(ErrorTypeOfTest, ReadsTheExceptionNameOfErrorBodies) {
  http::HttpResponse response;
  response.body() = R"({"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",)"
                    R"("message":"x"})";
  EXPECT_EQ(ErrorTypeOf(response), "ResourceNotFoundException");
  response.body() = R"({"__type":"Plain"})";
  EXPECT_EQ(ErrorTypeOf(response), "Plain");
  response.body() = R"({"__type":"bad type#with space"})";
  EXPECT_EQ(ErrorTypeOf(response), "");
  response.body() = R"({"__type":"x#<script>"})";
  EXPECT_EQ(ErrorTypeOf(response), "");
  response.body() = "<UnknownOperationException/>\n";
  EXPECT_EQ(ErrorTypeOf(response), "");
  response.body() = R"({"__type":"unterminated)";
  EXPECT_EQ(ErrorTypeOf(response), "");
}

}  // namespace
}  // namespace ck::store::api
