#include "collector/logs/log_store.h"

#include "collector/logs/log_block.h"
#include "core/sqlite_database.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace ck::collector::logs {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr int64_t kDay = 86'400'000;
// 2026-11-26T00:00:00Z
constexpr int64_t kNow = 1'795'651'200'000;

WallTime AtMillis(int64_t ms) { return WallTime(std::chrono::milliseconds(ms)); }

NewLogEvent Event(std::string group, std::string stream, int64_t timestamp_ms, std::string message,
                  std::string trace_id = "") {
  return NewLogEvent{std::move(group), std::move(stream), timestamp_ms, std::move(message),
                     std::move(trace_id)};
}

// What a scan visited, copied out of the borrowed views.
struct Seen {
  uint64_t id;
  int64_t timestamp_ms;
  int64_t ingestion_time_ms;
  std::string message;
  std::string group;
  std::string stream;
};

class LogStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() /
                 ("ck-log-store-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(directory_);
    std::filesystem::create_directories(directory_);
    store_ = Open();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(directory_);
  }

  std::unique_ptr<LogStore> Open(uint64_t max_bytes = 1ull << 30) {
    LogStoreOptions options;
    options.max_bytes = max_bytes;
    options.clock = &clock_;
    auto store = LogStore::Open((directory_ / "logs.sqlite3").string(), options);
    EXPECT_TRUE(store.ok()) << store.status().message();
    return store.ok() ? std::move(*store) : nullptr;
  }

  std::vector<Seen> ScanAll(const ScanRequest& request, LogStore* store = nullptr,
                            size_t stop_after = SIZE_MAX) {
    std::vector<Seen> seen;
    Status status = (store ? store : store_.get())->Scan(request, [&](const insights::LogEvent& e) {
      seen.push_back({e.id, e.timestamp_ms, e.ingestion_time_ms, std::string(e.message),
                      std::string(e.log_group), std::string(e.log_stream)});
      return seen.size() < stop_after;
    });
    EXPECT_TRUE(status.ok()) << status.message();
    return seen;
  }

  static std::vector<std::string> Messages(const std::vector<Seen>& seen) {
    std::vector<std::string> messages;
    for (const Seen& s : seen) messages.push_back(s.message);
    return messages;
  }

  static ScanRequest All(bool ascending) {
    ScanRequest request;
    request.needs.ascending = ascending;
    return request;
  }

  FakeClock clock_{AtMillis(kNow)};
  std::filesystem::path directory_;
  std::unique_ptr<LogStore> store_;
};

TEST_F(LogStoreTest, ScansInTimeOrderBothWaysWithTiesById) {
  // Ties are broken by id: append order within a stream; across the streams of one batch, the
  // stream that came first.
  std::vector<NewLogEvent> events = {Event("/app", "s1", 300, "c"), Event("/app", "s1", 100, "a"),
                                     Event("/app", "s2", 200, "b3"), Event("/app", "s1", 200, "b1"),
                                     Event("/app", "s1", 200, "b2")};
  ASSERT_TRUE(store_->Append(events).ok());
  ASSERT_TRUE(store_->Append(std::vector<NewLogEvent>{Event("/app", "s2", 200, "b4")}).ok());
  ScanRequest request = All(true);
  request.groups = {"/app"};
  std::vector<Seen> seen = ScanAll(request);
  EXPECT_THAT(Messages(seen), ElementsAre("a", "b1", "b2", "b3", "b4", "c"));
  for (size_t i = 2; i < 5; ++i) EXPECT_LT(seen[i - 1].id, seen[i].id);
  request.needs.ascending = false;
  EXPECT_THAT(Messages(ScanAll(request)), ElementsAre("c", "b4", "b3", "b2", "b1", "a"));
}

TEST_F(LogStoreTest, FillsOnlyTheNeededFields) {
  ASSERT_TRUE(store_->Append(std::vector{Event("/app", "s1", 100, "hello")}).ok());
  ScanRequest request = All(true);
  std::vector<Seen> seen = ScanAll(request);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].timestamp_ms, 100);
  EXPECT_EQ(seen[0].ingestion_time_ms, kNow);
  EXPECT_EQ(seen[0].message, "hello");
  EXPECT_EQ(seen[0].group, "/app");
  EXPECT_EQ(seen[0].stream, "s1");

  request.needs = {.message = false,
                   .log_stream = false,
                   .log_group = false,
                   .ingestion_time = false,
                   .ascending = true};
  seen = ScanAll(request);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_NE(seen[0].id, 0u);
  EXPECT_EQ(seen[0].timestamp_ms, 100);
  EXPECT_EQ(seen[0].ingestion_time_ms, 0);
  EXPECT_EQ(seen[0].message, "");
  EXPECT_EQ(seen[0].group, "");
  EXPECT_EQ(seen[0].stream, "");
}

