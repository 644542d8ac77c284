// Test support for the services' tests (header-only; used by *_test.cc only).
//
//   TestHost      runs a ServiceDefinition in-process on its own io thread, on port 0
//   FakeDiscovery an in-process discovery registry answering /v1/discovery/<service>
//   FakeXRayDaemon a UDP socket on port 0 receiving the segments the services emit
//   CapturedLog   the global logger's lines, captured for the lifetime of the object
//   LiveDynamoDb  a real `$CK_BIN dynamodb --tls-auto` child process shared by the test binary
//   Call()        one blocking HTTP exchange
//
// Thread-safety: construct and destroy from the test's thread; the hosts run on their own threads.
#pragma once

#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <utility>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "aws/blocking_dynamodb_client.h"
#include "core/crypto.h"
#include "core/logger.h"
#include "http/client.h"
#include "http/server.h"
#include "services/common/residents.h"
#include "services/common/service_host.h"
#include "telemetry/emitter.h"

extern char** environ;

namespace ck::services::testing {

namespace asio = boost::asio;

// Runs one service on 127.0.0.1:0 on its own thread for the lifetime of the object.
class TestHost {
 public:
  TestHost(ServiceDefinition definition, ServiceConfig config)
      : definition_(std::move(definition)) {
    host_ = std::make_unique<ServiceHost>(io_, definition_, std::move(config));
    auto endpoint = host_->Start("127.0.0.1", 0);
    if (!endpoint.ok()) throw std::runtime_error(endpoint.status().ToString());
    port_ = endpoint->port();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~TestHost() {
    asio::post(io_, [this] { host_->Shutdown([this] { io_.stop(); }); });
    thread_.join();
    host_.reset();
  }
  uint16_t port() const { return port_; }
  std::string url(std::string_view path = "/") const {
    return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
  }
  // The host, for its thread-safe accessors (telemetry_stats, FlushTelemetry).
  ServiceHost& service() { return *host_; }

 private:
  asio::io_context io_;
  ServiceDefinition definition_;
  std::unique_ptr<ServiceHost> host_;
  uint16_t port_ = 0;
  std::thread thread_;
};

// A plain HTTP server running `handler` on its own thread (port 0).
class TestServer {
 public:
  explicit TestServer(http::Handler handler) {
    server_ = std::make_unique<http::HttpServer>(io_, http::ServerOptions{}, std::move(handler));
    auto endpoint = server_->Listen("127.0.0.1", 0);
    if (!endpoint.ok()) throw std::runtime_error(endpoint.status().ToString());
    port_ = endpoint->port();
    server_->Start();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~TestServer() {
    asio::post(io_, [this] { server_->Shutdown([this] { io_.stop(); }); });
    thread_.join();
  }
  uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  asio::io_context io_;
  std::unique_ptr<http::HttpServer> server_;
  uint16_t port_ = 0;
  std::thread thread_;
};

// The discovery registry's lookup API over a map that tests change at will.
class FakeDiscovery {
 public:
  FakeDiscovery()
      : server_([this](http::HttpRequest request) { return Answer(this, std::move(request)); }) {}

  void Set(const std::string& service, std::vector<ServiceInstance> instances) {
    std::lock_guard lock(mutex_);
    services_[service] = std::move(instances);
  }
  // Registers a healthy instance at 127.0.0.1:port.
  void Add(const std::string& service, uint16_t port, bool healthy = true) {
    std::lock_guard lock(mutex_);
    auto& instances = services_[service];
    instances.push_back(
        {service + "-" + std::to_string(instances.size() + 1), "127.0.0.1", port, "v1", healthy});
  }
  int lookups() const {
    std::lock_guard lock(mutex_);
    return lookups_;
  }
  std::string url() const { return server_.url(); }

 private:
  static asio::awaitable<http::HttpResponse> Answer(FakeDiscovery* self,
                                                    http::HttpRequest request) {
    const std::string prefix = "/v1/discovery/";
    std::string target(request.target());
    std::lock_guard lock(self->mutex_);
    ++self->lookups_;
    if (target.rfind(prefix, 0) != 0) {
      co_return http::MakeJsonError(http::HttpStatus::not_found, "no route");
    }
    std::string service = target.substr(prefix.size());
    auto it = self->services_.find(service);
    if (it == self->services_.end()) {
      co_return http::MakeJsonError(http::HttpStatus::not_found, "unknown service: " + service);
    }
    nlohmann::json instances = nlohmann::json::array();
    for (const ServiceInstance& instance : it->second) {
      instances.push_back({{"id", instance.id},
                           {"address", instance.address},
                           {"port", instance.port},
                           {"version", instance.version},
                           {"healthy", instance.healthy}});
    }
    nlohmann::json body = {{"service", service}, {"instances", instances}};
    co_return http::MakeResponse(http::HttpStatus::ok, "application/json", body.dump());
  }

