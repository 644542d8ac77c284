// Resident items as JSON, and the table's creation and seeding against a real `ck dynamodb`.
#include <utility>

#include <gtest/gtest.h>

#include "services/common/residents.h"
#include "services/common/service_test_support.h"

namespace ck::services {
namespace {

TEST(ResidentJsonTest, AllEightFieldsWithNumbersAsNumbers) {
  store::Item item = {{"ckid", aws::Str("a")},
                      {"name", aws::Str("<b>x</b>")},
                      {"service", aws::Num("1E+1")},
                      {"happiness", aws::Num(7)},
                      {"extra", aws::Str("ignored")}};
  EXPECT_EQ(ResidentJson(item), nlohmann::json({{"ckid", "a"},
                                                {"name", "<b>x</b>"},
                                                {"type", ""},
                                                {"service", 10},
                                                {"happiness", 7},
                                                {"petname", ""},
                                                {"os", ""},
                                                {"image", ""}}));
  EXPECT_EQ(NumberJson("2.5"), 2.5);
  EXPECT_EQ(NumberJson("junk"), 0);
}

TEST(ResidentRequestTest, CkidMustBeANonEmptyStringOfAtMost128Bytes) {
  EXPECT_EQ(*CkidFromRequest({{"ckid", "ck1"}}), "ck1");
  EXPECT_TRUE(CkidFromRequest({{"ckid", std::string(kMaxCkidBytes, 'x')}}).ok());
  for (const nlohmann::json& body :
       {nlohmann::json::object(), nlohmann::json({{"ckid", ""}}), nlohmann::json({{"ckid", 5}}),
        nlohmann::json({{"ckid", std::string(kMaxCkidBytes + 1, 'x')}})}) {
    auto ckid = CkidFromRequest(body);
    ASSERT_FALSE(ckid.ok()) << body.dump();
    EXPECT_EQ(ckid.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(ckid.status().message(), "ckid must be a non-empty string of at most 128 bytes");
  }
}

TEST(ResidentRequestTest, DatastoreValidationErrorsAre400AndFailuresAre502) {
  auto status_of = [](const char* type, int http_status) {
    return DatastoreErrorResponse(
               aws::AwsError{.type = type, .message = "m", .http_status = http_status}.ToStatus())
        .result();
  };
  EXPECT_EQ(status_of("ValidationException", 400), http::HttpStatus::bad_request);
  EXPECT_EQ(status_of("TlsError", 0), http::HttpStatus::bad_gateway);
  EXPECT_EQ(status_of("NetworkingError", 0), http::HttpStatus::bad_gateway);
  EXPECT_EQ(status_of("InternalServerError", 500), http::HttpStatus::bad_gateway);
  EXPECT_EQ(status_of("ResourceNotFoundException", 400), http::HttpStatus::bad_gateway);
}

TEST(ResidentJsonTest, DefaultImageIsStableAndFromTheSet) {
  std::string image = DefaultImageFor("0123abcd");
  EXPECT_EQ(image, DefaultImageFor("0123abcd"));
  EXPECT_NE(std::find(kResidentImages.begin(), kResidentImages.end(), image),
            kResidentImages.end());
}

TEST(ResidentJsonTest, SeedsIncludeTheWorkshopsCk1) {
  auto seeds = SeedResidents();
  ASSERT_GE(seeds.size(), 5u);
  EXPECT_EQ(ResidentJson(seeds[0]), nlohmann::json({{"ckid", "ck1"},
                                                    {"name", "ig.nore.me"},
                                                    {"type", "m2.xlarge"},
                                                    {"service", 10},
                                                    {"happiness", 1},
                                                    {"petname", "The ignored one"},
                                                    {"os", "linux"},
                                                    {"image", "/img/server-1.svg"}}));
  for (const auto& seed : seeds) EXPECT_TRUE(seed.count("image"));
}

class SeedTest : public testing::DatastoreTest {};

TEST_F(SeedTest, CreatesAndSeedsOnceAndNeverOverwrites) {
  ServiceConfig config = Config("seed");
  auto first = EnsureResidentTableBlocking(config, false);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(first->created);
  EXPECT_EQ(first->seeded, SeedResidents().size());

  auto second = EnsureResidentTableBlocking(config, false);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->created);
  EXPECT_EQ(second->seeded, 0u);

  // --seed-existing restores a deleted seed but leaves a changed one alone.
  store::Item changed = SeedResidents()[1];
  changed["happiness"] = aws::Num(10);
  PutResident(changed);
  aws::DeleteItemRequest remove;
  remove.table = config.table;
  remove.key = {{"ckid", aws::Str("ck1")}};
  ASSERT_TRUE(Datastore().Run([&](aws::DynamoDbClient& c) { return c.DeleteItem(remove); }).ok());
  auto reseeded = EnsureResidentTableBlocking(config, true);
  ASSERT_TRUE(reseeded.ok());
  EXPECT_EQ(reseeded->seeded, 1u);
  EXPECT_TRUE(GetResident("ck1").has_value());
  EXPECT_EQ(ResidentJson(*GetResident(SeedResidents()[1].at("ckid").scalar()))["happiness"], 10);
}

TEST_F(SeedTest, UntrustedDatastoreFailsWithTheTlsReason) {
  environment_.erase("AWS_CA_BUNDLE");  // like a container image without the CA bundle
  auto init = EnsureResidentTableBlocking(Config("seed"), false);
  ASSERT_FALSE(init.ok());
  EXPECT_NE(init.status().message().find("TlsError"), std::string::npos) << init.status().message();
}

}  // namespace
}  // namespace ck::services
