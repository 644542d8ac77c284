#include "services/common/service_config.h"

#include <utility>

namespace ck::services {
namespace {

std::string Get(const aws::EnvironmentLookup& environment, std::string_view name,
                std::string fallback = {}) {
  std::optional<std::string> value = environment(name);
  if (!value || value->empty()) return fallback;
  return *value;
}

}  // namespace

ServiceConfig LoadServiceConfig(std::string_view default_service,
                                const aws::EnvironmentLookup& environment) {
  ServiceConfig config;
  config.service = Get(environment, "CK_SERVICE", std::string(default_service));
  config.version = Get(environment, "CK_SERVICE_VERSION", config.version);
  config.commit = Get(environment, "CK_COMMIT", config.commit);
  config.task_id = Get(environment, "CK_TASK_ID", config.service + "-local");
  config.listen = Get(environment, "CK_LISTEN", config.listen);
  config.domain = Get(environment, "CK_SERVICE_DOMAIN", config.domain);
  config.discovery_url = Get(environment, "CK_DISCOVERY_URL");
  config.table = Get(environment, "CK_TABLE", config.table);
  const std::string init = Get(environment, "CK_INIT_TABLE", "true");
  config.init_table = !(init == "false" || init == "0" || init == "no");
  config.log_level = Get(environment, "CK_LOG_LEVEL", config.log_level);
  config.http_proxy = Get(environment, "HTTP_PROXY", Get(environment, "http_proxy"));
  config.no_proxy = Get(environment, "NO_PROXY", Get(environment, "no_proxy"));
  config.xray_daemon_address = Get(environment, "AWS_XRAY_DAEMON_ADDRESS");
  const std::string tracing = Get(environment, "CK_TRACING", "on");
  config.tracing = !(tracing == "off" || tracing == "0" || tracing == "false" || tracing == "no");
  config.aws = aws::LoadAwsConfig("dynamodb", {}, environment);
  return config;
}

aws::EnvironmentLookup MapEnvironment(std::map<std::string, std::string> variables) {
  return [variables = std::move(variables)](std::string_view name) -> std::optional<std::string> {
    auto it = variables.find(std::string(name));
    if (it == variables.end()) return std::nullopt;
    return it->second;
  };
}

}  // namespace ck::services
