// Supervisor tests with real processes: this test binary doubles as the task it supervises
// (CK_TEST_CHILD=health-server makes it serve GET /health on CK_LISTEN and exit).
#include "platform/supervisor.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <sys/stat.h>
#include <boost/asio/signal_set.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "http/server.h"
#include "platform/process.h"

namespace ck::platform {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using ::testing::HasSubstr;

// --- the child task ---------------------------------------------------------------------------

int RunChildIfRequested() {
  const char* mode = std::getenv("CK_TEST_CHILD");
  if (!mode || std::string(mode) != "health-server") return 0;
  const std::string listen = std::getenv("CK_LISTEN");
  const std::string unhealthy_file =
      std::getenv("CK_TEST_UNHEALTHY_FILE") ? std::getenv("CK_TEST_UNHEALTHY_FILE") : "";
  const bool ignore_term = std::getenv("CK_TEST_IGNORE_TERM") != nullptr;
  asio::io_context io;
  http::HttpServer server(io, http::ServerOptions{}, [unhealthy_file](http::HttpRequest request) {
    return [](bool healthy) -> asio::awaitable<http::HttpResponse> {
      co_return healthy
          ? http::MakeResponse(http::HttpStatus::ok, "application/json", "{\"status\":\"ok\"}")
          : http::MakeJsonError(http::HttpStatus::service_unavailable, "sick");
    }(unhealthy_file.empty() || !fs::exists(unhealthy_file));
  });
  const size_t colon = listen.rfind(':');
  auto endpoint = server.Listen(listen.substr(0, colon),
                                static_cast<uint16_t>(std::stoi(listen.substr(colon + 1))));
  if (!endpoint.ok()) {
    std::fprintf(stderr, "listen failed: %s\n", endpoint.status().message().c_str());
    std::_Exit(2);
  }
  server.Start();
  std::printf("listening CK_TASK_ID=%s CK_SERVICE=%s CK_SERVICE_VERSION=%s CK_DISCOVERY_URL=%s\n",
              std::getenv("CK_TASK_ID"), std::getenv("CK_SERVICE"),
              std::getenv("CK_SERVICE_VERSION"), std::getenv("CK_DISCOVERY_URL"));
  if (const char* chatter = std::getenv("CK_TEST_CHATTER")) {
    // Lines of 2,000 'c's until that many bytes are written.
    const std::string line = std::string(1999, 'c') + "\n";
    for (long written = 0; written < std::atol(chatter); written += 2000) {
      std::fwrite(line.data(), 1, line.size(), stdout);
    }
  }
  std::fflush(stdout);
  asio::signal_set signals(io, SIGTERM);
  std::function<void(const boost::system::error_code&, int)> on_signal =
      [&](const boost::system::error_code& error, int) {
        if (error) return;
        if (ignore_term) return signals.async_wait(on_signal);
        server.Shutdown([&] { io.stop(); });
      };
  signals.async_wait(on_signal);
  io.run();
  std::_Exit(0);
}

const int kChild = RunChildIfRequested();

// --- helpers ------------------------------------------------------------------------------------

class SupervisorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("ck-supervisor-test-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    supervisor_.reset();
    fs::remove_all(dir_);
  }

  // A stack of: job prep (/bin/true or what is given) <- back (desired 2) <- front.
  void StartStack(const std::string& prep_command = "/bin/true", const std::string& extra_env = "",
                  const std::string& health = "") {
    const std::string self = SelfExecutable();
    const std::string text =
        "jobs:\n"
        "  prep:\n"
        "    command: [" +
        prep_command +
        "]\n"
        "defaults:\n"
        "  stop_grace: 300ms\n"
        "  health_check: {interval: 50ms, timeout: 500ms, start_interval: 20ms, "
        "unhealthy_threshold: 2" +
        health +
        "}\n"
        "services:\n"
        "  back:\n"
        "    desired: 2\n"
        "    depends_on: [prep]\n"
        "    task_definitions:\n"
        "      v1:\n"
        "        command: [" +
        self +
        "]\n"
        "        env: {CK_TEST_CHILD: health-server, CK_TEST_UNHEALTHY_FILE: " +
        (dir_ / "unhealthy").string() +
        "}\n"
        "  front:\n"
        "    depends_on: [back]\n"
        "    task_definitions:\n"
        "      v1:\n"
        "        command: [" +
        self +
        "]\n"
        "        env: {CK_TEST_CHILD: health-server" +
        extra_env + "}\n";
    auto stack = ParseStackSpec(text, "test.yaml");
    ASSERT_TRUE(stack.ok()) << stack.status().message();
    SupervisorOptions options;
    options.data_dir = dir_.string();
    options.discovery_url = "http://127.0.0.1:1";
    options.backoff.initial = std::chrono::milliseconds(50);
    options.sample_interval = sample_interval_;
    options.log_keep_bytes = log_keep_bytes_;
    options.on_event = [this](const std::string& message, const nlohmann::json& fields) {
      events_.push_back(message + " " + fields.value("task", ""));
    };
    supervisor_ = std::make_unique<Supervisor>(io_, *stack, discovery_, options);
    supervisor_->Start();
  }

