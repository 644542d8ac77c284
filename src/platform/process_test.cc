#include "platform/process.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace ck::platform {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

std::optional<ExitInfo> WaitForExit(pid_t pid,
                                    std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (auto exit = TryReap(pid)) return exit;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return std::nullopt;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class ProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ck-process-test-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(ProcessTest, ReportsExitCodes) {
  auto ok = SpawnProcess({.argv = {"/bin/true"}});
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  auto exit = WaitForExit(*ok);
  ASSERT_TRUE(exit);
  EXPECT_FALSE(exit->signaled);
  EXPECT_EQ(exit->code, 0);

  auto three = SpawnProcess({.argv = {"sh", "-c", "exit 3"}});  // PATH search; tests may use sh
  ASSERT_TRUE(three.ok());
  exit = WaitForExit(*three);
  ASSERT_TRUE(exit);
  EXPECT_EQ(exit->code, 3);
  EXPECT_EQ(exit->Describe(), "exit code 3");
}

TEST_F(ProcessTest, MissingProgramFailsTheSpawn) {
  auto missing = SpawnProcess({.argv = {"/nonexistent/program"}});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("/nonexistent/program"));
  auto not_in_path = SpawnProcess({.argv = {"ck-no-such-program"}});
  EXPECT_EQ(not_in_path.status().code(), StatusCode::kNotFound);
  auto directory = SpawnProcess({.argv = {"/tmp"}});
  EXPECT_FALSE(directory.ok());
  auto bad_log = SpawnProcess({.argv = {"/bin/true"}, .log_path = "/proc/ck/nope.log"});
  EXPECT_FALSE(bad_log.ok());
}

TEST_F(ProcessTest, CapturesStdoutAndStderrIncludingUtf8) {
  const fs::path log = dir_ / "logs" / "svc" / "svc-v1-1.log";
  const std::string line = "héllo wörld ✓ 日本語 🐧";
  auto pid = SpawnProcess({.argv = {"sh", "-c", "printf '%s\\n' \"$1\"; echo err >&2", "sh", line},
                           .log_path = log.string()});
  ASSERT_TRUE(pid.ok());
  ASSERT_TRUE(WaitForExit(*pid));
  EXPECT_EQ(ReadFile(log), line + "\nerr\n");
  // A second start appends.
  pid = SpawnProcess({.argv = {"/bin/echo", "again"}, .log_path = log.string()});
  ASSERT_TRUE(pid.ok());
  ASSERT_TRUE(WaitForExit(*pid));
  EXPECT_EQ(ReadFile(log), line + "\nerr\nagain\n");
}

TEST_F(ProcessTest, GivesExactlyTheEnvironmentAndNoExtraDescriptors) {
  const fs::path log = dir_ / "env.log";
  auto pid = SpawnProcess(
      {.argv = {"/usr/bin/env"}, .env = {"A=1", "B=two words"}, .log_path = log.string()});
  ASSERT_TRUE(pid.ok());
  ASSERT_TRUE(WaitForExit(*pid));
  EXPECT_EQ(ReadFile(log), "A=1\nB=two words\n");

  const fs::path fds = dir_ / "fds.log";
  pid = SpawnProcess({.argv = {"/bin/ls", "/proc/self/fd"}, .log_path = fds.string()});
  ASSERT_TRUE(pid.ok());
  ASSERT_TRUE(WaitForExit(*pid));
  // 0, 1, 2 and the descriptor ls opens to read the directory.
  EXPECT_EQ(ReadFile(fds), "0\n1\n2\n3\n");
}

TEST_F(ProcessTest, RunsInItsOwnProcessGroupAndStopsOnSigterm) {
  auto pid = SpawnProcess({.argv = {"/bin/sleep", "30"}});
  ASSERT_TRUE(pid.ok());
  EXPECT_EQ(::getpgid(*pid), *pid);
  EXPECT_FALSE(TryReap(*pid));
  auto sample = SampleProcess(*pid);
  ASSERT_TRUE(sample.ok());
  EXPECT_GT(sample->rss_bytes, 0u);
  SignalProcessGroup(*pid, SIGTERM);
  auto exit = WaitForExit(*pid);
  ASSERT_TRUE(exit);
  EXPECT_TRUE(exit->signaled);
  EXPECT_EQ(exit->code, SIGTERM);
  EXPECT_EQ(exit->Describe(), "killed by signal 15 (SIGTERM)");
  EXPECT_EQ(SampleProcess(*pid).status().code(), StatusCode::kNotFound);
}

TEST_F(ProcessTest, SignalsReachTheWholeGroup) {
  // The shell's child sleeps in the same group; SIGKILL to the group ends both.
  const fs::path log = dir_ / "group.log";
  auto pid =
      SpawnProcess({.argv = {"sh", "-c", "sleep 30 & echo $!; wait"}, .log_path = log.string()});
  ASSERT_TRUE(pid.ok());
  std::string child;
  for (int i = 0; i < 200 && child.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    child = ReadFile(log);
  }
  ASSERT_FALSE(child.empty());
  const pid_t grandchild = std::stoi(child);
  SignalProcessGroup(*pid, SIGKILL);
  ASSERT_TRUE(WaitForExit(*pid));
  for (int i = 0; i < 200 && ::kill(grandchild, 0) == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_NE(::kill(grandchild, 0), 0);
}

TEST(ProcessHelpersTest, FindsFreePortsAndSelf) {
  auto port = FindFreePort();
  ASSERT_TRUE(port.ok());
  EXPECT_GT(*port, 0);
  EXPECT_THAT(SelfExecutable(), HasSubstr("ck_platform_test"));
  EXPECT_GT(ClockTicksPerSecond(), 0);
}

TEST(ProcessHelpersTest, ExpandsOnlyKnownVariables) {
  const std::vector<std::string> vars = {"CK_LISTEN=127.0.0.1:5", "CK_DATA_DIR=/d", "X="};
  EXPECT_EQ(ExpandVariables("--listen=${CK_LISTEN}", vars), "--listen=127.0.0.1:5");
  EXPECT_EQ(ExpandVariables("${CK_DATA_DIR}/${CK_DATA_DIR}", vars), "/d//d");
  EXPECT_EQ(ExpandVariables("${UNKNOWN} $(rm -rf) ${X}", vars), "${UNKNOWN} $(rm -rf) ");
  EXPECT_EQ(ExpandVariables("${unterminated", vars), "${unterminated");
}

}  // namespace
}  // namespace ck::platform
