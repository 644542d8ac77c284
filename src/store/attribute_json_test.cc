#include "store/attribute_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace ck::store {
namespace {

using nlohmann::json;

Status DecodeError(std::string_view text) {
  auto result = AttributeValueFromJson(json::parse(text));
  EXPECT_FALSE(result.ok()) << text;
  return result.status();
}

TEST(AttributeJsonTest, RoundTripsEveryType) {
  const std::string text =
      R"({"b":{"B":"AAEC"},"bool":{"BOOL":true},"bs":{"BS":["AA==","AQ=="]},"l":{"L":[{"S":"x"},)"
      R"({"N":"1"}]},"m":{"M":{"inner":{"NULL":true}}},"n":{"N":"10.5"},"ns":{"NS":["1","2"]},)"
      R"("s":{"S":"h\"i\n"},"ss":{"SS":["a","b"]}})";
  auto item = ItemFromJson(json::parse(text));
  ASSERT_TRUE(item.ok()) << item.status().ToString();
  EXPECT_EQ(item->at("b").scalar(), std::string("\x00\x01\x02", 3));
  EXPECT_EQ(item->at("s").scalar(), "h\"i\n");
  EXPECT_EQ(ItemToJsonText(*item), text);
  auto stored = ItemFromStoredJson(text);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(*stored, *item);
}

TEST(AttributeJsonTest, NormalizesNumbers) {
  auto value = AttributeValueFromJson(json::parse(R"({"N":"0010.500"})"));
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(value->scalar(), "10.5");
}

TEST(AttributeJsonTest, EmptyStringsAndBinariesAreAllowed) {
  EXPECT_TRUE(AttributeValueFromJson(json::parse(R"({"S":""})")).ok());
  EXPECT_TRUE(AttributeValueFromJson(json::parse(R"({"B":""})")).ok());
}

TEST(AttributeJsonTest, RejectsWrongNumberOfTypes) {
  EXPECT_EQ(
      DecodeError("{}").message(),
      "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  EXPECT_EQ(
      DecodeError(R"({"S":"a","N":"1"})").message(),
      "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the "
      "supported datatypes");
}

TEST(AttributeJsonTest, RejectsBadSets) {
  EXPECT_EQ(
      DecodeError(R"({"SS":["a","a"]})").message(),
      "One or more parameter values were invalid: Input collection [a, a] contains duplicates.");
  EXPECT_EQ(DecodeError(R"({"NS":["1","1.0"]})").message(), "Input collection contains duplicates");
  EXPECT_EQ(DecodeError(R"({"SS":[]})").message(),
            "One or more parameter values were invalid: An string set  may not be empty");
  EXPECT_EQ(DecodeError(R"({"NS":[]})").message(),
            "One or more parameter values were invalid: An number set  may not be empty");
  EXPECT_EQ(DecodeError(R"({"BS":[]})").message(),
            "One or more parameter values were invalid: Binary sets should not be empty");
  EXPECT_EQ(DecodeError(R"({"BS":["AA==","AA=="]})").message(),
            "One or more parameter values were invalid: Input collection [AA==, AA==]of type BS "
            "contains duplicates.");
}

TEST(AttributeJsonTest, RejectsNullFalse) {
  EXPECT_EQ(
      DecodeError(R"({"NULL":false})").message(),
      "One or more parameter values were invalid: Null attribute value types must have the value "
      "of true");
}

TEST(AttributeJsonTest, WrongJsonTypesAreSerializationErrors) {
  auto status = DecodeError(R"({"S":5})");
  EXPECT_TRUE(IsSerializationError(status));
  EXPECT_EQ(status.message(), "NUMBER_VALUE cannot be converted to String");
  EXPECT_EQ(DecodeError(R"({"S":true})").message(), "TRUE_VALUE cannot be converted to String");
  EXPECT_EQ(DecodeError(R"({"B":"abc"})").message(),
            "Base64 encoded length is expected a multiple of 4 bytes but found: 3");
  EXPECT_EQ(DecodeError(R"({"B":5})").message(),
            "only base-64-encoded strings are convertible to bytes");
  EXPECT_EQ(DecodeError(R"({"L":"x"})").message(), "Unexpected field type");
  EXPECT_EQ(DecodeError(R"("x")").message(), "Unexpected value type in payload");
  EXPECT_TRUE(IsSerializationError(DecodeError(R"({"M":[]})")));
  EXPECT_TRUE(IsSerializationError(DecodeError(R"({"BOOL":"maybe"})")));
}

TEST(AttributeJsonTest, LimitsNesting) {
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += R"({"L":[)";
  deep += R"({"S":"x"})";
  for (int i = 0; i < 40; ++i) deep += "]}";
  auto status = DecodeError(deep);
  EXPECT_FALSE(IsSerializationError(status));
  EXPECT_EQ(status.message(), "Nesting Levels have exceeded supported limits");
}

TEST(AttributeJsonTest, EscapesControlCharacters) {
  std::string out;
  AppendJsonString(std::string("a\x01\"\\", 4), out);
  EXPECT_EQ(out, R"("a\u0001\"\\")");
}

