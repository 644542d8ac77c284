#include "collector/logs/log_block.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <climits>

namespace ck::collector::logs {
namespace {

using ::testing::ElementsAre;

LogBlockColumns ColumnsOf(const EncodedLogBlock& block) {
  return {block.first_ms, block.count,    block.times,        block.lengths,   block.indexes,
          block.traces,   block.messages, block.ingestion_ms, block.ingestions};
}

TEST(LogBlockTest, RoundTripsTimesMessagesAndTraces) {
  LogBlockBuilder builder;
  builder.Add(1000, "first", "1-5f84c7a1-0123456789abcdef01234567");
  builder.Add(990, "", "");  // earlier than the one before; empty message
  builder.Add(INT64_MAX, "héllo", "1-5f84c7a1-0123456789abcdef01234567");
  builder.Add(INT64_MIN, std::string(300, 'x'), "1-00000000-000000000000000000000001");
  EXPECT_EQ(builder.count(), 4u);
  EXPECT_EQ(builder.bytes(), 5u + 0 + 6 + 300);
  const EncodedLogBlock block = builder.Finish();
  EXPECT_EQ(builder.count(), 0u);  // Finish empties the builder
  EXPECT_EQ(block.first_ms, INT64_MIN);
  EXPECT_EQ(block.last_ms, INT64_MAX);
  EXPECT_EQ(block.count, 4u);
  EXPECT_TRUE(block.indexes.empty());

  auto decoded = DecodeLogBlock(ColumnsOf(block), /*messages=*/true, /*traces=*/true);
  ASSERT_TRUE(decoded.ok()) << decoded.status().message();
  EXPECT_THAT(decoded->timestamps, ElementsAre(1000, 990, INT64_MAX, INT64_MIN));
  EXPECT_THAT(decoded->numbers, ElementsAre(0, 1, 2, 3));
  EXPECT_EQ(decoded->Message(0), "first");
  EXPECT_EQ(decoded->Message(1), "");
  EXPECT_EQ(decoded->Message(2), "héllo");
  EXPECT_EQ(decoded->Message(3), std::string(300, 'x'));
  EXPECT_THAT(decoded->traces, ElementsAre("1-5f84c7a1-0123456789abcdef01234567", "",
                                           "1-5f84c7a1-0123456789abcdef01234567",
                                           "1-00000000-000000000000000000000001"));

  auto distinct = DistinctTraces(block.traces);
  ASSERT_TRUE(distinct.ok());
  EXPECT_THAT(*distinct, ElementsAre("1-00000000-000000000000000000000001",
                                     "1-5f84c7a1-0123456789abcdef01234567"));
}

TEST(LogBlockTest, RewrittenBlocksKeepEventNumbers) {
  LogBlockBuilder builder;
  builder.AddNumbered(3, 50, "d", "");
  builder.AddNumbered(7, 40, "h", "");
  const EncodedLogBlock block = builder.Finish();
  EXPECT_FALSE(block.indexes.empty());
  auto decoded = DecodeLogBlock(ColumnsOf(block), /*messages=*/false, /*traces=*/false);
  ASSERT_TRUE(decoded.ok());
  EXPECT_THAT(decoded->numbers, ElementsAre(3, 7));
  EXPECT_THAT(decoded->timestamps, ElementsAre(50, 40));
  EXPECT_TRUE(decoded->message_ends.empty());  // not asked for
}

TEST(LogBlockTest, IngestionTimesAreStoredOnlyWhenTheyDiffer) {
  LogBlockBuilder builder;
  builder.set_ingestion(5000);
  builder.Add(1, "a", "");
  builder.Add(2, "b", "");
  EncodedLogBlock uniform = builder.Finish();
  EXPECT_EQ(uniform.ingestion_ms, 5000);
  EXPECT_TRUE(uniform.ingestions.empty());
  auto decoded = DecodeLogBlock(ColumnsOf(uniform), false, false);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->Ingestion(1), 5000);

