// Fixture shared by the condition expression tests (test-only): placeholder tables and an item
// with one attribute of every type.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <string_view>

#include "store/expr/expression.h"
#include "store/expr/test_values.h"

namespace ck::store::expr::testing {

class ConditionTest : public ::testing::Test {
 protected:
  ConditionTest() {
    names_ = {{"#a", "a"},      {"#b", "b"},     {"#name", "name"}, {"#dotted", "x.y"},
              {"#uni", "名前"}, {"#emoji", "😀"}, {"#list", "lst"},  {"#nested", "nested"}};
    values_ = {
        {":one", N("1")},
        {":two", N("2")},
        {":ten", N("10")},
        {":nine", N("9")},
        {":s", S("abc")},
        {":t", S("abd")},
        {":empty", S("")},
        {":bin", B("\x01\x02")},
        {":binhi", B("\xff")},
        {":true", Bool(true)},
        {":null", Null()},
        {":ss", SS({"x", "y"})},
        {":map", M({{"k", S("v")}})},
        {":list", L({S("a"), N("1")})},
        {":typeS", S("S")},
        {":typeN", S("N")},
        {":typeSS", S("SS")},
        {":typeM", S("M")},
        {":typeL", S("L")},
        {":typeBOOL", S("BOOL")},
        {":typeNULL", S("NULL")},
        {":typeB", S("B")},
        {":typeNS", S("NS")},
        {":typeBS", S("BS")},
        {":badtype", S("STRING")},
        {":x", S("x")},
        {":y", S("y")},
        {":z", S("z")},
        {":e", S("é")},
        {":neg", N("-5")},
        {":frac", N("1.5")},
    };
    item_ = {
        {"a", N("1")},
        {"b", S("abc")},
        {"c", B("\x01\x02\x03")},
        {"ss", SS({"x", "y"})},
        {"ns", NS({"1", "2.5"})},
        {"bs", BS({"\x01\x02", "\xff"})},
        {"lst", L({S("x"), N("1"), M({{"k", S("v")}}), L({N("7"), N("8")})})},
        {"nested", M({{"core", M({{"deep", N("10")}})}, {"arr", L({M({{"z", S("z")}})})}})},
        {"flag", Bool(true)},
        {"nothing", Null()},
        {"txt", S("é")},
        {"emptylist", L({})},
        {"x.y", S("dotted")},
        {"名前", S("unicode")},
        {"😀", N("9")},
    };
  }

  Result<ConditionExpression> Parse(std::string_view text,
                                    std::string_view kind = "ConditionExpression") {
    ExpressionContext context(&names_, &values_);
    return ConditionExpression::Parse(text, context, kind);
  }

  // Evaluates against item_ (or `item`), failing the test on a parse error.
  bool Eval(std::string_view text) { return Eval(text, item_); }
  bool Eval(std::string_view text, const Item& item) {
    auto condition = Parse(text);
    EXPECT_TRUE(condition.ok()) << text << ": " << condition.status().message();
    if (!condition.ok()) return false;
    auto result = condition->Evaluate(item);
    EXPECT_TRUE(result.ok()) << result.status().message();
    return result.ok() && *result;
  }

  std::string Error(std::string_view text, std::string_view kind = "ConditionExpression") {
    auto condition = Parse(text, kind);
    EXPECT_FALSE(condition.ok()) << text << " parsed";
    EXPECT_EQ(condition.status().code(), StatusCode::kInvalidArgument);
    return condition.status().message();
  }

  std::map<std::string, std::string> names_;
  Item values_;
  Item item_;
};

}  // namespace ck::store::expr::testing
