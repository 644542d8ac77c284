// UpdateExpression: parsing, DynamoDB's error messages and application to items.
#include <gtest/gtest.h>

#include <string>

#include "store/expr/expression.h"
#include "store/expr/test_values.h"

namespace ck::store::expr {
namespace {

using namespace ::ck::store::expr::testing;  // NOLINT(google-build-using-namespace)

class UpdateTest : public ::testing::Test {
 protected:
  UpdateTest() {
    names_ = {{"#a", "a"}, {"#l", "mylist"}, {"#m", "mymap"}, {"#name", "name"}, {"#uni", "ключ"}};
    values_ = {
        {":one", N("1")},
        {":two", N("2")},
        {":five", N("5")},
        {":zero", N("0")},
        {":s", S("str")},
        {":t", S("other")},
        {":b", B("\x01")},
        {":true", Bool(true)},
        {":null", Null()},
        {":list", L({S("x"), S("y")})},
        {":empty", L({})},
        {":map", M({{"k", S("v")}})},
        {":ss", SS({"b", "c"})},
        {":ss2", SS({"a", "b"})},
        {":ns", NS({"1", "3"})},
        {":bs", BS({"\x01", "\x02"})},
        {":big", N("99" + std::string(124, '0'))},  // 9.9E+125
    };
  }

  Result<UpdateExpression> Parse(std::string_view text) {
    ExpressionContext context(&names_, &values_);
    return UpdateExpression::Parse(text, context);
  }

  std::string ParseError(std::string_view text) {
    auto update = Parse(text);
    EXPECT_FALSE(update.ok()) << text << " parsed";
    EXPECT_EQ(update.status().code(), StatusCode::kInvalidArgument);
    return update.status().message();
  }

  // Applies `text` to `item`, returning the new item; fails the test on any error.
  Item Apply(std::string_view text, Item item) {
    auto update = Parse(text);
    EXPECT_TRUE(update.ok()) << text << ": " << update.status().message();
    if (!update.ok()) return item;
    Status status = update->Apply(item);
    EXPECT_TRUE(status.ok()) << text << ": " << status.message();
    return item;
  }

  // Applies `text` expecting a run-time error; checks that the item is unchanged.
  std::string ApplyError(std::string_view text, const Item& item) {
    auto update = Parse(text);
    EXPECT_TRUE(update.ok()) << text << ": " << update.status().message();
    if (!update.ok()) return "";
    Item copy = item;
    Status status = update->Apply(copy);
    EXPECT_FALSE(status.ok()) << text << " applied: " << Debug(copy);
    EXPECT_EQ(Debug(copy), Debug(item)) << "item changed by a failed update";
    return status.message();
  }

