// list-api: the residents shown on the site.
//
//   GET /  ->  200 [{"ckid","name","type","service","happiness","petname","os","image"}, ...]
//              every resident that has an image, from all pages of a Scan, sorted by name
//              (case-insensitive) then ckid; at most kMaxResidents
//              502 {"error": "<datastore error>"} when the table cannot be read
//
// On start it creates and seeds the residents table if missing (see residents.h). Each Scan page
// is an "aws" DynamoDB subsegment of the request's segment (docs/tracing.md).
//
// Thread-safety: the handler runs on the service's io thread.
#pragma once

#include <utility>

#include <boost/asio/awaitable.hpp>
#include <cstddef>

#include "http/message.h"
#include "services/common/service_host.h"

namespace ck::services::list_api {

inline constexpr size_t kMaxResidents = 10000;

boost::asio::awaitable<http::HttpResponse> HandleList(ServiceContext* context,
                                                      http::HttpRequest request,
                                                      telemetry::RequestSpan* span);

ServiceDefinition ListApiService();

}  // namespace ck::services::list_api
