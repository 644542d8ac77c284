// ServiceConfig: what a Cuddle Kube service learns from its environment
// (docs/platform-contract.md).
//
//   CK_SERVICE          the service name (default: the name `ck serve` was given)
//   CK_SERVICE_VERSION  the task definition version, reported by /health (default "dev")
//   CK_COMMIT           the build's commit, reported by /health (default "dev")
//   CK_TASK_ID          unique per task start (default "<service>-local")
//   CK_LISTEN           host:port to listen on (default 127.0.0.1:8080)
//   CK_SERVICE_DOMAIN   virtual services are <service>.<domain> (default cuddle-kube.local)
//   CK_DISCOVERY_URL    the discovery registry, e.g. http://127.0.0.1:9900 (no default)
//   CK_TABLE            the residents table (default cuddlykube)
//   CK_INIT_TABLE       "false"/"0" stops datastore services creating and seeding the table
//   CK_LOG_LEVEL        debug, info, warn or error (default info)
//   HTTP_PROXY/NO_PROXY outbound calls go through this proxy (lower-case names also read)
//   AWS_XRAY_DAEMON_ADDRESS  where segments are sent (UDP; default 127.0.0.1:2000)
//   CK_TRACING          "off"/"0"/"false"/"no": record no segments (trace ids still flow)
//   AWS_*               the datastore: see aws/aws_config.h
//
// Empty variables count as unset. The environment is read through a lookup function, so tests pass
// a map instead of mutating the process environment:
//
//   ServiceConfig config = LoadServiceConfig("list-api", MapEnvironment({{"CK_TABLE", "t"}}));
//
// Thread-safety: value type; LoadServiceConfig is pure given its lookup.
// Failure modes: none at load time; `aws` holds the AWS configuration or the Status explaining why
// it is unusable (e.g. missing credentials), which datastore calls then report.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "aws/aws_config.h"
#include "core/status.h"

namespace ck::services {

struct ServiceConfig {
  std::string service;
  std::string version = "dev";
  std::string commit = "dev";
  std::string task_id;
  std::string listen = "127.0.0.1:8080";
  std::string domain = "cuddle-kube.local";
  std::string discovery_url;
  std::string table = "cuddlykube";
  bool init_table = true;
  std::string log_level = "info";
  std::string http_proxy;
  std::string no_proxy;
  std::string xray_daemon_address;  // empty = the emitter's default
  bool tracing = true;
  Result<aws::AwsConfig> aws = FailedPrecondition("AWS configuration not loaded");
};

ServiceConfig LoadServiceConfig(
    std::string_view default_service,
    const aws::EnvironmentLookup& environment = aws::ProcessEnvironment());

// A lookup over a fixed map, for tests and tools.
aws::EnvironmentLookup MapEnvironment(std::map<std::string, std::string> variables);

}  // namespace ck::services
