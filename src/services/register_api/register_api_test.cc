// Contract tests of register-api (POST /) with a real validate-api (in-process, found through a
// fake discovery registry) and a real `ck dynamodb` over HTTPS.
#include <utility>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "services/common/service_test_support.h"
#include "services/register_api/register_api.h"
#include "services/validate_api/validate_api.h"

namespace ck::services::register_api {
namespace {

using testing::BodyJson;
using testing::Call;
using ::testing::HasSubstr;
using testing::TestHost;
using testing::TestServer;

class RegisterApiTest : public testing::DatastoreTest {
 protected:
  void SetUp() override {
    DatastoreTest::SetUp();
    if (IsSkipped()) return;
    CreateTable();
    validate_ =
        std::make_unique<TestHost>(validate_api::ValidateApiService(), Config("validate-api"));
    discovery_.Add("validate-api", validate_->port());
  }

  size_t ResidentCount() {
    aws::ScanRequest scan;
    scan.table = environment_["CK_TABLE"];
    auto page = Datastore().Run([&](aws::DynamoDbClient& c) { return c.ScanAll(scan); });
    return page.ok() ? page->items.size() : 0;
  }

  std::unique_ptr<TestHost> validate_;
};

TEST_F(RegisterApiTest, RegistersAValidResidentWithAUniqueId) {
  TestHost host(RegisterApiService(), Config("register-api"));
  const std::string body =
      R"({"name":"web01","type":"t3.micro","os":"linux","petname":"Webby","service":3})";
  auto response = Call(http::Verb::post, host.url(), body);
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->result(), http::HttpStatus::created) << response->body();
  nlohmann::json answer = BodyJson(*response);
  EXPECT_EQ(answer["message"], "item web01, is registered");
  const std::string ckid = answer["ckid"];
  EXPECT_TRUE(std::regex_match(ckid, std::regex("[0-9a-f]{32}"))) << ckid;

  auto stored = GetResident(ckid);
  ASSERT_TRUE(stored.has_value());
  nlohmann::json resident = ResidentJson(*stored);
  EXPECT_EQ(resident["name"], "web01");
  EXPECT_EQ(resident["type"], "t3.micro");
  EXPECT_EQ(resident["os"], "linux");
  EXPECT_EQ(resident["petname"], "Webby");
  EXPECT_EQ(resident["service"], 3);
  EXPECT_EQ(resident["happiness"], kDefaultHappiness);
  EXPECT_NE(std::find(kResidentImages.begin(), kResidentImages.end(),
                      resident["image"].get<std::string>()),
            kResidentImages.end());

  auto again = Call(http::Verb::post, host.url(), body);
  ASSERT_TRUE(again.ok());
  EXPECT_NE(BodyJson(*again)["ckid"], ckid);  // regression: ids came from rand.Intn(10000000)
}

TEST_F(RegisterApiTest, KeepsAGivenHappinessAndImage) {
  TestHost host(RegisterApiService(), Config("register-api"));
  auto response = Call(http::Verb::post, host.url(),
                       R"({"name":"n","type":"t","os":"o","happiness":9,"image":"/img/own.svg"})");
  ASSERT_TRUE(response.ok());
  ASSERT_EQ(response->result(), http::HttpStatus::created) << response->body();
  nlohmann::json resident = ResidentJson(*GetResident(BodyJson(*response)["ckid"]));
  EXPECT_EQ(resident["happiness"], 9);
  EXPECT_EQ(resident["image"], "/img/own.svg");
}

TEST_F(RegisterApiTest, InvalidResidentIs400WithTheReasonsAndNothingIsStored) {
  TestHost host(RegisterApiService(), Config("register-api"));
  const size_t before = ResidentCount();
  auto response = Call(http::Verb::post, host.url(), R"({"name":"","type":"m1.small"})");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->result(), http::HttpStatus::bad_request);
  nlohmann::json answer = BodyJson(*response);
  EXPECT_EQ(answer["error"], "invalid resident: name is required; os is required");
  EXPECT_EQ(answer["reasons"], nlohmann::json::array({"name is required", "os is required"}));
  EXPECT_EQ(ResidentCount(), before);
}

