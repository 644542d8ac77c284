#include "collector/alarms/alarm_paging.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/crypto.h"

namespace ck::collector {
namespace {

using Strings = std::vector<std::string>;

constexpr int64_t kStart = 1795675800000;  // 2026-11-26T06:50:00Z

MetricAlarmSpec Metric(std::string name) {
  MetricAlarmSpec spec;
  spec.name = std::move(name);
  spec.namespace_name = "CuddleKube";
  spec.metric_name = "Errors";
  spec.statistic = Statistic::kSum;
  spec.period_seconds = 60;
  spec.evaluation_periods = 1;
  spec.threshold = 5;
  spec.comparison = ComparisonOperator::kGreaterThanOrEqualToThreshold;
  return spec;
}

CompositeAlarmSpec Composite(std::string name, std::string rule) {
  CompositeAlarmSpec spec;
  spec.name = std::move(name);
  spec.rule = std::move(rule);
  return spec;
}

// "alarm-007": zero-padded, so name order is number order.
std::string Numbered(int i) {
  std::string digits = std::to_string(i);
  return "alarm-" + std::string(3 - digits.size(), '0') + digits;
}

// Every page of a query: `read(token)` returns the page, `describe` names each of its items.
template <typename Read, typename Describe>
std::vector<Strings> AllPages(Read read, Describe describe) {
  std::vector<Strings> pages;
  std::string token;
  do {
    auto page = read(token);
    EXPECT_TRUE(page.ok()) << page.status().message();
    if (!page.ok()) break;
    pages.push_back(describe(*page));
    token = page->next_token;
  } while (!token.empty() && pages.size() < 100);
  return pages;
}

std::vector<Strings> AllAlarmPages(const AlarmEngine& engine, const DescribeAlarmsFilter& filter) {
  return AllPages(
      [&](const std::string& token) { return DescribeAlarmsPage(engine, filter, token); },
      [](const AlarmsPage& page) {
        Strings names;
        for (const AlarmRecord& record : page.records) names.push_back(record.name());
        return names;
      });
}

Strings Concatenated(const std::vector<Strings>& pages) {
  Strings out;
  for (const Strings& page : pages) out.insert(out.end(), page.begin(), page.end());
  return out;
}

std::vector<size_t> Sizes(const std::vector<Strings>& pages) {
  std::vector<size_t> out;
  for (const Strings& page : pages) out.push_back(page.size());
  return out;
}

// "alarm-003@12": an item's alarm and its timestamp offset from kStart.
std::string Describe(const AlarmHistoryItem& item) {
  return item.alarm_name + "@" + std::to_string(item.timestamp_ms - kStart);
}

std::vector<Strings> AllHistoryPages(const AlarmEngine& engine, const HistoryQuery& query) {
  return AllPages(
      [&](const std::string& token) { return DescribeAlarmHistoryPage(engine, query, token); },
      [](const AlarmHistoryPage& page) {
        Strings items;
        for (const AlarmHistoryItem& item : page.items) items.push_back(Describe(item));
        return items;
      });
}

TEST(AlarmPagingTest, HundredTwentyAlarmsInPagesOfFifty) {
  AlarmEngine engine;
  // Created out of name order: paging follows names, not creation.
  for (int i = 0; i < 120; ++i) {
    ASSERT_TRUE(engine.PutMetricAlarm(Metric(Numbered((i * 7) % 120)), kStart).ok());
  }
  DescribeAlarmsFilter filter;
  filter.max_records = 50;
  const std::vector<Strings> pages = AllAlarmPages(engine, filter);
  EXPECT_EQ(Sizes(pages), (std::vector<size_t>{50, 50, 20}));
  Strings expected;
  for (int i = 0; i < 120; ++i) expected.push_back(Numbered(i));
  EXPECT_EQ(Concatenated(pages), expected);

  auto last = DescribeAlarmsPage(engine, filter, AlarmsPageToken(Numbered(99)));
  ASSERT_TRUE(last.ok());
  ASSERT_EQ(last->records.size(), 20u);
  EXPECT_EQ(last->records.front().name(), Numbered(100));
  EXPECT_EQ(last->next_token, "");

  // Exactly a page's worth: one page, no token.
  filter.max_records = 100;
  filter.name_prefix = "alarm-0";
  EXPECT_EQ(Sizes(AllAlarmPages(engine, filter)), (std::vector<size_t>{100}));
  // MaxRecords 0 (internal callers): everything at once.
  filter = {};
  EXPECT_EQ(Sizes(AllAlarmPages(engine, filter)), (std::vector<size_t>{120}));
}

TEST(AlarmPagingTest, MetricAndCompositeAlarmsCountTogetherInNameOrder) {
  AlarmEngine engine;
  for (const char* name : {"a1", "a3", "a5", "a7"}) {
    ASSERT_TRUE(engine.PutMetricAlarm(Metric(name), kStart).ok());
  }
  ASSERT_TRUE(engine.PutCompositeAlarm(Composite("a2", "ALARM(a1)"), kStart).ok());
  ASSERT_TRUE(engine.PutCompositeAlarm(Composite("a4", "ALARM(a3) OR ALARM(a2)"), kStart).ok());
  ASSERT_TRUE(engine.PutCompositeAlarm(Composite("a6", "ALARM(a5)"), kStart).ok());
  DescribeAlarmsFilter filter;
  filter.max_records = 3;
  EXPECT_EQ(AllAlarmPages(engine, filter),
            (std::vector<Strings>{{"a1", "a2", "a3"}, {"a4", "a5", "a6"}, {"a7"}}));

  auto first = DescribeAlarmsPage(engine, filter, "");
  ASSERT_TRUE(first.ok());
  std::vector<AlarmType> types;
  for (const AlarmRecord& record : first->records) types.push_back(record.type);
  EXPECT_EQ(types, (std::vector<AlarmType>{AlarmType::kMetric, AlarmType::kComposite,
                                           AlarmType::kMetric}));

  // Filters apply before paging: composites only.
  filter.types = {AlarmType::kComposite};
  filter.max_records = 2;
  EXPECT_EQ(AllAlarmPages(engine, filter), (std::vector<Strings>{{"a2", "a4"}, {"a6"}}));
}

TEST(AlarmPagingTest, AlarmsChangedBetweenPagesNeitherRepeatNorHideOthers) {
  AlarmEngine engine;
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(engine.PutMetricAlarm(Metric(Numbered(i)), kStart).ok());
  DescribeAlarmsFilter filter;
  filter.max_records = 4;
  auto first = DescribeAlarmsPage(engine, filter, "");
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->records.back().name(), Numbered(3));
  // The last alarm shown goes away, one is added behind the cursor and one ahead of it.
  ASSERT_TRUE(engine.DeleteAlarms({Numbered(3)}).ok());
  ASSERT_TRUE(engine.PutMetricAlarm(Metric("alarm-001a"), kStart).ok());
  ASSERT_TRUE(engine.PutMetricAlarm(Metric("alarm-005a"), kStart).ok());
  Strings rest;
  std::string token = first->next_token;
  while (!token.empty()) {
    auto page = DescribeAlarmsPage(engine, filter, token);
    ASSERT_TRUE(page.ok());
    for (const AlarmRecord& record : page->records) rest.push_back(record.name());
    token = page->next_token;
  }
  EXPECT_EQ(rest, (Strings{"alarm-004", "alarm-005", "alarm-005a", "alarm-006", "alarm-007",
                           "alarm-008", "alarm-009"}));
}

class AlarmHistoryPagingTest : public ::testing::Test {
 protected:
  // 120 "created" items, three per millisecond (ties are ordered by when they were written).
  void SetUp() override {
    for (int i = 0; i < 120; ++i) {
      ASSERT_TRUE(engine_.PutMetricAlarm(Metric(Numbered(i)), kStart + i / 3).ok());
    }
  }

