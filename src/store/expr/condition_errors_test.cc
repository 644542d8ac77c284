// ConditionExpression / FilterExpression: DynamoDB's parse errors, verbatim.
#include <gtest/gtest.h>

#include <string>

#include "store/expr/condition_fixture.h"
#include "store/expr/expression.h"

namespace ck::store::expr {
namespace {

using namespace ::ck::store::expr::testing;  // NOLINT(google-build-using-namespace)

TEST_F(ConditionTest, SyntaxErrors) {
  EXPECT_EQ(Error("a ="),
            "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"=\"");
  EXPECT_EQ(Error("a = :x :y"),
            "Invalid ConditionExpression: Syntax error; token: \":y\", near: \":x :y\"");
  EXPECT_EQ(Error("a == :x"),
            "Invalid ConditionExpression: Syntax error; token: \"=\", near: \"== :x\"");
  EXPECT_EQ(Error("a = :x AND"),
            "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"AND\"");
  EXPECT_EQ(Error("(a = :x"),
            "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \":x\"");
  EXPECT_EQ(Error("a = :x)"),
            "Invalid ConditionExpression: Syntax error; token: \")\", near: \":x)\"");
  EXPECT_EQ(Error("a b"), "Invalid ConditionExpression: Syntax error; token: \"b\", near: \"a b\"");
  EXPECT_EQ(Error("a"), "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"a\"");
  EXPECT_EQ(Error("contains()"),
            "Invalid ConditionExpression: Syntax error; token: \")\", near: \"()\"");
  EXPECT_EQ(Error("a = :x AND b - c = :y"),
            "Invalid ConditionExpression: Syntax error; token: \"-\", near: \"b - c\"");
  EXPECT_EQ(Error("a = #"),
            "Invalid ConditionExpression: Syntax error; token: \"#\", near: \"= #\"");
  EXPECT_EQ(Error("a = : x"),
            "Invalid ConditionExpression: Syntax error; token: \":\", near: \"= : x\"");
  EXPECT_EQ(Error("a.1 = :x"),
            "Invalid ConditionExpression: Syntax error; token: \"1\", near: \".1 =\"");
  EXPECT_EQ(Error("a[x] = :x"),
            "Invalid ConditionExpression: Syntax error; token: \"x\", near: \"[x]\"");
  EXPECT_EQ(Error("a[-1] = :x"),
            "Invalid ConditionExpression: Syntax error; token: \"-\", near: \"[-1\"");
  EXPECT_EQ(Error("a[99999999999] = :x"),
            "Invalid ConditionExpression: Syntax error; token: \"99999999999\", near: "
            "\"[99999999999]\"");
  EXPECT_EQ(Error("名前 = :x"),
            "Invalid ConditionExpression: Syntax error; token: \"名\", near: \"名前\"");
  EXPECT_EQ(Error("a IN ()"),
            "Invalid ConditionExpression: Syntax error; token: \")\", near: \"()\"");
  EXPECT_EQ(Error("a BETWEEN :x OR :y"),
            "Invalid ConditionExpression: Syntax error; token: \"OR\", near: \":x OR :y\"");
  EXPECT_EQ(Error("AND = :x"),
            "Invalid ConditionExpression: Syntax error; token: \"AND\", near: \"AND =\"");
  EXPECT_EQ(Error("a.in = :x"),
            "Invalid ConditionExpression: Syntax error; token: \"in\", near: \".in =\"");
  EXPECT_EQ(Error("   "),
            "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"\"");
  EXPECT_EQ(Error("a = :x ; DROP TABLE"),
            "Invalid ConditionExpression: Syntax error; token: \";\", near: \":x ; DROP\"");
  EXPECT_EQ(Error("size(a)(b) = :x"),
            "Invalid ConditionExpression: Syntax error; token: \"(\", near: \")(b\"");
}

TEST_F(ConditionTest, EmptyAndOversizedExpressions) {
  EXPECT_EQ(Error(""), "Invalid ConditionExpression: The expression can not be empty;");
  EXPECT_EQ(Error("", "FilterExpression"),
            "Invalid FilterExpression: The expression can not be empty;");
  std::string big = "a = :one";
  while (big.size() <= 4096) big += " OR a = :one";
  EXPECT_EQ(Error(big),
            "Invalid ConditionExpression: Expression size has exceeded the maximum "
            "allowed size; expression size: " +
                std::to_string(big.size()));
  std::string exact = "a = :one";
  exact += std::string(4096 - exact.size(), ' ');
  EXPECT_TRUE(Parse(exact).ok());
}

TEST_F(ConditionTest, ReservedWords) {
  EXPECT_EQ(Error("name = :x"),
            "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: "
            "name");
  EXPECT_EQ(Error("Name = :x"),
            "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: "
            "Name");
  EXPECT_EQ(Error("a.size = :x"),
            "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: "
            "size");
  EXPECT_EQ(Error("attribute_exists(status)"),
            "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: "
            "status");
  EXPECT_TRUE(Parse("#name = :x").ok());
  EXPECT_TRUE(Parse("size(a) = :one").ok());  // function names are not attribute names
  EXPECT_TRUE(Parse("nam = :x AND sizes = :x AND named = :x").ok());
}

TEST_F(ConditionTest, UndefinedPlaceholders) {
  EXPECT_EQ(Error("#missing = :x"),
            "Invalid ConditionExpression: An expression attribute name used in the document path "
            "is not defined; attribute name: #missing");
  EXPECT_EQ(Error("a = :missing"),
            "Invalid ConditionExpression: An expression attribute value used in expression is not "
            "defined; attribute value: :missing");
  EXPECT_EQ(Error("a.#missing[0] = :x", "FilterExpression"),
            "Invalid FilterExpression: An expression attribute name used in the document path is "
            "not defined; attribute name: #missing");
  // The first undefined placeholder is reported, name or value.
  EXPECT_EQ(Error("a = :missing AND #missing = :x"),
            "Invalid ConditionExpression: An expression attribute value used in expression is not "
            "defined; attribute value: :missing");
  ExpressionContext no_tables(nullptr, nullptr);
  auto parsed = ConditionExpression::Parse("#a = :b", no_tables);
  EXPECT_EQ(parsed.status().message(),
            "Invalid ConditionExpression: An expression attribute name used in the document path "
            "is not defined; attribute name: #a");
}

TEST_F(ConditionTest, FunctionErrors) {
  EXPECT_EQ(Error("foo(a)"), "Invalid ConditionExpression: Invalid function name; function: foo");
  EXPECT_EQ(Error("BEGINS_WITH(a, :s)"),
            "Invalid ConditionExpression: Invalid function name; function: BEGINS_WITH");
  EXPECT_EQ(Error("if_not_exists(a, :s) = :s"),
            "Invalid ConditionExpression: Invalid function name; function: if_not_exists");
  EXPECT_EQ(Error("begins_with(a)"),
            "Invalid ConditionExpression: Incorrect number of operands for operator or function; "
            "operator or function: begins_with, number of operands: 1");
  EXPECT_EQ(Error("attribute_exists(a, b)"),
            "Invalid ConditionExpression: Incorrect number of operands for operator or function; "
            "operator or function: attribute_exists, number of operands: 2");
  EXPECT_EQ(Error("size(a, b) = :one"),
            "Invalid ConditionExpression: Incorrect number of operands for operator or function; "
            "operator or function: size, number of operands: 2");
  EXPECT_EQ(Error("contains(a, :x, :y)"),
            "Invalid ConditionExpression: Incorrect number of operands for operator or function; "
            "operator or function: contains, number of operands: 3");
  EXPECT_EQ(Error("size(a)"),
            "Invalid ConditionExpression: The function is not allowed to be used this way in an "
            "expression; function: size");
  EXPECT_EQ(Error("a = :x AND NOT size(a)"),
            "Invalid ConditionExpression: The function is not allowed to be used this way in an "
            "expression; function: size");
  EXPECT_EQ(Error("attribute_exists(a) = :true"),
            "Invalid ConditionExpression: The function is not allowed to be used this way in an "
            "expression; function: attribute_exists");
  EXPECT_EQ(Error("contains(begins_with(a, :s), :x)"),
            "Invalid ConditionExpression: The function is not allowed to be used this way in an "
            "expression; function: begins_with");
  EXPECT_EQ(Error("a IN (contains(a, :x))"),
            "Invalid ConditionExpression: The function is not allowed to be used this way in an "
            "expression; function: contains");
  EXPECT_EQ(Error("attribute_exists(:x)"),
            "Invalid ConditionExpression: Operator or function requires a document path; operator "
            "or function: attribute_exists");
  EXPECT_EQ(Error("attribute_not_exists(size(a))"),
            "Invalid ConditionExpression: Operator or function requires a document path; operator "
            "or function: attribute_not_exists");
  EXPECT_EQ(Error("begins_with(a, :one)"),
            "Invalid ConditionExpression: Incorrect operand type for operator or function; "
            "operator or function: begins_with, operand type: N");
  EXPECT_EQ(Error("begins_with(:ss, a)"),
            "Invalid ConditionExpression: Incorrect operand type for operator or function; "
            "operator or function: begins_with, operand type: SS");
  EXPECT_EQ(Error("begins_with(size(a), :s)"),
            "Invalid ConditionExpression: Incorrect operand type for operator or function; "
            "operator or function: begins_with, operand type: N");
  EXPECT_EQ(Error("attribute_type(a, :one)"),
            "Invalid ConditionExpression: Incorrect operand type for operator or function; "
            "operator or function: attribute_type, operand type: N");
  EXPECT_EQ(Error("attribute_type(a, b)"),
            "Invalid ConditionExpression: Incorrect operand type for operator or function; "
            "operator or function: attribute_type, operand type: {NS,SS,L,BS,N,M,B,BOOL,NULL,S}");
  EXPECT_EQ(Error("attribute_type(a, :badtype)"),
            "Invalid ConditionExpression: Invalid attribute type name found; type: STRING, valid "
            "types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
  EXPECT_EQ(Error("size(:one) = :one"),
            "Invalid ConditionExpression: Incorrect operand type for operator or function; "
            "operator or function: size, operand type: N");
  EXPECT_EQ(Error("size(:true) = :one"),
            "Invalid ConditionExpression: Incorrect operand type for operator or function; "
            "operator or function: size, operand type: BOOL");
  EXPECT_EQ(Error("size(:null) = :one"),
            "Invalid ConditionExpression: Incorrect operand type for operator or function; "
            "operator or function: size, operand type: NULL");
}

TEST_F(ConditionTest, DistinctOperands) {
  EXPECT_EQ(Error("a = a"),
            "Invalid ConditionExpression: The first operand must be distinct from the remaining "
            "operands for this operator or function; operator: =, first operand: [a]");
  EXPECT_EQ(Error("#a.b[1] <> a.b[1]"),
            "Invalid ConditionExpression: The first operand must be distinct from the remaining "
            "operands for this operator or function; operator: <>, first operand: [a, b, [1]]");
  EXPECT_EQ(Error("contains(a, a)"),
            "Invalid ConditionExpression: The first operand must be distinct from the remaining "
            "operands for this operator or function; operator: contains, first operand: [a]");
  EXPECT_TRUE(Parse("a = b").ok());
  EXPECT_TRUE(Parse("a.b = a").ok());
  EXPECT_TRUE(Parse(":x = :x").ok());
}

TEST_F(ConditionTest, BetweenBounds) {
  EXPECT_EQ(Error("a BETWEEN :one AND :s"),
            "Invalid ConditionExpression: The BETWEEN operator requires same data type for lower "
            "and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: "
            "AttributeValue: {S:abc}");
  EXPECT_EQ(Error("a BETWEEN :ten AND :nine"),
            "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater "
            "than or equal to lower bound; lower bound operand: AttributeValue: {N:10}, upper "
            "bound operand: AttributeValue: {N:9}");
  EXPECT_EQ(Error("a BETWEEN :t AND :s"),
            "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater "
            "than or equal to lower bound; lower bound operand: AttributeValue: {S:abd}, upper "
            "bound operand: AttributeValue: {S:abc}");
  EXPECT_EQ(Error("a BETWEEN :binhi AND :bin"),
            "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater "
            "than or equal to lower bound; lower bound operand: AttributeValue: {B:/w==}, upper "
            "bound operand: AttributeValue: {B:AQI=}");
  EXPECT_TRUE(Parse("a BETWEEN :nine AND :ten").ok());
  EXPECT_TRUE(Parse("a BETWEEN b AND :one").ok());
}

TEST_F(ConditionTest, RedundantParentheses) {
  const char* kMessage = "Invalid ConditionExpression: The expression has redundant parentheses;";
  EXPECT_EQ(Error("((a = :one))"), kMessage);
  EXPECT_EQ(Error("((a)) = :one"), kMessage);
  EXPECT_EQ(Error("a = :one AND ((b = :s))"), kMessage);
  EXPECT_EQ(Error("((attribute_exists(a)))"), kMessage);
  EXPECT_TRUE(Parse("(a = :one)").ok());
  EXPECT_TRUE(Parse("((a = :one) AND (b = :s))").ok());
  EXPECT_TRUE(Parse("(a) = (:one)").ok());
  EXPECT_TRUE(Parse("size((a)) = :one").ok());
  // A syntax error wins over every semantic error.
  EXPECT_EQ(Error("((name = :missing)"),
            "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \")\"");
}

TEST_F(ConditionTest, OperandLimits) {
  std::string in = "a IN (";
  for (int i = 0; i < 100; ++i) in += (i ? ", :one" : ":one");
  EXPECT_TRUE(Parse(in + ")").ok());
  EXPECT_EQ(Error(in + ", :one)"),
            "Invalid ConditionExpression: The IN operator is provided with too many operands; "
            "number of operands: 101");
  std::string many = "a = :one";
  for (int i = 0; i < 150; ++i) many += " OR a = :one";
  EXPECT_EQ(Error(many),
            "Invalid ConditionExpression: The expression contains too many operators; operator "
            "count: 301");
  std::string enough = "a = :one";
  for (int i = 0; i < 149; ++i) enough += " OR a = :one";
  EXPECT_TRUE(Parse(enough).ok());
}

TEST_F(ConditionTest, ErrorPriorities) {
  // Unknown function before misuse, misuse before reserved words, reserved words before
  // undefined placeholders, which come before operand checks.
  EXPECT_EQ(Error("foo(name) = :missing"),
            "Invalid ConditionExpression: Invalid function name; function: foo");
  EXPECT_EQ(Error("attribute_exists(name) = :missing"),
            "Invalid ConditionExpression: The function is not allowed to be used this way in an "
            "expression; function: attribute_exists");
  EXPECT_EQ(Error("name = :missing"),
            "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: "
            "name");
  EXPECT_EQ(Error("begins_with(a, :one) AND b = :missing"),
            "Invalid ConditionExpression: An expression attribute value used in expression is not "
            "defined; attribute value: :missing");
  EXPECT_EQ(Error("((a = :missing))"),
            "Invalid ConditionExpression: The expression has redundant parentheses;");
}

TEST_F(ConditionTest, KindNamesTheParameter) {
  EXPECT_EQ(Error("a =", "FilterExpression"),
            "Invalid FilterExpression: Syntax error; token: \"<EOF>\", near: \"=\"");
}

}  // namespace
}  // namespace ck::store::expr
