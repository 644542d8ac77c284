// End-to-end tests of HttpServer and HttpClient over real loopback sockets (port 0) and TLS.
#include <utility>

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <filesystem>
#include <thread>

#include "core/tls_context.h"
#include "http/client.h"
#include "http/offload.h"
#include "http/server.h"

namespace ck::http {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// Runs a server on its own thread for the duration of a test.
class TestServer {
 public:
  explicit TestServer(ServerOptions options, Handler handler = nullptr) {
    if (!handler) {
      handler = [](HttpRequest request) -> asio::awaitable<HttpResponse> {
        co_return MakeResponse(HttpStatus::ok, "text/plain",
                               std::string(request.target()) + "|" + request.body());
      };
    }
    server_ = std::make_unique<HttpServer>(io_, std::move(options), std::move(handler));
    auto endpoint = server_->Listen("127.0.0.1", 0);
    EXPECT_TRUE(endpoint.ok()) << endpoint.status().ToString();
    port_ = endpoint->port();
    server_->Start();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~TestServer() {
    asio::post(io_, [this] { server_->Shutdown([this] { io_.stop(); }); });
    thread_.join();
  }
  uint16_t port() const { return port_; }
  std::string url(bool tls = false) const {
    return std::string(tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) + "/";
  }
  asio::io_context& io() { return io_; }

 private:
  asio::io_context io_;
  std::unique_ptr<HttpServer> server_;
  uint16_t port_ = 0;
  std::thread thread_;
};

// Sends raw bytes and reads until the server closes or `timeout` elapses.
std::string RawExchange(uint16_t port, const std::string& bytes) {
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  asio::write(socket, asio::buffer(bytes));
  std::string out;
  boost::system::error_code error;
  char buffer[4096];
  for (;;) {
    size_t n = socket.read_some(asio::buffer(buffer), error);
    if (error) break;
    out.append(buffer, n);
  }
  return out;
}

HttpRequest Post(std::string target, std::string body) {
  HttpRequest request(Verb::post, target, 11);
  request.body() = std::move(body);
  return request;
}

TEST(UrlTest, ParsesAndDefaultsPorts) {
  auto url = ParseUrl("https://Example.com/a/b?c=1#frag");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->host, "Example.com");
  EXPECT_EQ(url->port, 443);
  EXPECT_EQ(url->target, "/a/b?c=1");
  EXPECT_EQ(url->HostHeader(), "Example.com");
  auto v6 = ParseUrl("http://[::1]:8000");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->HostHeader(), "[::1]:8000");
  EXPECT_EQ(v6->target, "/");
  EXPECT_FALSE(ParseUrl("ftp://x").ok());
  EXPECT_FALSE(ParseUrl("http://:80").ok());
  EXPECT_FALSE(ParseUrl("http://x:99999/").ok());
  EXPECT_FALSE(ParseUrl("http://x:12a/").ok());
  EXPECT_FALSE(ParseUrl("no-scheme").ok());
}

TEST(HttpServerTest, AnswersAndKeepsConnectionsAlive) {
  TestServer server({});
  auto url = *ParseUrl(server.url());
  asio::io_context io;
  HttpClient client(io.get_executor(), {});
  std::vector<std::string> bodies;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        for (int i = 0; i < 5; ++i) {
          auto response = co_await client.Send(url, Post("/echo", "n" + std::to_string(i)));
          EXPECT_TRUE(response.ok()) << response.status().ToString();
          if (response.ok()) bodies.push_back(response->body());
        }
      },
      asio::detached);
  io.run();
  ASSERT_EQ(bodies.size(), 5u);
  EXPECT_EQ(bodies[0], "/echo|n0");
  EXPECT_EQ(bodies[4], "/echo|n4");
}