  bool RunUntil(const std::function<bool()>& done,
                std::chrono::milliseconds limit = std::chrono::seconds(20)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      io_.restart();
      io_.run_for(std::chrono::milliseconds(10));
    }
    return true;
  }

  nlohmann::json Task(const std::string& id) {
    const nlohmann::json all = supervisor_->TasksJson();
    for (const auto& task : all["tasks"]) {
      if (task["id"] == id) return task;
    }
    return nullptr;
  }
  std::vector<nlohmann::json> TasksOf(const std::string& service) {
    std::vector<nlohmann::json> tasks;
    const nlohmann::json all = supervisor_->TasksJson();
    for (const auto& task : all["tasks"]) {
      if (task["service"] == service) tasks.push_back(task);
    }
    return tasks;
  }
  size_t EventIndex(const std::string& event) {
    auto it = std::find(events_.begin(), events_.end(), event);
    return it == events_.end() ? SIZE_MAX : static_cast<size_t>(it - events_.begin());
  }

  fs::path dir_;
  std::chrono::milliseconds sample_interval_{1000};
  uint64_t log_keep_bytes_ = 0;
  asio::io_context io_;
  DiscoveryRegistry discovery_;
  std::unique_ptr<Supervisor> supervisor_;
  std::vector<std::string> events_;
};

TEST_F(SupervisorTest, StartsInDependencyOrderAndRegistersInstances) {
  ASSERT_NO_FATAL_FAILURE(StartStack());
  ASSERT_TRUE(RunUntil([&] { return supervisor_->AllHealthy(); }));
  EXPECT_LT(EventIndex("task started prep-v1-1"), EventIndex("task started back-v1-1"));
  // front waits for one healthy back task, whichever of the two answers its check first.
  EXPECT_LT(std::min(EventIndex("task healthy back-v1-1"), EventIndex("task healthy back-v1-2")),
            EventIndex("task started front-v1-1"));
  EXPECT_EQ(Task("prep-v1-1")["state"], "completed");
  EXPECT_EQ(Task("back-v1-1")["state"], "healthy");
  EXPECT_EQ(Task("back-v1-2")["state"], "healthy");

  auto instances = discovery_.Lookup("back");
  ASSERT_TRUE(instances.ok());
  ASSERT_EQ(instances->size(), 2u);
  EXPECT_TRUE((*instances)[0].healthy);
  EXPECT_NE((*instances)[0].port, (*instances)[1].port);
  EXPECT_EQ((*instances)[0].version, "v1");
  EXPECT_EQ(discovery_.Lookup("prep").status().code(), StatusCode::kNotFound);  // jobs aren't

  // The task's output is in its log file, and it saw the contract's environment.
  std::ifstream log(dir_ / "logs" / "back" / "back-v1-2.log");
  std::stringstream text;
  text << log.rdbuf();
  EXPECT_THAT(text.str(), HasSubstr("listening CK_TASK_ID=back-v1-2 CK_SERVICE=back "
                                    "CK_SERVICE_VERSION=v1 CK_DISCOVERY_URL=http://127.0.0.1:1"));
}

