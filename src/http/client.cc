#include "http/client.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <map>
#include <variant>
#include <vector>

#include "core/tls_context.h"

namespace ck::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

struct Connection {
  explicit Connection(beast::tcp_stream plain) : stream(std::move(plain)) {}
  explicit Connection(std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls)
      : stream(std::move(tls)) {}

  beast::tcp_stream& lowest() {
    if (auto* plain = std::get_if<beast::tcp_stream>(&stream)) return *plain;
    return beast::get_lowest_layer(*std::get<1>(stream));
  }

  std::variant<beast::tcp_stream, std::unique_ptr<beast::ssl_stream<beast::tcp_stream>>> stream;
  beast::flat_buffer buffer;
};

ck::Status TransportError(const beast::error_code& error, const Url& url, std::string_view step) {
  std::string where = url.HostHeader();
  if (error == beast::error::timeout) {
    return DeadlineExceeded(std::string(step) + " " + where + " timed out");
  }
  if (error.category() == asio::error::get_ssl_category()) {
    return Unavailable("TLS handshake with " + where + " failed: " +
                       OpenSslErrorText(static_cast<unsigned long>(error.value())));
  }
  return Unavailable(std::string(step) + " " + where + " failed: " + error.message());
}

}  // namespace

struct HttpClient::Impl {
  Impl(asio::any_io_executor ex, ClientOptions client_options)
      : executor(std::move(ex)), options(std::move(client_options)) {}

  asio::any_io_executor executor;
  ClientOptions options;
  std::shared_ptr<asio::ssl::context> default_tls;
  std::map<std::string, std::vector<std::unique_ptr<Connection>>> idle;

  Result<std::shared_ptr<asio::ssl::context>> TlsContext() {
    if (options.tls) return options.tls;
    if (!default_tls) {
      CK_ASSIGN_OR_RETURN(default_tls, MakeClientTlsContext(""));
    }
    return default_tls;
  }

  asio::awaitable<Result<std::unique_ptr<Connection>>> Connect(const Url& url) {
    beast::error_code error;
    tcp::resolver resolver(executor);
    auto endpoints = co_await resolver.async_resolve(
        url.host, std::to_string(url.port), asio::redirect_error(asio::use_awaitable, error));
    if (error) co_return Unavailable("cannot resolve " + url.host + ": " + error.message());
    beast::tcp_stream plain(executor);
    plain.expires_after(options.connect_timeout);
    co_await plain.async_connect(endpoints, asio::redirect_error(asio::use_awaitable, error));
    if (error) co_return TransportError(error, url, "connect to");
    plain.socket().set_option(tcp::no_delay(true), error);
    if (!url.tls()) co_return std::make_unique<Connection>(std::move(plain));

    auto context = TlsContext();
    if (!context.ok()) co_return context.status();
    auto tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(std::move(plain), **context);
    const std::string& server_name =
        options.tls_server_name.empty() ? url.host : options.tls_server_name;
    SSL_set_tlsext_host_name(tls->native_handle(), server_name.c_str());
    tls->set_verify_callback(asio::ssl::host_name_verification(server_name));
    beast::get_lowest_layer(*tls).expires_after(options.connect_timeout);
    co_await tls->async_handshake(asio::ssl::stream_base::client,
                                  asio::redirect_error(asio::use_awaitable, error));
    if (error) {
      long verify = SSL_get_verify_result(tls->native_handle());
      if (verify != X509_V_OK) {
        co_return Unavailable("TLS handshake with " + url.HostHeader() +
                              " failed: certificate verify failed: " +
                              X509_verify_cert_error_string(verify));
      }
      co_return TransportError(error, url, "TLS handshake with");
    }
    co_return std::make_unique<Connection>(std::move(tls));
  }

  // One exchange on `connection`. `sent` tells whether any request bytes were written.
  asio::awaitable<Result<HttpResponse>> Exchange(Connection& connection, const Url& url,
                                                 HttpRequest& request, bool& sent) {
    beast::error_code error;
    connection.lowest().expires_after(options.request_timeout);
    beast_http::response_parser<beast_http::string_body> parser;
    parser.body_limit(options.max_response_body_bytes);
    sent = false;
    auto run = [&](auto& stream) -> asio::awaitable<void> {
      co_await beast_http::async_write(stream, request,
                                       asio::redirect_error(asio::use_awaitable, error));
      if (error) co_return;
      sent = true;
      co_await beast_http::async_read(stream, connection.buffer, parser,
                                      asio::redirect_error(asio::use_awaitable, error));
    };
    if (auto* plain = std::get_if<beast::tcp_stream>(&connection.stream)) {
      co_await run(*plain);
    } else {
      co_await run(*std::get<1>(connection.stream));
    }
    if (error) {
      co_return TransportError(error, url, sent ? "request to" : "send to");
    }
    co_return parser.release();
  }
};

HttpClient::HttpClient(asio::any_io_executor executor, ClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(executor), std::move(options))) {}

HttpClient::~HttpClient() = default;

void HttpClient::CloseIdle() { impl_->idle.clear(); }

asio::awaitable<Result<HttpResponse>> HttpClient::Send(const Url& url, HttpRequest request) {
  if (request.target().empty()) request.target(url.target);
  if (request.find(Field::host) == request.end()) request.set(Field::host, url.HostHeader());
  request.keep_alive(true);
  request.prepare_payload();
  const std::string origin = url.Origin();

  // Reuse an idle connection first; if the server had closed it, retry once on a fresh one.
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::unique_ptr<Connection> connection;
    bool reused = false;
    auto& pool = impl_->idle[origin];
    if (attempt == 0 && !pool.empty()) {
      connection = std::move(pool.back());
      pool.pop_back();
      reused = true;
    } else {
      auto connected = co_await impl_->Connect(url);
      if (!connected.ok()) co_return connected.status();
      connection = std::move(*connected);
    }
    bool sent = false;
    auto response = co_await impl_->Exchange(*connection, url, request, sent);
    if (!response.ok()) {
      // The server may have closed an idle keep-alive connection just as we reused it.
      if (reused && !sent) continue;
      if (reused && response.status().code() == StatusCode::kUnavailable) continue;
      co_return response.status();
    }
    if (response->keep_alive() && pool.size() < impl_->options.max_idle_connections_per_origin) {
      pool.push_back(std::move(connection));
    }
    co_return response;
  }
  co_return Unavailable("request to " + url.HostHeader() + " failed");
}

Result<HttpResponse> SendBlocking(const Url& url, HttpRequest request, ClientOptions options) {
  asio::io_context io;
  HttpClient client(io.get_executor(), std::move(options));
  std::optional<Result<HttpResponse>> result;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> { result = co_await client.Send(url, std::move(request)); },
      asio::detached);
  io.run();
  if (!result) return Internal("request did not complete");
  return std::move(*result);
}

}  // namespace ck::http
