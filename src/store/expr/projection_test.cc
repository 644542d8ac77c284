// ProjectionExpression: parsing, errors and applying projections to items.
#include <gtest/gtest.h>

#include <string>

#include "store/expr/expression.h"
#include "store/expr/test_values.h"

namespace ck::store::expr {
namespace {

using namespace ::ck::store::expr::testing;  // NOLINT(google-build-using-namespace)

class ProjectionTest : public ::testing::Test {
 protected:
  ProjectionTest() {
    names_ = {{"#n", "name"}, {"#m", "mp"}, {"#u", "ünï"}, {"#d", "a.b"}};
    item_ = {
        {"id", S("ck1")},
        {"name", S("Ada")},
        {"age", N("36")},
        {"mp",
         M({{"x", N("1")}, {"y", N("2")}, {"core", M({{"deep", S("d")}, {"other", S("o")}})}})},
        {"lst", L({S("zero"), S("one"), S("two"), M({{"k", S("v")}, {"j", S("w")}})})},
        {"ünï", Bool(true)},
        {"a.b", S("dotted")},
        {"a", M({{"b", S("nested")}})},
    };
  }

  Result<ProjectionExpression> Parse(std::string_view text) {
    ExpressionContext context(&names_, nullptr);
    return ProjectionExpression::Parse(text, context);
  }

  Item Apply(std::string_view text) {
    auto projection = Parse(text);
    EXPECT_TRUE(projection.ok()) << text << ": " << projection.status().message();
    return projection.ok() ? projection->Apply(item_) : Item{};
  }

  std::string Error(std::string_view text) {
    auto projection = Parse(text);
    EXPECT_FALSE(projection.ok()) << text << " parsed";
    return projection.status().message();
  }

