#include "collector/logs/log_tailer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace ck::collector::logs {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

namespace fs = std::filesystem;

constexpr int64_t kNow = 1'795'651'200'000;  // 2026-11-26T00:00:00Z

class LogTailerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() /
                 ("ck-log-tailer-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(directory_);
    fs::create_directories(directory_ / "data" / "logs" / "list-api");
    OpenStore();
    options_.data_dir = (directory_ / "data").string();
    options_.clock = &clock_;
    options_.partial_flush_delay = std::chrono::milliseconds(1000);
  }
  void TearDown() override {
    tailer_.reset();
    store_.reset();
    fs::remove_all(directory_);
  }

  void OpenStore() {
    store_.reset();
    LogStoreOptions options;
    options.clock = &clock_;
    auto store = LogStore::Open((directory_ / "logs.sqlite3").string(), options);
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(*store);
  }

  // A tailer starting from the positions the store holds, as the collector starts one.
  void StartTailer() {
    auto offsets = store_->SourceOffsets();
    ASSERT_TRUE(offsets.ok());
    tailer_ = std::make_unique<LogTailer>(options_, *offsets);
  }

  fs::path LogPath(const std::string& task = "list-api-v1-1") const {
    return directory_ / "data" / "logs" / "list-api" / (task + ".log");
  }

  void Write(const std::string& bytes, const std::string& task = "list-api-v1-1") {
    std::ofstream out(LogPath(task), std::ios::binary | std::ios::app);
    out << bytes;
  }

  // Polls, stores and commits until the tailer has nothing more; returns the stored events.
  std::vector<NewLogEvent> Ship() {
    std::vector<NewLogEvent> shipped;
    for (bool more = true; more;) {
      auto batch = tailer_->Poll();
      EXPECT_TRUE(batch.ok()) << batch.status().message();
      if (!batch.ok()) break;
      Status status = store_->Append(batch->events, batch->offsets);
      EXPECT_TRUE(status.ok()) << status.message();
      tailer_->Commit(*batch);
      shipped.insert(shipped.end(), batch->events.begin(), batch->events.end());
      more = batch->more;
    }
    return shipped;
  }

  static std::vector<std::string> Messages(const std::vector<NewLogEvent>& events) {
    std::vector<std::string> messages;
    for (const NewLogEvent& event : events) messages.push_back(event.message);
    return messages;
  }

  std::vector<std::string> StoredMessages() {
    std::vector<std::string> messages;
    ScanRequest request;
    request.needs.ascending = true;
    EXPECT_TRUE(store_
                    ->Scan(request,
                           [&](const insights::LogEvent& event) {
                             messages.emplace_back(event.message);
                             return true;
                           })
                    .ok());
    return messages;
  }

  FakeClock clock_{WallTime(std::chrono::milliseconds(kNow))};
  fs::path directory_;
  LogTailerOptions options_;
  std::unique_ptr<LogStore> store_;
  std::unique_ptr<LogTailer> tailer_;
};

TEST_F(LogTailerTest, NamesGroupAndStreamLikeAwslogs) {
  StartTailer();
  Write("hello\n");
  std::vector<NewLogEvent> events = Ship();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].group, "/ecs/cuddle-kube/list-api");
  EXPECT_EQ(events[0].stream, "ecs/list-api/list-api-v1-1");
  EXPECT_EQ(events[0].timestamp_ms, kNow);
  EXPECT_EQ(events[0].message, "hello");
}

TEST_F(LogTailerTest, TakesTimeAndTraceFromJsonLines) {
  StartTailer();
  Write(
      R"({"ts":"2026-11-26T06:45:08.123Z","level":"info","msg":"hi","trace_id":"1-5f84c7a1-0123456789abcdef01234567"})"
      "\n"
      R"({"ts":"not a time","msg":"x"})"
      "\n");
  std::vector<NewLogEvent> events = Ship();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].timestamp_ms, 1'795'675'508'123);
  EXPECT_EQ(events[0].trace_id, "1-5f84c7a1-0123456789abcdef01234567");
  EXPECT_EQ(events[1].timestamp_ms, kNow);
  EXPECT_EQ(events[1].trace_id, "");
}