  Strings Expected(bool newest_first) const {
    Strings out;
    for (int i = 0; i < 120; ++i) out.push_back(Numbered(i) + "@" + std::to_string(i / 3));
    if (newest_first) std::reverse(out.begin(), out.end());
    return out;
  }

  AlarmEngine engine_;
};

TEST_F(AlarmHistoryPagingTest, NewestFirstInPagesOfFifty) {
  HistoryQuery query;
  query.max_records = 50;
  const std::vector<Strings> pages = AllHistoryPages(engine_, query);
  EXPECT_EQ(Sizes(pages), (std::vector<size_t>{50, 50, 20}));
  EXPECT_EQ(Concatenated(pages), Expected(true));
}

TEST_F(AlarmHistoryPagingTest, TimestampAscendingInPagesOfFifty) {
  HistoryQuery query;
  query.max_records = 50;
  query.newest_first = false;
  const std::vector<Strings> pages = AllHistoryPages(engine_, query);
  EXPECT_EQ(Sizes(pages), (std::vector<size_t>{50, 50, 20}));
  EXPECT_EQ(Concatenated(pages), Expected(false));
}

TEST_F(AlarmHistoryPagingTest, HistoryWrittenBetweenPages) {
  HistoryQuery query;
  query.max_records = 50;
  query.item_type = HistoryItemType::kConfigurationUpdate;
  auto first = DescribeAlarmHistoryPage(engine_, query, "");
  ASSERT_TRUE(first.ok());
  // Newer items, two of them at the very millisecond of the page's last item.
  const int64_t last_ms = first->items.back().timestamp_ms;
  ASSERT_TRUE(engine_.PutMetricAlarm(Metric("late-1"), last_ms).ok());
  ASSERT_TRUE(engine_.PutMetricAlarm(Metric("late-2"), last_ms).ok());
  ASSERT_TRUE(engine_.PutMetricAlarm(Metric("late-3"), kStart + 1000).ok());
  Strings all;
  for (const AlarmHistoryItem& item : first->items) all.push_back(Describe(item));
  std::string token = first->next_token;
  while (!token.empty()) {
    auto page = DescribeAlarmHistoryPage(engine_, query, token);
    ASSERT_TRUE(page.ok());
    for (const AlarmHistoryItem& item : page->items) all.push_back(Describe(item));
    token = page->next_token;
  }
  // Newest first: what was written after the first page sorts before its position.
  EXPECT_EQ(all, Expected(true));

  // Oldest first: an item written behind the page's position is not shown, one ahead of it is.
  Strings ascending_all = Expected(false);
  const auto after_071 = std::find(ascending_all.begin(), ascending_all.end(), "alarm-071@23") + 1;
  ascending_all.insert(after_071, {"late-1@23", "late-2@23"});
  ascending_all.push_back("late-3@1000");
  query.newest_first = false;
  query.max_records = 100;
  auto ascending = DescribeAlarmHistoryPage(engine_, query, "");
  ASSERT_TRUE(ascending.ok());
  Strings head;
  for (const AlarmHistoryItem& item : ascending->items) head.push_back(Describe(item));
  EXPECT_EQ(head, Strings(ascending_all.begin(), ascending_all.begin() + 100));
  ASSERT_TRUE(engine_.PutMetricAlarm(Metric("behind"), kStart + 5).ok());
  ASSERT_TRUE(engine_.PutMetricAlarm(Metric("later"), kStart + 2000).ok());
  auto rest = DescribeAlarmHistoryPage(engine_, query, ascending->next_token);
  ASSERT_TRUE(rest.ok());
  Strings tail;
  for (const AlarmHistoryItem& item : rest->items) tail.push_back(Describe(item));
  Strings expected(ascending_all.begin() + 100, ascending_all.end());
  expected.push_back("later@2000");
  EXPECT_EQ(tail, expected);
  EXPECT_EQ(rest->next_token, "");
}

TEST(AlarmPagingTest, TokensRoundTripAndBadOnesAreRefused) {
  EXPECT_EQ(ParseAlarmsPageToken(AlarmsPageToken("cpu high")), "cpu high");
  const HistoryPosition position{kStart, 42};
  EXPECT_EQ(ParseAlarmHistoryPageToken(AlarmHistoryPageToken(position)), position);
  const HistoryPosition before_epoch{-1500, 0};
  EXPECT_EQ(ParseAlarmHistoryPageToken(AlarmHistoryPageToken(before_epoch)), before_epoch);

  // Each operation refuses the other's tokens.
  EXPECT_EQ(ParseAlarmsPageToken(AlarmHistoryPageToken(position)), std::nullopt);
  EXPECT_EQ(ParseAlarmHistoryPageToken(AlarmsPageToken("cpu")), std::nullopt);
  for (const std::string& bad :
       {std::string("not-a-token"), std::string("!!!!"), Base64Encode("alarms/1:"),
        Base64Encode("alarms/2:cpu"), Base64Encode("history/1:12"), Base64Encode("history/1:12:"),
        Base64Encode("history/1::3"), Base64Encode("history/1:012:3"),
        Base64Encode("history/1:12:+3"), Base64Encode("history/1:-0:3"),
        Base64Encode("history/1:12:3x"), Base64Encode("history/1:99999999999999999999:1"),
        std::string(2000, 'A')}) {
    EXPECT_EQ(ParseAlarmsPageToken(bad), std::nullopt) << bad;
    EXPECT_EQ(ParseAlarmHistoryPageToken(bad), std::nullopt) << bad;
  }

  AlarmEngine engine;
  ASSERT_TRUE(engine.PutMetricAlarm(Metric("cpu"), kStart).ok());
  auto alarms = DescribeAlarmsPage(engine, {}, "not-a-token");
  EXPECT_EQ(alarms.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(alarms.status().message(), "The service cannot process the NextToken.");
  auto history = DescribeAlarmHistoryPage(engine, {}, AlarmsPageToken("cpu"));
  EXPECT_EQ(history.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(history.status().message(), "The service cannot process the NextToken.");
}

}  // namespace
}  // namespace ck::collector
