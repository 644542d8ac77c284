// DiscoveryRegistry: the Cloud Map stand-in. The supervisor registers each task when it starts,
// flips its health as health checks decide, and deregisters it when it stops; clients look up a
// service's instances through the control API (GET /v1/discovery/<service>, see
// docs/platform-contract.md), which serves LookupJson().
//
//   registry.DeclareService("list-api");
//   registry.Register("list-api", {"list-api-v1-1", "127.0.0.1", 41234, "v1", false});
//   registry.SetHealthy("list-api", "list-api-v1-1", true);
//   auto json = registry.LookupJson("list-api");   // kNotFound for undeclared services
//
// A declared service with no instances answers 200 with an empty list (it exists, nothing runs).
// Thread-safety: all methods are thread-safe (one mutex); lookups copy.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/status.h"

namespace ck::platform {

struct Instance {
  std::string id;  // the task id
  std::string address;
  uint16_t port = 0;
  std::string version;
  bool healthy = false;
};

class DiscoveryRegistry {
 public:
  void DeclareService(const std::string& service);
  // Adds or replaces the instance with `instance.id`.
  void Register(const std::string& service, Instance instance);
  void SetHealthy(const std::string& service, const std::string& id, bool healthy);
  void Deregister(const std::string& service, const std::string& id);

  // kNotFound "unknown service: <name>" when the service was never declared.
  Result<std::vector<Instance>> Lookup(const std::string& service) const;
  // {"service": ..., "instances": [{"id","address","port","version","healthy"}]}.
  Result<nlohmann::json> LookupJson(const std::string& service) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::vector<Instance>> services_;
};

}  // namespace ck::platform
