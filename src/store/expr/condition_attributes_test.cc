// ConditionExpression::TopLevelAttributes.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/expr/condition_fixture.h"
#include "store/expr/expression.h"

namespace ck::store::expr {
namespace {

using namespace ::ck::store::expr::testing;  // NOLINT(google-build-using-namespace)
using Names = std::vector<std::string>;

TEST_F(ConditionTest, TopLevelAttributesInOrderOfFirstUse) {
  auto Attributes = [this](std::string_view text) {
    auto condition = Parse(text);
    EXPECT_TRUE(condition.ok()) << text << ": " << condition.status().message();
    return condition.ok() ? condition->TopLevelAttributes() : Names{};
  };
  EXPECT_EQ(Attributes("a = :one"), Names{"a"});
  EXPECT_EQ(Attributes(":one = :one"), Names{});
  EXPECT_EQ(Attributes("nested.core.deep > :one AND lst[1] = :one"), (Names{"nested", "lst"}));
  EXPECT_EQ(Attributes("#dotted = :s OR NOT (#a = :one AND a BETWEEN :one AND :two)"),
            (Names{"x.y", "a"}));
  EXPECT_EQ(Attributes("size(#b) > :one AND contains(ss, :x) AND attribute_exists(flag)"),
            (Names{"b", "ss", "flag"}));
  EXPECT_EQ(Attributes("a IN (:one, b, :two)"), (Names{"a", "b"}));
}

}  // namespace
}  // namespace ck::store::expr