TEST_F(SupervisorTest, KeepsOnlyTheRecentPartOfTaskLogsOnDiskWhenAsked) {
  sample_interval_ = std::chrono::milliseconds(20);
  log_keep_bytes_ = 8192;
  // front's task writes 300,000 bytes and then idles.
  ASSERT_NO_FATAL_FAILURE(StartStack("/bin/true", ", CK_TEST_CHATTER: 300000"));
  ASSERT_TRUE(RunUntil([&] { return supervisor_->AllHealthy(); }));
  const fs::path log = dir_ / "logs" / "front" / "front-v1-1.log";
  struct stat info {};
  ASSERT_TRUE(RunUntil([&] {
    return ::stat(log.c_str(), &info) == 0 && info.st_size >= 300'000 &&
           info.st_blocks * 512 <= 300'000 / 4;
  })) << "size "
      << info.st_size << ", on disk " << info.st_blocks * 512;
  // The end of the file is still there; the start reads as zeros.
  std::ifstream in(log, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text.substr(0, 4096), std::string(4096, '\0'));
  EXPECT_NE(text.substr(text.size() - 8192).find(std::string(1000, 'c')), std::string::npos);
}

TEST_F(SupervisorTest, RestartsAKilledTaskWithANewId) {
  ASSERT_NO_FATAL_FAILURE(StartStack());
  ASSERT_TRUE(RunUntil([&] { return supervisor_->AllHealthy(); }));
  const pid_t pid = Task("front-v1-1")["pid"];
  ASSERT_GT(pid, 0);
  ::kill(pid, SIGKILL);
  ASSERT_TRUE(RunUntil([&] {
    auto tasks = TasksOf("front");
    return tasks.size() == 1 && tasks[0]["restarts"] == 1 && tasks[0]["state"] == "healthy";
  }));
  auto task = TasksOf("front")[0];
  EXPECT_EQ(task["id"], "front-v1-2");
  EXPECT_EQ(task["slot"], 1);
  EXPECT_EQ(task["last_exit"], "killed by signal 9 (SIGKILL)");
  EXPECT_NE(EventIndex("task restarting front-v1-1"), SIZE_MAX);
  auto instances = discovery_.Lookup("front");
  ASSERT_EQ(instances->size(), 1u);
  EXPECT_EQ((*instances)[0].id, "front-v1-2");
}

TEST_F(SupervisorTest, ReplacesUnhealthyTasks) {
  ASSERT_NO_FATAL_FAILURE(StartStack("/bin/true", "", ", start_period: 200ms"));
  ASSERT_TRUE(RunUntil([&] { return supervisor_->AllHealthy(); }));
  std::ofstream(dir_ / "unhealthy") << "sick";
  ASSERT_TRUE(RunUntil([&] { return EventIndex("task unhealthy back-v1-1") != SIZE_MAX; }));
  fs::remove(dir_ / "unhealthy");
  ASSERT_TRUE(RunUntil([&] {
    auto tasks = TasksOf("back");
    return supervisor_->AllHealthy() && tasks.size() == 2 && tasks[0]["restarts"] >= 1;
  }));
  EXPECT_NE(TasksOf("back")[0]["id"], "back-v1-1");
}