  std::map<std::string, std::string> names_;
  Item values_;
};

const char kMissing[] =
    "The provided expression refers to an attribute that does not exist in the item";
const char kWrongType[] = "An operand in the update expression has an incorrect data type";
const char kInvalidPath[] =
    "The document path provided in the update expression is invalid for update";

TEST_F(UpdateTest, SetTopLevel) {
  EXPECT_EQ(Debug(Apply("SET a = :one", {})), Debug(Item{{"a", N("1")}}));
  EXPECT_EQ(Debug(Apply("SET a = :s", {{"a", N("1")}})), Debug(Item{{"a", S("str")}}));
  EXPECT_EQ(Debug(Apply("SET a = :one, b = :s", {})), Debug(Item{{"a", N("1")}, {"b", S("str")}}));
  EXPECT_EQ(Debug(Apply("set #a = :map", {})), Debug(Item{{"a", M({{"k", S("v")}})}}));
  EXPECT_EQ(Debug(Apply("SET #uni = :null", {})), Debug(Item{{"ключ", Null()}}));
  EXPECT_EQ(Debug(Apply("SET a = (:one)", {})), Debug(Item{{"a", N("1")}}));
}

TEST_F(UpdateTest, SetNestedPaths) {
  Item item = {{"mymap", M({{"nested", S("old")}, {"keep", S("k")}})}};
  EXPECT_EQ(Debug(Apply("SET #m.nested = :s", item)),
            Debug(Item{{"mymap", M({{"nested", S("str")}, {"keep", S("k")}})}}));
  EXPECT_EQ(
      Debug(Apply("SET mymap.child = :s", item)),
      Debug(Item{{"mymap", M({{"nested", S("old")}, {"keep", S("k")}, {"child", S("str")}})}}));
  Item deep = {{"a", M({{"b", M({{"c", S("old")}})}})}};
  EXPECT_EQ(Debug(Apply("SET a.b.c = :s", deep)),
            Debug(Item{{"a", M({{"b", M({{"c", S("str")}})}})}}));
  Item lists = {{"a", L({M({{"b", L({N("1"), N("2")})}})})}};
  EXPECT_EQ(Debug(Apply("SET a[0].b[1] = :five", lists)),
            Debug(Item{{"a", L({M({{"b", L({N("1"), N("5")})}})})}}));
}

TEST_F(UpdateTest, SetListElements) {
  Item item = {{"mylist", L({S("a"), S("b"), S("c")})}};
  EXPECT_EQ(Debug(Apply("SET #l[1] = :s", item)),
            Debug(Item{{"mylist", L({S("a"), S("str"), S("c")})}}));
  // Past the end appends, without padding.
  EXPECT_EQ(Debug(Apply("SET #l[5] = :s", item)),
            Debug(Item{{"mylist", L({S("a"), S("b"), S("c"), S("str")})}}));
  EXPECT_EQ(Debug(Apply("SET #l[3] = :s", item)),
            Debug(Item{{"mylist", L({S("a"), S("b"), S("c"), S("str")})}}));
  // Several appends land in index order, whatever the order in the expression.
  EXPECT_EQ(Debug(Apply("SET #l[9] = :t, #l[7] = :s", item)),
            Debug(Item{{"mylist", L({S("a"), S("b"), S("c"), S("str"), S("other")})}}));
  EXPECT_EQ(Debug(Apply("SET #l[5] = :t, #l[3] = :s", item)),
            Debug(Item{{"mylist", L({S("a"), S("b"), S("c"), S("str"), S("other")})}}));
  EXPECT_EQ(Debug(Apply("SET #l[0] = :s", {{"mylist", L({})}})),
            Debug(Item{{"mylist", L({S("str")})}}));
}

TEST_F(UpdateTest, SetInvalidDocumentPaths) {
  Item item = {{"top", S("val")}, {"mymap", M({})}, {"mylist", L({N("1")})}};
  EXPECT_EQ(ApplyError("SET absent.nested.deep = :s", item), kInvalidPath);
  EXPECT_EQ(ApplyError("SET absent.nested = :s", item), kInvalidPath);
  EXPECT_EQ(ApplyError("SET top.nested = :s", item), kInvalidPath);
  EXPECT_EQ(ApplyError("SET top[0] = :s", item), kInvalidPath);
  EXPECT_EQ(ApplyError("SET mymap[0] = :s", item), kInvalidPath);
  EXPECT_EQ(ApplyError("SET mylist.x = :s", item), kInvalidPath);
  EXPECT_EQ(ApplyError("SET mylist[3].x = :s", item), kInvalidPath);
  EXPECT_EQ(ApplyError("SET absent[0] = :s", item), kInvalidPath);
}

TEST_F(UpdateTest, SetReadsTheItemBeforeTheUpdate) {
  Item item = {{"a", N("1")}, {"b", N("2")}};
  EXPECT_EQ(Debug(Apply("SET a = b, b = a", item)), Debug(Item{{"a", N("2")}, {"b", N("1")}}));
  EXPECT_EQ(Debug(Apply("SET a = :five, c = a", item)),
            Debug(Item{{"a", N("5")}, {"b", N("2")}, {"c", N("1")}}));
  EXPECT_EQ(Debug(Apply("SET c = a REMOVE a", item)), Debug(Item{{"b", N("2")}, {"c", N("1")}}));
}

TEST_F(UpdateTest, Arithmetic) {
  Item item = {{"n", N("10")}, {"s", S("x")}, {"mymap", M({{"tally", N("10")}})}};
  EXPECT_EQ(Debug(Apply("SET n = n + :five", item)), Debug(Apply("SET n = :five + n", item)));
  EXPECT_EQ(Apply("SET n = n + :five", item)["n"], N("15"));
  EXPECT_EQ(Apply("SET n = n - :five", item)["n"], N("5"));
  EXPECT_EQ(Apply("SET n = :one - n", item)["n"], N("-9"));
  EXPECT_EQ(Apply("SET x = :one + :two", item)["x"], N("3"));
  EXPECT_EQ(Apply("SET n = n + n", item)["n"], N("20"));
  EXPECT_EQ(Apply("SET #m.tally = #m.tally + :five", item)["mymap"], M({{"tally", N("15")}}));
  EXPECT_EQ(Apply("SET n = (n + :one)", item)["n"], N("11"));
  EXPECT_EQ(Apply("SET n = (n) - (:one)", item)["n"], N("9"));
  EXPECT_EQ(ApplyError("SET n = absent + :one", item), kMissing);
  EXPECT_EQ(ApplyError("SET n = :one + absent", item), kMissing);
  EXPECT_EQ(ApplyError("SET n = s + :one", item), kWrongType);
  EXPECT_EQ(ApplyError("SET n = n + s", item), kWrongType);
  EXPECT_EQ(ApplyError("SET n = :big + :big", item),
            "Number overflow. Attempting to store a number with magnitude larger than supported "
            "range");
}

TEST_F(UpdateTest, IfNotExists) {
  Item item = {{"n", N("10")}};
  EXPECT_EQ(Apply("SET n = if_not_exists(n, :zero)", item)["n"], N("10"));
  EXPECT_EQ(Apply("SET m = if_not_exists(m, :zero)", item)["m"], N("0"));
  EXPECT_EQ(Apply("SET m = if_not_exists(m, :zero) + :one", item)["m"], N("1"));
  EXPECT_EQ(Apply("SET n = if_not_exists(n, :zero) + :one", item)["n"], N("11"));
  EXPECT_EQ(Apply("SET m = if_not_exists(m, n)", item)["m"], N("10"));
  EXPECT_EQ(ApplyError("SET m = if_not_exists(m, ghost)", item), kMissing);
}

TEST_F(UpdateTest, ListAppend) {
  Item item = {{"mylist", L({S("a")})}, {"s", S("x")}};
  EXPECT_EQ(Apply("SET #l = list_append(#l, :list)", item)["mylist"], L({S("a"), S("x"), S("y")}));
  EXPECT_EQ(Apply("SET #l = list_append(:list, #l)", item)["mylist"], L({S("x"), S("y"), S("a")}));
  EXPECT_EQ(Apply("SET n = list_append(if_not_exists(n, :empty), :list)", item)["n"],
            L({S("x"), S("y")}));
  EXPECT_EQ(Apply("SET n = list_append(:list, :list)", item)["n"],
            L({S("x"), S("y"), S("x"), S("y")}));
  EXPECT_EQ(ApplyError("SET n = list_append(s, :list)", item), kWrongType);
  EXPECT_EQ(ApplyError("SET n = list_append(absent, :list)", item), kMissing);
}

TEST_F(UpdateTest, Remove) {
  Item item = {{"a", N("1")}, {"b", N("2")}, {"mymap", M({{"nested", S("x")}, {"keep", S("k")}})}};
  EXPECT_EQ(Debug(Apply("REMOVE a", item)),
            Debug(Item{{"b", N("2")}, {"mymap", M({{"nested", S("x")}, {"keep", S("k")}})}}));
  EXPECT_EQ(Debug(Apply("REMOVE a, b, #m", item)), Debug(Item{}));
  EXPECT_EQ(Apply("REMOVE #m.nested", item)["mymap"], M({{"keep", S("k")}}));
  EXPECT_EQ(Debug(Apply("REMOVE absent", item)), Debug(item));
  EXPECT_EQ(Debug(Apply("REMOVE mymap.absent", item)), Debug(item));
  EXPECT_EQ(ApplyError("REMOVE absent.nested", item), kInvalidPath);
  EXPECT_EQ(ApplyError("REMOVE a.nested", item), kInvalidPath);
}

TEST_F(UpdateTest, RemoveListElements) {
  Item item = {{"mylist", L({S("a"), S("b"), S("c"), S("d")})}};
  EXPECT_EQ(Apply("REMOVE #l[1]", item)["mylist"], L({S("a"), S("c"), S("d")}));
  EXPECT_EQ(Apply("REMOVE #l[3]", item)["mylist"], L({S("a"), S("b"), S("c")}));
  // Indexes refer to the list before the update.
  EXPECT_EQ(Apply("REMOVE #l[1], #l[2]", item)["mylist"], L({S("a"), S("d")}));
  EXPECT_EQ(Apply("REMOVE #l[2], #l[0]", item)["mylist"], L({S("b"), S("d")}));
  EXPECT_EQ(Apply("REMOVE #l[10]", item)["mylist"], L({S("a"), S("b"), S("c"), S("d")}));
  EXPECT_EQ(Apply("REMOVE #l[0], #l[1], #l[2], #l[3]", item)["mylist"], L({}));
  EXPECT_EQ(Apply("SET #l[1] = :s REMOVE #l[0]", item)["mylist"], L({S("str"), S("c"), S("d")}));
  EXPECT_EQ(Apply("SET #l[9] = :s REMOVE #l[0]", item)["mylist"],
            L({S("b"), S("c"), S("d"), S("str")}));
  // An index the old list lacked stays a no-op even when an append created that element.
  EXPECT_EQ(Apply("SET #l[9] = :s REMOVE #l[4]", item)["mylist"],
            L({S("a"), S("b"), S("c"), S("d"), S("str")}));
  Item nested = {{"a", L({M({{"x", N("1")}, {"y", N("2")}}), M({{"x", N("3")}})})}};
  EXPECT_EQ(Apply("REMOVE a[0], a[1].x", nested)["a"], L({M({})}));
  EXPECT_EQ(Apply("REMOVE a[1].x, a[0].y", nested)["a"], L({M({{"x", N("1")}}), M({})}));
  EXPECT_EQ(ApplyError("REMOVE a[0][0]", nested), kInvalidPath);
}

TEST_F(UpdateTest, AddNumbers) {
  Item item = {{"n", N("10")}, {"s", S("x")}, {"mymap", M({{"c", N("1")}})}};
  EXPECT_EQ(Apply("ADD n :five", item)["n"], N("15"));
  EXPECT_EQ(Apply("ADD fresh :five", item)["fresh"], N("5"));  // absent counts as 0
  EXPECT_EQ(Apply("ADD #m.c :one", item)["mymap"], M({{"c", N("2")}}));
  EXPECT_EQ(Apply("ADD #m.d :one", item)["mymap"], M({{"c", N("1")}, {"d", N("1")}}));
  EXPECT_EQ(Apply("add n :one, m :two", item)["m"], N("2"));
  EXPECT_EQ(ApplyError("ADD s :one", item), kWrongType);
  EXPECT_EQ(ApplyError("ADD n :ss", item), kWrongType);
  EXPECT_EQ(ApplyError("ADD absent.c :one", item), kInvalidPath);
  Item list = {{"l", L({N("1")})}};
  EXPECT_EQ(Apply("ADD l[0] :one", list)["l"], L({N("2")}));
  EXPECT_EQ(Apply("ADD l[4] :one", list)["l"], L({N("1"), N("1")}));
}

TEST_F(UpdateTest, AddSets) {
  Item item = {{"ss", SS({"a", "b"})}, {"ns", NS({"1", "2"})}, {"bs", BS({"\x01"})}};
  EXPECT_EQ(Apply("ADD ss :ss", item)["ss"], SS({"a", "b", "c"}));
  EXPECT_EQ(Apply("ADD ns :ns", item)["ns"], NS({"1", "2", "3"}));
  EXPECT_EQ(Apply("ADD bs :bs", item)["bs"], BS({"\x01", "\x02"}));
  EXPECT_EQ(Apply("ADD fresh :ss", item)["fresh"], SS({"b", "c"}));
  EXPECT_EQ(ApplyError("ADD ss :ns", item), kWrongType);
  EXPECT_EQ(ApplyError("ADD ns :five", item), kWrongType);
}

TEST_F(UpdateTest, DeleteFromSets) {
  Item item = {{"ss", SS({"a", "b", "c"})},
               {"ns", NS({"1", "2"})},
               {"s", S("x")},
               {"mymap", M({{"tags", SS({"a", "b"})}})}};
  EXPECT_EQ(Apply("DELETE ss :ss", item)["ss"], SS({"a"}));
  EXPECT_EQ(Apply("DELETE ns :ns", item)["ns"], NS({"2"}));
  EXPECT_EQ(Apply("DELETE #m.tags :ss", item)["mymap"], M({{"tags", SS({"a"})}}));
  // Removing every member removes the attribute.
  Item removed = Apply("DELETE ss :ss, #m.tags :ss2",
                       Item{{"ss", SS({"b", "c"})}, {"mymap", M({{"tags", SS({"a", "b"})}})}});
  EXPECT_EQ(Debug(removed), Debug(Item{{"mymap", M({})}}));
  EXPECT_EQ(Debug(Apply("DELETE absent :ss", item)), Debug(item));
  EXPECT_EQ(ApplyError("DELETE s :ss", item), kWrongType);
  EXPECT_EQ(ApplyError("DELETE ns :ss", item), kWrongType);
  Item lists = {{"l", L({SS({"b"}), N("1")})}};
  EXPECT_EQ(Apply("DELETE l[0] :ss", lists)["l"], L({N("1")}));
}

TEST_F(UpdateTest, AllSectionsTogether) {
  Item item = {{"a", N("1")}, {"b", S("x")}, {"tags", SS({"a", "b"})}, {"n", N("5")}};
  Item result = Apply("SET c = :s REMOVE b ADD n :one, fresh :ss DELETE tags :ss2", item);
  EXPECT_EQ(Debug(result),
            Debug(Item{{"a", N("1")}, {"c", S("str")}, {"n", N("6")}, {"fresh", SS({"b", "c"})}}));
  Item reordered = Apply("DELETE tags :ss2 ADD n :one, fresh :ss REMOVE b SET c = :s", item);
  EXPECT_EQ(Debug(reordered), Debug(result));
}

TEST_F(UpdateTest, FailedUpdatesLeaveTheItemUnchanged) {
  Item item = {{"a", N("1")}, {"s", S("x")}, {"mylist", L({N("1"), N("2")})}};
  EXPECT_EQ(ApplyError("SET a = :five, b = absent", item), kMissing);
  EXPECT_EQ(ApplyError("SET a = :five REMOVE #l[0] ADD s :one", item), kWrongType);
  EXPECT_EQ(ApplyError("REMOVE a SET x.y = :one", item), kInvalidPath);
  EXPECT_EQ(ApplyError("ADD a :one DELETE s :ss", item), kWrongType);
}

TEST_F(UpdateTest, TopLevelAttributesAndPaths) {
  auto update = Parse("SET a.b = :one, c = :two REMOVE a.d, #l[0] ADD e :one DELETE f :ss");
  ASSERT_TRUE(update.ok()) << update.status().message();
  EXPECT_EQ(update->TopLevelAttributes(), (std::vector<std::string>{"a", "c", "mylist", "e", "f"}));
  std::vector<std::string> paths;
  for (const auto& path : update->Paths()) paths.push_back(PathToString(path));
  EXPECT_EQ(paths, (std::vector<std::string>{"a.b", "c", "a.d", "mylist[0]", "e", "f"}));
}

TEST_F(UpdateTest, SyntaxErrors) {
  EXPECT_EQ(ParseError("INVALID SYNTAX HERE"),
            "Invalid UpdateExpression: Syntax error; token: \"INVALID\", near: \"INVALID SYNTAX\"");
  EXPECT_EQ(ParseError("ADD hits : incr"),
            "Invalid UpdateExpression: Syntax error; token: \":\", near: \"hits : incr\"");
  EXPECT_EQ(ParseError("SET a = :one +"),
            "Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"+\"");
  EXPECT_EQ(ParseError("SET a"),
            "Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"a\"");
  EXPECT_EQ(ParseError("SET a = :one,"),
            "Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \",\"");
  EXPECT_EQ(ParseError("SET"),
            "Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"SET\"");
  EXPECT_EQ(ParseError("SET a = :one + :two + :five"),
            "Invalid UpdateExpression: Syntax error; token: \"+\", near: \":two + :five\"");
  EXPECT_EQ(ParseError("SET a = :one b = :two"),
            "Invalid UpdateExpression: Syntax error; token: \"b\", near: \":one b =\"");
  EXPECT_EQ(ParseError("ADD a b"),
            "Invalid UpdateExpression: Syntax error; token: \"b\", near: \"a b\"");
  EXPECT_EQ(ParseError("DELETE a"),
            "Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"a\"");
  EXPECT_EQ(ParseError("REMOVE a = :one"),
            "Invalid UpdateExpression: Syntax error; token: \"=\", near: \"a = :one\"");
  EXPECT_EQ(ParseError("SET a = :one * :two"),
            "Invalid UpdateExpression: Syntax error; token: \"*\", near: \":one * :two\"");
  EXPECT_EQ(ParseError("SET remove = :one"),
            "Invalid UpdateExpression: Syntax error; token: \"remove\", near: \"SET remove =\"");
  EXPECT_EQ(ParseError("SET a = list_append()"),
            "Invalid UpdateExpression: Syntax error; token: \")\", near: \"()\"");
  EXPECT_EQ(ParseError("SET :one = a"),
            "Invalid UpdateExpression: Syntax error; token: \":one\", near: \"SET :one =\"");
  EXPECT_EQ(ParseError("  "),
            "Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"\"");
  EXPECT_EQ(ParseError(""), "Invalid UpdateExpression: The expression can not be empty;");
}

TEST_F(UpdateTest, SectionsAtMostOnce) {
  EXPECT_EQ(ParseError("SET a = :one SET b = :two"),
            "Invalid UpdateExpression: The \"SET\" section can only be used once in an update "
            "expression;");
  EXPECT_EQ(ParseError("REMOVE a remove b"),
            "Invalid UpdateExpression: The \"REMOVE\" section can only be used once in an update "
            "expression;");
  EXPECT_EQ(ParseError("ADD a :one DELETE b :ss ADD c :one"),
            "Invalid UpdateExpression: The \"ADD\" section can only be used once in an update "
            "expression;");
  EXPECT_EQ(ParseError("DELETE a :ss DELETE b :ss"),
            "Invalid UpdateExpression: The \"DELETE\" section can only be used once in an update "
            "expression;");
}

TEST_F(UpdateTest, OverlappingAndConflictingPaths) {
  EXPECT_EQ(ParseError("SET a = :one, a.b = :two"),
            "Invalid UpdateExpression: Two document paths overlap with each other; must remove or "
            "rewrite one of these paths; path one: [a], path two: [a, b]");
  EXPECT_EQ(ParseError("SET a.b = :one REMOVE a"),
            "Invalid UpdateExpression: Two document paths overlap with each other; must remove or "
            "rewrite one of these paths; path one: [a, b], path two: [a]");
  EXPECT_EQ(ParseError("SET #a = :one, a = :two"),
            "Invalid UpdateExpression: Two document paths overlap with each other; must remove or "
            "rewrite one of these paths; path one: [a], path two: [a]");
  EXPECT_EQ(ParseError("REMOVE #l[0] ADD mylist[0].x :one"),
            "Invalid UpdateExpression: Two document paths overlap with each other; must remove or "
            "rewrite one of these paths; path one: [mylist, [0]], path two: [mylist, [0], x]");
  EXPECT_EQ(ParseError("SET a[0] = :one, a.b = :two"),
            "Invalid UpdateExpression: Two document paths conflict with each other; must remove "
            "or rewrite one of these paths; path one: [a, [0]], path two: [a, b]");
  EXPECT_EQ(ParseError("SET a[3].c = :one, a.c[3] = :two"),
            "Invalid UpdateExpression: Two document paths conflict with each other; must remove "
            "or rewrite one of these paths; path one: [a, [3], c], path two: [a, c, [3]]");
  EXPECT_TRUE(Parse("SET a.b = :one, a.c = :two, a.d[0] = :one REMOVE a.d[1], b").ok());
  EXPECT_TRUE(Parse("SET a = b, b = a").ok());  // operands are not targets
}

TEST_F(UpdateTest, AddAndDeleteOperandTypes) {
  EXPECT_EQ(ParseError("ADD a :s"),
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: "
            "ADD, operand type: STRING");
  EXPECT_EQ(ParseError("ADD a :b"),
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: "
            "ADD, operand type: BINARY");
  EXPECT_EQ(ParseError("ADD a :true"),
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: "
            "ADD, operand type: BOOLEAN");
  EXPECT_EQ(ParseError("ADD a :null"),
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: "
            "ADD, operand type: NULL");
  EXPECT_EQ(ParseError("ADD a :list"),
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: "
            "ADD, operand type: LIST");
  EXPECT_EQ(ParseError("ADD a :map"),
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: "
            "ADD, operand type: MAP");
  EXPECT_EQ(ParseError("DELETE a :one"),
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: "
            "DELETE, operand type: NUMBER");
  EXPECT_EQ(ParseError("DELETE a :s"),
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: "
            "DELETE, operand type: STRING");
  EXPECT_TRUE(Parse("ADD a :one, b :ss, c :ns, d :bs DELETE e :ss, f :ns, g :bs").ok());
}

TEST_F(UpdateTest, FunctionErrors) {
  EXPECT_EQ(ParseError("SET a = size(b)"),
            "Invalid UpdateExpression: Invalid function name; function: size");
  EXPECT_EQ(ParseError("SET a = attribute_exists(b)"),
            "Invalid UpdateExpression: Invalid function name; function: attribute_exists");
  EXPECT_EQ(ParseError("SET a = if_not_exists(b)"),
            "Invalid UpdateExpression: Incorrect number of operands for operator or function; "
            "operator or function: if_not_exists, number of operands: 1");
  EXPECT_EQ(ParseError("SET a = list_append(:list, :list, :list)"),
            "Invalid UpdateExpression: Incorrect number of operands for operator or function; "
            "operator or function: list_append, number of operands: 3");
  EXPECT_EQ(ParseError("SET a = if_not_exists(:one, :two)"),
            "Invalid UpdateExpression: Operator or function requires a document path; operator or "
            "function: if_not_exists");
  EXPECT_EQ(ParseError("SET a = list_append(a, :s)"),
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator "
            "or function: list_append, operand type: S");
  EXPECT_EQ(ParseError("SET a = a + :s"),
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator "
            "or function: +, operand type: S");
  EXPECT_EQ(ParseError("SET a = :list - a"),
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator "
            "or function: -, operand type: L");
}

TEST_F(UpdateTest, PlaceholdersAndReservedWords) {
  EXPECT_EQ(
      ParseError("SET name = :one"),
      "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name");
  EXPECT_EQ(ParseError("SET a = :missing"),
            "Invalid UpdateExpression: An expression attribute value used in expression is not "
            "defined; attribute value: :missing");
  EXPECT_EQ(ParseError("SET #missing = :one"),
            "Invalid UpdateExpression: An expression attribute name used in the document path is "
            "not defined; attribute name: #missing");
  EXPECT_EQ(ParseError("REMOVE a.#missing"),
            "Invalid UpdateExpression: An expression attribute name used in the document path is "
            "not defined; attribute name: #missing");
  EXPECT_EQ(ParseError("ADD a :missing"),
            "Invalid UpdateExpression: An expression attribute value used in expression is not "
            "defined; attribute value: :missing");
  EXPECT_TRUE(Parse("SET #name = :one").ok());
  // Priorities: reserved word, unknown function, repeated section, names, values, overlaps,
  // ADD/DELETE operands, functions.
  EXPECT_EQ(
      ParseError("SET a = foo(:missing) SET name = :one"),
      "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name");
  EXPECT_EQ(ParseError("SET a = foo(:missing) SET b = :one"),
            "Invalid UpdateExpression: Invalid function name; function: foo");
  EXPECT_EQ(ParseError("SET a = :missing, #missing = :one SET b = :one"),
            "Invalid UpdateExpression: The \"SET\" section can only be used once in an update "
            "expression;");
  EXPECT_EQ(ParseError("SET a = :missing, #missing = :one"),
            "Invalid UpdateExpression: An expression attribute name used in the document path is "
            "not defined; attribute name: #missing");
  EXPECT_EQ(ParseError("SET a = :missing, a = :one"),
            "Invalid UpdateExpression: An expression attribute value used in expression is not "
            "defined; attribute value: :missing");
  EXPECT_EQ(ParseError("ADD a :s, a :one"),
            "Invalid UpdateExpression: Two document paths overlap with each other; must remove or "
            "rewrite one of these paths; path one: [a], path two: [a]");
  EXPECT_EQ(ParseError("SET b = list_append(:s, :s) ADD a :s"),
            "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: "
            "ADD, operand type: STRING");
}

TEST_F(UpdateTest, MarksPlaceholdersUsed) {
  ExpressionContext context(&names_, &values_);
  ASSERT_TRUE(UpdateExpression::Parse("SET #a = :one", context).ok());
  Status unused = context.CheckAllUsed();
  EXPECT_EQ(unused.message(),
            "Value provided in ExpressionAttributeNames unused in expressions: keys: {#l, #m, "
            "#name, #uni}");
}

}  // namespace
}  // namespace ck::store::expr
