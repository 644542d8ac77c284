#include "http/server.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <list>
#include <optional>

#include "core/logger.h"

namespace ck::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

// Per-connection state visible to Shutdown(): idle connections are closed at once, busy ones
// after their current response.
struct Connection {
  beast::tcp_stream* lowest_layer = nullptr;
  bool busy = false;
};

HttpResponse ErrorFor(const beast::error_code& error, unsigned version,
                      std::string_view content_type, const ServerOptions& options) {
  HttpStatus status = HttpStatus::bad_request;
  std::string message = "malformed HTTP request: " + error.message();
  if (error == beast_http::error::header_limit) {
    status = HttpStatus::request_header_fields_too_large;
    message = "request header fields too large";
  } else if (error == beast_http::error::body_limit) {
    status = HttpStatus::payload_too_large;
    message = "request body too large";
  }
  if (options.error_response) return options.error_response(status, message, content_type, version);
  return MakeJsonError(status, message, version);
}

bool IsParseError(const beast::error_code& error) {
  return error.category() == beast_http::make_error_code(beast_http::error::bad_method).category();
}

}  // namespace

struct HttpServer::Impl : std::enable_shared_from_this<HttpServer::Impl> {
  Impl(asio::io_context& io_context, ServerOptions server_options, Handler request_handler)
      : io(io_context),
        acceptor(io_context),
        options(std::move(server_options)),
        handler(std::move(request_handler)) {}

  asio::io_context& io;
  tcp::acceptor acceptor;
  ServerOptions options;
  Handler handler;
  std::list<Connection> connections;
  ServerStats stats;
  bool stopping = false;
  std::function<void()> on_drained;

