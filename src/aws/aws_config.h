// AwsConfig: region, credentials, endpoint and CA bundle for an AWS client, resolved the way the
// AWS SDKs and CLI resolve them from the environment.
//
// Each setting comes from the explicit option when given, else from the environment:
//
//   region       AWS_REGION, then AWS_DEFAULT_REGION. Required unless an endpoint override is
//                set (then "us-east-1" is used for signing, as local endpoints ignore it).
//   credentials  AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN). Required.
//   endpoint     AWS_ENDPOINT_URL_<SERVICE> (e.g. AWS_ENDPOINT_URL_DYNAMODB), then
//                AWS_ENDPOINT_URL; both ignored when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true.
//                Default https://<service>.<region>.amazonaws.com (".com.cn" in cn-* regions).
//   ca_bundle    AWS_CA_BUNDLE: PEM file of CAs to trust for https endpoints (default: system).
//   max_attempts AWS_MAX_ATTEMPTS: attempts in all per call (overrides RetryOptions).
//
// Empty variables count as unset. The environment is read through a lookup function, so tests
// pass a map instead of mutating the process environment:
//
//   CK_ASSIGN_OR_RETURN(AwsConfig config, LoadAwsConfig("dynamodb"));
//
// Thread-safety: pure functions; ProcessEnvironment() reads getenv (do not setenv concurrently).
// Failure modes: kInvalidArgument for a missing region or malformed endpoint/max-attempts,
// kUnauthenticated for missing or half-set credentials; messages name the variables involved.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/sigv4.h"
#include "core/status.h"

namespace ck::aws {

using EnvironmentLookup = std::function<std::optional<std::string>(std::string_view name)>;

// Reads the process environment.
EnvironmentLookup ProcessEnvironment();

// Explicit settings; each one that is set wins over the environment.
struct AwsConfigOptions {
  std::optional<std::string> region;
  std::optional<sigv4::Credentials> credentials;
  std::optional<std::string> endpoint;
  std::optional<std::string> ca_bundle;
  std::optional<int> max_attempts;
};

struct AwsConfig {
  std::string region;
  sigv4::Credentials credentials;
  std::string endpoint;   // absolute http(s) URL
  std::string ca_bundle;  // empty = the system trust store
  std::optional<int> max_attempts;
};

// `service_id` names the service as in its endpoint variable and host name, e.g. "dynamodb".
Result<AwsConfig> LoadAwsConfig(std::string_view service_id, const AwsConfigOptions& options = {},
                                const EnvironmentLookup& environment = ProcessEnvironment());

}  // namespace ck::aws