  mutable std::mutex mutex_;
  std::map<std::string, std::vector<ServiceInstance>> services_;
  int lookups_ = 0;
  TestServer server_;
};

// The X-Ray daemon's UDP endpoint on 127.0.0.1:0: point AWS_XRAY_DAEMON_ADDRESS at address()
// and read what the services' emitters send. Every datagram must be the daemon header followed
// by one JSON document.
class FakeXRayDaemon {
 public:
  FakeXRayDaemon() {
    fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
    int buffer = 4 << 20;
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof(buffer));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
      throw std::runtime_error("cannot bind the fake X-Ray daemon");
    }
    socklen_t length = sizeof(address);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
  }
  ~FakeXRayDaemon() { ::close(fd_); }
  FakeXRayDaemon(const FakeXRayDaemon&) = delete;
  FakeXRayDaemon& operator=(const FakeXRayDaemon&) = delete;

  // For AWS_XRAY_DAEMON_ADDRESS.
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }

  // The next document, or null when none arrives within 10 s.
  nlohmann::json Next() {
    pollfd poll_fd{fd_, POLLIN, 0};
    if (::poll(&poll_fd, 1, 10000) != 1) return nullptr;
    std::string datagram(70000, '\0');
    ssize_t n = ::recv(fd_, datagram.data(), datagram.size(), 0);
    datagram.resize(n < 0 ? 0 : static_cast<size_t>(n));
    const std::string_view header = telemetry::kDaemonHeader;
    EXPECT_EQ(datagram.substr(0, header.size()), header) << datagram;
    nlohmann::json document = nlohmann::json::parse(
        datagram.size() < header.size() ? std::string() : datagram.substr(header.size()), nullptr,
        false);
    EXPECT_TRUE(document.is_object()) << datagram;
    return document;
  }

  // Reads documents until the segments named `names` of trace `trace_id` have all arrived (or
  // one is missing after 10 s); returns them by name. Documents of other traces go to `others`.
  std::map<std::string, nlohmann::json> Segments(const std::string& trace_id,
                                                 const std::vector<std::string>& names,
                                                 std::vector<nlohmann::json>* others = nullptr) {
    std::map<std::string, nlohmann::json> found;
    while (found.size() < names.size()) {
      nlohmann::json document = Next();
      if (document.is_null()) break;
      const bool wanted =
          document.value("trace_id", "") == trace_id &&
          std::find(names.begin(), names.end(), document.value("name", "")) != names.end();
      if (wanted) {
        const std::string name = document["name"];
        found[name] = std::move(document);
      } else if (others != nullptr) {
        others->push_back(std::move(document));
      }
    }
    return found;
  }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

// Captures the global logger's JSON lines (at info level) while alive; restores stdout after.
// Declare it before the hosts whose lines it captures, so it outlives them.
class CapturedLog {
 public:
  CapturedLog() : file_(std::tmpfile()) {
    if (file_ == nullptr) throw std::runtime_error("cannot create a temporary file");
    Logger::Global().Configure("test", LogLevel::kInfo, file_);
  }
  ~CapturedLog() {
    Logger::Global().Configure("ck", LogLevel::kInfo, stdout);
    std::fclose(file_);
  }
  CapturedLog(const CapturedLog&) = delete;
  CapturedLog& operator=(const CapturedLog&) = delete;

  // The lines written so far whose "msg" is `msg`.
  std::vector<nlohmann::json> Lines(std::string_view msg) {
    std::fflush(file_);
    std::rewind(file_);
    std::vector<nlohmann::json> lines;
    char buffer[65536];
    while (std::fgets(buffer, sizeof(buffer), file_) != nullptr) {
      nlohmann::json line = nlohmann::json::parse(buffer, nullptr, false);
      if (line.is_object() && line.value("msg", "") == msg) lines.push_back(std::move(line));
    }
    std::fseek(file_, 0, SEEK_END);
    return lines;
  }

 private:
  std::FILE* file_;
};

// `$CK_BIN dynamodb` over HTTPS with its own local CA, in a temporary data directory.
class LiveDynamoDb {
 public:
  // The instance shared by every test of this binary; skip_reason() is set when CK_BIN is unset.
  static LiveDynamoDb& Shared() {
    static LiveDynamoDb instance;
    return instance;
  }

  const std::string& skip_reason() const { return skip_reason_; }
  const std::string& endpoint() const { return endpoint_; }
  const std::string& ca_bundle() const { return ca_bundle_; }

  // The AWS_* variables for a client of this server.
  std::map<std::string, std::string> Environment() const {
    return {{"AWS_ENDPOINT_URL_DYNAMODB", endpoint_},
            {"AWS_CA_BUNDLE", ca_bundle_},
            {"AWS_REGION", "us-east-1"},
            {"AWS_ACCESS_KEY_ID", "ck-local"},
            {"AWS_SECRET_ACCESS_KEY", "ck-local-secret"}};
  }

  ~LiveDynamoDb() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    std::error_code ignored;
    if (!data_dir_.empty()) std::filesystem::remove_all(data_dir_, ignored);
  }