TEST_F(LogStoreTest, TimeRangeIsInclusiveAndStreamsFilter) {
  std::vector<NewLogEvent> events;
  for (int i = 0; i < 10; ++i) {
    events.push_back(Event("/app", i % 2 == 0 ? "even" : "odd", 1000 + i, std::to_string(i)));
  }
  ASSERT_TRUE(store_->Append(events).ok());
  ScanRequest request = All(true);
  request.start_ms = 1003;
  request.end_ms = 1006;
  EXPECT_THAT(Messages(ScanAll(request)), ElementsAre("3", "4", "5", "6"));
  request.streams = {"odd"};
  EXPECT_THAT(Messages(ScanAll(request)), ElementsAre("3", "5"));
  request.streams = {"missing"};
  EXPECT_THAT(ScanAll(request), IsEmpty());
}

TEST_F(LogStoreTest, MergesGroupsByTime) {
  ASSERT_TRUE(store_
                  ->Append(std::vector{Event("/a", "s", 1, "a1"), Event("/a", "s", 4, "a4"),
                                       Event("/b", "s", 2, "b2"), Event("/b", "s", 3, "b3"),
                                       Event("/c", "s", 5, "c5")})
                  .ok());
  ScanRequest request = All(false);
  request.groups = {"/a", "/b"};
  std::vector<Seen> seen = ScanAll(request);
  EXPECT_THAT(Messages(seen), ElementsAre("a4", "b3", "b2", "a1"));
  EXPECT_EQ(seen[1].group, "/b");
  request.groups.clear();  // every group
  request.needs.ascending = true;
  EXPECT_THAT(Messages(ScanAll(request)), ElementsAre("a1", "b2", "b3", "a4", "c5"));
}

TEST_F(LogStoreTest, UnknownGroupIsNotFound) {
  ScanRequest request = All(true);
  request.groups = {"/nope"};
  Status status = store_->Scan(request, [](const insights::LogEvent&) { return true; });
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "The specified log group does not exist.");
}

TEST_F(LogStoreTest, ResumeAfterPagesWithoutGapsOrRepeats) {
  std::vector<NewLogEvent> events;
  for (int i = 0; i < 25; ++i) {
    // Many equal timestamps, so pages split inside a run of ties.
    events.push_back(Event(i % 2 ? "/a" : "/b", "s", 100 + i / 4, "m" + std::to_string(i)));
  }
  ASSERT_TRUE(store_->Append(events).ok());
  for (bool ascending : {true, false}) {
    ScanRequest request = All(ascending);
    const std::vector<Seen> expected = ScanAll(request);
    ASSERT_EQ(expected.size(), 25u);
    std::vector<Seen> paged;
    while (true) {
      std::vector<Seen> page = ScanAll(request, nullptr, 7);
      if (page.empty()) break;
      paged.insert(paged.end(), page.begin(), page.end());
      request.resume_after = ScanPosition{page.back().timestamp_ms, page.back().id};
    }
    EXPECT_EQ(Messages(paged), Messages(expected)) << "ascending=" << ascending;
  }
}

TEST_F(LogStoreTest, TimestampsOnlyScanMatchesTheFullScan) {
  std::vector<NewLogEvent> events;
  for (int i = 0; i < 300; ++i) events.push_back(Event("/a", "s", 1000 + (i * 7) % 50, "m"));
  ASSERT_TRUE(store_->Append(events).ok());
  auto positions = [](const std::vector<Seen>& seen) {
    std::vector<std::pair<int64_t, uint64_t>> out;
    for (const Seen& s : seen) out.emplace_back(s.timestamp_ms, s.id);
    return out;
  };
  for (bool ascending : {true, false}) {
    ScanRequest full = All(ascending);
    full.groups = {"/a"};
    full.start_ms = 1010;
    full.end_ms = 1040;
    ScanRequest bare = full;
    bare.needs.message = bare.needs.log_stream = bare.needs.ingestion_time = false;
    const std::vector<Seen> expected = ScanAll(full);
    ASSERT_EQ(expected.size(), 186u);
    EXPECT_EQ(positions(ScanAll(bare)), positions(expected));
    // Paged through resume positions, stopping mid-run of equal timestamps.
    std::vector<Seen> paged;
    while (true) {
      std::vector<Seen> page = ScanAll(bare, nullptr, 11);
      if (page.empty()) break;
      EXPECT_EQ(page.front().group, "/a");
      paged.insert(paged.end(), page.begin(), page.end());
      bare.resume_after = ScanPosition{page.back().timestamp_ms, page.back().id};
    }
    EXPECT_EQ(positions(paged), positions(expected)) << "ascending=" << ascending;
  }
}

