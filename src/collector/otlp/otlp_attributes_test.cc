#include "collector/otlp/otlp_attributes.h"

#include <gtest/gtest.h>

namespace ck::collector::otlp {
namespace {

using nlohmann::json;

TEST(OtlpAttributesTest, LookupsTakeTheLastValueOfARepeatedKey) {
  OtlpAttributes attributes = {{"k", "first"}, {"n", 1}, {"k", "last"}};
  ASSERT_NE(FindOtlpAttribute(attributes, "k"), nullptr);
  EXPECT_EQ(*FindOtlpAttribute(attributes, "k"), "last");
  EXPECT_EQ(FindOtlpAttribute(attributes, "missing"), nullptr);
  EXPECT_EQ(OtlpAttributeString(attributes, "k"), "last");
  EXPECT_EQ(OtlpAttributeString(attributes, "n"), "") << "not a string";
  EXPECT_EQ(OtlpAttributesToJson(attributes), (json{{"k", "last"}, {"n", 1}}));
}

TEST(OtlpAttributesTest, ServiceNameDefaultsToUnknownService) {
  EXPECT_EQ(OtlpServiceName({{"service.name", "feed-api"}}), "feed-api");
  EXPECT_EQ(OtlpServiceName({}), "unknown_service");
  EXPECT_EQ(OtlpServiceName({{"service.name", ""}}), "unknown_service");
  EXPECT_EQ(OtlpServiceName({{"service.name", 7}}), "unknown_service");
}

TEST(OtlpAttributesTest, JsonObjectsConvertBothWays) {
  json object = {{"b", json::array({1, 2})}, {"a", {{"nested", true}}}};
  OtlpAttributes attributes = OtlpAttributesFromJson(object);
  ASSERT_EQ(attributes.size(), 2u);
  EXPECT_EQ(attributes[0].first, "a") << "key order";
  EXPECT_EQ(OtlpAttributesToJson(attributes), object);
  EXPECT_TRUE(OtlpAttributesFromJson(json::array({1})).empty());
  EXPECT_TRUE(OtlpAttributesFromJson(nullptr).empty());
}

}  // namespace
}  // namespace ck::collector::otlp
