// Contract tests of happiness-api (POST /) against a real `ck dynamodb` over HTTPS.
#include <utility>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/service_test_support.h"
#include "services/happiness_api/happiness_api.h"

namespace ck::services::happiness_api {
namespace {

using testing::BodyJson;
using testing::Call;
using ::testing::HasSubstr;
using testing::TestHost;

class HappinessApiTest : public testing::DatastoreTest {
 protected:
  Result<http::HttpResponse> Feed(TestHost& host, const std::string& ckid) {
    return Call(http::Verb::post, host.url(), nlohmann::json({{"ckid", ckid}}).dump());
  }
};

// Regression: the original always updated ck1, whatever ckid it was sent.
TEST_F(HappinessApiTest, RaisesTheFedResidentAndNoOther) {
  CreateTable();
  TestHost host(HappinessApiService(), Config("happiness-api"));
  auto response = Feed(host, "ck3");  // seeded with happiness 8
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->result(), http::HttpStatus::created) << response->body();
  nlohmann::json resident = BodyJson(*response);
  EXPECT_EQ(resident["ckid"], "ck3");
  EXPECT_EQ(resident["happiness"], 9);
  EXPECT_EQ(resident["name"], "db-prod-03");
  EXPECT_EQ(ResidentJson(*GetResident("ck3"))["happiness"], 9);
  EXPECT_EQ(ResidentJson(*GetResident("ck1"))["happiness"], 1);
}

// Regression: `SET happiness = happiness + 1` failed on residents without happiness.
TEST_F(HappinessApiTest, AResidentWithoutHappinessStartsAtOne) {
  CreateTable();
  PutResident({{"ckid", aws::Str("fresh")}, {"name", aws::Str("fresh")}});
  TestHost host(HappinessApiService(), Config("happiness-api"));
  auto response = Feed(host, "fresh");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->result(), http::HttpStatus::created);
  EXPECT_EQ(BodyJson(*response)["happiness"], 1);
}

TEST_F(HappinessApiTest, HappinessStopsAtTen) {
  CreateTable();
  TestHost host(HappinessApiService(), Config("happiness-api"));
  std::vector<int> seen;
  for (int i = 0; i < 3; ++i) {  // ck6 is seeded with 9
    auto response = Feed(host, "ck6");
    ASSERT_TRUE(response.ok());
    EXPECT_EQ(response->result(), http::HttpStatus::created);
    seen.push_back(BodyJson(*response)["happiness"]);
  }
  EXPECT_THAT(seen, ::testing::ElementsAre(10, 10, 10));
  EXPECT_EQ(ResidentJson(*GetResident("ck6"))["happiness"], kMaxHappiness);
}

TEST_F(HappinessApiTest, UnknownResidentIs404AndIsNotCreated) {
  CreateTable();
  TestHost host(HappinessApiService(), Config("happiness-api"));
  auto response = Feed(host, "nobody");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->result(), http::HttpStatus::not_found);
  EXPECT_EQ(BodyJson(*response)["error"], "no resident with ckid nobody");
  EXPECT_FALSE(GetResident("nobody").has_value());
}

TEST_F(HappinessApiTest, BadRequestsAre400) {
  TestHost host(HappinessApiService(), Config("happiness-api"));
  for (const char* body : {"{", "[]", "{}", R"({"ckid":5})", R"({"ckid":""})"}) {
    auto response = Call(http::Verb::post, host.url(), body);
    ASSERT_TRUE(response.ok());
    EXPECT_EQ(response->result(), http::HttpStatus::bad_request) << body;
    EXPECT_TRUE(BodyJson(*response)["error"].is_string()) << body;
  }
}

// Regression: a ckid over DynamoDB's 2048-byte key limit reached the datastore, and its
// ValidationException came back as a 502, so the site showed its backend-failure page.
TEST_F(HappinessApiTest, OverlongCkidIs400NotABackendFailure) {
  CreateTable();
  TestHost host(HappinessApiService(), Config("happiness-api"));
  for (size_t length : {kMaxCkidBytes + 1, size_t{3000}}) {
    auto response = Feed(host, std::string(length, 'x'));
    ASSERT_TRUE(response.ok());
    EXPECT_EQ(response->result(), http::HttpStatus::bad_request) << length;
    EXPECT_EQ(BodyJson(*response)["error"], "ckid must be a non-empty string of at most 128 bytes");
  }
  const std::string longest(kMaxCkidBytes, 'x');
  auto response = Feed(host, longest);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->result(), http::HttpStatus::not_found);
  EXPECT_EQ(BodyJson(*response)["error"], "no resident with ckid " + longest);
}

TEST_F(HappinessApiTest, DatastoreValidationExceptionIs400) {
  environment_["CK_TABLE"] = "no";  // too short a table name: DynamoDB refuses the request
  TestHost host(HappinessApiService(), Config("happiness-api"));
  auto response = Feed(host, "ck1");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->result(), http::HttpStatus::bad_request) << response->body();
  EXPECT_THAT(BodyJson(*response)["error"].get<std::string>(), HasSubstr("ValidationException"));
}

TEST_F(HappinessApiTest, DatastoreFailureIs502) {
  TestHost host(HappinessApiService(), Config("happiness-api"));  // no table
  auto response = Feed(host, "ck1");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->result(), http::HttpStatus::bad_gateway);
  EXPECT_THAT(BodyJson(*response)["error"].get<std::string>(),
              HasSubstr("ResourceNotFoundException"));
}

}  // namespace
}  // namespace ck::services::happiness_api