TEST_F(LogTailerTest, SplitsLinesHandlesCrlfAndSkipsEmptyLines) {
  StartTailer();
  Write("one\r\n\n\r\ntwo\rstill two\n \ncaf\xC3\xA9 \xF0\x9F\x90\xA2\nbad \xFF byte\n");
  EXPECT_THAT(Messages(Ship()),
              ElementsAre("one", "two\rstill two", " ", "caf\xC3\xA9 \xF0\x9F\x90\xA2",
                          "bad \xEF\xBF\xBD byte"));
}

TEST_F(LogTailerTest, OversizedLineSplitsAtCharacterBoundaries) {
  options_.max_event_bytes = 10;
  StartTailer();
  const std::string euro = "\xE2\x82\xAC";
  // 8 + 9 + 2 bytes: the first euro sign would make the first event 11 bytes long.
  Write("aaaaaaaa" + euro + euro + euro + "bb\n");
  std::vector<NewLogEvent> events = Ship();
  EXPECT_THAT(Messages(events), ElementsAre("aaaaaaaa", euro + euro + euro + "b", "b"));
  EXPECT_EQ(tailer_->StatsJson()["lines_split"], 1);
}

TEST_F(LogTailerTest, PartialLineWaitsForItsEnd) {
  StartTailer();
  Write("first\nhel");
  EXPECT_THAT(Messages(Ship()), ElementsAre("first"));
  clock_.Advance(std::chrono::milliseconds(500));
  Write("lo wor");
  EXPECT_THAT(Messages(Ship()), IsEmpty());
  clock_.Advance(std::chrono::milliseconds(400));
  Write("ld\n");
  EXPECT_THAT(Messages(Ship()), ElementsAre("hello world"));
}

TEST_F(LogTailerTest, PartialLineIsFlushedAfterTheDelay) {
  StartTailer();
  Write("no newline yet");
  EXPECT_THAT(Messages(Ship()), IsEmpty());
  clock_.Advance(std::chrono::milliseconds(999));
  EXPECT_THAT(Messages(Ship()), IsEmpty());
  clock_.Advance(std::chrono::milliseconds(1));
  EXPECT_THAT(Messages(Ship()), ElementsAre("no newline yet"));
  Write(", the rest\n");
  EXPECT_THAT(Messages(Ship()), ElementsAre(", the rest"));
  EXPECT_EQ(tailer_->StatsJson()["partial_flushes"], 1);
}

TEST_F(LogTailerTest, FragmentReachingTheMaximumShipsWithoutWaiting) {
  options_.max_event_bytes = 8;
  StartTailer();
  Write("0123456789abcdefXY");
  EXPECT_THAT(Messages(Ship()), ElementsAre("01234567", "89abcdef"));
  Write("Z\n");
  EXPECT_THAT(Messages(Ship()), ElementsAre("XYZ"));
}

TEST_F(LogTailerTest, ResumesAfterRestartWithoutLossOrDuplicates) {
  StartTailer();
  Write("a1\na2\n", "list-api-v1-1");
  Write("b1\n", "list-api-v1-2");
  EXPECT_EQ(Ship().size(), 3u);
  Write("a3\na4 partial", "list-api-v1-1");
  EXPECT_THAT(Messages(Ship()), ElementsAre("a3"));

  // The collector restarts: new store connection, new tailer from stored positions.
  tailer_.reset();
  OpenStore();
  Write(" done\n", "list-api-v1-1");
  Write("b2\n", "list-api-v1-2");
  StartTailer();
  std::vector<std::string> messages = Messages(Ship());
  std::sort(messages.begin(), messages.end());
  EXPECT_THAT(messages, ElementsAre("a4 partial done", "b2"));
  EXPECT_EQ(StoredMessages().size(), 6u);
}

