// `ck serve` as the platform runs it: a child process configured by the environment, a ready
// file, /health, and a clean exit 0 on SIGTERM. Skipped when CK_BIN is unset.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <utility>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "services/common/service_test_support.h"

extern char** environ;

namespace ck::services {
namespace {

namespace fs = std::filesystem;
using testing::BodyJson;
using testing::Call;

// Starts `$CK_BIN <args>` with the process environment plus `extra`; returns the pid or -1.
// The child's stdout goes to `log_file`.
pid_t Spawn(std::vector<std::string> args, const std::map<std::string, std::string>& extra,
            const std::string& log_file) {
  std::vector<std::string> environment;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    if (extra.count(std::string(text.substr(0, text.find('=')))) == 0)
      environment.emplace_back(text);
  }
  for (const auto& [name, value] : extra) environment.push_back(name + "=" + value);
  std::vector<char*> argv, envp;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  for (std::string& entry : environment) envp.push_back(entry.data());
  envp.push_back(nullptr);
  pid_t pid = -1;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_file.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int rc = ::posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

// The exit status after up to `timeout`, or -1 (the child is then killed).
int WaitExit(pid_t pid, std::chrono::milliseconds timeout) {
  int status = 0;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(pid, &status, WNOHANG) == pid)
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return -1;
}

class ServeProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* bin = std::getenv("CK_BIN");
    if (bin == nullptr || *bin == '\0') GTEST_SKIP() << "CK_BIN is not set";
    bin_ = bin;
    dir_ = fs::temp_directory_path() / ("ck-serve-test-" + RandomHex(6));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ignored;
    if (!dir_.empty()) fs::remove_all(dir_, ignored);
  }
  std::string Log() const {
    std::ifstream in(dir_ / "stdout.log");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  std::string log_file() const { return (dir_ / "stdout.log").string(); }
  std::string bin_;
  fs::path dir_;
};

TEST_F(ServeProcessTest, ListensWritesReadyFileAnswersHealthAndExitsCleanlyOnSigterm) {
  const std::string ready = (dir_ / "ready").string();
  pid_t pid = Spawn({bin_, "serve", "order-api", "--ready-file", ready},
                    {{"CK_LISTEN", "127.0.0.1:0"},
                     {"CK_SERVICE_VERSION", "v9"},
                     {"CK_COMMIT", "c0ffee"},
                     {"CK_TASK_ID", "order-api-v9-1"}},
                    log_file());
  ASSERT_GT(pid, 0);
  std::string url;
  for (int i = 0; i < 250 && url.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::ifstream in(ready);
    std::getline(in, url);
  }
  ASSERT_FALSE(url.empty()) << "no ready file";
  auto health = Call(http::Verb::get, url + "/health");
  ASSERT_TRUE(health.ok()) << health.status().ToString();
  EXPECT_EQ(BodyJson(*health), nlohmann::json({{"service", "order-api"},
                                               {"version", "v9"},
                                               {"commit", "c0ffee"},
                                               {"task_id", "order-api-v9-1"},
                                               {"status", "ok"}}));
  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  EXPECT_EQ(WaitExit(pid, std::chrono::seconds(5)), 0) << Log();
  EXPECT_NE(Log().find("\"msg\":\"stopped\""), std::string::npos) << Log();
}

TEST_F(ServeProcessTest, UnknownServiceFails) {
  pid_t pid = Spawn({bin_, "serve", "no-such-api"}, {}, log_file());
  ASSERT_GT(pid, 0);
  EXPECT_NE(WaitExit(pid, std::chrono::seconds(5)), 0);
}

TEST_F(ServeProcessTest, SeedCreatesTheTableAndExits) {
  testing::LiveDynamoDb& dynamodb = testing::LiveDynamoDb::Shared();
  if (!dynamodb.skip_reason().empty()) GTEST_SKIP() << dynamodb.skip_reason();
  auto environment = dynamodb.Environment();
  environment["CK_TABLE"] = "seeded-" + RandomHex(4);
  pid_t pid = Spawn({bin_, "serve", "seed"}, environment, log_file());
  ASSERT_GT(pid, 0);
  ASSERT_EQ(WaitExit(pid, std::chrono::seconds(20)), 0) << Log();
  auto init =
      EnsureResidentTableBlocking(LoadServiceConfig("t", MapEnvironment(environment)), false);
  ASSERT_TRUE(init.ok()) << init.status().ToString();
  EXPECT_FALSE(init->created);  // `ck serve seed` made it
}

}  // namespace
}  // namespace ck::services
