#include "collector/model/simdjson_document.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ck::collector {
namespace {

using nlohmann::json;

TEST(SimdjsonDocumentTest, ParsesToWhatNlohmannParses) {
  const std::vector<std::string> inputs = {
      R"({"a":1,"b":-2,"c":2.5,"d":"x\u00e9","e":[true,false,null],"f":{"g":{}}})",
      R"({"a":1,"a":2})",
      R"({"big":123456789012345678901234567890,"max":18446744073709551615})",
      "\xEF\xBB\xBF{\"bom\":1}",
      R"([1,"two",3.0])",
      R"("text")",
  };
  for (const std::string& input : inputs) {
    const json expected = json::parse(input);
    const json parsed = ParseJsonLikeNlohmann(input);
    EXPECT_EQ(parsed, expected) << input;
    EXPECT_EQ(parsed.dump(), expected.dump()) << input;
  }
  // Number types as nlohmann's parser gives them.
  EXPECT_TRUE(ParseJsonLikeNlohmann("[1]")[0].is_number_unsigned());
  EXPECT_TRUE(ParseJsonLikeNlohmann("[-1]")[0].is_number_integer());
  EXPECT_FALSE(ParseJsonLikeNlohmann("[-1]")[0].is_number_unsigned());
  EXPECT_TRUE(ParseJsonLikeNlohmann("[1.0]")[0].is_number_float());
}

TEST(SimdjsonDocumentTest, InvalidTextThrowsLikeNlohmann) {
  for (const std::string input : {"", "{", "{\"a\":1} x", "{\"a\":\"\xff\"}", "[1e400]"}) {
    EXPECT_THROW(ParseJsonLikeNlohmann(input), json::exception) << input;
  }
}

TEST(SimdjsonDocumentTest, ConvertsElementsSkippingOneTopLevelKey) {
  simdjson::dom::element root;
  ASSERT_EQ(ParseWithSimdjson(R"({"keep":{"skip":1},"skip":[1,2]})", &root), simdjson::SUCCESS);
  EXPECT_EQ(SimdjsonToJson(root, "skip"), json::parse(R"({"keep":{"skip":1}})"));
  EXPECT_EQ(SimdjsonToJson(root), json::parse(R"({"keep":{"skip":1},"skip":[1,2]})"));
}

TEST(SimdjsonDocumentTest, NormalizesWhatOnlyNlohmannAccepts) {
  simdjson::dom::element root;
  const std::string big = "{\"big\":123456789012345678901234567890}";
  EXPECT_NE(ParseWithSimdjson(big, &root), simdjson::SUCCESS);
  auto normalized = NormalizeForSimdjson(big);
  ASSERT_TRUE(normalized.has_value());
  EXPECT_EQ(ParseWithSimdjson(*normalized, &root), simdjson::SUCCESS);
  EXPECT_FALSE(NormalizeForSimdjson("{").has_value());
}

}  // namespace
}  // namespace ck::collector
