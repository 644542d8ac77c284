// Test support for the metrics service and API tests (metrics_*_test.cc): a thread-safe settable
// clock, a real loopback HTTP server that serves a /metrics body and records what is POSTed to
// it, a temporary directory, and a runner for /usr/bin/promtool (argv only, no shell).
//
// Thread-safety: TestClock and TestHttpServer may be used from any thread.
#pragma once

#include <utility>  // Boost 1.74's asio/awaitable.hpp needs it first under g++ 12.

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "collector/metrics_api.h"
#include "core/clock.h"
#include "http/message.h"
#include "http/server.h"

extern char** environ;

namespace ck::collector::testing {

inline constexpr const char* kPromtool = "/usr/bin/promtool";

// 2025-11-26T06:45:12.345Z: a fixed "now" a little past a minute boundary.
inline constexpr int64_t kTestNowMs = 1'764'139'512'345;

class TestClock final : public Clock {
 public:
  explicit TestClock(int64_t now_ms = kTestNowMs) : now_ms_(now_ms) {}
  WallTime Now() const override { return WallTime(std::chrono::milliseconds(now_ms_.load())); }
  void SetMs(int64_t now_ms) { now_ms_ = now_ms; }
  void AdvanceMs(int64_t delta_ms) { now_ms_ += delta_ms; }
  int64_t ms() const { return now_ms_; }

 private:
  std::atomic<int64_t> now_ms_;
};

struct ReceivedRequest {
  std::string method;
  std::string target;
  std::string content_type;
  std::string body;
};

// Answers GET /metrics with the body set by SetMetrics (status SetStatus, 200 by default) and
// records every other request, answering it with the same status.
class TestHttpServer {
 public:
  TestHttpServer() {
    server_ = std::make_unique<http::HttpServer>(
        io_, http::ServerOptions{},
        [this](http::HttpRequest request) -> boost::asio::awaitable<http::HttpResponse> {
          co_return Answer(request);
        });
    auto endpoint = server_->Listen("127.0.0.1", 0);
    port_ = endpoint.ok() ? endpoint->port() : 0;
    server_->Start();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~TestHttpServer() {
    boost::asio::post(io_, [this] { server_->Shutdown([this] { io_.stop(); }); });
    thread_.join();
  }

  void SetMetrics(std::string body) {
    std::lock_guard lock(mutex_);
    metrics_ = std::move(body);
  }
  void SetStatus(int status) {
    std::lock_guard lock(mutex_);
    status_ = status;
  }
  std::vector<ReceivedRequest> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }
  uint16_t port() const { return port_; }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::string HostPort() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  http::HttpResponse Answer(const http::HttpRequest& request) {
    std::lock_guard lock(mutex_);
    const auto status = static_cast<http::HttpStatus>(status_);
    if (request.method() == http::Verb::get && request.target() == "/metrics") {
      return http::MakeResponse(status, "text/plain; version=0.0.4; charset=utf-8", metrics_);
    }
    received_.push_back({std::string(request.method_string()), std::string(request.target()),
                         std::string(http::HeaderValue(request, "Content-Type")), request.body()});
    return http::MakeResponse(status, "text/plain", "ok\n");
  }

  boost::asio::io_context io_;
  std::unique_ptr<http::HttpServer> server_;
  uint16_t port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::string metrics_;
  int status_ = 200;
  std::vector<ReceivedRequest> received_;
};

// A fresh directory named after the running test, removed afterwards.
class TempDirectory {
 public:
  explicit TempDirectory(const std::string& name)
      : path_(std::filesystem::temp_directory_path() /
              ("ck-" + name + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDirectory() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

struct ToolResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

// Runs promtool with `arguments` (stdin from `input`, when given); -1 when it cannot run.
inline ToolResult RunPromtool(const std::vector<std::string>& arguments,
                              const std::filesystem::path& work_dir,
                              const std::string* input = nullptr) {
  const std::string out_path = (work_dir / "promtool.out").string();
  const std::string in_path = (work_dir / "promtool.in").string();
  if (input != nullptr) std::ofstream(in_path, std::ios::binary) << *input;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, input != nullptr ? in_path.c_str() : "/dev/null",
                                   O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<std::string> argv_storage = {"promtool"};
  argv_storage.insert(argv_storage.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (std::string& argument : argv_storage) argv.push_back(argument.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  ToolResult result;
  if (posix_spawn(&pid, kPromtool, &actions, nullptr, argv.data(), environ) == 0) {
    int status = 0;
    if (::waitpid(pid, &status, 0) == pid && WIFEXITED(status)) {
      result.exit_code = WEXITSTATUS(status);
    }
  }
  posix_spawn_file_actions_destroy(&actions);
  result.output = ReadFile(out_path);
  return result;
}

// A MetricsService with the test clock and no background scraping or evaluation, and its API,
// in a fresh directory named `<prefix>-<test name>`.
class MetricsApiFixture : public ::testing::Test {
 protected:
  explicit MetricsApiFixture(const std::string& prefix)
      : directory_(prefix + "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name()) {
  }

  void SetUp() override {
    MetricsServiceOptions options;
    options.data_dir = directory_.path().string();
    options.scrape_interval = std::chrono::milliseconds(0);
    options.evaluate_interval = std::chrono::milliseconds(0);
    options.clock = &clock_;
    auto started = MetricsService::Start(std::move(options));
    ASSERT_TRUE(started.ok()) << started.status().ToString();
    service_ = std::move(*started);
    api_ = std::make_unique<MetricsApi>(*service_);
  }

  TestClock clock_;
  TempDirectory directory_;
  std::unique_ptr<MetricsService> service_;
  std::unique_ptr<MetricsApi> api_;
};

}  // namespace ck::collector::testing