TEST_F(LogStoreTest, VisitorMayScanAgain) {
  ASSERT_TRUE(store_->Append(std::vector{Event("/a", "s", 1, "x"), Event("/a", "s", 2, "y")}).ok());
  ScanRequest request = All(true);
  request.needs.message = request.needs.log_stream = request.needs.ingestion_time = false;
  std::vector<int64_t> outer;
  size_t inner = 0;
  Status status = store_->Scan(request, [&](const insights::LogEvent& event) {
    outer.push_back(event.timestamp_ms);
    EXPECT_TRUE(store_
                    ->Scan(request,
                           [&](const insights::LogEvent&) {
                             ++inner;
                             return true;
                           })
                    .ok());
    return true;
  });
  ASSERT_TRUE(status.ok()) << status.message();
  EXPECT_THAT(outer, ElementsAre(1, 2));
  EXPECT_EQ(inner, 4u);
}

TEST_F(LogStoreTest, StopsWhenTheVisitorSaysSo) {
  std::vector<NewLogEvent> events;
  for (int i = 0; i < 10; ++i) events.push_back(Event("/a", "s", i, std::to_string(i)));
  ASSERT_TRUE(store_->Append(events).ok());
  EXPECT_THAT(Messages(ScanAll(All(false), nullptr, 3)), ElementsAre("9", "8", "7"));
}

TEST_F(LogStoreTest, ExtractsTraceIds) {
  const std::string xray = "1-5f84c7a1-0123456789abcdef01234567";
  std::vector<NewLogEvent> events = {
      Event("/a", "s", 1,
            R"({"ts":"x","msg":"xray","trace_id":"1-5F84C7A1-0123456789ABCDEF01234567"})"),
      Event("/a", "s", 2, R"({"msg":"w3c","trace_id":"5f84c7a10123456789abcdef01234567"})"),
      Event("/a", "s", 3, R"({"msg":"absent"})"),
      Event("/a", "s", 4, "plain text trace_id 1-5f84c7a1-0123456789abcdef01234567"),
      Event("/a", "s", 5,
            R"({"msg":"decoy","nested":{"trace_id":"1-5f84c7a1-0123456789abcdef01234567"}})"),
      Event("/a", "s", 6, R"({"msg":"not a string","trace_id":17})"),
      Event("/a", "s", 7, R"({"msg":"malformed id","trace_id":"1-xyz"})"),
      Event("/a", "s", 8, "explicit", xray),
      Event("/a", "s", 9, R"({"trace_id":"1-5f84c7a1-0123456789abcdef01234567"} trailing)"),
      Event("/b", "s", 10,
            R"({"msg":"other group","trace_id":"1-5f84c7a1-0123456789abcdef01234567"})"),
  };
  ASSERT_TRUE(store_->Append(events).ok());
  ScanRequest request = All(true);
  request.trace_id = xray;
  request.needs.message = false;
  std::vector<Seen> seen = ScanAll(request);
  std::vector<int64_t> times;
  for (const Seen& s : seen) times.push_back(s.timestamp_ms);
  EXPECT_THAT(times, ElementsAre(1, 2, 8, 10));
  request.groups = {"/a"};
  request.needs.ascending = false;
  request.needs.message = true;
  seen = ScanAll(request);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].message, "explicit");
  EXPECT_EQ(seen[0].group, "/a");
  request.trace_id = "1-5f84c7a1-000000000000000000000000";
  EXPECT_THAT(ScanAll(request), IsEmpty());
}

TEST_F(LogStoreTest, TraceScanHonoursTimeRangeAndResume) {
  const std::string trace = "1-5f84c7a1-0123456789abcdef01234567";
  std::vector<NewLogEvent> events;
  for (int i = 0; i < 6; ++i) events.push_back(Event("/a", "s", 10 * i, std::to_string(i), trace));
  ASSERT_TRUE(store_->Append(events).ok());
  ScanRequest request = All(true);
  request.trace_id = trace;
  request.start_ms = 10;
  request.end_ms = 40;
  std::vector<Seen> first = ScanAll(request, nullptr, 2);
  EXPECT_THAT(Messages(first), ElementsAre("1", "2"));
  request.resume_after = ScanPosition{first.back().timestamp_ms, first.back().id};
  EXPECT_THAT(Messages(ScanAll(request)), ElementsAre("3", "4"));
}

