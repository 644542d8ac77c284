// HttpServer: HTTP/1.1 (and HTTPS) server on Boost.Beast with C++20 coroutines.
//
// Each connection is a short coroutine: read a request (header and body limits, a read deadline
// reset before each request), call the handler, write the response, repeat while keep-alive.
// Pipelined requests are answered in order. Malformed requests get a JSON 400, oversized headers
// 431, oversized bodies 413 (and the connection is closed). `Expect: 100-continue` is honoured.
//
//   HttpServer server(io, ServerOptions{}, [](HttpRequest request) -> asio::awaitable<HttpResponse>
//   {
//     co_return MakeResponse(HttpStatus::ok, "text/plain", "hello\n");
//   });
//   CK_ASSIGN_OR_RETURN(auto endpoint, server.Listen("127.0.0.1", 0));
//   server.Start();
//   io.run();
//
// Shutdown(): stops accepting, closes idle keep-alive connections and lets in-flight requests
// finish (their responses carry `Connection: close`); `on_drained` runs when none remain.
//
// Thread-safety: the server and its connections live on one io_context run by one thread; call
// Start()/Shutdown() from that thread (or post to it). The handler runs on that thread and may
// hop to a worker pool and back (see OffloadTo in offload.h).
#pragma once

#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/status.h"
#include "http/message.h"

namespace ck::http {

struct ServerOptions {
  size_t header_limit_bytes = 16 * 1024;
  size_t body_limit_bytes = 1024 * 1024;
  // Deadline for reading one request once the connection is waiting for it (also the keep-alive
  // idle timeout) and for writing a response.
  std::chrono::milliseconds read_timeout{30000};
  std::chrono::milliseconds write_timeout{30000};
  std::chrono::milliseconds tls_handshake_timeout{10000};
  // When set, connections are HTTPS.
  std::shared_ptr<boost::asio::ssl::context> tls;
  // The Server header value.
  std::string server_name = "ck";
  // Shapes the answer to a request the server rejects itself (400, 413, 431) in the protocol
  // the server speaks, e.g. OTLP's google.rpc.Status. `content_type` is the request's when its
  // header was read. Unset: MakeJsonError's {"error": message}.
  std::function<HttpResponse(HttpStatus status, const std::string& message,
                             std::string_view content_type, unsigned version)>
      error_response;
};

using Handler = std::function<boost::asio::awaitable<HttpResponse>(HttpRequest)>;

struct ServerStats {
  uint64_t connections_accepted = 0;
  uint64_t requests = 0;
  uint64_t bad_requests = 0;
  size_t open_connections = 0;
};

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& io, ServerOptions options, Handler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens; port 0 picks a free port. Returns the bound endpoint.
  Result<boost::asio::ip::tcp::endpoint> Listen(const std::string& address, uint16_t port);
  // Starts accepting connections (after Listen).
  void Start();
  // Graceful shutdown; `on_drained` runs once every connection has closed.
  void Shutdown(std::function<void()> on_drained = nullptr);

  bool tls() const;
  const ServerStats& stats() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace ck::http
