#include "collector/insights/event_pointer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "collector/insights/test_events.h"

namespace ck::collector::insights {
namespace {

TEST(EventPointerTest, RoundTripsEveryId) {
  for (uint64_t id :
       {uint64_t{0}, uint64_t{1}, uint64_t{42}, uint64_t{1001}, uint64_t{1} << 63, UINT64_MAX}) {
    const std::string pointer = EncodeEventPointer(id);
    ASSERT_EQ(pointer.size(), kEventPointerLength);
    EXPECT_EQ(pointer.find_first_not_of(
                  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
              std::string::npos)
        << pointer;
    EXPECT_EQ(DecodeEventPointer(pointer), id) << pointer;
  }
  EXPECT_NE(EncodeEventPointer(1), EncodeEventPointer(2));
}

TEST(EventPointerTest, RejectsAnythingEncodeDidNotProduce) {
  const std::string pointer = EncodeEventPointer(1001);
  EXPECT_EQ(DecodeEventPointer(""), std::nullopt);
  EXPECT_EQ(DecodeEventPointer(pointer.substr(1)), std::nullopt);
  EXPECT_EQ(DecodeEventPointer(pointer + "A"), std::nullopt);
  std::string bad_character = pointer;
  bad_character[3] = '+';
  EXPECT_EQ(DecodeEventPointer(bad_character), std::nullopt);
  // Every single-character change is caught (by the check or the canonical-padding rule).
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (size_t i = 0; i < pointer.size(); ++i) {
    for (char c : alphabet) {
      if (c == pointer[i]) continue;
      std::string changed = pointer;
      changed[i] = c;
      EXPECT_EQ(DecodeEventPointer(changed), std::nullopt) << changed;
    }
  }
}

// @ptr cells of a result name the events they came from.
TEST(EventPointerTest, ResultPointersDecodeToTheirEvents) {
  auto result = test_events::Run("fields @timestamp | sort @timestamp asc | limit 3");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->columns, (std::vector<std::string>{"@timestamp", "@ptr"}));
  ASSERT_EQ(result->rows.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    ASSERT_TRUE(result->rows[i][1].has_value());
    EXPECT_EQ(DecodeEventPointer(*result->rows[i][1]), 1001 + i);
  }
}

}  // namespace
}  // namespace ck::collector::insights
