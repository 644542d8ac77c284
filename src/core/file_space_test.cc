#include "core/file_space.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace ck {
namespace {

namespace fs = std::filesystem;

TEST(FileSpaceTest, FreesWholeBlocksOfThePrefixAndKeepsTheSize) {
  const fs::path path = fs::temp_directory_path() / ("ck-file-space-" + std::to_string(::getpid()));
  {
    std::ofstream out(path, std::ios::binary);
    out << std::string(100'000, 'x');
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  struct stat before {};
  ASSERT_EQ(::fstat(fd, &before), 0);

  Result<uint64_t> released = ReleaseOldPrefix(fd, 50'000, 0);
  ASSERT_TRUE(released.ok()) << released.status().message();
  EXPECT_EQ(*released, 49'152u);  // 12 whole 4 KiB blocks
  // Nothing whole to free: the position stays.
  EXPECT_EQ(*ReleaseOldPrefix(fd, 50'000, 49'152), 49'152u);
  EXPECT_EQ(*ReleaseOldPrefix(fd, 1'000, 49'152), 49'152u);

  struct stat after {};
  ASSERT_EQ(::fstat(fd, &after), 0);
  EXPECT_EQ(after.st_size, 100'000);
  EXPECT_LE(after.st_blocks * 512, before.st_blocks * 512 - 49'152);
  ::close(fd);

  std::ifstream in(path, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text.substr(0, 49'152), std::string(49'152, '\0'));
  EXPECT_EQ(text.substr(49'152), std::string(100'000 - 49'152, 'x'));
  fs::remove(path);
}

TEST(FileSpaceTest, KeepRecentPartFreesOncePerKeepBytesAndKeepsTheLastOnes) {
  const fs::path path =
      fs::temp_directory_path() / ("ck-file-space-keep-" + std::to_string(::getpid()));
  {
    std::ofstream out(path, std::ios::binary);
    out << std::string(100'000, 'x');
  }
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  const uint64_t keep = 16'384;
  uint64_t released = 0;
  EXPECT_FALSE(ReleaseDue(keep * 2 - 1, keep, released));
  EXPECT_FALSE(ReleaseDue(100'000, 0, released));  // keep 0: never
  ASSERT_TRUE(ReleaseDue(100'000, keep, released));
  PrefixRelease done = KeepRecentPart(fd, 100'000, keep, released);
  EXPECT_FALSE(done.unsupported);
  EXPECT_EQ(released, 81'920u);  // 100,000 - 16,384 rounded down to whole 4 KiB blocks
  EXPECT_EQ(done.freed, 81'920u);
  EXPECT_FALSE(ReleaseDue(100'000, keep, released));  // not again until 2 * keep more
  EXPECT_TRUE(ReleaseDue(released + 2 * keep, keep, released));
  ::close(fd);
  fs::remove(path);
}

TEST(FileSpaceTest, KeepRecentPartLeavesThePositionOnOtherFailures) {
  uint64_t released = 4096;
  PrefixRelease done = KeepRecentPart(-1, 100'000, 8192, released);
  EXPECT_FALSE(done.unsupported);
  EXPECT_EQ(done.freed, 0u);
  EXPECT_EQ(released, 4096u);
}

TEST(FileSpaceTest, ABadDescriptorIsAnError) {
  Result<uint64_t> released = ReleaseOldPrefix(-1, 8192, 0);
  ASSERT_FALSE(released.ok());
  EXPECT_EQ(released.status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace ck
