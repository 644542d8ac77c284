// Router: maps method + path to a handler, for one service's HTTP API.
//
// Routes match the request path (the target without its query string) exactly, or by prefix; an
// exact route wins over a prefix one, and a longer prefix over a shorter one. A path that matches
// no route gets 404 `{"error":"no route for GET /x"}`; a path that matches only for other methods
// gets 405 with an Allow header. HEAD is answered by a GET route (body dropped).
//
// A handler gets the request and the request's trace span (never null: ServiceHost passes the
// span it opened for the request, Handle() without one passes an inert span). Handlers that call
// other services or the datastore, or log, take the span and hand it on; handlers that need no
// span (pages, static files) may leave it out:
//
//   Router router;
//   router.Add(Verb::get, "/", [context](HttpRequest request, telemetry::RequestSpan* span) {
//     return HandleList(context, std::move(request), span);
//   });
//   router.Add(Verb::get, "/about", [](HttpRequest request) { return Respond(About(request)); });
//   HttpResponse response = co_await router.Handle(std::move(request), &span);
//
// Handlers should be plain lambdas that call a coroutine function taking its arguments by value
// (or by pointer to long-lived objects such as the span), not coroutine lambdas with captures:
// the std::function copy may be gone before such a coroutine finishes.
//
// Thread-safety: add routes before serving; Handle() is then safe from any thread (const).
#pragma once

#include <utility>

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/message.h"
#include "telemetry/tracer.h"

namespace ck::services {

// A handler that needs no span.
using RouteHandler = std::function<boost::asio::awaitable<http::HttpResponse>(http::HttpRequest)>;
// A handler that gets the request's span.
using TracedRouteHandler = std::function<boost::asio::awaitable<http::HttpResponse>(
    http::HttpRequest, telemetry::RequestSpan*)>;

class Router {
 public:
  // Exact path, e.g. "/" or "/health".
  void Add(http::Verb method, std::string path, TracedRouteHandler handler);
  void Add(http::Verb method, std::string path, RouteHandler handler);
  // Every path starting with `prefix`, e.g. "/img/".
  void AddPrefix(http::Verb method, std::string prefix, TracedRouteHandler handler);
  void AddPrefix(http::Verb method, std::string prefix, RouteHandler handler);

  // `span` (may be null: an inert span is passed on) must outlive the returned awaitable.
  boost::asio::awaitable<http::HttpResponse> Handle(http::HttpRequest request,
                                                    telemetry::RequestSpan* span = nullptr) const;

  // The route for `method` and `path`, or null; *allowed lists the methods `path` accepts.
  const TracedRouteHandler* Find(http::Verb method, std::string_view path,
                                 std::vector<http::Verb>* allowed = nullptr) const;

  // The pattern of the route Handle() picks for `method` and `path`, for metrics labels (bounded,
  // unlike raw paths): the exact path ("/list"), or a prefix followed by "*" ("/img/*");
  // kUnmatchedRoute when no route answers (404 or 405). HEAD is looked up as GET, as Handle() does.
  std::string_view RouteLabel(http::Verb method, std::string_view path) const;

 private:
  struct Route {
    http::Verb method;
    std::string path;
    bool prefix;
    TracedRouteHandler handler;
    std::string label;  // path, or prefix + "*"
  };
  const Route* Match(http::Verb method, std::string_view path,
                     std::vector<http::Verb>* allowed) const;
  std::vector<Route> routes_;
};

// RouteLabel() of a request no route answers.
inline constexpr std::string_view kUnmatchedRoute = "unmatched";

// An already computed response as an awaitable, for handlers that need no I/O:
//   router.Add(Verb::get, "/", [](HttpRequest request) { return Respond(Hello(request)); });
boost::asio::awaitable<http::HttpResponse> Respond(http::HttpResponse response);

// The request path without query string or fragment.
std::string_view RequestPath(const http::HttpRequest& request);

}  // namespace ck::services
