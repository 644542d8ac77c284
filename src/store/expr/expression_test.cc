// ConditionExpression / FilterExpression: parsing, DynamoDB's error messages and evaluation.
#include "store/expr/expression.h"

#include <gtest/gtest.h>

#include <string>

#include "store/expr/condition_fixture.h"

namespace ck::store::expr {
namespace {

using namespace ::ck::store::expr::testing;  // NOLINT(google-build-using-namespace)

TEST_F(ConditionTest, NumbersCompareNumerically) {
  EXPECT_TRUE(Eval("a = :one"));
  EXPECT_FALSE(Eval("a = :two"));
  EXPECT_TRUE(Eval("a < :two"));
  EXPECT_TRUE(Eval("a <= :one"));
  EXPECT_FALSE(Eval("a > :one"));
  EXPECT_TRUE(Eval("a >= :one"));
  EXPECT_TRUE(Eval("a <> :two"));
  EXPECT_TRUE(Eval(":ten > :nine"));  // 10 > 9 numerically although "10" < "9" as text
  EXPECT_TRUE(Eval(":neg < :one"));
  EXPECT_TRUE(Eval(":frac > :one AND :frac < :two"));
  EXPECT_TRUE(Eval("nested.core.deep = :ten"));
}

TEST_F(ConditionTest, StringsAndBinariesCompareBytewise) {
  EXPECT_TRUE(Eval("b = :s"));
  EXPECT_TRUE(Eval("b < :t"));
  EXPECT_TRUE(Eval(":empty < :s"));
  EXPECT_TRUE(Eval(":e > :z"));  // UTF-8 bytes of é sort after ASCII
  EXPECT_TRUE(Eval("c > :bin"));
  EXPECT_TRUE(Eval("c < :binhi"));  // 0xff compares as unsigned
  EXPECT_TRUE(Eval(":binhi > :bin"));
}

TEST_F(ConditionTest, MismatchedTypesAreNeverOrdered) {
  EXPECT_FALSE(Eval("a < :s"));
  EXPECT_FALSE(Eval("a > :s"));
  EXPECT_FALSE(Eval("a = :s"));
  EXPECT_TRUE(Eval("a <> :s"));
  EXPECT_FALSE(Eval("flag < :true"));  // BOOL is not ordered even when equal
  EXPECT_FALSE(Eval("ss > :ss"));
  EXPECT_FALSE(Eval("b < :bin"));
}

TEST_F(ConditionTest, MissingAttributes) {
  EXPECT_FALSE(Eval("absent = :one"));
  EXPECT_TRUE(Eval("absent <> :one"));
  EXPECT_FALSE(Eval("absent < :one"));
  EXPECT_FALSE(Eval("absent BETWEEN :one AND :two"));
  EXPECT_FALSE(Eval("absent IN (:one, :two)"));
  EXPECT_FALSE(Eval("absent = ghost"));
  EXPECT_FALSE(Eval("absent <> ghost"));
  EXPECT_FALSE(Eval("a.b = :one"));  // a is a number: no such path
  EXPECT_FALSE(Eval("lst[10] = :one"));
  EXPECT_FALSE(Eval("b[0] = :s"));
}

TEST_F(ConditionTest, EqualityIsDeep) {
  EXPECT_TRUE(Eval("ss = :ss"));
  Item reordered = {{"ss", SS({"y", "x"})}};
  EXPECT_TRUE(Eval("ss = :ss", reordered));
  EXPECT_TRUE(Eval("lst[2] = :map"));
  EXPECT_FALSE(Eval("lst = :list"));
  Item with_list = {{"l", L({S("a"), N("1")})}};
  EXPECT_TRUE(Eval("l = :list", with_list));
  EXPECT_TRUE(Eval("flag = :true"));
  EXPECT_TRUE(Eval("nothing = :null"));
  EXPECT_FALSE(Eval("flag = :null"));
}

TEST_F(ConditionTest, Between) {
  EXPECT_TRUE(Eval("a BETWEEN :one AND :two"));
  EXPECT_TRUE(Eval("a BETWEEN :one AND :one"));
  EXPECT_FALSE(Eval("a BETWEEN :two AND :ten"));
  EXPECT_TRUE(Eval("b BETWEEN :s AND :t"));
  EXPECT_FALSE(Eval("a BETWEEN :s AND :t"));
  EXPECT_TRUE(Eval(":nine BETWEEN :two AND :ten"));
  EXPECT_TRUE(Eval("a between :one and :two"));
  // BETWEEN binds its AND before the logical AND.
  EXPECT_TRUE(Eval("a BETWEEN :one AND :two AND b = :s"));
  EXPECT_FALSE(Eval("a BETWEEN :one AND :two AND b = :t"));
}

TEST_F(ConditionTest, In) {
  EXPECT_TRUE(Eval("a IN (:one)"));
  EXPECT_TRUE(Eval("a IN (:two, :s, :one)"));
  EXPECT_FALSE(Eval("a IN (:two, :s)"));
  EXPECT_TRUE(Eval("ss IN (:ss)"));
  EXPECT_TRUE(Eval("b in (:t,:s)"));
  EXPECT_TRUE(Eval("a IN ((:one))"));  // parenthesised operands are allowed
}

TEST_F(ConditionTest, AttributeExistsAndNotExists) {
  EXPECT_TRUE(Eval("attribute_exists(a)"));
  EXPECT_FALSE(Eval("attribute_exists(absent)"));
  EXPECT_TRUE(Eval("attribute_not_exists(absent)"));
  EXPECT_TRUE(Eval("attribute_exists(nested.core.deep)"));
  EXPECT_TRUE(Eval("attribute_exists(lst[3][1])"));
  EXPECT_FALSE(Eval("attribute_exists(lst[3][2])"));
  EXPECT_TRUE(Eval("attribute_exists(nested.arr[0].z)"));
  EXPECT_TRUE(Eval("attribute_exists(nothing)"));  // a NULL value exists
  EXPECT_TRUE(Eval("attribute_not_exists(a)", Item{}));
  EXPECT_FALSE(Eval("attribute_exists(a)", Item{}));
}

TEST_F(ConditionTest, AttributeType) {
  EXPECT_TRUE(Eval("attribute_type(a, :typeN)"));
  EXPECT_FALSE(Eval("attribute_type(a, :typeS)"));
  EXPECT_TRUE(Eval("attribute_type(b, :typeS)"));
  EXPECT_TRUE(Eval("attribute_type(c, :typeB)"));
  EXPECT_TRUE(Eval("attribute_type(ss, :typeSS)"));
  EXPECT_TRUE(Eval("attribute_type(ns, :typeNS)"));
  EXPECT_TRUE(Eval("attribute_type(bs, :typeBS)"));
  EXPECT_TRUE(Eval("attribute_type(lst, :typeL)"));
  EXPECT_TRUE(Eval("attribute_type(nested, :typeM)"));
  EXPECT_TRUE(Eval("attribute_type(flag, :typeBOOL)"));
  EXPECT_TRUE(Eval("attribute_type(nothing, :typeNULL)"));
  EXPECT_FALSE(Eval("attribute_type(absent, :typeNULL)"));
}

TEST_F(ConditionTest, BeginsWith) {
  EXPECT_TRUE(Eval("begins_with(b, :s)"));
  EXPECT_TRUE(Eval("begins_with(b, :empty)"));
  EXPECT_FALSE(Eval("begins_with(b, :t)"));
  EXPECT_TRUE(Eval("begins_with(c, :bin)"));
  EXPECT_FALSE(Eval("begins_with(c, :s)"));  // B vs S
  EXPECT_FALSE(Eval("begins_with(absent, :s)"));
  EXPECT_FALSE(Eval("begins_with(lst, :s)"));
}

TEST_F(ConditionTest, Contains) {
  EXPECT_TRUE(Eval("contains(b, :s)"));
  Item sentence = {{"b", S("xxabcxx")}};
  EXPECT_TRUE(Eval("contains(b, :s)", sentence));
  EXPECT_FALSE(Eval("contains(b, :t)", sentence));
  EXPECT_TRUE(Eval("contains(ss, :x)"));
  EXPECT_FALSE(Eval("contains(ss, :z)"));
  EXPECT_TRUE(Eval("contains(ns, :one)"));
  EXPECT_FALSE(Eval("contains(ns, :two)"));
  EXPECT_TRUE(Eval("contains(bs, :bin)"));
  EXPECT_TRUE(Eval("contains(c, :bin)"));
  EXPECT_TRUE(Eval("contains(lst, :x)"));
  EXPECT_TRUE(Eval("contains(lst, :one)"));
  EXPECT_TRUE(Eval("contains(lst, :map)"));
  EXPECT_FALSE(Eval("contains(lst, :z)"));
  EXPECT_FALSE(Eval("contains(a, :one)"));
  EXPECT_FALSE(Eval("contains(ss, :one)"));
  EXPECT_FALSE(Eval("contains(absent, :x)"));
  EXPECT_FALSE(Eval("NOT contains(ss, :x)"));
}

TEST_F(ConditionTest, Size) {
  EXPECT_TRUE(Eval("size(b) = :ten OR size(b) < :ten"));
  Item item = {{"s", S("héllo")},
               {"bin", B("\x01\x02")},
               {"l", L({N("1")})},
               {"m", M({{"a", N("1")}, {"b", N("2")}})},
               {"n", N("5")}};
  values_[":six"] = N("6");
  values_[":zero"] = N("0");
  EXPECT_TRUE(Eval("size(s) = :six", item));  // bytes, not characters
  EXPECT_TRUE(Eval("size(bin) = :two", item));
  EXPECT_TRUE(Eval("size(l) = :one", item));
  EXPECT_TRUE(Eval("size(m) = :two", item));
  EXPECT_TRUE(Eval("size(ss) = :two"));
  EXPECT_TRUE(Eval("size(emptylist) = :zero"));
  EXPECT_TRUE(Eval("size(txt) = :two"));
  EXPECT_FALSE(Eval("size(n) = :one", item));  // a number has no size
  EXPECT_TRUE(Eval("size(n) <> :one", item));  // like a absent attribute
  EXPECT_FALSE(Eval("size(absent) = :zero", item));
  EXPECT_TRUE(Eval("size(s) BETWEEN :one AND :six", item));
  EXPECT_TRUE(Eval("size(l) IN (:two, :one)", item));
  EXPECT_TRUE(Eval(":six = size(s)", item));
  EXPECT_TRUE(Eval("size(:s) = size(b)"));
  EXPECT_TRUE(Eval("size((s)) = :six", item));
}

TEST_F(ConditionTest, PrecedenceAndOverOr) {
  // a = :x OR b = :y AND c = :z  is  a = :x OR (b = :y AND c = :z)
  const char* expression = "a = :x OR b = :y AND c = :z";
  EXPECT_TRUE(Eval(expression, Item{{"a", S("x")}}));
  EXPECT_FALSE(Eval(expression, Item{{"b", S("y")}}));
  EXPECT_TRUE(Eval(expression, Item{{"b", S("y")}, {"c", S("z")}}));
  // Parentheses override it.
  const char* grouped = "(a = :x OR b = :y) AND c = :z";
  EXPECT_FALSE(Eval(grouped, Item{{"a", S("x")}}));
  EXPECT_TRUE(Eval(grouped, Item{{"a", S("x")}, {"c", S("z")}}));
  const char* mirrored = "a = :x AND b = :y OR c = :z";
  EXPECT_TRUE(Eval(mirrored, Item{{"c", S("z")}}));
  EXPECT_FALSE(Eval(mirrored, Item{{"a", S("x")}}));
}

TEST_F(ConditionTest, PrecedenceNotOverAnd) {
  // NOT a = :x AND b = :y  is  (NOT a = :x) AND b = :y
  const char* expression = "NOT a = :x AND b = :y";
  EXPECT_TRUE(Eval(expression, Item{{"b", S("y")}}));
  EXPECT_FALSE(Eval(expression, Item{{"a", S("x")}, {"b", S("y")}}));
  EXPECT_FALSE(Eval(expression, Item{}));
  EXPECT_TRUE(Eval("NOT (a = :x AND b = :y)", Item{}));
  EXPECT_TRUE(Eval("NOT NOT a = :x", Item{{"a", S("x")}}));
  EXPECT_TRUE(Eval("not attribute_exists(a)", Item{}));
  EXPECT_TRUE(Eval("NOT a = :x OR NOT b = :y", Item{{"a", S("x")}}));
}

TEST_F(ConditionTest, KeywordsAreCaseInsensitiveAndWhitespaceIsFree) {
  EXPECT_TRUE(Eval("a = :one and b = :s"));
  EXPECT_TRUE(Eval("a = :two Or b = :s"));
  EXPECT_TRUE(Eval("nOt a = :two"));
  EXPECT_TRUE(Eval("a=:one AND b<>:t"));
  EXPECT_TRUE(Eval("\ta\n=\r\n:one"));
  EXPECT_TRUE(Eval("  ( a = :one )  "));
  EXPECT_TRUE(Eval("nested . core . deep = :ten"));
  EXPECT_TRUE(Eval("lst [ 3 ] [ 0 ] > :one"));
}

TEST_F(ConditionTest, DocumentPathsAndPlaceholders) {
  EXPECT_TRUE(Eval("#a = :one"));
  EXPECT_TRUE(Eval("#nested.core.#nested = :one OR #nested.core.deep = :ten"));
  EXPECT_TRUE(Eval("#list[2].k = :x OR #list[2].k <> :x"));
  EXPECT_TRUE(Eval("lst[0] = :x"));
  EXPECT_TRUE(Eval("lst[3][1] > lst[3][0]"));
  EXPECT_TRUE(Eval("nested.arr[0].z = :z"));
  EXPECT_TRUE(Eval("#dotted = :x OR #dotted <> :x"));
  Item dotted = {{"x.y", S("x")}};
  EXPECT_TRUE(Eval("#dotted = :x", dotted));  // one attribute named "x.y", not a path
  EXPECT_FALSE(Eval("x.y = :x", dotted));
  EXPECT_TRUE(Eval("#uni = :x OR attribute_exists(#uni)"));
  EXPECT_TRUE(Eval("#emoji = :nine"));
  EXPECT_TRUE(Eval("_under_score = :x OR attribute_not_exists(_under_score)"));
}

TEST_F(ConditionTest, DeepNesting) {
  std::string path = "m";
  Item item;
  AttributeValue value = S("x");
  for (int i = 0; i < 30; ++i) value = M({{"m", value}});
  item["m"] = value;
  for (int i = 0; i < 30; ++i) path += ".m";
  EXPECT_TRUE(Eval(path + " = :x", item));
  std::string nested = "a = :one";
  for (int i = 0; i < 50; ++i) nested = "(" + nested + " AND b = :s)";
  EXPECT_TRUE(Eval(nested));
  std::string nots;
  for (int i = 0; i < 100; ++i) nots += "NOT ";
  EXPECT_TRUE(Eval(nots + "a = :one"));
  // Far deeper than any real expression: rejected, never a crash.
  std::string hostile(2000, '(');
  EXPECT_NE(Error(hostile + "a = :one"), "");
  std::string many_nots;
  for (int i = 0; i < 1000; ++i) many_nots += "NOT ";
  EXPECT_NE(Error(many_nots + "a = :one"), "");
}

TEST_F(ConditionTest, CheckAllUsed) {
  std::map<std::string, std::string> names = {{"#a", "a"}, {"#b", "b"}, {"#c", "c"}};
  Item values = {{":x", S("x")}, {":y", S("y")}, {":z", S("z")}};
  {
    ExpressionContext context(&names, &values);
    ASSERT_TRUE(ConditionExpression::Parse("#a = :x", context).ok());
    EXPECT_EQ(context.CheckAllUsed().message(),
              "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b, #c}");
    ASSERT_TRUE(
        ConditionExpression::Parse("#b = :y AND #c = :y", context, "FilterExpression").ok());
    EXPECT_EQ(context.CheckAllUsed().message(),
              "Value provided in ExpressionAttributeValues unused in expressions: keys: {:z}");
    ASSERT_TRUE(ConditionExpression::Parse("size(:z) > :x", context).ok());
    EXPECT_TRUE(context.CheckAllUsed().ok());
  }
  {
    ExpressionContext context(&names, nullptr);
    EXPECT_EQ(context.CheckAllUsed().code(), StatusCode::kInvalidArgument);
    ExpressionContext empty(nullptr, nullptr);
    EXPECT_TRUE(empty.CheckAllUsed().ok());
  }
}

TEST_F(ConditionTest, DefaultConstructedConditionMatchesEverything) {
  ConditionExpression none;
  EXPECT_TRUE(*none.Evaluate(item_));
}

TEST_F(ConditionTest, ParsedConditionIsReusableAndCopyable) {
  auto condition = Parse("a = :one");
  ASSERT_TRUE(condition.ok());
  ConditionExpression copy = *condition;
  EXPECT_TRUE(*copy.Evaluate(item_));
  EXPECT_FALSE(*copy.Evaluate(Item{{"a", N("2")}}));
  EXPECT_TRUE(*condition->Evaluate(item_));
}

}  // namespace
}  // namespace ck::store::expr