  asio::awaitable<void> AcceptLoop() {
    auto self = shared_from_this();
    while (!stopping) {
      beast::error_code error;
      tcp::socket socket =
          co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, error));
      if (error) {
        if (stopping || error == asio::error::operation_aborted) break;
        // Out of file descriptors and similar: keep serving existing connections.
        Logger::Global().Warn("accept failed", {{"error", error.message()}});
        continue;
      }
      ++stats.connections_accepted;
      socket.set_option(tcp::no_delay(true), error);
      asio::co_spawn(io, Serve(std::move(socket)), asio::detached);
    }
  }

  asio::awaitable<void> Serve(tcp::socket socket) {
    auto self = shared_from_this();
    auto connection = connections.insert(connections.end(), Connection{});
    ++stats.open_connections;
    if (options.tls) {
      beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)),
                                                  *options.tls);
      connection->lowest_layer = &beast::get_lowest_layer(stream);
      beast::get_lowest_layer(stream).expires_after(options.tls_handshake_timeout);
      beast::error_code error;
      co_await stream.async_handshake(asio::ssl::stream_base::server,
                                      asio::redirect_error(asio::use_awaitable, error));
      if (!error) {
        co_await Session(stream, *connection);
        beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(2));
        co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, error));
      }
      beast::get_lowest_layer(stream).close();
    } else {
      beast::tcp_stream stream(std::move(socket));
      connection->lowest_layer = &stream;
      co_await Session(stream, *connection);
      beast::error_code error;
      stream.socket().shutdown(tcp::socket::shutdown_send, error);
      stream.close();
    }
    connections.erase(connection);
    --stats.open_connections;
    MaybeDrained();
  }

  template <typename Stream>
  asio::awaitable<void> Session(Stream& stream, Connection& connection) {
    beast::flat_buffer buffer;
    beast::error_code error;
    while (!stopping) {
      beast_http::request_parser<beast_http::string_body> parser;
      parser.header_limit(static_cast<uint32_t>(options.header_limit_bytes));
      parser.body_limit(options.body_limit_bytes);
      beast::get_lowest_layer(stream).expires_after(options.read_timeout);
      co_await beast_http::async_read_header(stream, buffer, parser,
                                             asio::redirect_error(asio::use_awaitable, error));
      if (error) {
        // A declared Content-Length over the limit fails here, with the header already read.
        const std::string content_type(parser.get()[Field::content_type]);
        co_await AnswerReadError(stream, error, parser.get().version(), content_type);
        co_return;
      }
      connection.busy = true;
      if (beast::iequals(parser.get()[Field::expect], "100-continue")) {
        beast_http::response<beast_http::empty_body> proceed(HttpStatus::continue_, 11);
        co_await beast_http::async_write(stream, proceed,
                                         asio::redirect_error(asio::use_awaitable, error));
        if (error) co_return;
      }
      if (!parser.is_done()) {
        co_await beast_http::async_read(stream, buffer, parser,
                                        asio::redirect_error(asio::use_awaitable, error));
        if (error) {
          const std::string content_type(parser.get()[Field::content_type]);
          co_await AnswerReadError(stream, error, parser.get().version(), content_type);
          co_return;
        }
      }
      ++stats.requests;
      HttpRequest request = parser.release();
      bool keep_alive = request.keep_alive();
      unsigned version = request.version();
      HttpResponse response = co_await handler(std::move(request));
      response.version(version);
      if (stopping) keep_alive = false;
      response.keep_alive(keep_alive);
      if (response.find(Field::server) == response.end()) {
        response.set(Field::server, options.server_name);
      }
      response.prepare_payload();
      beast::get_lowest_layer(stream).expires_after(options.write_timeout);
      co_await beast_http::async_write(stream, response,
                                       asio::redirect_error(asio::use_awaitable, error));
      connection.busy = false;
      if (error || !keep_alive) co_return;
    }
  }

  template <typename Stream>
  asio::awaitable<void> AnswerReadError(Stream& stream, beast::error_code error, unsigned version,
                                        std::string content_type) {
    // A closed, timed-out or cancelled connection needs no answer.
    if (error == beast_http::error::end_of_stream || error == asio::error::operation_aborted ||
        error == beast::error::timeout || error == asio::error::connection_reset ||
        error == asio::error::eof || error == asio::ssl::error::stream_truncated ||
        error == beast_http::error::partial_message) {
      co_return;
    }
    if (!IsParseError(error)) co_return;
    ++stats.bad_requests;
    HttpResponse response = ErrorFor(error, version == 10 ? 10 : 11, content_type, options);
    response.keep_alive(false);
    response.set(Field::server, options.server_name);
    beast::error_code write_error;
    beast::get_lowest_layer(stream).expires_after(options.write_timeout);
    co_await beast_http::async_write(stream, response,
                                     asio::redirect_error(asio::use_awaitable, write_error));
  }

  void MaybeDrained() {
    if (stopping && connections.empty() && on_drained) {
      auto callback = std::move(on_drained);
      on_drained = nullptr;
      callback();
    }
  }
};

HttpServer::HttpServer(asio::io_context& io, ServerOptions options, Handler handler)
    : impl_(std::make_shared<Impl>(io, std::move(options), std::move(handler))) {}

HttpServer::~HttpServer() {
  beast::error_code error;
  impl_->stopping = true;
  impl_->acceptor.close(error);
}

Result<tcp::endpoint> HttpServer::Listen(const std::string& address, uint16_t port) {
  beast::error_code error;
  auto ip = asio::ip::make_address(address, error);
  if (error) return InvalidArgument("invalid listen address '" + address + "'");
  tcp::endpoint endpoint(ip, port);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(asio::socket_base::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    return Unavailable("cannot listen on " + address + ":" + std::to_string(port) + ": " +
                       error.message());
  }
  return acceptor.local_endpoint();
}

void HttpServer::Start() { asio::co_spawn(impl_->io, impl_->AcceptLoop(), asio::detached); }

void HttpServer::Shutdown(std::function<void()> on_drained) {
  auto& impl = *impl_;
  impl.stopping = true;
  impl.on_drained = std::move(on_drained);
  beast::error_code error;
  impl.acceptor.close(error);
  for (auto& connection : impl.connections) {
    if (!connection.busy && connection.lowest_layer != nullptr) {
      connection.lowest_layer->socket().cancel(error);
    }
  }
  impl.MaybeDrained();
}

bool HttpServer::tls() const { return impl_->options.tls != nullptr; }

const ServerStats& HttpServer::stats() const { return impl_->stats; }

}  // namespace ck::http
