// feed-api: feeds a resident by asking happiness-api to raise its happiness.
//
//   POST /  {"ckid": "<id>"}  ->
//     201 the updated resident (happiness-api's answer, passed through)
//     400 {"error": "..."} for invalid JSON or "ckid must be a non-empty string of at most 128
//         bytes" (kMaxCkidBytes; happiness-api is not called), or happiness-api's own 400
//     404 {"error": "no resident with ckid <id>"} (from happiness-api)
//     502 {"error": "happiness-api unavailable: <reason>"} when it cannot be reached, or
//         {"error": "happiness-api failed: <its error>"} when it answers 5xx
//
// The call to happiness-api is a "remote" subsegment of the request's segment.
//
// Thread-safety: the handler runs on the service's io thread.
#pragma once

#include <utility>

#include <boost/asio/awaitable.hpp>

#include "http/message.h"
#include "services/common/service_host.h"

namespace ck::services::feed_api {

boost::asio::awaitable<http::HttpResponse> HandleFeed(ServiceContext* context,
                                                      http::HttpRequest request,
                                                      telemetry::RequestSpan* span);

ServiceDefinition FeedApiService();

}  // namespace ck::services::feed_api
