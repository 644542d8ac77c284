// Private state of DynamoDbClient, shared by dynamodb_client.cc (transport) and
// dynamodb_operations.cc (typed helpers). Not part of the public API.
#pragma once

#include <string>
#include <string_view>

#include "aws/dynamodb_client.h"
#include "http/client.h"
#include "http/url.h"

namespace ck::aws {

struct DynamoDbClient::Impl {
  Impl(boost::asio::any_io_executor executor, DynamoDbClientOptions client_options,
       http::Url endpoint_url);

  // A signed `POST` of `body` for `operation`.
  http::HttpRequest BuildRequest(std::string_view operation, const std::string& body) const;
  // One call with its retries (DynamoDbClient::Invoke without the observer).
  boost::asio::awaitable<CallOutcome> Invoke(std::string operation, nlohmann::json request);

  DynamoDbClientOptions options;
  http::Url url;
  std::string path;   // of the endpoint URL, signed as the canonical URI
  std::string query;  // of the endpoint URL, without '?'
  http::HttpClient http;
  RetryPolicy retry;
};

}  // namespace ck::aws