TEST_F(RegisterApiTest, MalformedBodiesAre400) {
  TestHost host(RegisterApiService(), Config("register-api"));
  auto broken = Call(http::Verb::post, host.url(), "{\"name\":");
  ASSERT_TRUE(broken.ok());
  EXPECT_EQ(broken->result(), http::HttpStatus::bad_request);
  EXPECT_THAT(BodyJson(*broken)["error"].get<std::string>(), HasSubstr("invalid JSON"));
  auto array = Call(http::Verb::post, host.url(), "[]");
  ASSERT_TRUE(array.ok());
  EXPECT_EQ(array->result(), http::HttpStatus::bad_request);
  EXPECT_EQ(BodyJson(*array)["error"], "request body must be a JSON object");
  auto get = Call(http::Verb::get, host.url());
  ASSERT_TRUE(get.ok());
  EXPECT_EQ(get->result(), http::HttpStatus::method_not_allowed);
}

// Regression: the original ignored a failed validate-api call and registered anyway.
TEST_F(RegisterApiTest, UnreachableValidateApiIs502AndNothingIsStored) {
  validate_.reset();  // its port now refuses connections
  TestHost host(RegisterApiService(), Config("register-api"));
  const size_t before = ResidentCount();
  auto response = Call(http::Verb::post, host.url(), R"({"name":"n","type":"t","os":"o"})");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->result(), http::HttpStatus::bad_gateway);
  EXPECT_THAT(BodyJson(*response)["error"].get<std::string>(),
              HasSubstr("validate-api unavailable: connect to 127.0.0.1:"));
  EXPECT_EQ(ResidentCount(), before);
}

TEST_F(RegisterApiTest, FailingValidateApiIs502) {
  TestServer failing([](http::HttpRequest) {
    return Respond(http::MakeJsonError(http::HttpStatus::internal_server_error, "boom"));
  });
  discovery_.Set("validate-api", {{"v-1", "127.0.0.1", failing.port(), "v1", true}});
  TestHost host(RegisterApiService(), Config("register-api"));
  auto response = Call(http::Verb::post, host.url(), R"({"name":"n","type":"t","os":"o"})");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->result(), http::HttpStatus::bad_gateway);
  EXPECT_EQ(BodyJson(*response)["error"], "validate-api unavailable: HTTP 500: boom");
}

TEST_F(RegisterApiTest, NoValidateApiInstancesIs502) {
  discovery_.Set("validate-api", {});
  TestHost host(RegisterApiService(), Config("register-api"));
  auto response = Call(http::Verb::post, host.url(), R"({"name":"n","type":"t","os":"o"})");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->result(), http::HttpStatus::bad_gateway);
  EXPECT_EQ(BodyJson(*response)["error"], "validate-api unavailable: no healthy instances");
}

// The workshop's live-debug story: a register-api without the CA bundle fails on DynamoDB's TLS.
TEST_F(RegisterApiTest, UntrustedDatastoreIs502WithTheTlsError) {
  environment_.erase("AWS_CA_BUNDLE");
  TestHost host(RegisterApiService(), Config("register-api"));
  auto response = Call(http::Verb::post, host.url(), R"({"name":"n","type":"t","os":"o"})");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->result(), http::HttpStatus::bad_gateway);
  const std::string error = BodyJson(*response)["error"];
  EXPECT_THAT(error, HasSubstr("TlsError: TLS handshake with 127.0.0.1:"));
  EXPECT_THAT(error, HasSubstr("certificate verify failed"));
}

TEST(ResidentItemTest, BuildsTheStoredItem) {
  store::Item item = ResidentItem(
      {{"name", "a"}, {"type", "b"}, {"os", "c"}, {"service", "12"}, {"ckid", "ignored"}}, "id1");
  nlohmann::json resident = ResidentJson(item);
  EXPECT_EQ(resident["ckid"], "id1");
  EXPECT_EQ(resident["service"], 12);
  EXPECT_EQ(resident["happiness"], kDefaultHappiness);
  EXPECT_EQ(resident["image"], DefaultImageFor("id1"));
  EXPECT_EQ(item.count("petname"), 0u);
}

}  // namespace
}  // namespace ck::services::register_api
