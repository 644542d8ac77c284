// Contract tests of validate-api (POST /): the rules, and the HTTP shapes over a real socket.
#include <utility>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/service_test_support.h"
#include "services/validate_api/validate_api.h"

namespace ck::services::validate_api {
namespace {

using testing::BodyJson;
using testing::Call;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::TestHost;
using Json = nlohmann::json;

TEST(ValidateResidentTest, NameOsAndTypeAreRequired) {
  EXPECT_THAT(ValidateResident(Json::object()),
              ElementsAre("name is required", "type is required", "os is required"));
  EXPECT_THAT(ValidateResident({{"name", "  "}, {"type", nullptr}, {"os", "linux"}}),
              ElementsAre("name is required", "type is required"));
  EXPECT_THAT(ValidateResident({{"name", "a"}, {"type", "b"}, {"os", "c"}}), IsEmpty());
}

TEST(ValidateResidentTest, TypesLengthsAndNumbers) {
  Json resident = {{"name", 5}, {"type", "t"}, {"os", "o"}};
  EXPECT_THAT(ValidateResident(resident), ElementsAre("name must be a string"));
  resident = {{"name", std::string(101, 'x')}, {"type", "t"}, {"os", "o"}};
  EXPECT_THAT(ValidateResident(resident), ElementsAre("name must be at most 100 characters"));
  // 100 characters of two bytes each are still 100 characters.
  std::string umlauts;
  for (int i = 0; i < 100; ++i) umlauts += "\xC3\xA4";
  resident = {{"name", umlauts}, {"type", "t"}, {"os", "o"}};
  EXPECT_THAT(ValidateResident(resident), IsEmpty());
  resident = {{"name", "a\nb"}, {"type", "t"}, {"os", "o"}, {"petname", 3}};
  EXPECT_THAT(ValidateResident(resident),
              ElementsAre("name must not contain control characters", "petname must be a string"));
  resident = {{"name", "n"}, {"type", "t"}, {"os", "o"}, {"service", -1}, {"happiness", 11}};
  EXPECT_THAT(ValidateResident(resident),
              ElementsAre("service must be a whole number from 0 to 1000",
                          "happiness must be a whole number from 1 to 10"));
  resident = {{"name", "n"}, {"type", "t"}, {"os", "o"}, {"service", "7"}, {"happiness", 10}};
  EXPECT_THAT(ValidateResident(resident), IsEmpty());
  resident = {{"name", "n"}, {"type", "t"}, {"os", "o"}, {"service", 2.5}};
  EXPECT_THAT(ValidateResident(resident),
              ElementsAre("service must be a whole number from 0 to 1000"));
  resident = {{"name", "n"}, {"type", "t"}, {"os", "o"}, {"image", "javascript:alert(1)"}};
  EXPECT_THAT(ValidateResident(resident),
              ElementsAre("image must be a site path (/...) or an http(s) URL"));
}

TEST(ValidateResidentTest, HostileHtmlIsDataNotAnError) {
  // Escaping is the renderer's job; the name is stored as typed.
  EXPECT_THAT(ValidateResident({{"name", "<script>alert(1)</script>"}, {"type", "t"}, {"os", "o"}}),
              IsEmpty());
}

class ValidateApiTest : public ::testing::Test {
 protected:
  TestHost host_{ValidateApiService(), LoadServiceConfig("validate-api", MapEnvironment({}))};
};

TEST_F(ValidateApiTest, AnswersValidWithAnEmptyMessageList) {
  auto response = Call(http::Verb::post, host_.url(), R"({"name":"a","type":"b","os":"c"})");
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->result(), http::HttpStatus::ok);
  EXPECT_EQ(BodyJson(*response), Json({{"valid", true}, {"message", Json::array()}}));
}

TEST_F(ValidateApiTest, AnswersInvalidWithReasonsAnd200) {
  auto response = Call(http::Verb::post, host_.url(), R"({"type":"b"})");
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->result(), http::HttpStatus::ok);
  EXPECT_EQ(BodyJson(*response),
            Json({{"valid", false}, {"message", {"name is required", "os is required"}}}));
}

TEST_F(ValidateApiTest, InvalidJsonAndWrongMethodsAreJsonErrors) {
  auto broken = Call(http::Verb::post, host_.url(), "not json");
  ASSERT_TRUE(broken.ok());
  EXPECT_EQ(broken->result(), http::HttpStatus::bad_request);
  EXPECT_TRUE(BodyJson(*broken)["error"].is_string());
  auto get = Call(http::Verb::get, host_.url());
  ASSERT_TRUE(get.ok());
  EXPECT_EQ(get->result(), http::HttpStatus::method_not_allowed);
  auto elsewhere = Call(http::Verb::post, host_.url("/validate"), "{}");
  ASSERT_TRUE(elsewhere.ok());
  EXPECT_EQ(elsewhere->result(), http::HttpStatus::not_found);
  auto huge = Call(http::Verb::post, host_.url(), std::string(100 * 1024, ' '));
  ASSERT_TRUE(huge.ok());
  EXPECT_EQ(huge->result(), http::HttpStatus::payload_too_large);
}

}  // namespace
}  // namespace ck::services::validate_api