TEST_F(LogTailerTest, UncommittedPollIsProducedAgain) {
  StartTailer();
  Write("x\ny\n");
  auto first = tailer_->Poll();
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->events.size(), 2u);
  // Storing failed, so no Commit: the same events come again.
  auto second = tailer_->Poll();
  ASSERT_TRUE(second.ok());
  EXPECT_THAT(Messages(second->events), ElementsAre("x", "y"));
  tailer_->Commit(*first);  // stale: ignored
  auto third = tailer_->Poll();
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->events.size(), 2u);
  ASSERT_TRUE(store_->Append(third->events, third->offsets).ok());
  tailer_->Commit(*third);
  EXPECT_THAT(Messages(Ship()), IsEmpty());
}

TEST_F(LogTailerTest, StoredEventsAndOffsetsAgreeAfterAReopen) {
  StartTailer();
  Write("l1\nl2\nl3\n");
  auto batch = tailer_->Poll();
  ASSERT_TRUE(batch.ok());
  ASSERT_EQ(batch->offsets.size(), 1u);
  EXPECT_EQ(batch->offsets[0].offset, 9u);
  ASSERT_TRUE(store_->Append(batch->events, batch->offsets).ok());
  // The process dies before Commit: the stored offset still covers exactly the stored events.
  tailer_.reset();
  OpenStore();
  StartTailer();
  EXPECT_THAT(Messages(Ship()), IsEmpty());
  EXPECT_THAT(StoredMessages(), ElementsAre("l1", "l2", "l3"));
}