TEST_F(LogStoreTest, RetentionByTimePerGroup) {
  ASSERT_TRUE(store_->CreateGroup("/short", 1).ok());
  ASSERT_TRUE(store_->CreateGroup("/forever", std::nullopt).ok());
  std::vector<NewLogEvent> events;
  for (int i = 0; i < 5000; ++i) {
    // Half older than a day; enough to need several delete batches.
    const int64_t timestamp = kNow - (i % 2 == 0 ? 2 * kDay : kDay / 2) + i;
    events.push_back(Event("/short", "s" + std::to_string(i % 3), timestamp, "12345"));
    events.push_back(Event("/forever", "s", kNow - 30 * kDay + i, "x"));
  }
  ASSERT_TRUE(store_->Append(events).ok());
  auto deleted = store_->ApplyRetention();
  ASSERT_TRUE(deleted.ok()) << deleted.status().message();
  EXPECT_EQ(*deleted, 2500u);
  nlohmann::json stats = store_->StatsJson();
  EXPECT_EQ(stats["events"], 7500);
  EXPECT_EQ(stats["bytes"], 2500 * 5 + 5000);
  EXPECT_EQ(stats["deleted_by_retention"], 2500);
  EXPECT_EQ(stats["deleted_by_size"], 0);
  ScanRequest request = All(true);
  request.groups = {"/short"};
  std::vector<Seen> seen = ScanAll(request);
  ASSERT_EQ(seen.size(), 2500u);
  EXPECT_GE(seen.front().timestamp_ms, kNow - kDay);
  // Nothing more to do; then time passes.
  EXPECT_EQ(*store_->ApplyRetention(), 0u);
  clock_.Advance(std::chrono::milliseconds(kDay));
  EXPECT_EQ(*store_->ApplyRetention(), 2500u);
  auto groups = store_->DescribeGroups("", 50, "");
  ASSERT_TRUE(groups.ok());
  ASSERT_EQ(groups->items.size(), 2u);
  EXPECT_EQ(groups->items[0].name, "/forever");
  EXPECT_EQ(groups->items[0].event_count, 5000u);
  EXPECT_EQ(groups->items[1].name, "/short");
  EXPECT_EQ(groups->items[1].retention_days, 1);
  EXPECT_EQ(groups->items[1].event_count, 0u);
  EXPECT_EQ(groups->items[1].stored_bytes, 0u);
}