  // The ingestion time set survives Finish; numbering continues after the highest number.
  builder.AddNumbered(7, 3, "c", "");
  builder.set_ingestion(4000);
  builder.Add(4, "d", "");
  EXPECT_EQ(builder.next_number(), 9u);
  EncodedLogBlock mixed = builder.Finish();
  EXPECT_EQ(mixed.ingestion_ms, 5000);
  EXPECT_FALSE(mixed.ingestions.empty());
  decoded = DecodeLogBlock(ColumnsOf(mixed), false, false);
  ASSERT_TRUE(decoded.ok());
  EXPECT_THAT(decoded->numbers, ElementsAre(7, 8));
  EXPECT_EQ(decoded->Ingestion(0), 5000);
  EXPECT_EQ(decoded->Ingestion(1), 4000);
  LogBlockColumns cut = ColumnsOf(mixed);
  cut.ingestions = cut.ingestions.substr(0, 1);
  EXPECT_FALSE(DecodeLogBlock(cut, false, false).ok());
}

TEST(LogBlockTest, EventIdsCombineBlockAndNumber) {
  const uint64_t id = EventIdOf(12345, 65535);
  EXPECT_EQ(BlockIdOf(id), 12345);
  EXPECT_EQ(BlockNumberOf(id), 65535u);
  EXPECT_LT(EventIdOf(1, 65535), EventIdOf(2, 0));
}

TEST(LogBlockTest, BlocksCloseAtTheirBounds) {
  LogBlockBuilder builder;
  EXPECT_FALSE(builder.full(kMaxBlockBytes * 2));  // an empty block takes any event
  builder.Add(1, std::string(kMaxBlockBytes - 10, 'a'), "");
  EXPECT_FALSE(builder.full(10));
  EXPECT_TRUE(builder.full(11));
}

TEST(LogBlockTest, DamagedBytesAreAnErrorNotACrash) {
  LogBlockBuilder builder;
  builder.Add(5, "abc", "1-5f84c7a1-0123456789abcdef01234567");
  builder.Add(6, "de", "");
  const EncodedLogBlock block = builder.Finish();
  LogBlockColumns columns = ColumnsOf(block);

  LogBlockColumns cut = columns;
  cut.times = cut.times.substr(0, 1);
  EXPECT_FALSE(DecodeLogBlock(cut, false, false).ok());
  cut = columns;
  cut.messages = "abc";  // shorter than the lengths say
  EXPECT_FALSE(DecodeLogBlock(cut, true, false).ok());
  cut = columns;
  cut.traces = columns.traces.substr(0, 10);
  EXPECT_FALSE(DecodeLogBlock(cut, false, true).ok());
  EXPECT_FALSE(DistinctTraces(cut.traces).ok());
  cut = columns;
  cut.count = 70000;
  EXPECT_FALSE(DecodeLogBlock(cut, false, false).ok());
  const std::string overlong(11, '\xff');  // a varint longer than 64 bits
  cut = columns;
  cut.times = overlong;
  EXPECT_FALSE(DecodeLogBlock(cut, false, false).ok());
  cut = columns;
  cut.indexes = "\x05";  // one number for two events
  EXPECT_FALSE(DecodeLogBlock(cut, false, false).ok());
  EXPECT_FALSE(MessageLengths("\x80", 1).ok());
}

TEST(LogBlockTest, TraceBloomHasEveryIdAndFewFalsePositives) {
  std::vector<std::string> ids;
  for (int i = 0; i < 2000; ++i) {
    char id[40];
    std::snprintf(id, sizeof id, "1-5f84c7a1-%024x", i * 7919);
    ids.push_back(id);
  }
  const std::vector<std::string_view> views(ids.begin(), ids.end());
  const std::string bloom = BuildTraceBloom(views);
  EXPECT_EQ(bloom.size(), 32768u / 8);  // 2000 ids * 10 bits, rounded up to a power of two
  for (const std::string& id : ids) EXPECT_TRUE(TraceBloomMayContain(bloom, id));
  int false_positives = 0;
  for (int i = 0; i < 10000; ++i) {
    char id[40];
    std::snprintf(id, sizeof id, "1-6a000000-%024x", i);
    false_positives += TraceBloomMayContain(bloom, id) ? 1 : 0;
  }
  EXPECT_LT(false_positives, 100);  // under 1%
  // Small blocks get 64 bits; a malformed filter cannot rule anything out.
  EXPECT_EQ(BuildTraceBloom({}).size(), 8u);
  EXPECT_FALSE(TraceBloomMayContain(BuildTraceBloom({}), ids[0]));
  EXPECT_TRUE(TraceBloomMayContain("abc", ids[0]));
}

}  // namespace
}  // namespace ck::collector::logs
