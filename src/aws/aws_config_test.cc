#include "aws/aws_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

namespace ck::aws {
namespace {

using ::testing::HasSubstr;

// A fake environment: tests never touch the process environment.
EnvironmentLookup FakeEnvironment(std::map<std::string, std::string> variables) {
  return [variables = std::move(variables)](std::string_view name) -> std::optional<std::string> {
    auto it = variables.find(std::string(name));
    if (it == variables.end()) return std::nullopt;
    return it->second;
  };
}

const std::map<std::string, std::string> kBase = {
    {"AWS_REGION", "eu-west-1"},
    {"AWS_ACCESS_KEY_ID", "AKIDENV"},
    {"AWS_SECRET_ACCESS_KEY", "secret-env"},
};

std::map<std::string, std::string> With(std::map<std::string, std::string> extra) {
  auto out = kBase;
  for (auto& [key, value] : extra) out[key] = value;
  return out;
}

TEST(AwsConfigTest, ReadsStandardVariables) {
  auto config = LoadAwsConfig(
      "dynamodb", {},
      FakeEnvironment(With({{"AWS_SESSION_TOKEN", "token"}, {"AWS_CA_BUNDLE", "/etc/ca.pem"}})));
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->region, "eu-west-1");
  EXPECT_EQ(config->credentials.access_key_id, "AKIDENV");
  EXPECT_EQ(config->credentials.secret_access_key, "secret-env");
  EXPECT_EQ(config->credentials.session_token, "token");
  EXPECT_EQ(config->endpoint, "https://dynamodb.eu-west-1.amazonaws.com");
  EXPECT_EQ(config->ca_bundle, "/etc/ca.pem");
  EXPECT_FALSE(config->max_attempts.has_value());
}

TEST(AwsConfigTest, RegionFallsBackToDefaultRegion) {
  auto env = kBase;
  env.erase("AWS_REGION");
  env["AWS_DEFAULT_REGION"] = "ap-south-1";
  auto config = LoadAwsConfig("dynamodb", {}, FakeEnvironment(env));
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->region, "ap-south-1");
  env["AWS_REGION"] = "us-west-2";
  EXPECT_EQ(LoadAwsConfig("dynamodb", {}, FakeEnvironment(env))->region, "us-west-2");
}

TEST(AwsConfigTest, ChinaRegionsUseTheirDomain) {
  auto config =
      LoadAwsConfig("dynamodb", {}, FakeEnvironment(With({{"AWS_REGION", "cn-north-1"}})));
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->endpoint, "https://dynamodb.cn-north-1.amazonaws.com.cn");
}

TEST(AwsConfigTest, MissingRegionIsAnErrorWithoutEndpoint) {
  auto env = kBase;
  env.erase("AWS_REGION");
  auto config = LoadAwsConfig("dynamodb", {}, FakeEnvironment(env));
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(config.status().message(), HasSubstr("AWS_REGION"));

  env["AWS_ENDPOINT_URL_DYNAMODB"] = "http://127.0.0.1:8000";
  config = LoadAwsConfig("dynamodb", {}, FakeEnvironment(env));
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->region, "us-east-1");
}

TEST(AwsConfigTest, EndpointPrecedence) {
  auto env = With({{"AWS_ENDPOINT_URL", "http://generic:1"},
                   {"AWS_ENDPOINT_URL_DYNAMODB", "https://specific:2"}});
  EXPECT_EQ(LoadAwsConfig("dynamodb", {}, FakeEnvironment(env))->endpoint, "https://specific:2");

  AwsConfigOptions explicit_endpoint;
  explicit_endpoint.endpoint = "http://explicit:3";
  EXPECT_EQ(LoadAwsConfig("dynamodb", explicit_endpoint, FakeEnvironment(env))->endpoint,
            "http://explicit:3");

  env.erase("AWS_ENDPOINT_URL_DYNAMODB");
  EXPECT_EQ(LoadAwsConfig("dynamodb", {}, FakeEnvironment(env))->endpoint, "http://generic:1");

  env["AWS_ENDPOINT_URL_DYNAMODB"] = "";  // empty counts as unset
  EXPECT_EQ(LoadAwsConfig("dynamodb", {}, FakeEnvironment(env))->endpoint, "http://generic:1");

  env["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "TRUE";
  EXPECT_EQ(LoadAwsConfig("dynamodb", {}, FakeEnvironment(env))->endpoint,
            "https://dynamodb.eu-west-1.amazonaws.com");
}

TEST(AwsConfigTest, ServiceIdNamesTheEndpointVariable) {
  auto config = LoadAwsConfig(
      "dynamodb-streams", {},
      FakeEnvironment(With({{"AWS_ENDPOINT_URL_DYNAMODB_STREAMS", "http://streams:1"}})));
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->endpoint, "http://streams:1");
}

