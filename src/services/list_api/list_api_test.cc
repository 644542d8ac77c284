// Contract tests of list-api (GET /) against a real `ck dynamodb` over HTTPS.
#include <utility>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "services/common/service_test_support.h"
#include "services/list_api/list_api.h"

namespace ck::services::list_api {
namespace {

using testing::BodyJson;
using testing::Call;
using ::testing::HasSubstr;
using testing::TestHost;

class ListApiTest : public testing::DatastoreTest {};

TEST_F(ListApiTest, ListsSeededResidentsAsAnArraySortedByName) {
  CreateTable();
  TestHost host(ListApiService(), Config("list-api"));
  auto response = Call(http::Verb::get, host.url());
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->result(), http::HttpStatus::ok);
  EXPECT_EQ((*response)[http::Field::content_type], "application/json");
  nlohmann::json residents = BodyJson(*response);
  ASSERT_TRUE(residents.is_array()) << response->body();
  ASSERT_EQ(residents.size(), SeedResidents().size());
  std::vector<std::string> names;
  for (const auto& resident : residents) names.push_back(resident["name"]);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end())) << response->body();
  auto ck1 = std::find_if(residents.begin(), residents.end(),
                          [](const nlohmann::json& r) { return r["ckid"] == "ck1"; });
  ASSERT_NE(ck1, residents.end());
  EXPECT_EQ(*ck1, nlohmann::json({{"ckid", "ck1"},
                                  {"name", "ig.nore.me"},
                                  {"type", "m2.xlarge"},
                                  {"service", 10},
                                  {"happiness", 1},
                                  {"petname", "The ignored one"},
                                  {"os", "linux"},
                                  {"image", "/img/server-1.svg"}}));
}

// Regression: the original scanned only the first page and answered an object keyed by index.
TEST_F(ListApiTest, PagesThroughTheWholeTable) {
  CreateTable();
  const std::string padding(10 * 1024, 'p');  // 110 items x 10 KB > one 1 MB Scan page
  for (int i = 0; i < 110; ++i) {
    PutResident({{"ckid", aws::Str("bulk-" + std::to_string(i))},
                 {"name", aws::Str("bulk " + std::to_string(i))},
                 {"type", aws::Str("t2.nano")},
                 {"os", aws::Str("linux")},
                 {"image", aws::Str("/img/server-2.svg")},
                 {"notes", aws::Str(padding)}});
  }
  TestHost host(ListApiService(), Config("list-api"));
  auto response = Call(http::Verb::get, host.url());
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  nlohmann::json residents = BodyJson(*response);
  ASSERT_TRUE(residents.is_array());
  EXPECT_EQ(residents.size(), 110 + SeedResidents().size());
  EXPECT_FALSE(residents[0].contains("notes"));  // only the resident fields
}

TEST_F(ListApiTest, ResidentsWithoutAPictureAreLeftOutAndMissingFieldsDefault) {
  CreateTable();
  PutResident({{"ckid", aws::Str("no-image")}, {"name", aws::Str("ghost")}});
  PutResident({{"ckid", aws::Str("sparse")}, {"image", aws::Str("/img/x.svg")}});
  TestHost host(ListApiService(), Config("list-api"));
  auto response = Call(http::Verb::get, host.url());
  ASSERT_TRUE(response.ok());
  nlohmann::json residents = BodyJson(*response);
  ASSERT_EQ(residents.size(), SeedResidents().size() + 1);
  EXPECT_EQ(residents[0], nlohmann::json({{"ckid", "sparse"},
                                          {"name", ""},
                                          {"type", ""},
                                          {"service", 0},
                                          {"happiness", 0},
                                          {"petname", ""},
                                          {"os", ""},
                                          {"image", "/img/x.svg"}}));
}

TEST_F(ListApiTest, UnreadableTableIs502WithTheDatastoreError) {
  TestHost host(ListApiService(), Config("list-api"));  // the table was never created
  auto response = Call(http::Verb::get, host.url());
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->result(), http::HttpStatus::bad_gateway);
  EXPECT_THAT(BodyJson(*response)["error"].get<std::string>(),
              HasSubstr("ResourceNotFoundException"));
}

TEST_F(ListApiTest, OnlyGetIsAllowedAndHealthAnswers) {
  TestHost host(ListApiService(), Config("list-api"));
  auto post = Call(http::Verb::post, host.url(), "{}");
  ASSERT_TRUE(post.ok());
  EXPECT_EQ(post->result(), http::HttpStatus::method_not_allowed);
  EXPECT_TRUE(BodyJson(*post).contains("error"));
  auto health = Call(http::Verb::get, host.url("/health"));
  ASSERT_TRUE(health.ok());
  EXPECT_EQ(BodyJson(*health)["service"], "list-api");
}

TEST_F(ListApiTest, StartCreatesAndSeedsAMissingTable) {
  environment_["CK_INIT_TABLE"] = "true";
  TestHost host(ListApiService(), Config("list-api"));
  // The start hook runs in the background; poll until the seeded residents show.
  nlohmann::json residents;
  for (int i = 0; i < 100; ++i) {
    auto response = Call(http::Verb::get, host.url());
    ASSERT_TRUE(response.ok());
    residents = BodyJson(*response);
    if (response->result() == http::HttpStatus::ok && residents.size() == SeedResidents().size()) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(residents.size(), SeedResidents().size()) << residents.dump();
}

}  // namespace
}  // namespace ck::services::list_api
