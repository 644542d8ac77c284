// Router: maps method + path to a handler, for one service's HTTP API.
//
// Routes match the request path (the target without its query string) exactly, or by prefix; an
// exact route wins over a prefix one, and a longer prefix over a shorter one. A path that matches
// no route gets 404 `{"error":"no route for GET /x"}`; a path that matches only for other methods
// gets 405 with an Allow header. HEAD is answered by a GET route (body dropped).
//
//   Router router;
//   router.Add(Verb::get, "/", [context](HttpRequest request) { return HandleList(context,
//   std::move(request)); });
//   HttpResponse response = co_await router.Handle(std::move(request));
//
// Handlers should be plain lambdas that call a coroutine function taking its arguments by value
// (or by pointer to long-lived objects), not coroutine lambdas with captures: the std::function
// copy may be gone before such a coroutine finishes.
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

namespace ck::services {

using RouteHandler = std::function<boost::asio::awaitable<http::HttpResponse>(http::HttpRequest)>;

class Router {
 public:
  // Exact path, e.g. "/" or "/health".
  void Add(http::Verb method, std::string path, RouteHandler handler);
  // Every path starting with `prefix`, e.g. "/img/".
  void AddPrefix(http::Verb method, std::string prefix, RouteHandler handler);

  boost::asio::awaitable<http::HttpResponse> Handle(http::HttpRequest request) const;

  // The route for `method` and `path`, or null; *allowed lists the methods `path` accepts.
  const RouteHandler* Find(http::Verb method, std::string_view path,
                           std::vector<http::Verb>* allowed = nullptr) const;

 private:
  struct Route {
    http::Verb method;
    std::string path;
    bool prefix;
    RouteHandler handler;
  };
  std::vector<Route> routes_;
};

// An already computed response as an awaitable, for handlers that need no I/O:
//   router.Add(Verb::get, "/", [](HttpRequest request) { return Respond(Hello(request)); });
boost::asio::awaitable<http::HttpResponse> Respond(http::HttpResponse response);

// The request path without query string or fragment.
std::string_view RequestPath(const http::HttpRequest& request);

}  // namespace ck::services
