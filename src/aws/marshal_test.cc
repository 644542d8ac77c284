#include "aws/marshal.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ck::aws {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

Item Resident() {
  AttributeValue::Map address;
  address["city"] = Str("Leeds");
  address["zip"] = Num("12345");
  return Item{
      {"ckid", Str("ck1")},
      {"happiness", Num(-42)},
      {"ratio", Num("0.125")},
      {"photo", AttributeValue::Binary(std::string("\x00\xff\x10 bin", 7))},
      {"tags", AttributeValue::StringSet({"a", "b"})},
      {"scores", AttributeValue::NumberSet({"1", "2.5"})},
      {"blobs", AttributeValue::BinarySet({"x", std::string("\x01\x02", 2)})},
      {"address", AttributeValue::FromMap(address)},
      {"history", AttributeValue::FromList(
                      {Str("joined"), Num(7), AttributeValue::Bool(false), AttributeValue::Null(),
                       AttributeValue::FromList({AttributeValue::Bool(true)})})},
      {"active", AttributeValue::Bool(true)},
      {"nothing", AttributeValue::Null()},
      {"empty_map", AttributeValue::FromMap({})},
      {"empty_list", AttributeValue::FromList({})},
      {"empty_string", Str("")},
  };
}

TEST(MarshalTest, WireFormatOfEveryType) {
  Json wire = ItemToWire(Resident());
  EXPECT_EQ(wire["ckid"], Json({{"S", "ck1"}}));
  EXPECT_EQ(wire["happiness"], Json({{"N", "-42"}}));
  EXPECT_EQ(wire["photo"], Json({{"B", "AP8QIGJpbg=="}}));
  EXPECT_EQ(wire["tags"], Json({{"SS", {"a", "b"}}}));
  EXPECT_EQ(wire["scores"], Json({{"NS", {"1", "2.5"}}}));
  EXPECT_EQ(wire["blobs"], Json({{"BS", {"eA==", "AQI="}}}));
  EXPECT_EQ(wire["address"], Json::parse(R"({"M":{"city":{"S":"Leeds"},"zip":{"N":"12345"}}})"));
  EXPECT_EQ(wire["history"],
            Json::parse(R"({"L":[{"S":"joined"},{"N":"7"},{"BOOL":false},{"NULL":true},)"
                        R"({"L":[{"BOOL":true}]}]})"));
  EXPECT_EQ(wire["active"], Json({{"BOOL", true}}));
  EXPECT_EQ(wire["nothing"], Json({{"NULL", true}}));
  EXPECT_EQ(wire["empty_map"], Json::parse(R"({"M":{}})"));
  EXPECT_EQ(wire["empty_list"], Json::parse(R"({"L":[]})"));
}

TEST(MarshalTest, RoundTripsEveryType) {
  Item item = Resident();
  auto back = ItemFromWire(ItemToWire(item));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, item);
  // Through text too, as on the wire.
  auto reparsed = ItemFromWire(Json::parse(ItemToWire(item).dump()));
  ASSERT_TRUE(reparsed.ok());
  EXPECT_EQ(*reparsed, item);
}

TEST(MarshalTest, KeepsNumberTextAsSent) {
  auto value = FromWire(Json::parse(R"({"N":"1E+2"})"));
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(value->scalar(), "1E+2");
  auto set = FromWire(Json::parse(R"({"NS":["010","-0.50"]})"));
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(set->set(), (AttributeValue::Set{"010", "-0.50"}));
}

TEST(MarshalTest, RejectsMalformedValuesNamingThePath) {
  struct Bad {
    const char* wire;
    const char* message_part;
  };
  for (const Bad& bad : std::vector<Bad>{
           {R"({"a":"x"})", "item.a: expected an object with exactly one type key"},
           {R"({"a":{"S":"x","N":"1"}})", "exactly one type key"},
           {R"({"a":{"S":1}})", "item.a.S: expected a string"},
           {R"({"a":{"N":1}})", "item.a.N: expected a string"},
           {R"({"a":{"B":"***"}})", "item.a.B: invalid base64"},
           {R"({"a":{"SS":"x"}})", "item.a.SS: expected an array"},
           {R"({"a":{"SS":["x",2]}})", "item.a.SS[1]: expected a string"},
           {R"({"a":{"BS":["@@"]}})", "item.a.BS[0]: invalid base64"},
           {R"({"a":{"M":[]}})", "item.a.M: expected an object of attributes"},
           {R"({"a":{"M":{"b":{"L":[{"Q":1}]}}}})", "item.a.M.b.L[0]: unknown attribute type 'Q'"},
           {R"({"a":{"L":{}}})", "item.a.L: expected an array"},
           {R"({"a":{"NULL":false}})", "item.a.NULL: expected true"},
           {R"({"a":{"BOOL":"true"}})", "item.a.BOOL: expected a boolean"},
           {R"([])", "item: expected an object of attributes"},
       }) {
    auto parsed = ItemFromWire(Json::parse(bad.wire));
    ASSERT_FALSE(parsed.ok()) << bad.wire;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(parsed.status().message(), HasSubstr(bad.message_part)) << bad.wire;
  }
}

}  // namespace
}  // namespace ck::aws
