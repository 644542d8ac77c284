// The public site's request handlers: pages, forms and static files, over list-api, register-api
// and feed-api (reached by virtual-service name through the ServiceClient).
//
//   GET  /            home                      GET  /list       residents (list-api GET /)
//   GET  /register    the admittance form       POST /register   register-api POST /, 303 /list
//   POST /feed        feed-api POST /, 303 /list#resident-<ckid>
//   GET  /static/..., /img/...                   bundled assets (ETag, Cache-Control)
//   anything else     the HTML 404 page (405 for a known page with the wrong method)
//
// Failure modes, all as HTML pages, never blank: a form body over kFormBodyLimitBytes gets 413;
// a malformed form 400; a registration the site or register-api rejects re-renders the form
// with the user's input and the reasons (422); a backend that cannot be reached or answers
// with an error gets a friendly page naming the backend and its error text (502; 404 when
// feed-api does not know the resident).
//
// Handlers take the long-lived ServiceContext by pointer, the request by value and the request's
// span by pointer (they are coroutines; see router.h). Each backend call is a "remote" subsegment
// named after the backend, and log lines about it carry the request's trace ids.
// Thread-safety: run on the service's io_context thread.
#pragma once

#include <utility>

#include <boost/asio/awaitable.hpp>
#include <cstddef>

#include "http/message.h"
#include "services/common/router.h"
#include "services/common/service_host.h"

namespace ck::services::public_site {

// Form posts larger than this get the 413 page (the server's own hard limit is higher).
inline constexpr size_t kFormBodyLimitBytes = 16 * 1024;

boost::asio::awaitable<http::HttpResponse> HandleList(ServiceContext* context,
                                                      http::HttpRequest request,
                                                      telemetry::RequestSpan* span);
boost::asio::awaitable<http::HttpResponse> HandleRegister(ServiceContext* context,
                                                          http::HttpRequest request,
                                                          telemetry::RequestSpan* span);
boost::asio::awaitable<http::HttpResponse> HandleFeed(ServiceContext* context,
                                                      http::HttpRequest request,
                                                      telemetry::RequestSpan* span);

// Pure handlers (no I/O).
http::HttpResponse HomeResponse(const http::HttpRequest& request);
http::HttpResponse RegisterFormResponse(const http::HttpRequest& request);
// A bundled asset, a 304 when If-None-Match matches its ETag, or the 404 page.
http::HttpResponse StaticAssetResponse(const http::HttpRequest& request);
// The 404 page, or 405 (with Allow) for a known page asked with the wrong method.
http::HttpResponse FallbackResponse(const http::HttpRequest& request);

// An HTML document with the site's security headers (CSP without inline code, nosniff,
// no framing, same-origin referrers) and `Cache-Control: no-store`.
http::HttpResponse HtmlResponse(http::HttpStatus status, std::string body, unsigned version);

// Adds every route above to `router`.
void AddSiteRoutes(Router& router, ServiceContext* context);

}  // namespace ck::services::public_site
