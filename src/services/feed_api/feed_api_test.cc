// Contract tests of feed-api (POST /) with a real happiness-api (in-process, found through a fake
// discovery registry) over a real `ck dynamodb`.
#include <utility>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>

#include "services/common/residents.h"
#include "services/common/service_test_support.h"
#include "services/feed_api/feed_api.h"
#include "services/happiness_api/happiness_api.h"

namespace ck::services::feed_api {
namespace {

using testing::BodyJson;
using testing::Call;
using ::testing::HasSubstr;
using testing::TestHost;
using testing::TestServer;

class FeedApiTest : public testing::DatastoreTest {
 protected:
  void StartHappinessApi() {
    happiness_ =
        std::make_unique<TestHost>(happiness_api::HappinessApiService(), Config("happiness-api"));
    discovery_.Add("happiness-api", happiness_->port());
  }
  std::unique_ptr<TestHost> happiness_;
};

TEST_F(FeedApiTest, FeedingReturnsTheUpdatedResidentWith201) {
  CreateTable();
  StartHappinessApi();
  TestHost host(FeedApiService(), Config("feed-api"));
  auto response = Call(http::Verb::post, host.url(), R"({"ckid":"ck1"})");
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->result(), http::HttpStatus::created) << response->body();
  nlohmann::json resident = BodyJson(*response);
  EXPECT_EQ(resident["ckid"], "ck1");
  EXPECT_EQ(resident["name"], "ig.nore.me");
  EXPECT_EQ(resident["happiness"], 2);
}

TEST_F(FeedApiTest, UnknownResidentIs404) {
  CreateTable();
  StartHappinessApi();
  TestHost host(FeedApiService(), Config("feed-api"));
  auto response = Call(http::Verb::post, host.url(), R"({"ckid":"nobody"})");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->result(), http::HttpStatus::not_found);
  EXPECT_EQ(BodyJson(*response)["error"], "no resident with ckid nobody");
}

TEST_F(FeedApiTest, UnreachableHappinessApiIs502) {
  discovery_.Set("happiness-api", {});
  TestHost host(FeedApiService(), Config("feed-api"));
  auto response = Call(http::Verb::post, host.url(), R"({"ckid":"ck1"})");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->result(), http::HttpStatus::bad_gateway);
  EXPECT_EQ(BodyJson(*response)["error"], "happiness-api unavailable: no healthy instances");
}

TEST_F(FeedApiTest, FailingHappinessApiIs502WithItsError) {
  StartHappinessApi();  // its table does not exist, so it answers 502
  TestHost host(FeedApiService(), Config("feed-api"));
  auto response = Call(http::Verb::post, host.url(), R"({"ckid":"ck1"})");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->result(), http::HttpStatus::bad_gateway);
  const std::string error = BodyJson(*response)["error"];
  EXPECT_THAT(error, HasSubstr("happiness-api failed: ResourceNotFoundException"));
}

TEST_F(FeedApiTest, BadRequestsAre400WithoutCallingHappinessApi) {
  std::atomic<int> calls = 0;
  TestServer happiness([&calls](http::HttpRequest) {
    ++calls;
    return Respond(http::MakeResponse(http::HttpStatus::created, "application/json", "{}"));
  });
  discovery_.Add("happiness-api", happiness.port());
  TestHost host(FeedApiService(), Config("feed-api"));
  for (const char* body : {"nope", "{}", R"({"ckid":["ck1"]})"}) {
    auto response = Call(http::Verb::post, host.url(), body);
    ASSERT_TRUE(response.ok());
    EXPECT_EQ(response->result(), http::HttpStatus::bad_request) << body;
  }
  EXPECT_EQ(calls, 0);
  auto get = Call(http::Verb::get, host.url());
  ASSERT_TRUE(get.ok());
  EXPECT_EQ(get->result(), http::HttpStatus::method_not_allowed);
}

// Regression: a ckid over DynamoDB's 2048-byte key limit reached the datastore, and its
// ValidationException came back as "502 happiness-api failed", so the site showed its
// backend-failure page.
TEST_F(FeedApiTest, OverlongCkidIs400NotABackendFailure) {
  std::atomic<int> calls = 0;
  TestServer happiness([&calls](http::HttpRequest request) {
    ++calls;
    return Respond(http::MakeResponse(http::HttpStatus::created, "application/json",
                                      std::string(request.body())));
  });
  discovery_.Add("happiness-api", happiness.port());
  TestHost host(FeedApiService(), Config("feed-api"));
  auto overlong =
      Call(http::Verb::post, host.url(), nlohmann::json({{"ckid", std::string(3000, 'x')}}).dump());
  ASSERT_TRUE(overlong.ok());
  EXPECT_EQ(overlong->result(), http::HttpStatus::bad_request);
  EXPECT_EQ(BodyJson(*overlong)["error"], "ckid must be a non-empty string of at most 128 bytes");
  EXPECT_EQ(calls, 0);
  auto longest = Call(http::Verb::post, host.url(),
                      nlohmann::json({{"ckid", std::string(kMaxCkidBytes, 'x')}}).dump());
  ASSERT_TRUE(longest.ok());
  EXPECT_EQ(longest->result(), http::HttpStatus::created);
  EXPECT_EQ(calls, 1);
}

// happiness-api's client errors (e.g. a datastore ValidationException) stay the client's.
TEST_F(FeedApiTest, HappinessApi400IsPassedThroughAs400) {
  TestServer happiness([](http::HttpRequest) {
    return Respond(http::MakeJsonError(http::HttpStatus::bad_request, "ValidationException: no"));
  });
  discovery_.Add("happiness-api", happiness.port());
  TestHost host(FeedApiService(), Config("feed-api"));
  auto response = Call(http::Verb::post, host.url(), R"({"ckid":"ck1"})");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->result(), http::HttpStatus::bad_request);
  EXPECT_EQ(BodyJson(*response)["error"], "ValidationException: no");
}

}  // namespace
}  // namespace ck::services::feed_api
