// HTTP message types shared by the server, the client and every handler.
//
// Handlers are pure functions from a fully-read HttpRequest to an HttpResponse (Beast's
// string-body messages); the server and client own all I/O. Helpers here build common responses.
//
// Thread-safety: value types.
#pragma once

#include <utility>  // Boost 1.74's asio/awaitable.hpp needs it first under g++ 12.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string>
#include <string_view>

namespace ck::http {

namespace beast_http = boost::beast::http;

using HttpRequest = beast_http::request<beast_http::string_body>;
using HttpResponse = beast_http::response<beast_http::string_body>;
using HttpStatus = beast_http::status;
using Field = beast_http::field;
using Verb = beast_http::verb;

// A response with the given status, content type and body; Content-Length is set.
HttpResponse MakeResponse(HttpStatus status, std::string_view content_type, std::string body,
                          unsigned version = 11);
// {"error": message} as application/json.
HttpResponse MakeJsonError(HttpStatus status, std::string_view message, unsigned version = 11);

// Header value or empty.
std::string_view HeaderValue(const HttpRequest& request, std::string_view name);

}  // namespace ck::http
