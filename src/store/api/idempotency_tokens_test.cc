#include "store/api/idempotency_tokens.h"

#include <gtest/gtest.h>

#include <string>

namespace ck::store::api {
namespace {

using Match = IdempotencyTokens::Match;
constexpr auto kStart = std::chrono::system_clock::time_point(std::chrono::hours(500000));

TEST(IdempotencyTokensTest, RepeatsMatchMismatchesDoNot) {
  IdempotencyTokens tokens;
  EXPECT_EQ(tokens.Find("t", "digest", kStart).match, Match::kNone);
  tokens.Remember("t", "digest", "{}", kStart);
  auto repeat = tokens.Find("t", "digest", kStart + std::chrono::minutes(1));
  EXPECT_EQ(repeat.match, Match::kSameRequest);
  EXPECT_EQ(repeat.response, "{}");
  EXPECT_EQ(tokens.Find("t", "other", kStart).match, Match::kOtherRequest);
  EXPECT_EQ(tokens.Find("u", "digest", kStart).match, Match::kNone);

  tokens.Remember("t", "other", "{\"x\":1}", kStart + std::chrono::minutes(2));  // first one wins
  EXPECT_EQ(tokens.Find("t", "digest", kStart).match, Match::kSameRequest);
}

TEST(IdempotencyTokensTest, TokensExpireTenMinutesAfterTheCall) {
  IdempotencyTokens tokens;
  tokens.Remember("t", "digest", "{}", kStart);
  EXPECT_EQ(tokens.Find("t", "digest", kStart + std::chrono::seconds(599)).match,
            Match::kSameRequest);
  EXPECT_EQ(tokens.Find("t", "other", kStart + std::chrono::seconds(600)).match, Match::kNone);
  EXPECT_EQ(tokens.size(), 0u);
}

TEST(IdempotencyTokensTest, CapacityDropsTheOldestToken) {
  IdempotencyTokens tokens(3);
  for (int i = 0; i < 5; ++i) {
    tokens.Remember("t" + std::to_string(i), "d", "{}", kStart + std::chrono::seconds(i));
  }
  EXPECT_EQ(tokens.size(), 3u);
  EXPECT_EQ(tokens.Find("t0", "d", kStart).match, Match::kNone);
  EXPECT_EQ(tokens.Find("t1", "d", kStart).match, Match::kNone);
  EXPECT_EQ(tokens.Find("t2", "d", kStart).match, Match::kSameRequest);
  EXPECT_EQ(tokens.Find("t4", "d", kStart).match, Match::kSameRequest);
}

}  // namespace
}  // namespace ck::store::api