TEST(AttributeJsonTest, CorruptStoredItemIsInternal) {
  EXPECT_EQ(ItemFromStoredJson("{\"a\":{\"X\":1}}").status().code(), StatusCode::kInternal);
  EXPECT_EQ(ItemFromStoredJson("nope").status().code(), StatusCode::kInternal);
}

// An item with every type, nesting, control characters and non-ASCII text in names and values.
Item EveryKindOfItem() {
  AttributeValue::Map inner;
  inner.emplace("deep",
                AttributeValue::FromList({AttributeValue::Null(), AttributeValue::Bool(false)}));
  inner.emplace("", AttributeValue::String(""));
  Item item;
  item.emplace("s", AttributeValue::String(std::string("tab\t quote\" back\\ nul\0 \x1f end", 28)));
  item.emplace("caf\xc3\xa9 \xf0\x9f\x90\xb1", AttributeValue::String("\xe2\x82\xac"));
  item.emplace("n", AttributeValue::Number("-12.5"));
  item.emplace("b", AttributeValue::Binary(std::string("\x00\xff\x10", 3)));
  item.emplace("bool", AttributeValue::Bool(true));
  item.emplace("null", AttributeValue::Null());
  item.emplace("ss", AttributeValue::StringSet({"b", "a", "\n"}));
  item.emplace("ns", AttributeValue::NumberSet({"1", "2.5"}));
  item.emplace("bs", AttributeValue::BinarySet({std::string(1, '\0'), "xyz"}));
  item.emplace(
      "l", AttributeValue::FromList({AttributeValue::String("x"), AttributeValue::FromMap(inner)}));
  item.emplace("m", AttributeValue::FromMap(inner));
  item.emplace("empty", AttributeValue::FromMap({}));
  item.emplace("none", AttributeValue::FromList({}));
  return item;
}

TEST(AttributeJsonTest, StoredItemsRoundTrip) {
  const Item item = EveryKindOfItem();
  const std::string text = ItemToJsonText(item);
  auto decoded = ItemFromStoredJson(text);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, item);
  // The same text through a general JSON parser and the validating wire decoder agrees.
  auto wire = ItemFromJson(json::parse(text));
  ASSERT_TRUE(wire.ok()) << wire.status().ToString();
  EXPECT_EQ(*wire, item);
}

TEST(AttributeJsonTest, StoredItemsAcceptAnyJsonSpellingOfTheSameItem) {
  // Whitespace, escaped solidus, \u escapes (a surrogate pair among them) and upper-case hex.
  auto decoded = ItemFromStoredJson(
      " {\n \"k\" : { \"S\" : \"a\\/b \\u00e9 \\uD83D\\uDC31 \\u00E9\" } ,\t\"f\":{\"BOOL\": "
      "false} } ");
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->at("k").scalar(), "a/b \xc3\xa9 \xf0\x9f\x90\xb1 \xc3\xa9");
  EXPECT_FALSE(decoded->at("f").boolean());
}

TEST(AttributeJsonTest, EveryCutOfAStoredItemIsCorrupt) {
  const std::string text = ItemToJsonText(EveryKindOfItem());
  for (size_t length = 0; length < text.size(); ++length) {
    auto decoded = ItemFromStoredJson(std::string_view(text).substr(0, length));
    ASSERT_FALSE(decoded.ok()) << length;
    EXPECT_EQ(decoded.status().code(), StatusCode::kInternal);
  }
}

TEST(AttributeJsonTest, MalformedStoredItemsAreCorrupt) {
  for (std::string_view text : {
           R"({"a":{"S":"x"}} trailing)",
           R"({"a":{"S":"x","N":"1"}})",
           R"({"a":{"S":1}})",
           R"({"a":{"B":"not base64!"}})",
           R"({"a":{"BOOL":"true"}})",
           R"({"a":{"SS":["x",1]}})",
           R"({"a":{"L":[{"S":"x"},]}})",
           R"({"a":{"M":[]}})",
           R"({"a":{"S":"\x"}})",
           R"({"a":{"S":"\uD800"}})",
           R"({"a":{"S":"\uDC00"}})",
           R"({"a":{"S":"\u12G4"}})",
           "{\"a\":{\"S\":\"raw\ncontrol\"}}",
           R"({"a" {"S":"x"}})",
           R"([])",
       }) {
    auto decoded = ItemFromStoredJson(text);
    ASSERT_FALSE(decoded.ok()) << text;
    EXPECT_EQ(decoded.status().code(), StatusCode::kInternal) << text;
  }
}

// Rows written before UpdateItem checked nesting can be deeper than a request may be; they must
// stay readable.
TEST(AttributeJsonTest, StoredItemsDeeperThanRequestsAllowAreRead) {
  AttributeValue value = AttributeValue::String("leaf");
  for (int level = 0; level < 199; ++level) {
    value = level % 2 == 0 ? AttributeValue::FromMap({{"m", std::move(value)}})
                           : AttributeValue::FromList({std::move(value)});
  }
  Item item;
  item.emplace("deep", std::move(value));
  auto decoded = ItemFromStoredJson(ItemToJsonText(item));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, item);
}

TEST(AttributeJsonTest, DeeplyNestedStoredItemIsCorruptNotACrash) {
  std::string text = R"({"a":)";
  for (int i = 0; i < 100000; ++i) text += R"({"L":[)";
  EXPECT_EQ(ItemFromStoredJson(text).status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace ck::store
