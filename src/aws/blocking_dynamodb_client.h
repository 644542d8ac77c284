// BlockingDynamoDbClient: a synchronous facade over DynamoDbClient for CLIs, tools and tests.
//
// It owns an io_context and runs it on the calling thread for the duration of each call, so the
// pooled keep-alive connections are reused across calls.
//
//   CK_ASSIGN_OR_RETURN(auto client, BlockingDynamoDbClient::Create({.config = config}));
//   Result<nlohmann::json> tables = client->Call("ListTables", nlohmann::json::object());
//   auto item = client->Run([&](DynamoDbClient& c) { return c.GetItem(request); });
//
// Thread-safety: not thread-safe; use one instance per thread. Never call it from a coroutine
// running on an io_context (it would block that thread).
#pragma once

#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <optional>
#include <type_traits>

#include "aws/dynamodb_client.h"

namespace ck::aws {

class BlockingDynamoDbClient {
 public:
  static Result<std::unique_ptr<BlockingDynamoDbClient>> Create(DynamoDbClientOptions options) {
    auto self = std::unique_ptr<BlockingDynamoDbClient>(new BlockingDynamoDbClient());
    auto client = DynamoDbClient::Create(self->io_.get_executor(), std::move(options));
    if (!client.ok()) return client.status();
    self->client_ = std::move(*client);
    return self;
  }

  // Runs `fn(client)`, which returns an awaitable<T>, to completion and returns the T.
  template <typename Fn>
  auto Run(Fn&& fn) -> typename std::invoke_result_t<Fn, DynamoDbClient&>::value_type {
    using T = typename std::invoke_result_t<Fn, DynamoDbClient&>::value_type;
    std::optional<T> result;
    boost::asio::co_spawn(
        io_, [&]() -> boost::asio::awaitable<void> { result.emplace(co_await fn(*client_)); },
        boost::asio::detached);
    io_.restart();
    io_.run();
    return std::move(*result);
  }

  Result<nlohmann::json> Call(std::string_view operation, const nlohmann::json& request) {
    return Run(
        [&](DynamoDbClient& client) { return client.Call(std::string(operation), request); });
  }

  DynamoDbClient& async_client() { return *client_; }

 private:
  BlockingDynamoDbClient() = default;
  boost::asio::io_context io_;
  std::unique_ptr<DynamoDbClient> client_;
};

}  // namespace ck::aws
