#include "platform/stack_spec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

namespace ck::platform {
namespace {

using ::testing::HasSubstr;

const char* kGood = R"(version: 1
name: demo
domain: demo.local
data_dir: /tmp/demo
control:
  port: 9901
public:
  service: web
  port: 8081
datastore:
  port: 8001
  tls: local-ca
  durability: full
  table: things
defaults:
  health_check:
    interval: 2s
    timeout: 500ms
  stop_grace: 1s
jobs:
  seed:
    command: [ck, serve, seed]
    depends_on: [dynamodb]
services:
  web:
    depends_on: [api]
    task_definitions:
      v1:
        command: [ck, serve, web]
        env: {GREETING: hello}
  api:
    version: v2
    desired: 3
    depends_on: [dynamodb, seed]
    health_check:
      path: /ready
      unhealthy_threshold: 2
    task_definitions:
      v1:
        command: [ck, serve, api]
      v2:
        command: [/usr/bin/api, --fast]
        ca_bundle: none
)";

// Replaces the first occurrence of `from` in kGood.
std::string GoodWith(const std::string& from, const std::string& to) {
  std::string text = kGood;
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

TEST(StackSpecTest, ParsesAGoodFileInDependencyOrder) {
  auto stack = ParseStackSpec(kGood, "demo.yaml");
  ASSERT_TRUE(stack.ok()) << stack.status().message();
  EXPECT_EQ(stack->name, "demo");
  EXPECT_EQ(stack->domain, "demo.local");
  EXPECT_EQ(stack->control_port, 9901);
  EXPECT_EQ(stack->public_service, "web");
  EXPECT_EQ(stack->datastore.durability, "full");
  EXPECT_EQ(stack->datastore.table, "things");
  std::vector<std::string> order;
  for (const auto& service : stack->services) order.push_back(service.name);
  EXPECT_EQ(order, (std::vector<std::string>{"dynamodb", "seed", "api", "web"}));

  const ServiceSpec* datastore = stack->Find("dynamodb");
  ASSERT_NE(datastore, nullptr);
  EXPECT_EQ(datastore->kind, ServiceKind::kDatastore);
  EXPECT_EQ(datastore->port, 8001);
  EXPECT_EQ(datastore->health_check.scheme, "https");
  EXPECT_THAT(datastore->active().command, ::testing::Contains("--tls-auto"));

  const ServiceSpec* api = stack->Find("api");
  EXPECT_EQ(api->version, "v2");
  EXPECT_EQ(api->desired, 3);
  EXPECT_EQ(api->active().command[0], "/usr/bin/api");
  EXPECT_EQ(api->active().ca_bundle, CaBundle::kNone);
  EXPECT_EQ(api->task_definitions.at("v1").ca_bundle, CaBundle::kLocal);
  EXPECT_EQ(api->health_check.path, "/ready");
  EXPECT_EQ(api->health_check.unhealthy_threshold, 2);
  EXPECT_EQ(api->health_check.interval, Milliseconds(2000));  // from defaults
  EXPECT_EQ(api->health_check.timeout, Milliseconds(500));
  EXPECT_EQ(api->stop_grace, Milliseconds(1000));

  const ServiceSpec* web = stack->Find("web");
  EXPECT_EQ(web->port, 8081);  // the public service listens on the public port
  EXPECT_EQ(web->active().env.at("GREETING"), "hello");
  EXPECT_EQ(stack->Find("seed")->kind, ServiceKind::kJob);
}

TEST(StackSpecTest, TheShippedStackFileIsValid) {
  const auto path = std::filesystem::path(__FILE__).parent_path() / "../../stacks/cuddlekube.yaml";
  auto stack = LoadStackFile(path.string());
  ASSERT_TRUE(stack.ok()) << stack.status().message();
  EXPECT_EQ(stack->control_port, 9900);
  EXPECT_EQ(stack->public_port, 8080);
  EXPECT_EQ(stack->Find("public-site")->port, 8080);
  EXPECT_EQ(stack->Find("register-api")->task_definitions.at("v2").ca_bundle, CaBundle::kNone);
  EXPECT_EQ(stack->services.front().name, "dynamodb");
  EXPECT_EQ(stack->services.back().name, "public-site");
}

struct BadCase {
  std::string name;
  std::string text;
  std::string location;  // "file:line:"
  std::string reason;
};

void PrintTo(const BadCase& bad, std::ostream* out) { *out << bad.name; }

class StackSpecErrorTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(StackSpecErrorTest, RejectsWithLineAndReason) {
  const BadCase& bad = GetParam();
  auto stack = ParseStackSpec(bad.text, "s.yaml");
  ASSERT_FALSE(stack.ok());
  EXPECT_EQ(stack.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(stack.status().message(), HasSubstr(bad.location));
  EXPECT_THAT(stack.status().message(), HasSubstr(bad.reason));
}

INSTANTIATE_TEST_SUITE_P(
    Errors, StackSpecErrorTest,
    ::testing::Values(
        BadCase{"UnknownTopLevelKey", GoodWith("domain:", "domian:"),
                "s.yaml:3:1:", "domian: unknown key"},
        BadCase{"UnknownServiceKey", GoodWith("    desired: 3", "    desird: 3"),
                "s.yaml:33:5:", "api.desird: unknown key"},
        BadCase{"WrongType", GoodWith("desired: 3", "desired: three"),
                "s.yaml:33:14:", "expected an integer, got 'three'"},
        BadCase{"CommandNotAList", GoodWith("command: [ck, serve, web]", "command: ck serve web"),
                "s.yaml:29:18:", "expected a list of strings"},
        BadCase{"BadDuration", GoodWith("interval: 2s", "interval: 2 seconds"),
                "s.yaml:17:15:", "expected a duration"},
        BadCase{"BadCaBundle", GoodWith("ca_bundle: none", "ca_bundle: maybe"),
                "s.yaml:43:20:", "expected 'local' or 'none'"},
        BadCase{"UnknownDependency", GoodWith("depends_on: [api]", "depends_on: [apy]"),
                "s.yaml:26:17:", "unknown service 'apy'"},
        BadCase{"Cycle", GoodWith("depends_on: [dynamodb, seed]", "depends_on: [dynamodb, web]"),
                "s.yaml:", "dependency cycle: "},
        BadCase{"DuplicatePort", GoodWith("  port: 8001", "  port: 9901"),
                "s.yaml:", "port 9901 is already used by control.port"},
        BadCase{"MissingVersion", GoodWith("    version: v2\n", ""),
                "s.yaml:32:5:", "say which 'version' runs"},
        BadCase{"UnknownVersion", GoodWith("version: v2", "version: v9"),
                "s.yaml:32:14:", "no task definition 'v9'"},
        BadCase{"DuplicateKey", GoodWith("  api:", "  web:"), "s.yaml:31:3:", "duplicate key"},
        BadCase{"NameUsedTwice", GoodWith("  seed:", "  web:"),
                "s.yaml:25:3:", "web: name is used twice"},
        BadCase{"YamlSyntax", GoodWith("  port: 9901", "  port: [9901"), "s.yaml:", "YAML syntax"},
        BadCase{"PortOutOfRange", GoodWith("  port: 9901", "  port: 70000"),
                "s.yaml:6:9:", "must be between 1 and 65535"},
        BadCase{"NotAMapping", "- a\n- b\n", "s.yaml:1:1:", "a stack file is a mapping"}),
    [](const auto& info) { return info.param.name; });

TEST(StackSpecTest, PortOverridesMoveFixedPorts) {
  auto stack = ParseStackSpec(kGood, "demo.yaml");
  ASSERT_TRUE(stack.ok());
  ASSERT_TRUE(ApplyPortOverrides(*stack, {.offset = 100}).ok());
  EXPECT_EQ(stack->control_port, 10001);
  EXPECT_EQ(stack->Find("web")->port, 8181);
  EXPECT_EQ(stack->Find("dynamodb")->port, 8101);
  EXPECT_EQ(stack->datastore.port, 8101);
  ASSERT_TRUE(ApplyPortOverrides(*stack, {.public_port = 18080, .datastore_port = 18000}).ok());
  EXPECT_EQ(stack->Find("web")->port, 18080);
  EXPECT_EQ(stack->Find("dynamodb")->port, 18000);
  auto clash = ApplyPortOverrides(*stack, {.control_port = 18000});
  EXPECT_THAT(clash.message(), HasSubstr("port 18000 is already used"));
}

TEST(StackSpecTest, ParsesDurations) {
  EXPECT_EQ(*ParseDuration("250ms"), Milliseconds(250));
  EXPECT_EQ(*ParseDuration("1.5s"), Milliseconds(1500));
  EXPECT_EQ(*ParseDuration("2m"), Milliseconds(120000));
  EXPECT_FALSE(ParseDuration("5").ok());
  EXPECT_FALSE(ParseDuration("s").ok());
  EXPECT_FALSE(ParseDuration("-1s").ok());
  EXPECT_EQ(*ParseDuration("6h"), Milliseconds(6 * 3600 * 1000));
  EXPECT_EQ(*ParseDuration("7d"), Milliseconds(7LL * 86400 * 1000));
  EXPECT_FALSE(ParseDuration("400d").ok());
  EXPECT_FALSE(ParseDuration("3w").ok());
}

TEST(StackSpecTest, ReadsTheTelemetrySection) {
  auto stack = ParseStackSpec(R"(version: 1
telemetry:
  xray_port: 2100
  otlp_port: 4400
  retention: 6h
  max_spans: 50000
services: {}
)",
                              "t.yaml");
  ASSERT_TRUE(stack.ok()) << stack.status().message();
  EXPECT_EQ(stack->telemetry.xray_port, 2100);
  EXPECT_EQ(stack->telemetry.otlp_port, 4400);
  EXPECT_EQ(stack->telemetry.retention, "6h");
  EXPECT_EQ(stack->telemetry.max_spans, 50000u);
  ASSERT_TRUE(ApplyPortOverrides(*stack, {.offset = 10}).ok());
  EXPECT_EQ(stack->telemetry.xray_port, 2110);

  auto bad =
      ParseStackSpec("version: 1\ntelemetry:\n  retention: forever\nservices: {}\n", "t.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(bad.status().message(), HasSubstr("telemetry.retention"));
  auto clash = ParseStackSpec("version: 1\ncontrol: {port: 2000}\nservices: {}\n", "t.yaml");
  ASSERT_FALSE(clash.ok());
  EXPECT_THAT(clash.status().message(), HasSubstr("already used"));
}

}  // namespace
}  // namespace ck::platform