TEST_F(LogTailerTest, FreesTheDiskBlocksOfWhatIsStored) {
  options_.keep_bytes = 8192;
  StartTailer();
  const std::string line = std::string(999, 'x') + "\n";  // 1,000 bytes
  for (int i = 0; i < 100; ++i) Write(line);
  EXPECT_EQ(Ship().size(), 100u);
  // Everything before 100,000 - 8,192, rounded down to whole 4 KiB blocks, is released.
  EXPECT_EQ(tailer_->StatsJson()["bytes_released"], 90112);
  struct stat info {};
  ASSERT_EQ(::stat(LogPath().c_str(), &info), 0);
  EXPECT_EQ(info.st_size, 100'000);                         // offsets stay valid
  EXPECT_LE(info.st_blocks * 512, 100'000 - 90112 + 8192);  // the disk holds only the tail
  std::ifstream in(LogPath(), std::ios::binary);
  std::string head(16, '?');
  in.read(head.data(), 16);
  EXPECT_EQ(head, std::string(16, '\0'));  // a released range reads as zeros

  // Appending goes on; the next release waits until the stored position is 2 * keep_bytes past
  // the released one (106,496).
  for (int i = 0; i < 3; ++i) Write(line);
  EXPECT_EQ(Ship().size(), 3u);
  EXPECT_EQ(tailer_->StatsJson()["bytes_released"], 90112);
  for (int i = 0; i < 17; ++i) Write(line);
  EXPECT_EQ(Ship().size(), 17u);
  EXPECT_EQ(tailer_->StatsJson()["bytes_released"], (120'000 - 8192) / 4096 * 4096);
  EXPECT_EQ(StoredMessages().size(), 120u);

  // keep_bytes 0 keeps everything.
  options_.keep_bytes = 0;
  StartTailer();
  for (int i = 0; i < 30; ++i) Write(line, "list-api-v1-2");
  EXPECT_EQ(Ship().size(), 30u);
  EXPECT_EQ(tailer_->StatsJson()["bytes_released"], 0);
}

TEST_F(LogTailerTest, ReadingAgainFromTheStartSkipsReleasedRanges) {
  options_.keep_bytes = 8192;
  StartTailer();
  const std::string line = std::string(999, 'x') + "\n";
  for (int i = 0; i < 100; ++i) Write(line);
  EXPECT_EQ(Ship().size(), 100u);
  ASSERT_EQ(tailer_->StatsJson()["bytes_released"], 90112);

  // The store starts over: the file is read from 0 again, but 0..90112 is a hole. Reading goes
  // on at 90112, inside line 91 (90000..90999), so the first event is line 92.
  tailer_.reset();
  store_.reset();
  fs::remove(directory_ / "logs.sqlite3");
  OpenStore();
  StartTailer();
  const std::vector<NewLogEvent> again = Ship();
  ASSERT_EQ(again.size(), 9u);
  for (const NewLogEvent& event : again) EXPECT_EQ(event.message, std::string(999, 'x'));
  EXPECT_EQ(tailer_->StatsJson()["bytes_skipped_in_holes"], 90112);
  Write("after\n");
  EXPECT_THAT(Messages(Ship()), ElementsAre("after"));
}

TEST_F(LogTailerTest, ReplacedFileStartsFromZero) {
  StartTailer();
  Write("old line one\nold line two\n");
  EXPECT_EQ(Ship().size(), 2u);
  const fs::path replacement = directory_ / "replacement";
  {
    std::ofstream out(replacement, std::ios::binary);
    out << "new\n";
  }
  fs::rename(replacement, LogPath());
  EXPECT_THAT(Messages(Ship()), ElementsAre("new"));
  EXPECT_EQ(tailer_->StatsJson()["restarts_from_zero"], 1);
}

TEST_F(LogTailerTest, TruncatedFileStartsFromZero) {
  StartTailer();
  Write("a long first line\n");
  EXPECT_EQ(Ship().size(), 1u);
  fs::resize_file(LogPath(), 0);
  Write("short\n");
  EXPECT_THAT(Messages(Ship()), ElementsAre("short"));
}

TEST_F(LogTailerTest, ReplacedWhileStoppedStartsFromZero) {
  StartTailer();
  Write("before restart\n");
  EXPECT_EQ(Ship().size(), 1u);
  tailer_.reset();
  // Written beside and renamed over, so the new file surely has another inode.
  const fs::path replacement = directory_ / "replacement";
  {
    std::ofstream out(replacement, std::ios::binary);
    out << "after the file was recreated\n";
  }
  fs::rename(replacement, LogPath());
  StartTailer();
  EXPECT_THAT(Messages(Ship()), ElementsAre("after the file was recreated"));
}

TEST_F(LogTailerTest, BatchBoundsSpreadWorkOverPolls) {
  options_.max_batch_events = 2;
  StartTailer();
  Write("1\n2\n3\n4\n5\n");
  auto batch = tailer_->Poll();
  ASSERT_TRUE(batch.ok());
  EXPECT_THAT(Messages(batch->events), ElementsAre("1", "2"));
  EXPECT_TRUE(batch->more);
  ASSERT_TRUE(store_->Append(batch->events, batch->offsets).ok());
  tailer_->Commit(*batch);
  EXPECT_THAT(Messages(Ship()), ElementsAre("3", "4", "5"));
  EXPECT_EQ(tailer_->StatsJson()["events"], 5);
}

TEST_F(LogTailerTest, ReadBudgetBoundsOnePoll) {
  options_.max_read_bytes = 4;
  StartTailer();
  Write("ab\ncd\nef\n");
  auto batch = tailer_->Poll();
  ASSERT_TRUE(batch.ok());
  EXPECT_THAT(Messages(batch->events), ElementsAre("ab"));
  EXPECT_TRUE(batch->more);
  ASSERT_TRUE(store_->Append(batch->events, batch->offsets).ok());
  tailer_->Commit(*batch);
  EXPECT_THAT(Messages(Ship()), ElementsAre("cd", "ef"));
}

TEST_F(LogTailerTest, SkipsFilesOutsideThePattern) {
  StartTailer();
  fs::create_directories(directory_ / "data" / "logs" / "bad service");
  {
    std::ofstream out(directory_ / "data" / "logs" / "bad service" / "t.log");
    out << "ignored\n";
    std::ofstream other(directory_ / "data" / "logs" / "list-api" / "notes.txt");
    other << "ignored\n";
  }
  Write("kept\n");
  EXPECT_THAT(Messages(Ship()), ElementsAre("kept"));
  EXPECT_EQ(tailer_->StatsJson()["files_skipped"], 1);
}

TEST_F(LogTailerTest, NoLogsDirectoryIsNotAnError) {
  options_.data_dir = (directory_ / "missing").string();
  StartTailer();
  EXPECT_THAT(Ship(), IsEmpty());
}

}  // namespace
}  // namespace ck::collector::logs