TEST(AwsConfigTest, MalformedEndpointNamesItsSource) {
  auto config = LoadAwsConfig("dynamodb", {},
                              FakeEnvironment(With({{"AWS_ENDPOINT_URL_DYNAMODB", "ftp://x"}})));
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(config.status().message(), HasSubstr("AWS_ENDPOINT_URL_DYNAMODB"));
  EXPECT_THAT(config.status().message(), HasSubstr("scheme"));
}

TEST(AwsConfigTest, CredentialsAreRequiredAndGoTogether) {
  auto env = kBase;
  env.erase("AWS_ACCESS_KEY_ID");
  env.erase("AWS_SECRET_ACCESS_KEY");
  auto none = LoadAwsConfig("dynamodb", {}, FakeEnvironment(env));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), StatusCode::kUnauthenticated);
  EXPECT_THAT(none.status().message(), HasSubstr("AWS_ACCESS_KEY_ID"));

  env["AWS_ACCESS_KEY_ID"] = "AKID";
  auto half = LoadAwsConfig("dynamodb", {}, FakeEnvironment(env));
  ASSERT_FALSE(half.ok());
  EXPECT_EQ(half.status().code(), StatusCode::kUnauthenticated);
  EXPECT_THAT(half.status().message(), HasSubstr("AWS_SECRET_ACCESS_KEY is not set"));
}

TEST(AwsConfigTest, ExplicitOptionsWinOverEnvironment) {
  AwsConfigOptions options;
  options.region = "sa-east-1";
  options.credentials = sigv4::Credentials{"AKIDOPT", "secret-opt", ""};
  options.ca_bundle = "/opt/ca.pem";
  options.max_attempts = 3;
  auto config = LoadAwsConfig(
      "dynamodb", options,
      FakeEnvironment(With({{"AWS_CA_BUNDLE", "/env/ca.pem"}, {"AWS_MAX_ATTEMPTS", "7"}})));
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->region, "sa-east-1");
  EXPECT_EQ(config->credentials.access_key_id, "AKIDOPT");
  EXPECT_EQ(config->ca_bundle, "/opt/ca.pem");
  EXPECT_EQ(config->max_attempts, 3);
  EXPECT_EQ(config->endpoint, "https://dynamodb.sa-east-1.amazonaws.com");
}

TEST(AwsConfigTest, MaxAttemptsFromEnvironment) {
  auto config = LoadAwsConfig("dynamodb", {}, FakeEnvironment(With({{"AWS_MAX_ATTEMPTS", "4"}})));
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->max_attempts, 4);
  for (const char* bad : {"zero", "0", "-1", "3x"}) {
    auto rejected =
        LoadAwsConfig("dynamodb", {}, FakeEnvironment(With({{"AWS_MAX_ATTEMPTS", bad}})));
    ASSERT_FALSE(rejected.ok()) << bad;
    EXPECT_EQ(rejected.status().code(), StatusCode::kInvalidArgument);
  }
}

TEST(AwsConfigTest, ProcessEnvironmentReadsGetenv) {
  // PATH is set in any test environment; a random name is not.
  EXPECT_TRUE(ProcessEnvironment()("PATH").has_value());
  EXPECT_FALSE(ProcessEnvironment()("CK_AWS_CONFIG_TEST_SURELY_UNSET_4711").has_value());
}

}  // namespace
}  // namespace ck::aws
