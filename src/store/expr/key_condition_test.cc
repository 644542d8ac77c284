// ParseKeyCondition: accepted shapes and DynamoDB's errors.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "store/expr/expression.h"
#include "store/expr/test_values.h"

namespace ck::store::expr {
namespace {

using namespace ::ck::store::expr::testing;  // NOLINT(google-build-using-namespace)
using Op = KeyCondition::Op;

class KeyConditionTest : public ::testing::Test {
 protected:
  KeyConditionTest() {
    names_ = {{"#h", "pk"}, {"#s", "sk"}, {"#date", "date"}};
    values_ = {{":h", S("hash")},  {":h2", S("other")}, {":s", S("sort")}, {":a", S("a")},
               {":z", S("z")},     {":one", N("1")},    {":two", N("2")},  {":true", Bool(true)},
               {":ss", SS({"x"})}, {":b", B("\x01")}};
  }

  Result<KeyCondition> Parse(std::string_view text, std::optional<std::string> range = "sk") {
    ExpressionContext context(&names_, &values_);
    return ParseKeyCondition(text, context, "pk", range);
  }

  KeyCondition Ok(std::string_view text, std::optional<std::string> range = "sk") {
    auto condition = Parse(text, std::move(range));
    EXPECT_TRUE(condition.ok()) << text << ": " << condition.status().message();
    return condition.ok() ? *condition : KeyCondition{};
  }

  std::string Error(std::string_view text, std::optional<std::string> range = "sk") {
    auto condition = Parse(text, std::move(range));
    EXPECT_FALSE(condition.ok()) << text << " parsed";
    EXPECT_EQ(condition.status().code(), StatusCode::kInvalidArgument);
    return condition.status().message();
  }