TEST_F(SupervisorTest, ScalesStopsAndStartsServices) {
  ASSERT_NO_FATAL_FAILURE(StartStack());
  ASSERT_TRUE(RunUntil([&] { return supervisor_->AllHealthy(); }));
  ASSERT_TRUE(supervisor_->Scale("back", 3).ok());
  ASSERT_TRUE(RunUntil([&] { return supervisor_->AllHealthy() && TasksOf("back").size() == 3; }));
  EXPECT_EQ(discovery_.Lookup("back")->size(), 3u);
  ASSERT_TRUE(supervisor_->Scale("back", 1).ok());
  ASSERT_TRUE(RunUntil([&] { return TasksOf("back").size() == 1; }));
  EXPECT_EQ(TasksOf("back")[0]["slot"], 1);
  EXPECT_EQ(discovery_.Lookup("back")->size(), 1u);

  ASSERT_TRUE(supervisor_->StopService("front").ok());
  ASSERT_TRUE(RunUntil([&] { return TasksOf("front").empty(); }));
  EXPECT_TRUE(discovery_.Lookup("front")->empty());
  ASSERT_TRUE(supervisor_->StartService("front").ok());
  ASSERT_TRUE(RunUntil([&] { return supervisor_->AllHealthy() && TasksOf("front").size() == 1; }));

  EXPECT_EQ(supervisor_->Scale("nope", 1).code(), StatusCode::kNotFound);
  EXPECT_EQ(supervisor_->Scale("prep", 2).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(supervisor_->Scale("back", 65).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(supervisor_->StopService("nope").code(), StatusCode::kNotFound);
}

TEST_F(SupervisorTest, ShutdownStopsDependentsFirstAndKillsAfterTheGrace) {
  ASSERT_NO_FATAL_FAILURE(StartStack("/bin/true", ", CK_TEST_IGNORE_TERM: '1'"));
  ASSERT_TRUE(RunUntil([&] { return supervisor_->AllHealthy(); }));
  const pid_t back_pid = Task("back-v1-1")["pid"];
  bool stopped = false;
  supervisor_->Shutdown([&] { stopped = true; });
  ASSERT_TRUE(RunUntil([&] { return stopped; }));
  // front ignores SIGTERM, so back waits for front's SIGKILL before it is stopped.
  EXPECT_NE(EventIndex("task killed front-v1-1"), SIZE_MAX);
  EXPECT_LT(EventIndex("task exited front-v1-1"), EventIndex("task exited back-v1-1"));
  // The JSON must outlive the loop: a range-for over a member of a temporary dangles.
  const nlohmann::json tasks = supervisor_->TasksJson();
  for (const auto& task : tasks["tasks"]) {
    EXPECT_EQ(task["pid"], 0) << task["id"];  // the completed job's row stays
  }
  EXPECT_NE(::kill(back_pid, 0), 0);
}

// Regression: `ck ps` straight after "all healthy" showed 0.0 MB for healthy tasks, because
// the only sample until the 1 s sampler ran was taken right after exec.
TEST_F(SupervisorTest, PsUnderReportedRssRightAfterStart) {
  sample_interval_ = std::chrono::hours(1);  // the periodic sampler never runs in this test
  ASSERT_NO_FATAL_FAILURE(StartStack());
  bool unsampled_while_starting = true;
  ASSERT_TRUE(RunUntil([&] {
    const nlohmann::json tasks = supervisor_->TasksJson();
    for (const auto& task : tasks["tasks"]) {
      if (task["state"] == "starting" || task["state"] == "waiting") {
        unsampled_while_starting &= task["rss_bytes"].is_null() && task["cpu_percent"].is_null();
      }
    }
    return supervisor_->AllHealthy();
  }));
  EXPECT_TRUE(unsampled_while_starting) << "a task had metrics before its first sample";
  EXPECT_TRUE(Task("prep-v1-1")["rss_bytes"].is_null());  // completed: no process to sample
  for (const std::string id : {"back-v1-1", "back-v1-2", "front-v1-1"}) {
    const nlohmann::json task = Task(id);
    ASSERT_EQ(task["state"], "healthy") << id;
    ASSERT_TRUE(task["rss_bytes"].is_number()) << id << " was not sampled when it turned healthy";
    EXPECT_TRUE(task["cpu_percent"].is_number()) << id;
    auto now = SampleProcess(task["pid"].get<pid_t>());
    ASSERT_TRUE(now.ok()) << id;
    // Sampled once the process was serving, so close to what it uses now (the process right
    // after exec has a fraction of that).
    EXPECT_GE(task["rss_bytes"].get<double>(), 0.8 * static_cast<double>(now->rss_bytes)) << id;
  }
}

TEST_F(SupervisorTest, RetriesAFailingJobAndHoldsItsDependents) {
  ASSERT_NO_FATAL_FAILURE(StartStack("/bin/false"));
  ASSERT_TRUE(RunUntil([&] { return Task("prep-v1-3") != nullptr; }));
  auto job = TasksOf("prep")[0];
  EXPECT_GE(job["restarts"], 2);
  EXPECT_EQ(job["last_exit"], "exit code 1");
  for (const auto& task : TasksOf("back")) EXPECT_EQ(task["state"], "waiting");
  EXPECT_FALSE(supervisor_->AllHealthy());
}

TEST_F(SupervisorTest, SpawnFailuresAreRetriedWithTheReason) {
  ASSERT_NO_FATAL_FAILURE(StartStack("/nonexistent/prep"));
  ASSERT_TRUE(RunUntil([&] { return TasksOf("prep")[0]["restarts"] >= 2; }));
  EXPECT_THAT(TasksOf("prep")[0]["last_exit"].get<std::string>(),
              HasSubstr("cannot execute /nonexistent/prep"));
}

}  // namespace
}  // namespace ck::platform
