#include "platform/control_api.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ck::platform {
namespace {

using ::testing::HasSubstr;

class ControlApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto stack = ParseStackSpec(
        "jobs:\n  seed: {command: [/bin/true]}\n"
        "public: {service: web, port: 18080}\n"
        "services:\n"
        "  api: {task_definitions: {v1: {command: [/bin/true]}}}\n"
        "  web: {depends_on: [api], task_definitions: {v1: {command: [/bin/true]}}}\n",
        "t.yaml");
    ASSERT_TRUE(stack.ok()) << stack.status().message();
    SupervisorOptions options;
    options.data_dir = "/tmp/ck-control-api-test";
    supervisor_ = std::make_unique<Supervisor>(io_, *stack, discovery_, options);
    api_ = std::make_unique<ControlApi>(*supervisor_, discovery_, [this] { ++downs_; });
  }

  http::HttpResponse Send(http::Verb verb, const std::string& target, std::string body = "") {
    http::HttpRequest request{verb, target, 11};
    request.body() = std::move(body);
    return api_->Handle(request);
  }
  static nlohmann::json Body(const http::HttpResponse& response) {
    return nlohmann::json::parse(response.body());
  }

  boost::asio::io_context io_;
  DiscoveryRegistry discovery_;
  std::unique_ptr<Supervisor> supervisor_;
  std::unique_ptr<ControlApi> api_;
  int downs_ = 0;
};

TEST_F(ControlApiTest, DiscoveryFollowsTheContract) {
  auto empty = Send(http::Verb::get, "/v1/discovery/api");
  EXPECT_EQ(empty.result_int(), 200u);
  EXPECT_EQ(Body(empty), nlohmann::json::parse(R"({"service":"api","instances":[]})"));

  discovery_.Register("api", {"api-v1-1", "127.0.0.1", 41234, "v1", false});
  discovery_.SetHealthy("api", "api-v1-1", true);
  auto found = Send(http::Verb::get, "/v1/discovery/api");
  EXPECT_EQ(Body(found), nlohmann::json::parse(R"({"service":"api","instances":[
      {"id":"api-v1-1","address":"127.0.0.1","port":41234,"version":"v1","healthy":true}]})"));
  EXPECT_EQ(found[http::Field::content_type], "application/json");

  auto unknown = Send(http::Verb::get, "/v1/discovery/foo");
  EXPECT_EQ(unknown.result_int(), 404u);
  EXPECT_EQ(Body(unknown)["error"], "unknown service: foo");
  EXPECT_EQ(Send(http::Verb::get, "/v1/discovery/seed").result_int(), 404u);  // jobs aren't
}

TEST_F(ControlApiTest, DiscoveryRegistryTracksInstances) {
  discovery_.Register("api", {"api-v1-1", "127.0.0.1", 1, "v1", false});
  discovery_.Register("api", {"api-v1-2", "127.0.0.1", 2, "v2", false});
  discovery_.Register("api", {"api-v1-1", "127.0.0.1", 3, "v1", false});  // replaces
  discovery_.SetHealthy("api", "api-v1-2", true);
  auto instances = discovery_.Lookup("api");
  ASSERT_EQ(instances->size(), 2u);
  EXPECT_EQ((*instances)[0].port, 3);
  EXPECT_FALSE((*instances)[0].healthy);
  EXPECT_TRUE((*instances)[1].healthy);
  discovery_.Deregister("api", "api-v1-1");
  discovery_.Deregister("api", "missing");
  discovery_.SetHealthy("nope", "x", true);
  ASSERT_EQ(discovery_.Lookup("api")->size(), 1u);
}

TEST_F(ControlApiTest, ServiceActions) {
  auto scaled = Send(http::Verb::post, "/v1/services/api/scale", R"({"desired":3})");
  EXPECT_EQ(scaled.result_int(), 202u);
  EXPECT_EQ(Body(scaled)["desired"], 3);
  auto services = supervisor_->TasksJson()["services"];
  EXPECT_EQ(services[1]["name"], "api");
  EXPECT_EQ(services[1]["desired"], 3);

  EXPECT_EQ(Send(http::Verb::post, "/v1/services/api/stop").result_int(), 202u);
  EXPECT_TRUE(supervisor_->TasksJson()["services"][1]["stopped"]);
  EXPECT_EQ(Send(http::Verb::post, "/v1/services/api/start").result_int(), 202u);

  auto bad_body = Send(http::Verb::post, "/v1/services/api/scale", "{\"desired\":\"2\"}");
  EXPECT_EQ(bad_body.result_int(), 400u);
  EXPECT_THAT(Body(bad_body)["error"].get<std::string>(), HasSubstr("desired"));
  EXPECT_EQ(Send(http::Verb::post, "/v1/services/api/scale", "not json").result_int(), 400u);
  EXPECT_EQ(Send(http::Verb::post, "/v1/services/api/scale", R"({"desired":-1})").result_int(),
            400u);
  auto fixed = Send(http::Verb::post, "/v1/services/web/scale", R"({"desired":2})");
  EXPECT_EQ(fixed.result_int(), 409u);
  EXPECT_THAT(Body(fixed)["error"].get<std::string>(), HasSubstr("fixed port"));
  EXPECT_EQ(Send(http::Verb::post, "/v1/services/seed/scale", R"({"desired":2})").result_int(),
            409u);
  EXPECT_EQ(Send(http::Verb::post, "/v1/services/nope/stop").result_int(), 404u);
  EXPECT_EQ(Send(http::Verb::post, "/v1/services/api/explode").result_int(), 404u);
  auto wrong_method = Send(http::Verb::get, "/v1/services/api/stop");
  EXPECT_EQ(wrong_method.result_int(), 405u);
  EXPECT_EQ(wrong_method[http::Field::allow], "POST");
}

TEST_F(ControlApiTest, TasksStackDownAndUnknownPaths) {
  auto tasks = Send(http::Verb::get, "/v1/tasks");
  EXPECT_EQ(tasks.result_int(), 200u);
  EXPECT_EQ(Body(tasks)["services"].size(), 3u);
  EXPECT_FALSE(Body(tasks)["all_healthy"]);

  auto stack = Body(Send(http::Verb::get, "/v1/stack"));
  EXPECT_EQ(stack["public"]["port"], 18080);
  EXPECT_EQ(stack["services"][0]["name"], "seed");

  EXPECT_EQ(Send(http::Verb::get, "/v1/down").result_int(), 405u);
  EXPECT_EQ(Send(http::Verb::post, "/v1/down").result_int(), 202u);
  EXPECT_EQ(downs_, 1);
  EXPECT_EQ(Send(http::Verb::get, "/").result_int(), 404u);
  EXPECT_EQ(Send(http::Verb::get, "/v2/tasks").result_int(), 404u);
  auto unknown = Send(http::Verb::get, "/v1/whatever?x=<script>");
  EXPECT_EQ(unknown.result_int(), 404u);
  EXPECT_TRUE(Body(unknown).contains("error"));
}

}  // namespace
}  // namespace ck::platform