  std::map<std::string, std::string> names_;
  Item values_;
};

TEST_F(KeyConditionTest, HashOnly) {
  KeyCondition condition = Ok("pk = :h", std::nullopt);
  EXPECT_EQ(condition.hash_name, "pk");
  EXPECT_EQ(condition.hash_value, S("hash"));
  EXPECT_FALSE(condition.range.has_value());
  EXPECT_FALSE(Ok("#h = :h").range.has_value());
  EXPECT_EQ(Ok(":h = pk").hash_value, S("hash"));
  EXPECT_EQ(Ok("(pk = :h)").hash_value, S("hash"));
}

TEST_F(KeyConditionTest, HashAndRange) {
  struct Case {
    const char* text;
    Op op;
  };
  for (const Case& c :
       {Case{"pk = :h AND sk = :s", Op::kEqual}, Case{"pk = :h AND sk < :s", Op::kLess},
        Case{"pk = :h AND sk <= :s", Op::kLessOrEqual}, Case{"pk = :h AND sk > :s", Op::kGreater},
        Case{"pk = :h AND sk >= :s", Op::kGreaterOrEqual},
        Case{"pk = :h AND begins_with(sk, :s)", Op::kBeginsWith},
        Case{"#s > :s AND #h = :h", Op::kGreater}, Case{"pk = :h AND :s > sk", Op::kLess},
        Case{"pk = :h AND :s <= sk", Op::kGreaterOrEqual}, Case{"pk = :h AND :s = sk", Op::kEqual},
        Case{"(pk = :h) AND (sk >= :s)", Op::kGreaterOrEqual},
        Case{"pk = :h and #s < :s", Op::kLess}}) {
    KeyCondition condition = Ok(c.text);
    EXPECT_EQ(condition.hash_value, S("hash")) << c.text;
    ASSERT_TRUE(condition.range.has_value()) << c.text;
    EXPECT_EQ(condition.range->name, "sk") << c.text;
    EXPECT_EQ(condition.range->op, c.op) << c.text;
    EXPECT_EQ(condition.range->value, S("sort")) << c.text;
  }
  KeyCondition between = Ok("pk = :h AND sk BETWEEN :a AND :z");
  ASSERT_TRUE(between.range.has_value());
  EXPECT_EQ(between.range->op, Op::kBetween);
  EXPECT_EQ(between.range->value, S("a"));
  EXPECT_EQ(between.range->value2, S("z"));
  KeyCondition numbers = Ok("sk BETWEEN :one AND :two AND pk = :h");
  EXPECT_EQ(numbers.range->value2, N("2"));
  EXPECT_EQ(Ok("pk = :h AND begins_with(sk, :b)").range->value, B("\x01"));
}

TEST_F(KeyConditionTest, OperatorsDynamoDbRejects) {
  EXPECT_EQ(Error("pk = :h OR sk = :s"), "Invalid operator used in KeyConditionExpression: OR");
  EXPECT_EQ(Error("NOT pk = :h"), "Invalid operator used in KeyConditionExpression: NOT");
  EXPECT_EQ(Error("pk IN (:h, :h2)"), "Invalid operator used in KeyConditionExpression: IN");
  EXPECT_EQ(Error("pk <> :h"), "Invalid operator used in KeyConditionExpression: <>");
  EXPECT_EQ(Error("pk = :h AND attribute_exists(sk)"),
            "Invalid operator used in KeyConditionExpression: attribute_exists");
  EXPECT_EQ(Error("attribute_not_exists(sk) AND pk = :h"),
            "Invalid operator used in KeyConditionExpression: attribute_not_exists");
  EXPECT_EQ(Error("pk = :h AND contains(sk, :s)"),
            "Invalid operator used in KeyConditionExpression: contains");
  EXPECT_EQ(Error("pk = :h AND size(sk) > :one"),
            "KeyConditionExpressions cannot contain nested operations");
}

TEST_F(KeyConditionTest, MalformedConditions) {
  EXPECT_EQ(Error("pk = :h AND :a BETWEEN sk AND :z"),
            "Invalid condition in KeyConditionExpression: BETWEEN operator must have the key "
            "attribute as its first operand");
  EXPECT_EQ(Error("pk = :h AND begins_with(:s, sk)"),
            "Invalid condition in KeyConditionExpression: begins_with operator must have the key "
            "attribute as its first operand");
  EXPECT_EQ(Error("pk = sk"),
            "Invalid condition in KeyConditionExpression: Multiple attribute names used in one "
            "condition");
  EXPECT_EQ(Error("pk.x = :h"),
            "KeyConditionExpressions cannot have conditions on nested attributes");
  EXPECT_EQ(Error("pk[0] = :h"),
            "KeyConditionExpressions cannot have conditions on nested attributes");
  EXPECT_EQ(Error(":h = :h2"),
            "Invalid condition in KeyConditionExpression: No key attribute specified");
  EXPECT_EQ(Error("pk = :h AND #h = :h2"),
            "KeyConditionExpressions must only contain one condition per key");
  EXPECT_EQ(Error("pk = :h AND sk = :s AND ghost = :a"), "Conditions can be of length 1 or 2 only");
}

TEST_F(KeyConditionTest, ValueTypes) {
  EXPECT_EQ(
      Error("pk = :h AND sk < :true"),
      "One or more parameter values were invalid: ComparisonOperator LT is not valid for BOOL "
      "AttributeValue type");
  EXPECT_EQ(Error("pk = :h AND sk > :ss"),
            "One or more parameter values were invalid: ComparisonOperator GT is not valid for SS "
            "AttributeValue type");
  EXPECT_EQ(Error("pk = :true"),
            "One or more parameter values were invalid: ComparisonOperator EQ is not valid for "
            "BOOL AttributeValue type");
  EXPECT_EQ(Error("pk = :h AND begins_with(sk, :one)"),
            "Invalid KeyConditionExpression: Incorrect operand type for operator or function; "
            "operator or function: begins_with, operand type: N");
  EXPECT_EQ(Error("pk = :h AND sk BETWEEN :z AND :a"),
            "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be "
            "greater than or equal to lower bound; lower bound operand: AttributeValue: {S:z}, "
            "upper bound operand: AttributeValue: {S:a}");
}

TEST_F(KeyConditionTest, KeySchema) {
  EXPECT_EQ(Error("sk = :s"), "Query condition missed key schema element: pk");
  EXPECT_EQ(Error("attr1 = :s"), "Query condition missed key schema element: pk");
  EXPECT_EQ(Error("attr1 = :s", std::nullopt), "Query condition missed key schema element: pk");
  EXPECT_EQ(Error("pk = :h AND sk = :s", std::nullopt), "Query key condition not supported");
  EXPECT_EQ(Error("pk > :h"), "Query key condition not supported");
  EXPECT_EQ(Error("begins_with(pk, :h)"), "Query key condition not supported");
  EXPECT_EQ(Error("pk BETWEEN :a AND :z", std::nullopt), "Query key condition not supported");
  EXPECT_EQ(Error("pk = :h AND ghost = :s"), "Query condition missed key schema element: sk");
  EXPECT_EQ(Error("sk = :s AND ghost = :s"), "Query condition missed key schema element: pk");
}

TEST_F(KeyConditionTest, ParseErrorsCarryTheParameterName) {
  EXPECT_EQ(Error(""), "Invalid KeyConditionExpression: The expression can not be empty;");
  EXPECT_EQ(Error("pk = "),
            "Invalid KeyConditionExpression: Syntax error; token: \"<EOF>\", near: \"=\"");
  EXPECT_EQ(Error("pk = :missing"),
            "Invalid KeyConditionExpression: An expression attribute value used in expression is "
            "not defined; attribute value: :missing");
  EXPECT_EQ(Error("date = :h"),
            "Invalid KeyConditionExpression: Attribute name is a reserved keyword; reserved "
            "keyword: date");
  EXPECT_EQ(Error("contains()"),
            "Invalid KeyConditionExpression: Syntax error; token: \")\", near: \"()\"");
  EXPECT_EQ(Error("#date = :h"), "Query condition missed key schema element: pk");
}

}  // namespace
}  // namespace ck::store::expr