  std::map<std::string, std::string> names_;
  Item item_;
};

TEST_F(ProjectionTest, TopLevelAttributes) {
  EXPECT_EQ(Debug(Apply("id")), Debug(Item{{"id", S("ck1")}}));
  EXPECT_EQ(Debug(Apply("id, age, #n")),
            Debug(Item{{"id", S("ck1")}, {"age", N("36")}, {"name", S("Ada")}}));
  EXPECT_EQ(Debug(Apply("id,absent")), Debug(Item{{"id", S("ck1")}}));
  EXPECT_EQ(Debug(Apply("absent")), Debug(Item{}));
  EXPECT_EQ(Debug(Apply("#u")), Debug(Item{{"ünï", Bool(true)}}));
  EXPECT_EQ(Debug(Apply("#d")), Debug(Item{{"a.b", S("dotted")}}));
  EXPECT_EQ(Debug(Apply("a.b")), Debug(Item{{"a", M({{"b", S("nested")}})}}));
}

TEST_F(ProjectionTest, NestedMaps) {
  EXPECT_EQ(Debug(Apply("#m.x")), Debug(Item{{"mp", M({{"x", N("1")}})}}));
  EXPECT_EQ(Debug(Apply("#m.x, #m.core.deep")),
            Debug(Item{{"mp", M({{"x", N("1")}, {"core", M({{"deep", S("d")}})}})}}));
  EXPECT_EQ(Debug(Apply("mp.absent")), Debug(Item{}));
  EXPECT_EQ(Debug(Apply("mp.absent, mp.y")), Debug(Item{{"mp", M({{"y", N("2")}})}}));
  EXPECT_EQ(Debug(Apply("mp.core")),
            Debug(Item{{"mp", M({{"core", M({{"deep", S("d")}, {"other", S("o")}})}})}}));
  EXPECT_EQ(Debug(Apply("id.x, age[0]")), Debug(Item{}));  // wrong types project nothing
}

TEST_F(ProjectionTest, ListElementsKeepRelativeOrder) {
  EXPECT_EQ(Debug(Apply("lst[1]")), Debug(Item{{"lst", L({S("one")})}}));
  EXPECT_EQ(Debug(Apply("lst[2], lst[0]")), Debug(Item{{"lst", L({S("zero"), S("two")})}}));
  EXPECT_EQ(Debug(Apply("lst[9], lst[2]")), Debug(Item{{"lst", L({S("two")})}}));
  EXPECT_EQ(Debug(Apply("lst[3].k")), Debug(Item{{"lst", L({M({{"k", S("v")}})})}}));
  EXPECT_EQ(Debug(Apply("lst[3].j, lst[3].k, lst[0]")),
            Debug(Item{{"lst", L({S("zero"), M({{"k", S("v")}, {"j", S("w")}})})}}));
  EXPECT_EQ(Debug(Apply("lst[3].absent")), Debug(Item{}));
}

TEST_F(ProjectionTest, PathsAccessor) {
  auto projection = Parse("a, #m.x[2].y");
  ASSERT_TRUE(projection.ok());
  ASSERT_EQ(projection->paths().size(), 2u);
  EXPECT_EQ(PathToString(projection->paths()[1]), "mp.x[2].y");
}

TEST_F(ProjectionTest, Errors) {
  EXPECT_EQ(Error(""), "Invalid ProjectionExpression: The expression can not be empty;");
  EXPECT_EQ(Error("!!"), "Invalid ProjectionExpression: Syntax error; token: \"!\", near: \"!!\"");
  EXPECT_EQ(Error("a,"),
            "Invalid ProjectionExpression: Syntax error; token: \"<EOF>\", near: \",\"");
  EXPECT_EQ(Error("a b"),
            "Invalid ProjectionExpression: Syntax error; token: \"b\", near: \"a b\"");
  EXPECT_EQ(Error(":v"), "Invalid ProjectionExpression: Syntax error; token: \":v\", near: \":v\"");
  EXPECT_EQ(Error("a[]"), "Invalid ProjectionExpression: Syntax error; token: \"]\", near: \"[]\"");
  EXPECT_EQ(Error("my-attr"),
            "Invalid ProjectionExpression: Syntax error; token: \"-\", near: \"my-attr\"");
  EXPECT_EQ(Error("name"),
            "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: "
            "name");
  EXPECT_EQ(Error("#missing"),
            "Invalid ProjectionExpression: An expression attribute name used in the document path "
            "is not defined; attribute name: #missing");
  EXPECT_EQ(Error("a, a.b"),
            "Invalid ProjectionExpression: Two document paths overlap with each other; must remove "
            "or rewrite one of these paths; path one: [a], path two: [a, b]");
  EXPECT_EQ(Error("a, a"),
            "Invalid ProjectionExpression: Two document paths overlap with each other; must remove "
            "or rewrite one of these paths; path one: [a], path two: [a]");
  EXPECT_EQ(Error("a[0], a.b"),
            "Invalid ProjectionExpression: Two document paths conflict with each other; must "
            "remove or rewrite one of these paths; path one: [a, [0]], path two: [a, b]");
  // Overlap is reported before a conflict, and reserved words before everything else.
  EXPECT_EQ(Error("a[0], a.b, c, c"),
            "Invalid ProjectionExpression: Two document paths overlap with each other; must remove "
            "or rewrite one of these paths; path one: [c], path two: [c]");
  EXPECT_EQ(Error("#missing, name"),
            "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: "
            "name");
  // Keywords of other expression kinds are plain (reserved) names here.
  EXPECT_EQ(Error("and"),
            "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: "
            "and");
}

TEST_F(ProjectionTest, MarksNamesUsed) {
  ExpressionContext context(&names_, nullptr);
  ASSERT_TRUE(ProjectionExpression::Parse("#n, #m.x", context).ok());
  EXPECT_EQ(context.CheckAllUsed().message(),
            "Value provided in ExpressionAttributeNames unused in expressions: keys: {#d, #u}");
}

}  // namespace
}  // namespace ck::store::expr