TEST(HttpServerTest, PipelinedRequestsAnsweredInOrder) {
  TestServer server({});
  std::string out = RawExchange(server.port(),
                                "GET /one HTTP/1.1\r\nHost: x\r\n\r\n"
                                "GET /two HTTP/1.1\r\nHost: x\r\n\r\n"
                                "GET /three HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  auto one = out.find("/one|");
  auto two = out.find("/two|");
  auto three = out.find("/three|");
  ASSERT_NE(one, std::string::npos) << out;
  ASSERT_NE(two, std::string::npos) << out;
  ASSERT_NE(three, std::string::npos) << out;
  EXPECT_LT(one, two);
  EXPECT_LT(two, three);
}

TEST(HttpServerTest, MalformedRequestGets400) {
  TestServer server({});
  std::string out = RawExchange(server.port(), "THIS IS NOT HTTP\r\n\r\n");
  EXPECT_NE(out.find("HTTP/1.1 400"), std::string::npos) << out;
  EXPECT_NE(out.find("\"error\""), std::string::npos) << out;
}

TEST(HttpServerTest, OversizedHeaderGets431) {
  ServerOptions options;
  options.header_limit_bytes = 1024;
  TestServer server(options);
  std::string out = RawExchange(
      server.port(), "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4000, 'a') + "\r\n\r\n");
  EXPECT_NE(out.find("HTTP/1.1 431"), std::string::npos) << out;
}

TEST(HttpServerTest, OversizedBodyGets413) {
  ServerOptions options;
  options.body_limit_bytes = 100;
  TestServer server(options);
  std::string out = RawExchange(server.port(),
                                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" +
                                    std::string(1000, 'b'));
  EXPECT_NE(out.find("HTTP/1.1 413"), std::string::npos) << out;
}

TEST(HttpServerTest, ExpectContinueIsHonoured) {
  TestServer server({});
  std::string out = RawExchange(server.port(),
                                "POST /x HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                                "Content-Length: 3\r\nConnection: close\r\n\r\nabc");
  EXPECT_NE(out.find("HTTP/1.1 100 Continue"), std::string::npos) << out;
  EXPECT_NE(out.find("/x|abc"), std::string::npos) << out;
}

TEST(HttpServerTest, IdleConnectionClosedAfterReadTimeout) {
  ServerOptions options;
  options.read_timeout = std::chrono::milliseconds(200);
  TestServer server(options);
  // Send nothing: the server must close the connection by itself (RawExchange returns).
  std::string out = RawExchange(server.port(), "");
  EXPECT_EQ(out, "");
}

TEST(HttpServerTest, ShutdownDrainsInFlightRequest) {
  asio::io_context worker;
  auto guard = asio::make_work_guard(worker);
  std::thread worker_thread([&] { worker.run(); });
  std::atomic<bool> release{false};
  asio::io_context io;
  HttpServer server(io, {}, [&](HttpRequest request) -> asio::awaitable<HttpResponse> {
    // Block on the worker until the test has asked the server to shut down.
    co_return co_await OffloadTo(worker.get_executor(), [&] {
      while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      return MakeResponse(HttpStatus::ok, "text/plain", "finished");
    });
  });
  auto endpoint = server.Listen("127.0.0.1", 0);
  ASSERT_TRUE(endpoint.ok());
  server.Start();
  bool drained = false;
  std::optional<Result<HttpResponse>> response;
  HttpClient client(io.get_executor(), {});
  auto url = *ParseUrl("http://127.0.0.1:" + std::to_string(endpoint->port()) + "/");
  asio::co_spawn(
      io, [&]() -> asio::awaitable<void> { response = co_await client.Send(url, Post("/", "")); },
      asio::detached);
  asio::steady_timer timer(io, std::chrono::milliseconds(100));
  timer.async_wait([&](auto) {
    server.Shutdown([&] { drained = true; });
    release = true;
  });
  io.run();
  guard.reset();
  worker_thread.join();
  EXPECT_TRUE(drained);
  ASSERT_TRUE(response && response->ok());
  EXPECT_EQ((*response)->body(), "finished");
  EXPECT_FALSE((*response)->keep_alive());
}

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = std::filesystem::temp_directory_path() /
                 ("ck-tls-test-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(directory_);
    ASSERT_TRUE(EnsureLocalCertificates(directory_.string(), {"localhost", "127.0.0.1"}).ok());
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }
  std::filesystem::path directory_;
};

TEST_F(TlsTest, HttpsRoundTripWithLocalCa) {
  auto server_tls = MakeServerTlsContext((directory_ / "server.pem").string(),
                                         (directory_ / "server-key.pem").string());
  ASSERT_TRUE(server_tls.ok()) << server_tls.status().ToString();
  ServerOptions options;
  options.tls = *server_tls;
  TestServer server(options);
  auto client_tls = MakeClientTlsContext((directory_ / "ca.pem").string());
  ASSERT_TRUE(client_tls.ok());
  ClientOptions client_options;
  client_options.tls = *client_tls;
  auto response = SendBlocking(*ParseUrl(server.url(true)), Post("/secure", "hi"), client_options);
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->body(), "/secure|hi");
}

TEST_F(TlsTest, UntrustedCertificateIsAClearError) {
  auto server_tls = MakeServerTlsContext((directory_ / "server.pem").string(),
                                         (directory_ / "server-key.pem").string());
  ASSERT_TRUE(server_tls.ok());
  ServerOptions options;
  options.tls = *server_tls;
  TestServer server(options);
  // A CA bundle that does not contain our local CA: the system store.
  auto client_tls = MakeClientTlsContext("");
  ASSERT_TRUE(client_tls.ok());
  ClientOptions client_options;
  client_options.tls = *client_tls;
  auto response = SendBlocking(*ParseUrl(server.url(true)), Post("/", ""), client_options);
  ASSERT_FALSE(response.ok());
  EXPECT_NE(response.status().message().find("certificate verify failed"), std::string::npos)
      << response.status().message();
}

TEST(HttpClientTest, ConnectionRefusedIsUnavailable) {
  // Bind and close a socket to find a port nobody listens on.
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  uint16_t port = acceptor.local_endpoint().port();
  acceptor.close();
  auto response =
      SendBlocking(*ParseUrl("http://127.0.0.1:" + std::to_string(port) + "/"), Post("/", ""));
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace ck::http
