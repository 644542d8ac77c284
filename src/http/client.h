// HttpClient: HTTP/1.1 and HTTPS client with a keep-alive connection pool, on Boost.Beast
// with C++20 coroutines.
//
// Connections are pooled per origin (scheme://host:port) and reused while the server keeps them
// alive. Every request has a deadline covering connect, TLS handshake, write and read. Transport
// failures are returned as Statuses (kUnavailable for connect/reset, kDeadlineExceeded for
// timeouts, kUnavailable with the OpenSSL reason for TLS failures, e.g.
// "TLS handshake with 127.0.0.1:8000 failed: certificate verify failed"); HTTP error statuses
// are not errors — they come back as responses.
//
//   HttpClient client(io.get_executor(), ClientOptions{});
//   auto response = co_await client.Send(url, std::move(request));
//
// Thread-safety: one HttpClient per executor/thread; Send() must be called from that executor.
// Failure modes: a stale pooled connection that the server closed is retried once on a fresh
// connection when the request had not been sent.
#pragma once

#include <utility>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "core/status.h"
#include "http/message.h"
#include "http/url.h"

namespace ck::http {

struct ClientOptions {
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds request_timeout{10000};
  size_t max_idle_connections_per_origin = 16;
  size_t max_response_body_bytes = 64u << 20;
  // TLS settings for https origins; when null a default context verifying against the system
  // CA store is used.
  std::shared_ptr<boost::asio::ssl::context> tls;
  // Name sent as SNI and checked against the certificate; empty = the URL host.
  std::string tls_server_name;
};

class HttpClient {
 public:
  HttpClient(boost::asio::any_io_executor executor, ClientOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends `request` to `url`'s origin. Sets Host (if missing), target (if empty, from the URL),
  // Content-Length and keep-alive. Returns the full response.
  boost::asio::awaitable<Result<HttpResponse>> Send(const Url& url, HttpRequest request);

  // Closes idle pooled connections.
  void CloseIdle();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Blocking one-shot helper for CLIs and tests: runs its own io_context.
Result<HttpResponse> SendBlocking(const Url& url, HttpRequest request,
                                  ClientOptions options = {});

}  // namespace ck::http
