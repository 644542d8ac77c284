#include "telemetry/sampler.h"

#include <gtest/gtest.h>

namespace ck::telemetry {
namespace {

SamplingRequest Get(std::string path) { return {"list-api", "list-api.local", "GET", path}; }

TEST(GlobTest, MatchesStarAndQuestionMarkCaseInsensitively) {
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("*", "anything"));
  EXPECT_TRUE(GlobMatch("/api/*", "/API/list"));
  EXPECT_TRUE(GlobMatch("/h?alth", "/health"));
  EXPECT_TRUE(GlobMatch("*a*b*c", "xxaYYbZZc"));
  EXPECT_FALSE(GlobMatch("/health", "/healthz"));
  EXPECT_FALSE(GlobMatch("?", ""));
  EXPECT_FALSE(GlobMatch("*a*b*c", "xxaYYbZZ"));
  EXPECT_FALSE(GlobMatch(std::string(100, '*') + "b", std::string(10000, 'a')));
}

TEST(SamplerTest, DefaultRuleReservoirIsOnePerSecondThenFivePercent) {
  FakeClock clock(WallTime(std::chrono::seconds(1000)));
  // Draws: 0.04 (< 5%: sampled), 0.06 (not), 0.99 (not).
  SequenceRandom random({SequenceRandom::ForUnit(0.04), SequenceRandom::ForUnit(0.06),
                         SequenceRandom::ForUnit(0.99)});
  Sampler sampler(clock, random);
  EXPECT_TRUE(sampler.ShouldSample(Get("/list")));   // reservoir
  EXPECT_TRUE(sampler.ShouldSample(Get("/list")));   // 0.04
  EXPECT_FALSE(sampler.ShouldSample(Get("/list")));  // 0.06
  EXPECT_FALSE(sampler.ShouldSample(Get("/list")));  // 0.99
  clock.Advance(std::chrono::milliseconds(999));
  EXPECT_TRUE(sampler.ShouldSample(Get("/list")));  // 0.04 again (same second, reservoir used)
  clock.Advance(std::chrono::milliseconds(1));
  EXPECT_TRUE(sampler.ShouldSample(Get("/list")));   // new second: reservoir
  EXPECT_FALSE(sampler.ShouldSample(Get("/list")));  // 0.06
}

TEST(SamplerTest, HealthChecksAreNeverSampledLocally) {
  FakeClock clock(WallTime(std::chrono::seconds(1000)));
  SequenceRandom random({0});  // every draw would be sampled by a rate > 0
  Sampler sampler(clock, random);
  for (int i = 0; i < 100; ++i) EXPECT_FALSE(sampler.ShouldSample(Get("/health")));
  EXPECT_TRUE(sampler.ShouldSample(Get("/healthz")));
  SamplingRequest post = Get("/health");
  post.http_method = "POST";
  EXPECT_TRUE(sampler.ShouldSample(post));  // 0 < 5%
}

TEST(SamplerTest, IncomingDecisionsAreHonoured) {
  FakeClock clock(WallTime(std::chrono::seconds(1000)));
  SequenceRandom random({SequenceRandom::ForUnit(0.99)});
  Sampler sampler(clock, random);
  EXPECT_TRUE(sampler.Decide(Sampled::kYes, Get("/health")));
  EXPECT_FALSE(sampler.Decide(Sampled::kNo, Get("/list")));
  EXPECT_TRUE(sampler.Decide(Sampled::kRequested, Get("/list")));  // reservoir
  EXPECT_FALSE(sampler.Decide(Sampled::kRequested, Get("/list")));
  EXPECT_FALSE(sampler.Decide(Sampled::kUnset, Get("/list")));
}

TEST(SamplerTest, RulesArePriorityOrderedAndReplaceable) {
  FakeClock clock(WallTime(std::chrono::seconds(1000)));
  SequenceRandom random({SequenceRandom::ForUnit(0.5)});
  Sampler sampler(clock, random);
  SamplingRule all;
  all.name = "All";
  all.priority = 50;
  all.fixed_rate = 1;
  SamplingRule none;
  none.name = "NoRegister";
  none.priority = 10;
  none.service_name = "register-*";
  none.http_method = "POST";
  sampler.SetRules({all, none});
  EXPECT_EQ(sampler.rules()[0].name, "NoRegister");
  EXPECT_FALSE(sampler.ShouldSample({"register-api", "h", "POST", "/register"}));
  EXPECT_TRUE(sampler.ShouldSample({"register-api", "h", "GET", "/register"}));
  EXPECT_TRUE(sampler.ShouldSample({"list-api", "h", "POST", "/x"}));
  sampler.SetRules({});
  EXPECT_FALSE(sampler.ShouldSample(Get("/list")));  // no rule matches: not sampled
}

TEST(SamplerTest, ParsesGetSamplingRulesResponses) {
  auto response = nlohmann::json::parse(R"({"SamplingRuleRecords": [
    {"SamplingRule": {"RuleName": "Default", "Priority": 10000, "FixedRate": 0.05,
      "ReservoirSize": 1, "ServiceName": "*", "Host": "*", "HTTPMethod": "*", "URLPath": "*",
      "ResourceARN": "*", "ServiceType": "*", "Version": 1}},
    {"SamplingRule": {"RuleName": "Orders", "Priority": 5, "FixedRate": 1, "ReservoirSize": 10,
      "ServiceName": "order-api", "HTTPMethod": "POST", "URLPath": "/order*", "Version": 1}},
    {"SamplingRule": {"RuleName": "Broken", "Priority": 1, "FixedRate": 7, "ReservoirSize": 1}},
    {"SamplingRule": {"RuleName": "Future", "Priority": 1, "FixedRate": 1, "ReservoirSize": 1,
      "Version": 2}},
    "junk"
  ]})");
  auto rules = ParseSamplingRules(response);
  ASSERT_TRUE(rules.ok());
  ASSERT_EQ(rules->size(), 2u);
  EXPECT_EQ((*rules)[0].name, "Orders");
  EXPECT_EQ((*rules)[0].reservoir_size, 10);
  EXPECT_EQ((*rules)[0].host, "*");
  EXPECT_EQ((*rules)[1].name, "Default");
  EXPECT_DOUBLE_EQ((*rules)[1].fixed_rate, 0.05);
  EXPECT_FALSE(ParseSamplingRules(nlohmann::json::array()).ok());
}

}  // namespace
}  // namespace ck::telemetry
