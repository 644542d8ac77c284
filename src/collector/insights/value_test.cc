#include "collector/insights/value.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ck::collector::insights {
namespace {

TEST(ValueTest, RendersNumbersInShortestRoundTripForm) {
  EXPECT_EQ(Render(Value::Number(200)), "200");
  EXPECT_EQ(Render(Value::Number(1.5)), "1.5");
  EXPECT_EQ(Render(Value::Number(0.1 + 0.2)), "0.30000000000000004");
  EXPECT_EQ(Render(Value::Number(-0.0)), "0");
  EXPECT_EQ(Render(Value::Number(1e21)), "1e+21");
  EXPECT_EQ(Render(Value::Number(-42)), "-42");
}

TEST(ValueTest, RendersBooleansTimestampsAndAbsence) {
  EXPECT_EQ(Render(Value::Bool(true)), "1");
  EXPECT_EQ(Render(Value::Bool(false)), "0");
  EXPECT_EQ(Render(Value::Timestamp(1714564800123)), "2024-05-01 12:00:00.123");
  EXPECT_EQ(Render(Value::String("Zoë")), "Zoë");
  EXPECT_EQ(Render(Value::Absent()), "");
}

TEST(ValueTest, ParsesOnlyWholeDecimalNumbers) {
  EXPECT_EQ(ParseNumber("42"), 42);
  EXPECT_EQ(ParseNumber("-1.5"), -1.5);
  EXPECT_EQ(ParseNumber("2e3"), 2000);
  EXPECT_EQ(ParseNumber(".5"), 0.5);
  EXPECT_EQ(ParseNumber("007"), 7);
  for (const char* text :
       {"", "-", "inf", "nan", "-inf", " 1", "1 ", "0x10", "1.2.3", "+1", "1e"}) {
    EXPECT_EQ(ParseNumber(text), std::nullopt) << text;
  }
}

TEST(ValueTest, NumericValueFollowsInsightsTypeRules) {
  EXPECT_EQ(NumericValue(Value::String("503")), 503);
  EXPECT_EQ(NumericValue(Value::Bool(true)), 1);
  EXPECT_EQ(NumericValue(Value::Timestamp(1000)), 1000);
  EXPECT_EQ(NumericValue(Value::String("five")), std::nullopt);
  EXPECT_EQ(NumericValue(Value::Absent()), std::nullopt);
}

TEST(ValueTest, EqualityComparesNumericLookingStringsAsNumbers) {
  EXPECT_TRUE(ValuesEqual(Value::String("200"), Value::Number(200)));
  EXPECT_TRUE(ValuesEqual(Value::String("200.0"), Value::String("200")));
  EXPECT_TRUE(ValuesEqual(Value::String("error"), Value::String("error")));
  EXPECT_FALSE(ValuesEqual(Value::String("Error"), Value::String("error")));
  EXPECT_TRUE(ValuesEqual(Value::Bool(true), Value::Number(1)));
  EXPECT_TRUE(ValuesEqual(Value::Bool(true), Value::String("TRUE")));
  EXPECT_TRUE(ValuesEqual(Value::Bool(false), Value::String("false")));
  EXPECT_FALSE(ValuesEqual(Value::Bool(false), Value::String("true")));
  EXPECT_TRUE(
      ValuesEqual(Value::Timestamp(1714564800123), Value::String("2024-05-01 12:00:00.123")));
  EXPECT_FALSE(ValuesEqual(Value::Absent(), Value::Absent()));
  EXPECT_FALSE(ValuesEqual(Value::Absent(), Value::String("")));
}

TEST(ValueTest, OrderingIsNumericWhenBothSidesAreNumbers) {
  EXPECT_EQ(CompareValues(Value::String("10"), Value::Number(9)), 1);
  EXPECT_EQ(CompareValues(Value::String("10"), Value::String("9")), 1);
  EXPECT_EQ(CompareValues(Value::String("b"), Value::String("a")), 1);
  EXPECT_EQ(CompareValues(Value::String("a"), Value::String("a")), 0);
  // Mixed: compared as text.
  EXPECT_EQ(CompareValues(Value::String("abc"), Value::Number(5)), 1);
  EXPECT_EQ(CompareValues(Value::Absent(), Value::Number(5)), std::nullopt);
  EXPECT_EQ(CompareValues(Value::Number(5), Value::Absent()), std::nullopt);
}

TEST(ValueTest, Truthiness) {
  EXPECT_TRUE(Truthy(Value::Bool(true)));
  EXPECT_FALSE(Truthy(Value::Bool(false)));
  EXPECT_TRUE(Truthy(Value::Number(-1)));
  EXPECT_FALSE(Truthy(Value::Number(0)));
  EXPECT_TRUE(Truthy(Value::String("1")));
  EXPECT_FALSE(Truthy(Value::String("0")));
  EXPECT_TRUE(Truthy(Value::String("True")));
  EXPECT_FALSE(Truthy(Value::String("yes")));
  EXPECT_FALSE(Truthy(Value::Absent()));
  EXPECT_TRUE(Truthy(Value::Timestamp(0)));
}

// The ascending order from Insights' sort documentation.
TEST(ValueTest, SortOrderMatchesTheDocumentedNaturalOrder) {
  const std::vector<std::string> sorted = {"!:",    "#",  "*%04", "0#", "5A",        "111A",
                                           "2345_", "@",  "@_",   "A",  "A9876fghj", "a12345hfh",
                                           "0",     "01", "1",    "2",  "3"};
  for (size_t i = 0; i + 1 < sorted.size(); ++i) {
    const int order = SortCompare(Value::String(sorted[i]), Value::String(sorted[i + 1]));
    if (sorted[i] == "01") {
      EXPECT_EQ(order, 0) << sorted[i] << " vs " << sorted[i + 1];  // both the number 1
    } else {
      EXPECT_LT(order, 0) << sorted[i] << " vs " << sorted[i + 1];
    }
    EXPECT_GT(SortCompare(Value::String(sorted[i + 1]), Value::String(sorted[i])),
              sorted[i] == "01" ? -1 : 0);
  }
}

TEST(ValueTest, SortOrderPutsNumbersAfterText) {
  EXPECT_LT(SortCompare(Value::String("zzz"), Value::Number(-100)), 0);
  EXPECT_LT(SortCompare(Value::Number(2), Value::Number(10)), 0);
  EXPECT_LT(SortCompare(Value::String("item2"), Value::String("item10")), 0);
  EXPECT_LT(SortCompare(Value::Timestamp(1), Value::Timestamp(2)), 0);
  EXPECT_EQ(NaturalCompare("abc", "abc"), 0);
  EXPECT_LT(NaturalCompare("é", "😀"), 0);  // code point order
}

TEST(ValueTest, CellsOwnTheirText) {
  std::string text = "register-api";
  Cell cell = Cell::From(Value::String(text));
  text.assign("xxxxxxxxxxxx");
  EXPECT_EQ(cell.view().text, "register-api");
  EXPECT_EQ(Cell::From(Value::Number(3)).view().number, 3);
  EXPECT_FALSE(Cell().present());
}

TEST(ValueTest, ScratchKeepsStringsUntilReset) {
  Scratch scratch;
  std::string_view first = scratch.Keep("first");
  std::string_view second = scratch.Keep(std::string(100, 'x'));
  for (int i = 0; i < 100; ++i) scratch.Keep("more");
  EXPECT_EQ(first, "first");
  EXPECT_EQ(second, std::string(100, 'x'));
  scratch.Reset();
  EXPECT_EQ(scratch.Keep("again"), "again");
}

}  // namespace
}  // namespace ck::collector::insights
