#include "services/common/router.h"

#include <algorithm>

#include "services/common/json_body.h"

namespace ck::services {

namespace asio = boost::asio;

namespace {

TracedRouteHandler IgnoringSpan(RouteHandler handler) {
  return [handler = std::move(handler)](http::HttpRequest request, telemetry::RequestSpan*) {
    return handler(std::move(request));
  };
}

}  // namespace

void Router::Add(http::Verb method, std::string path, TracedRouteHandler handler) {
  std::string label = path;
  routes_.push_back({method, std::move(path), false, std::move(handler), std::move(label)});
}

void Router::Add(http::Verb method, std::string path, RouteHandler handler) {
  Add(method, std::move(path), IgnoringSpan(std::move(handler)));
}

void Router::AddPrefix(http::Verb method, std::string prefix, TracedRouteHandler handler) {
  std::string label = prefix + "*";
  routes_.push_back({method, std::move(prefix), true, std::move(handler), std::move(label)});
}

void Router::AddPrefix(http::Verb method, std::string prefix, RouteHandler handler) {
  AddPrefix(method, std::move(prefix), IgnoringSpan(std::move(handler)));
}

asio::awaitable<http::HttpResponse> Respond(http::HttpResponse response) { co_return response; }

std::string_view RequestPath(const http::HttpRequest& request) {
  std::string_view target = request.target();
  if (auto end = target.find_first_of("?#"); end != std::string_view::npos) {
    target = target.substr(0, end);
  }
  return target;
}

const TracedRouteHandler* Router::Find(http::Verb method, std::string_view path,
                                       std::vector<http::Verb>* allowed) const {
  const Route* route = Match(method, path, allowed);
  return route == nullptr ? nullptr : &route->handler;
}

std::string_view Router::RouteLabel(http::Verb method, std::string_view path) const {
  const Route* route = Match(method == http::Verb::head ? http::Verb::get : method, path, nullptr);
  return route == nullptr ? kUnmatchedRoute : std::string_view(route->label);
}

const Router::Route* Router::Match(http::Verb method, std::string_view path,
                                   std::vector<http::Verb>* allowed) const {
  // Rank: an exact match beats any prefix; a longer prefix beats a shorter one.
  auto rank = [&](const Route& route) -> size_t {
    if (!route.prefix) return route.path == path ? SIZE_MAX : 0;
    return path.substr(0, route.path.size()) == route.path ? route.path.size() + 1 : 0;
  };
  size_t best_rank = 0;
  const Route* best = nullptr;
  for (const Route& route : routes_) {
    size_t route_rank = rank(route);
    if (route_rank == 0) continue;
    if (allowed != nullptr &&
        std::find(allowed->begin(), allowed->end(), route.method) == allowed->end()) {
      allowed->push_back(route.method);
    }
    if (route.method == method && route_rank > best_rank) {
      best_rank = route_rank;
      best = &route;
    }
  }
  return best;
}

asio::awaitable<http::HttpResponse> Router::Handle(http::HttpRequest request,
                                                   telemetry::RequestSpan* span) const {
  telemetry::RequestSpan inert;
  if (span == nullptr) span = &inert;
  const std::string path(RequestPath(request));
  const bool head = request.method() == http::Verb::head;
  std::vector<http::Verb> allowed;
  const TracedRouteHandler* handler =
      Find(head ? http::Verb::get : request.method(), path, &allowed);
  if (handler == nullptr) {
    const std::string method(request.method_string());
    if (allowed.empty()) {
      co_return JsonError(http::HttpStatus::not_found, "no route for " + method + " " + path);
    }
    std::string allow;
    for (http::Verb verb : allowed) {
      if (!allow.empty()) allow += ", ";
      allow += std::string(http::beast_http::to_string(verb));
    }
    http::HttpResponse response = JsonError(http::HttpStatus::method_not_allowed,
                                            "method " + method + " not allowed for " + path);
    response.set(http::Field::allow, allow);
    co_return response;
  }
  http::HttpResponse response = co_await (*handler)(std::move(request), span);
  if (head) {
    // Keep Content-Length as GET would send it; drop the body itself.
    const std::string length = std::to_string(response.body().size());
    response.body().clear();
    response.set(http::Field::content_length, length);
  }
  co_return response;
}

}  // namespace ck::services
