// Router, JSON helpers, ServiceConfig, and the host's /health, request handling and body limit.
#include <utility>

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "services/common/json_body.h"
#include "services/common/router.h"
#include "services/common/service_config.h"
#include "services/common/service_test_support.h"

namespace ck::services {
namespace {

namespace asio = boost::asio;
using testing::BodyJson;
using testing::Call;
using testing::TestHost;

RouteHandler Text(std::string text) {
  return [text](http::HttpRequest) {
    return Respond(http::MakeResponse(http::HttpStatus::ok, "text/plain", text));
  };
}

http::HttpResponse Route(const Router& router, http::Verb method, std::string target) {
  asio::io_context io;
  http::HttpResponse response;
  asio::co_spawn(
      io,
      [&]() -> asio::awaitable<void> {
        response = co_await router.Handle(http::HttpRequest(method, target, 11));
      },
      asio::detached);
  io.run();
  return response;
}

TEST(RouterTest, ExactBeatsPrefixAndLongerPrefixBeatsShorter) {
  Router router;
  router.AddPrefix(http::Verb::get, "/", Text("root-prefix"));
  router.AddPrefix(http::Verb::get, "/img/", Text("img-prefix"));
  router.Add(http::Verb::get, "/img/logo.svg", Text("exact"));
  EXPECT_EQ(Route(router, http::Verb::get, "/img/logo.svg").body(), "exact");
  EXPECT_EQ(Route(router, http::Verb::get, "/img/other.svg?x=1").body(), "img-prefix");
  EXPECT_EQ(Route(router, http::Verb::get, "/list").body(), "root-prefix");
}

TEST(RouterTest, UnknownPathIs404JsonError) {
  Router router;
  router.Add(http::Verb::get, "/", Text("home"));
  http::HttpResponse response = Route(router, http::Verb::get, "/nope?q=1");
  EXPECT_EQ(response.result(), http::HttpStatus::not_found);
  EXPECT_EQ(response[http::Field::content_type], "application/json");
  EXPECT_EQ(BodyJson(response), nlohmann::json({{"error", "no route for GET /nope"}}));
}

TEST(RouterTest, WrongMethodIs405WithAllow) {
  Router router;
  router.Add(http::Verb::get, "/", Text("home"));
  router.Add(http::Verb::put, "/", Text("put"));
  http::HttpResponse response = Route(router, http::Verb::post, "/");
  EXPECT_EQ(response.result(), http::HttpStatus::method_not_allowed);
  EXPECT_EQ(response[http::Field::allow], "GET, PUT");
  EXPECT_EQ(BodyJson(response)["error"], "method POST not allowed for /");
}

TEST(RouterTest, HeadUsesGetRouteWithoutBody) {
  Router router;
  router.Add(http::Verb::get, "/", Text("home"));
  http::HttpResponse response = Route(router, http::Verb::head, "/");
  EXPECT_EQ(response.result(), http::HttpStatus::ok);
  EXPECT_EQ(response.body(), "");
  EXPECT_EQ(response[http::Field::content_length], "4");
}

TEST(JsonBodyTest, ParsesObjectsAndExplainsFailures) {
  EXPECT_TRUE(ParseJsonObject(std::string_view(R"({"a":1})")).ok());
  auto broken = ParseJsonObject(std::string_view("{nope"));
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(broken.status().message().rfind("invalid JSON: ", 0), 0u) << broken.status().message();
  auto array = ParseJsonObject(std::string_view("[1]"));
  ASSERT_FALSE(array.ok());
  EXPECT_EQ(array.status().message(), "request body must be a JSON object");
  http::HttpResponse error =
      JsonError(http::HttpStatus::bad_request, "bad", {{"reasons", {"a", "b"}}});
  EXPECT_EQ(BodyJson(error), nlohmann::json({{"error", "bad"}, {"reasons", {"a", "b"}}}));
  EXPECT_EQ(HttpStatusFor(Unavailable("x")), http::HttpStatus::bad_gateway);
  EXPECT_EQ(HttpStatusFor(NotFound("x")), http::HttpStatus::not_found);
}

TEST(ServiceConfigTest, ReadsTheContractEnvironment) {
  ServiceConfig config = LoadServiceConfig(
      "list-api", MapEnvironment({{"CK_SERVICE_VERSION", "v2"},
                                  {"CK_COMMIT", "abc123"},
                                  {"CK_TASK_ID", "list-api-v2-1"},
                                  {"CK_LISTEN", "127.0.0.1:4000"},
                                  {"CK_SERVICE_DOMAIN", "example.local"},
                                  {"CK_DISCOVERY_URL", "http://127.0.0.1:9900"},
                                  {"CK_TABLE", "residents"},
                                  {"CK_INIT_TABLE", "false"},
                                  {"http_proxy", "http://127.0.0.1:15001"},
                                  {"NO_PROXY", "localhost"},
                                  {"AWS_ENDPOINT_URL_DYNAMODB", "https://127.0.0.1:8000"},
                                  {"AWS_ACCESS_KEY_ID", "ck-local"},
                                  {"AWS_SECRET_ACCESS_KEY", "ck-local-secret"}}));
  EXPECT_EQ(config.service, "list-api");
  EXPECT_EQ(config.version, "v2");
  EXPECT_EQ(config.commit, "abc123");
  EXPECT_EQ(config.task_id, "list-api-v2-1");
  EXPECT_EQ(config.listen, "127.0.0.1:4000");
  EXPECT_EQ(config.domain, "example.local");
  EXPECT_EQ(config.discovery_url, "http://127.0.0.1:9900");
  EXPECT_EQ(config.table, "residents");
  EXPECT_FALSE(config.init_table);
  EXPECT_EQ(config.http_proxy, "http://127.0.0.1:15001");
  EXPECT_EQ(config.no_proxy, "localhost");
  ASSERT_TRUE(config.aws.ok()) << config.aws.status().ToString();
  EXPECT_EQ(config.aws->endpoint, "https://127.0.0.1:8000");
}

TEST(ServiceConfigTest, DefaultsAndMissingCredentials) {
  ServiceConfig config = LoadServiceConfig("order-api", MapEnvironment({}));
  EXPECT_EQ(config.service, "order-api");
  EXPECT_EQ(config.version, "dev");
  EXPECT_EQ(config.commit, "dev");
  EXPECT_EQ(config.listen, "127.0.0.1:8080");
  EXPECT_EQ(config.domain, "cuddle-kube.local");
  EXPECT_EQ(config.table, "cuddlykube");
  EXPECT_TRUE(config.init_table);
  EXPECT_FALSE(config.aws.ok());
}

ServiceDefinition EchoService() {
  ServiceDefinition definition;
  definition.name = "echo";
  definition.body_limit_bytes = 1024;
  definition.add_routes = [](Router& router, ServiceContext*) {
    router.Add(http::Verb::post, "/", [](http::HttpRequest request) {
      return Respond(http::MakeResponse(http::HttpStatus::ok, "text/plain", request.body()));
    });
    router.Add(http::Verb::get, "/throw",
               [](http::HttpRequest) -> asio::awaitable<http::HttpResponse> {
                 throw std::runtime_error("boom");
               });
  };
  return definition;
}

TEST(ServiceHostTest, HealthNamesServiceVersionAndCommit) {
  ServiceConfig config = LoadServiceConfig(
      "echo", MapEnvironment({{"CK_SERVICE_VERSION", "v7"}, {"CK_COMMIT", "deadbeef"}}));
  TestHost host(EchoService(), config);
  auto response = Call(http::Verb::get, host.url("/health"));
  ASSERT_TRUE(response.ok()) << response.status().ToString();
  EXPECT_EQ(response->result(), http::HttpStatus::ok);
  nlohmann::json body = BodyJson(*response);
  EXPECT_EQ(body["service"], "echo");
  EXPECT_EQ(body["version"], "v7");
  EXPECT_EQ(body["commit"], "deadbeef");
  EXPECT_EQ(body["status"], "ok");
}

TEST(ServiceHostTest, BodyLimitGives413AndThrowingHandlerGives500) {
  TestHost host(EchoService(), LoadServiceConfig("echo", MapEnvironment({})));
  auto small = Call(http::Verb::post, host.url(), "hello");
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(small->body(), "hello");
  auto big = Call(http::Verb::post, host.url(), std::string(4096, 'x'));
  ASSERT_TRUE(big.ok()) << big.status().ToString();
  EXPECT_EQ(big->result(), http::HttpStatus::payload_too_large);
  auto thrown = Call(http::Verb::get, host.url("/throw"));
  ASSERT_TRUE(thrown.ok()) << thrown.status().ToString();
  EXPECT_EQ(thrown->result(), http::HttpStatus::internal_server_error);
  EXPECT_EQ(BodyJson(*thrown)["error"], "internal error");
  // The service still answers after a handler threw.
  auto again = Call(http::Verb::get, host.url("/health"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->result(), http::HttpStatus::ok);
}

}  // namespace
}  // namespace ck::services
