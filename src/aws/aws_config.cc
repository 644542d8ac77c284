#include "aws/aws_config.h"

#include <cctype>
#include <charconv>
#include <cstdlib>

#include "http/url.h"

namespace ck::aws {
namespace {

// The first non-empty value among `names`.
std::optional<std::string> FirstSet(const EnvironmentLookup& environment,
                                    std::initializer_list<std::string_view> names) {
  for (std::string_view name : names) {
    std::optional<std::string> value = environment(name);
    if (value && !value->empty()) return value;
  }
  return std::nullopt;
}

std::string UpperServiceId(std::string_view service_id) {
  std::string out;
  for (char c : service_id) {
    out.push_back(std::isalnum(static_cast<unsigned char>(c))
                      ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                      : '_');
  }
  return out;
}

bool IsTrue(const std::optional<std::string>& value) {
  if (!value) return false;
  std::string lower;
  for (char c : *value)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return lower == "true";
}

}  // namespace

EnvironmentLookup ProcessEnvironment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* value = std::getenv(std::string(name).c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

Result<AwsConfig> LoadAwsConfig(std::string_view service_id, const AwsConfigOptions& options,
                                const EnvironmentLookup& environment) {
  AwsConfig config;

  std::optional<std::string> endpoint = options.endpoint;
  std::string endpoint_source = "the endpoint option";
  if (!endpoint && !IsTrue(environment("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"))) {
    std::string service_variable = "AWS_ENDPOINT_URL_" + UpperServiceId(service_id);
    if ((endpoint = FirstSet(environment, {service_variable}))) {
      endpoint_source = service_variable;
    } else if ((endpoint = FirstSet(environment, {"AWS_ENDPOINT_URL"}))) {
      endpoint_source = "AWS_ENDPOINT_URL";
    }
  }

  std::optional<std::string> region = options.region;
  if (!region || region->empty())
    region = FirstSet(environment, {"AWS_REGION", "AWS_DEFAULT_REGION"});
  if (!region) {
    if (!endpoint) {
      return InvalidArgument(
          "no AWS region configured: set AWS_REGION (or AWS_DEFAULT_REGION), or an endpoint "
          "override such as AWS_ENDPOINT_URL_" +
          UpperServiceId(service_id));
    }
    region = "us-east-1";
  }
  config.region = *region;

  if (endpoint) {
    auto url = http::ParseUrl(*endpoint);
    if (!url.ok()) {
      return InvalidArgument("endpoint from " + endpoint_source + ": " + url.status().message());
    }
    config.endpoint = *endpoint;
  } else {
    std::string domain = config.region.rfind("cn-", 0) == 0 ? "amazonaws.com.cn" : "amazonaws.com";
    config.endpoint = "https://" + std::string(service_id) + "." + config.region + "." + domain;
  }

  if (options.credentials) {
    config.credentials = *options.credentials;
  } else {
    auto access_key = FirstSet(environment, {"AWS_ACCESS_KEY_ID"});
    auto secret_key = FirstSet(environment, {"AWS_SECRET_ACCESS_KEY"});
    if (!access_key && !secret_key) {
      return Unauthenticated(
          "no AWS credentials configured: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY");
    }
    if (!access_key || !secret_key) {
      return Unauthenticated(
          std::string(access_key ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID") +
          " is not set; AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY go together");
    }
    config.credentials.access_key_id = *access_key;
    config.credentials.secret_access_key = *secret_key;
    config.credentials.session_token = FirstSet(environment, {"AWS_SESSION_TOKEN"}).value_or("");
  }
  if (config.credentials.access_key_id.empty() || config.credentials.secret_access_key.empty()) {
    return Unauthenticated("AWS credentials need both an access key id and a secret access key");
  }

  config.ca_bundle = options.ca_bundle ? *options.ca_bundle
                                       : FirstSet(environment, {"AWS_CA_BUNDLE"}).value_or("");

  if (options.max_attempts) {
    config.max_attempts = options.max_attempts;
  } else if (auto text = FirstSet(environment, {"AWS_MAX_ATTEMPTS"})) {
    int value = 0;
    auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (error != std::errc() || end != text->data() + text->size()) {
      return InvalidArgument("AWS_MAX_ATTEMPTS must be a positive integer, got '" + *text + "'");
    }
    config.max_attempts = value;
  }
  if (config.max_attempts && *config.max_attempts < 1) {
    return InvalidArgument("max attempts must be at least 1, got " +
                           std::to_string(*config.max_attempts));
  }
  return config;
}

}  // namespace ck::aws
