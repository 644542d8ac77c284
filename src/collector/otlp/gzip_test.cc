#include "collector/otlp/gzip.h"

#include <gtest/gtest.h>

#include <string>

namespace ck::collector::otlp {
namespace {

std::string Sample() {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "span " + std::to_string(i) + ";";
  return text;
}

TEST(GzipTest, RoundTrips) {
  std::string text = Sample();
  std::string compressed = Gzip(text);
  ASSERT_LT(compressed.size(), text.size());
  EXPECT_EQ(static_cast<unsigned char>(compressed[0]), 0x1f) << "gzip magic";
  auto plain = Gunzip(compressed, text.size());
  ASSERT_TRUE(plain.ok()) << plain.status().message();
  EXPECT_EQ(*plain, text);
}

TEST(GzipTest, RoundTripsEmptyInput) {
  auto plain = Gunzip(Gzip(""), 10);
  ASSERT_TRUE(plain.ok()) << plain.status().message();
  EXPECT_EQ(*plain, "");
}

TEST(GzipTest, ConcatenatedMembersInflateToTheConcatenation) {
  auto plain = Gunzip(Gzip("hello ") + Gzip("world"), 100);
  ASSERT_TRUE(plain.ok()) << plain.status().message();
  EXPECT_EQ(*plain, "hello world");
}

TEST(GzipTest, OutputLimitIsExactAndStopsABomb) {
  std::string text = Sample();
  std::string compressed = Gzip(text);
  EXPECT_TRUE(Gunzip(compressed, text.size()).ok());
  auto over = Gunzip(compressed, text.size() - 1);
  EXPECT_EQ(over.status().code(), StatusCode::kResourceExhausted);

  // 64 MiB of zeros compress to ~64 KiB; inflating stops at the 1 MiB limit.
  std::string bomb = Gzip(std::string(64 << 20, '\0'));
  ASSERT_LT(bomb.size(), 100u * 1024);
  auto exploded = Gunzip(bomb, 1 << 20);
  EXPECT_EQ(exploded.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(exploded.status().message().find("1048576"), std::string::npos);
}

TEST(GzipTest, RejectsNonGzipCorruptAndTruncatedInput) {
  EXPECT_EQ(Gunzip("", 100).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Gunzip("{\"resourceSpans\":[]}", 100).status().code(), StatusCode::kInvalidArgument);
  std::string compressed = Gzip(Sample());
  std::string truncated = compressed.substr(0, compressed.size() / 2);
  auto cut = Gunzip(truncated, 1 << 20);
  EXPECT_EQ(cut.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(cut.status().message().find("truncated"), std::string::npos) << cut.status().message();
  // Without its 8-byte trailer (CRC and length) the stream is incomplete too.
  EXPECT_FALSE(Gunzip(compressed.substr(0, compressed.size() - 4), 1 << 20).ok());
  std::string corrupt = compressed;
  corrupt[corrupt.size() - 6] ^= 0x55;  // inside the CRC-32
  EXPECT_EQ(Gunzip(corrupt, 1 << 20).status().code(), StatusCode::kInvalidArgument);
  // Trailing garbage after a complete member.
  EXPECT_EQ(Gunzip(Gzip("ok") + "garbage", 100).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ck::collector::otlp