 private:
  LiveDynamoDb() {
    const char* bin = std::getenv("CK_BIN");
    if (bin == nullptr || *bin == '\0') {
      skip_reason_ = "CK_BIN is not set (ctest sets it to the ck binary)";
      return;
    }
    data_dir_ = std::filesystem::temp_directory_path() / ("ck-services-test-" + RandomHex(6));
    std::filesystem::create_directories(data_dir_);
    const std::string ready = (data_dir_ / "ready").string();
    std::vector<std::string> argv = {bin,          "dynamodb",         "--listen",   "127.0.0.1:0",
                                     "--data-dir", data_dir_.string(), "--tls-auto", "--ready-file",
                                     ready,        "--log-level",      "warn"};
    std::vector<char*> args;
    for (std::string& arg : argv) args.push_back(arg.data());
    args.push_back(nullptr);
    int rc = ::posix_spawn(&pid_, args[0], nullptr, nullptr, args.data(), environ);
    if (rc != 0) {
      pid_ = -1;
      skip_reason_ = std::string("cannot start ") + bin;
      return;
    }
    for (int i = 0; i < 200 && endpoint_.empty(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
      std::ifstream in(ready);
      std::getline(in, endpoint_);
    }
    if (endpoint_.empty()) skip_reason_ = "ck dynamodb did not become ready";
    ca_bundle_ = (data_dir_ / "tls" / "ca.pem").string();
  }

  pid_t pid_ = -1;
  std::filesystem::path data_dir_;
  std::string endpoint_;
  std::string ca_bundle_;
  std::string skip_reason_;
};

// One blocking exchange; `body` is sent as application/json when not empty.
inline Result<http::HttpResponse> Call(http::Verb method, const std::string& url,
                                       std::string body = {},
                                       std::map<std::string, std::string> headers = {}) {
  CK_ASSIGN_OR_RETURN(http::Url parsed, http::ParseUrl(url));
  http::HttpRequest request(method, parsed.target, 11);
  if (!body.empty()) request.set(http::Field::content_type, "application/json");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = std::move(body);
  return http::SendBlocking(parsed, std::move(request));
}

// The response body as JSON (discarded value when it is not JSON).
inline nlohmann::json BodyJson(const http::HttpResponse& response) {
  return nlohmann::json::parse(response.body(), nullptr, false);
}

// Base fixture for handlers that use the datastore: a fresh table name per test on the shared
// LiveDynamoDb, a FakeDiscovery for calls between services, a FakeXRayDaemon receiving the
// services' segments, and direct datastore access. Skips (with the reason) when CK_BIN is unset.
class DatastoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    LiveDynamoDb& dynamodb = LiveDynamoDb::Shared();
    if (!dynamodb.skip_reason().empty()) GTEST_SKIP() << dynamodb.skip_reason();
    environment_ = dynamodb.Environment();
    environment_["CK_TABLE"] = "residents-" + RandomHex(6);
    environment_["CK_DISCOVERY_URL"] = discovery_.url();
    environment_["CK_INIT_TABLE"] = "false";  // tests create the table themselves
    environment_["AWS_XRAY_DAEMON_ADDRESS"] = daemon_.address();
  }

  ServiceConfig Config(const std::string& service) {
    return LoadServiceConfig(service, MapEnvironment(environment_));
  }

  // Creates (and seeds) this test's table.
  void CreateTable() {
    auto init = EnsureResidentTableBlocking(Config("test"), false);
    ASSERT_TRUE(init.ok()) << init.status().ToString();
  }

  aws::BlockingDynamoDbClient& Datastore() {
    if (!datastore_) {
      ServiceConfig config = Config("test");
      auto client = aws::BlockingDynamoDbClient::Create({.config = *config.aws});
      if (!client.ok()) throw std::runtime_error(client.status().ToString());
      datastore_ = std::move(*client);
    }
    return *datastore_;
  }

  std::optional<store::Item> GetResident(const std::string& ckid) {
    aws::GetItemRequest get;
    get.table = environment_["CK_TABLE"];
    get.key = {{"ckid", aws::Str(ckid)}};
    get.consistent_read = true;
    auto item = Datastore().Run([&](aws::DynamoDbClient& client) { return client.GetItem(get); });
    if (!item.ok()) throw std::runtime_error(item.status().ToString());
    return *item;
  }

  void PutResident(store::Item item) {
    aws::PutItemRequest put;
    put.table = environment_["CK_TABLE"];
    put.item = std::move(item);
    auto done = Datastore().Run([&](aws::DynamoDbClient& client) { return client.PutItem(put); });
    if (!done.ok()) throw std::runtime_error(done.status().ToString());
  }

  std::map<std::string, std::string> environment_;
  FakeDiscovery discovery_;
  FakeXRayDaemon daemon_;
  std::unique_ptr<aws::BlockingDynamoDbClient> datastore_;
};

}  // namespace ck::services::testing
