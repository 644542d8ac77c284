// The registry of every service `ck serve <name>` can run.
//
// Adding a service is one line in services.cc: the function returning its ServiceDefinition.
//
//   const ServiceDefinition* definition = FindService("list-api");
//   if (definition) RunService(*definition, LoadServiceConfig(definition->name), host, port);
//
// Thread-safety: the registry is built once, on first use (thread-safe static), then read-only.
#pragma once

#include <string_view>
#include <vector>

#include "services/common/service_host.h"

namespace ck::services {

// All services, in the order `ck serve --help` lists them.
const std::vector<ServiceDefinition>& AllServices();

// The service named `name`, or null.
const ServiceDefinition* FindService(std::string_view name);

}  // namespace ck::services