TEST_F(LogStoreTest, RetentionBySizeDropsTheFirstIngested) {
  store_ = Open(/*max_bytes=*/10'000);
  // 30 batches of 100 events, a minute apart (so no batch joins the block of the one before):
  // the events of one batch are ingested at the same moment.
  const auto timestamp = [](int i) { return int64_t{1000} + (i / 100) * 61'000 + i; };
  for (int batch = 0; batch < 30; ++batch) {
    std::vector<NewLogEvent> events;
    for (int i = batch * 100; i < (batch + 1) * 100; ++i) {
      events.push_back(
          Event(i % 2 ? "/a" : "/b", "s", timestamp(i), std::string(10, 'a' + i % 26)));
    }
    ASSERT_TRUE(store_->Append(events).ok());
  }
  auto deleted = store_->ApplyRetention();
  ASSERT_TRUE(deleted.ok()) << deleted.status().message();
  EXPECT_EQ(*deleted, 2000u);
  nlohmann::json stats = store_->StatsJson();
  EXPECT_EQ(stats["bytes"], 10'000);
  EXPECT_EQ(stats["events"], 1000);
  EXPECT_EQ(stats["deleted_by_size"], 2000);
  EXPECT_EQ(stats["appended"], 3000);
  std::vector<Seen> seen = ScanAll(All(true));
  ASSERT_EQ(seen.size(), 1000u);
  EXPECT_EQ(seen.front().timestamp_ms, timestamp(2000));
  EXPECT_EQ(seen.back().timestamp_ms, timestamp(2999));
}

TEST_F(LogStoreTest, SmallAppendsJoinTheirStreamsLastBlock) {
  // A slow writer: a few events per append, seconds apart. They share a block per stream (up to
  // a minute of events), keep their ids, numbers and ingestion times.
  std::vector<Seen> first;
  for (int append = 0; append < 5; ++append) {
    ASSERT_TRUE(store_
                    ->Append(std::vector{
                        Event("/g", "a", 10'000 * append, "a" + std::to_string(append)),
                        Event("/g", "b", 10'000 * append + 1, "b" + std::to_string(append))})
                    .ok());
    if (append == 0) first = ScanAll(All(true));
    clock_.Advance(std::chrono::seconds(10));
  }
  EXPECT_EQ(store_->StatsJson()["blocks"], 2);  // one per stream
  const std::vector<Seen> seen = ScanAll(All(true));
  EXPECT_THAT(Messages(seen),
              ElementsAre("a0", "b0", "a1", "b1", "a2", "b2", "a3", "b3", "a4", "b4"));
  EXPECT_EQ(seen[0].id, first[0].id);  // ids do not change when a block takes more events
  EXPECT_EQ(seen[1].id, first[1].id);
  for (size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].ingestion_time_ms, kNow + static_cast<int64_t>(i / 2) * 10'000) << i;
    auto event = store_->GetEvent(seen[i].id);
    ASSERT_TRUE(event.ok() && event->has_value());
    EXPECT_EQ((*event)->message, seen[i].message);
    EXPECT_EQ((*event)->ingestion_time_ms, seen[i].ingestion_time_ms);
  }
  // Past a minute of event time, a new block starts.
  ASSERT_TRUE(store_->Append(std::vector{Event("/g", "a", 70'000, "a-late")}).ok());
  EXPECT_EQ(store_->StatsJson()["blocks"], 3);
  // Retention that cuts a merged block keeps the rest with their ingestion times.
  // 26 message bytes, 14 too many: stream a's block goes (10), then b's first two events (4).
  store_ = Open(/*max_bytes=*/12);
  EXPECT_EQ(*store_->ApplyRetention(), 7u);
  const std::vector<Seen> kept = ScanAll(All(true));
  EXPECT_THAT(Messages(kept), ElementsAre("b2", "b3", "b4", "a-late"));
  for (const Seen& event : kept) {
    const auto same = std::find_if(seen.begin(), seen.end(),
                                   [&](const Seen& s) { return s.message == event.message; });
    if (same != seen.end()) {
      EXPECT_EQ(same->ingestion_time_ms, event.ingestion_time_ms);
    }
  }
}

TEST_F(LogStoreTest, DescribeGroupsPagesWithPrefix) {
  for (const char* name : {"/ecs/a", "/ecs/b", "/ecs/c", "/other", "/ecs/d"}) {
    ASSERT_TRUE(store_->CreateGroup(name, std::nullopt).ok());
  }
  EXPECT_EQ(store_->CreateGroup("/ecs/a", std::nullopt).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->CreateGroup("bad name", std::nullopt).code(), StatusCode::kInvalidArgument);
  std::vector<std::string> names;
  std::string token;
  int pages = 0;
  do {
    auto page = store_->DescribeGroups("/ecs/", 3, token);
    ASSERT_TRUE(page.ok()) << page.status().message();
    for (const LogGroupInfo& info : page->items) names.push_back(info.name);
    token = page->next_token.value_or("");
    ++pages;
  } while (!token.empty());
  EXPECT_EQ(pages, 2);
  EXPECT_THAT(names, ElementsAre("/ecs/a", "/ecs/b", "/ecs/c", "/ecs/d"));
  EXPECT_EQ(store_->DescribeGroups("", 3, "zz").status().code(), StatusCode::kInvalidArgument);
}

TEST_F(LogStoreTest, DescribeStreamsByNameAndByLastEvent) {
  ASSERT_TRUE(store_
                  ->Append(std::vector{Event("/g", "b", 300, "x"), Event("/g", "a", 100, "xy"),
                                       Event("/g", "c", 200, "xyz"), Event("/g", "a", 50, "x")})
                  .ok());
  ASSERT_TRUE(store_->CreateStream("/g", "empty").ok());
  EXPECT_EQ(store_->CreateStream("/g", "a").code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->CreateStream("/nope", "a").code(), StatusCode::kNotFound);

  auto collect = [&](bool by_time, bool descending, size_t limit) {
    std::vector<std::string> names;
    std::string token;
    do {
      auto page = store_->DescribeStreams("/g", "", by_time, descending, limit, token);
      EXPECT_TRUE(page.ok()) << page.status().message();
      if (!page.ok()) break;
      for (const LogStreamInfo& info : page->items) names.push_back(info.name);
      token = page->next_token.value_or("");
    } while (!token.empty());
    return names;
  };
  EXPECT_THAT(collect(false, false, 2), ElementsAre("a", "b", "c", "empty"));
  EXPECT_THAT(collect(false, true, 3), ElementsAre("empty", "c", "b", "a"));
  EXPECT_THAT(collect(true, false, 1), ElementsAre("empty", "a", "c", "b"));
  EXPECT_THAT(collect(true, true, 3), ElementsAre("b", "c", "a", "empty"));

  auto page = store_->DescribeStreams("/g", "a", false, false, 50, "");
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].first_event_timestamp_ms, 50);
  EXPECT_EQ(page->items[0].last_event_timestamp_ms, 100);
  EXPECT_EQ(page->items[0].last_ingestion_time_ms, kNow);
  EXPECT_EQ(page->items[0].stored_bytes, 3u);
  EXPECT_EQ(store_->DescribeStreams("/g", "a", true, false, 50, "").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->DescribeStreams("/nope", "", false, false, 50, "").status().code(),
            StatusCode::kNotFound);
}

TEST_F(LogStoreTest, DeleteGroupAndStream) {
  std::vector<NewLogEvent> events;
  for (int i = 0; i < 4500; ++i)
    events.push_back(Event("/big", "s" + std::to_string(i % 2), i, "m"));
  events.push_back(Event("/keep", "s", 1, "kept"));
  ASSERT_TRUE(store_->Append(events).ok());

  ASSERT_TRUE(store_->DeleteStream("/big", "s1").ok());
  EXPECT_EQ(store_->DeleteStream("/big", "s1").code(), StatusCode::kNotFound);
  ScanRequest request = All(true);
  request.groups = {"/big"};
  request.needs.message = false;
  request.needs.log_stream = false;
  EXPECT_EQ(ScanAll(request).size(), 2250u);

  ASSERT_TRUE(store_->DeleteGroup("/big").ok());
  EXPECT_EQ(store_->DeleteGroup("/big").code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->Scan(request, [](const insights::LogEvent&) { return true; }).code(),
            StatusCode::kNotFound);
  EXPECT_THAT(Messages(ScanAll(All(true))), ElementsAre("kept"));
  nlohmann::json stats = store_->StatsJson();
  EXPECT_EQ(stats["groups"], 1);
  EXPECT_EQ(stats["streams"], 1);
  EXPECT_EQ(stats["events"], 1);

  // Appending to the deleted group's names creates them afresh.
  ASSERT_TRUE(store_->Append(std::vector{Event("/big", "s0", 7, "again")}).ok());
  request.needs.message = true;
  EXPECT_THAT(Messages(ScanAll(request)), ElementsAre("again"));
}

TEST_F(LogStoreTest, GetEventAndSetRetention) {
  ASSERT_TRUE(store_->Append(std::vector{Event("/g", "s", 42, "hello")}).ok());
  std::vector<Seen> seen = ScanAll(All(true));
  ASSERT_EQ(seen.size(), 1u);
  auto event = store_->GetEvent(seen[0].id);
  ASSERT_TRUE(event.ok());
  ASSERT_TRUE(event->has_value());
  EXPECT_EQ((*event)->group, "/g");
  EXPECT_EQ((*event)->stream, "s");
  EXPECT_EQ((*event)->timestamp_ms, 42);
  EXPECT_EQ((*event)->ingestion_time_ms, kNow);
  EXPECT_EQ((*event)->message, "hello");
  auto missing = store_->GetEvent(seen[0].id + 1000);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());

  ASSERT_TRUE(store_->SetRetention("/g", 7).ok());
  EXPECT_EQ(store_->SetRetention("/nope", 7).code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->SetRetention("/g", 0).code(), StatusCode::kInvalidArgument);
  auto groups = store_->DescribeGroups("/g", 50, "");
  ASSERT_TRUE(groups.ok());
  ASSERT_EQ(groups->items.size(), 1u);
  EXPECT_EQ(groups->items[0].retention_days, 7);
  EXPECT_EQ(groups->items[0].creation_time_ms, kNow);
}

TEST_F(LogStoreTest, InvalidNamesRejectTheWholeBatch) {
  Status status = store_->Append(
      std::vector{Event("/ok", "s", 1, "stored?"), Event("/ok", "bad:stream", 2, "no")});
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(ScanAll(All(true)), IsEmpty());
  // The rolled-back group must not linger in the cache.
  ASSERT_TRUE(store_->Append(std::vector{Event("/ok", "s", 1, "stored")}).ok());
  EXPECT_THAT(Messages(ScanAll(All(true))), ElementsAre("stored"));
}

TEST_F(LogStoreTest, EventsAndOffsetsSurviveReopening) {
  std::vector<SourceOffset> offsets = {{"/data/logs/a/t1.log", 77, 1234}};
  ASSERT_TRUE(store_->Append(std::vector{Event("/g", "s", 1, "one")}, offsets).ok());
  offsets[0].offset = 2000;
  ASSERT_TRUE(store_->Append({}, offsets).ok());
  store_ = Open();
  auto restored = store_->SourceOffsets();
  ASSERT_TRUE(restored.ok());
  ASSERT_EQ(restored->size(), 1u);
  EXPECT_EQ((*restored)[0].path, "/data/logs/a/t1.log");
  EXPECT_EQ((*restored)[0].file_id, 77u);
  EXPECT_EQ((*restored)[0].offset, 2000u);
  EXPECT_THAT(Messages(ScanAll(All(true))), ElementsAre("one"));
}

TEST_F(LogStoreTest, WriterNoticesAnotherInstanceDeletingAGroup) {
  std::unique_ptr<LogStore> other = Open();
  ASSERT_TRUE(store_->Append(std::vector{Event("/g", "s", 1, "first")}).ok());
  ASSERT_TRUE(other->DeleteGroup("/g").ok());
  // The writer's cached ids are stale now; it must recreate the group, not orphan the event.
  ASSERT_TRUE(store_->Append(std::vector{Event("/g", "s", 2, "second")}).ok());
  ScanRequest request = All(true);
  request.groups = {"/g"};
  EXPECT_THAT(Messages(ScanAll(request, other.get())), ElementsAre("second"));
}

TEST_F(LogStoreTest, RetentionRewritesABlockKeepingIdsAndTraceLinks) {
  ASSERT_TRUE(store_->CreateGroup("/g", 1).ok());
  const std::string old_trace = "1-5f84c7a1-00000000000000000000000a";
  const std::string new_trace = "1-5f84c7a1-00000000000000000000000b";
  // One batch, one stream: one block whose events straddle the retention cutoff.
  std::vector<NewLogEvent> events;
  for (int i = 0; i < 10; ++i) {
    const bool old = i % 2 == 0;
    events.push_back(Event("/g", "s", kNow - (old ? 2 * kDay : kDay / 2) + i,
                           "event " + std::to_string(i), old ? old_trace : new_trace));
  }
  ASSERT_TRUE(store_->Append(events).ok());
  const std::vector<Seen> before = ScanAll(All(true));
  ASSERT_EQ(before.size(), 10u);
  EXPECT_EQ(store_->StatsJson()["blocks"], 1);

  EXPECT_EQ(*store_->ApplyRetention(), 5u);
  const std::vector<Seen> after = ScanAll(All(true));
  ASSERT_EQ(after.size(), 5u);
  for (const Seen& kept : after) {
    // Same id as before the rewrite, and @ptr lookups still find it.
    const auto same = std::find_if(before.begin(), before.end(),
                                   [&](const Seen& seen) { return seen.message == kept.message; });
    ASSERT_NE(same, before.end());
    EXPECT_EQ(same->id, kept.id);
    auto event = store_->GetEvent(kept.id);
    ASSERT_TRUE(event.ok() && event->has_value());
    EXPECT_EQ((*event)->message, kept.message);
  }
  EXPECT_FALSE(store_->GetEvent(before[0].id)->has_value());  // a deleted event
  ScanRequest request = All(true);
  request.trace_id = old_trace;
  EXPECT_THAT(ScanAll(request), IsEmpty());
  request.trace_id = new_trace;
  EXPECT_THAT(Messages(ScanAll(request)),
              ElementsAre("event 1", "event 3", "event 5", "event 7", "event 9"));
  nlohmann::json stats = store_->StatsJson();
  EXPECT_EQ(stats["events"], 5);
  EXPECT_EQ(stats["bytes"], 5 * 7);
}

TEST_F(LogStoreTest, SizeCapCutsTheFirstEventsOfABlock) {
  store_ = Open(/*max_bytes=*/25);
  std::vector<NewLogEvent> events;
  for (int i = 0; i < 10; ++i)
    events.push_back(Event("/g", "s", 100 - i, "1234" + std::to_string(i)));
  ASSERT_TRUE(store_->Append(events).ok());
  EXPECT_EQ(*store_->ApplyRetention(), 5u);
  // The last five appended stay, in time order (their timestamps fall as they were appended).
  EXPECT_THAT(Messages(ScanAll(All(true))),
              ElementsAre("12349", "12348", "12347", "12346", "12345"));
  EXPECT_EQ(store_->StatsJson()["bytes"], 25);
}

TEST_F(LogStoreTest, OverlappingBlocksMergeInTimeOrderAcrossTheScanStart) {
  // Stream a's block spans 0..1000, so a scan starting at 500 must still open it (the group's
  // widest block bounds how early in-range blocks can start).
  ASSERT_TRUE(store_
                  ->Append(std::vector{Event("/g", "a", 0, "a0"), Event("/g", "a", 1000, "a1000"),
                                       Event("/g", "a", 600, "a600")})
                  .ok());
  for (int t = 100; t <= 900; t += 200) {
    ASSERT_TRUE(store_->Append(std::vector{Event("/g", "b", t, "b" + std::to_string(t))}).ok());
  }
  ScanRequest request = All(true);
  request.start_ms = 500;
  EXPECT_THAT(Messages(ScanAll(request)), ElementsAre("b500", "a600", "b700", "b900", "a1000"));
  request.needs.ascending = false;
  request.start_ms = 0;
  request.end_ms = 650;
  EXPECT_THAT(Messages(ScanAll(request)), ElementsAre("a600", "b500", "b300", "b100", "a0"));
}

TEST_F(LogStoreTest, LargeBatchesSpanSeveralBlocks) {
  std::vector<NewLogEvent> events;
  for (size_t i = 0; i < kMaxBlockEvents + 10; ++i) {
    events.push_back(Event("/g", "s", static_cast<int64_t>(i), "x"));
  }
  ASSERT_TRUE(store_->Append(events).ok());
  EXPECT_EQ(store_->StatsJson()["blocks"], 2);
  std::vector<Seen> seen = ScanAll(All(false));
  ASSERT_EQ(seen.size(), kMaxBlockEvents + 10);
  EXPECT_EQ(seen.front().timestamp_ms, static_cast<int64_t>(kMaxBlockEvents + 9));
  EXPECT_EQ(seen.back().timestamp_ms, 0);
}

TEST_F(LogStoreTest, AFileInTheOldRowLayoutStartsOver) {
  store_.reset();
  const std::string path = (directory_ / "logs.sqlite3").string();
  std::filesystem::remove(path);
  {
    auto database = SqliteDatabase::Open(path);
    ASSERT_TRUE(database.ok());
    ASSERT_TRUE((*database)
                    ->Exec("CREATE TABLE groups (id INTEGER PRIMARY KEY, name TEXT); "
                           "CREATE TABLE events (id INTEGER PRIMARY KEY, message TEXT); "
                           "INSERT INTO events VALUES (1, 'old');")
                    .ok());
  }
  store_ = Open();
  ASSERT_NE(store_, nullptr);
  EXPECT_THAT(ScanAll(All(true)), IsEmpty());
  ASSERT_TRUE(store_->Append(std::vector{Event("/g", "s", 1, "new")}).ok());
  EXPECT_THAT(Messages(ScanAll(All(true))), ElementsAre("new"));
}

TEST_F(LogStoreTest, InsightsQueriesRunOverScannedBlocks) {
  std::vector<NewLogEvent> events;
  for (int i = 0; i < 300; ++i) {
    events.push_back(Event("/g", "s" + std::to_string(i % 3), 1000 + i,
                           R"({"level":")" + std::string(i % 4 == 0 ? "error" : "info") +
                               R"(","n":)" + std::to_string(i) + "}"));
  }
  ASSERT_TRUE(store_->Append(events).ok());
  auto query = insights::ParseQuery("filter level = 'error' | stats count(*) as c, sum(n) as s");
  ASSERT_TRUE(query.ok()) << query.status().message();
  insights::QueryRun run(*query, insights::RunOptions{});
  ScanRequest request;
  request.groups = {"/g"};
  request.needs = insights::NeedsOf(**query);
  ASSERT_TRUE(store_->Scan(request, [&](const insights::LogEvent& e) { return run.Add(e); }).ok());
  insights::QueryResult result = run.Finish();
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0][0], std::optional<std::string>("75"));
  EXPECT_EQ(result.rows[0][1], std::optional<std::string>("11100"));  // 0 + 4 + ... + 296
}

}  // namespace
}  // namespace ck::collector::logs
