#include "platform/discovery.h"

#include <algorithm>

namespace ck::platform {

void DiscoveryRegistry::DeclareService(const std::string& service) {
  std::lock_guard lock(mutex_);
  services_[service];
}

void DiscoveryRegistry::Register(const std::string& service, Instance instance) {
  std::lock_guard lock(mutex_);
  auto& instances = services_[service];
  for (Instance& existing : instances) {
    if (existing.id == instance.id) {
      existing = std::move(instance);
      return;
    }
  }
  instances.push_back(std::move(instance));
}

void DiscoveryRegistry::SetHealthy(const std::string& service, const std::string& id,
                                   bool healthy) {
  std::lock_guard lock(mutex_);
  auto found = services_.find(service);
  if (found == services_.end()) return;
  for (Instance& instance : found->second) {
    if (instance.id == id) instance.healthy = healthy;
  }
}

void DiscoveryRegistry::Deregister(const std::string& service, const std::string& id) {
  std::lock_guard lock(mutex_);
  auto found = services_.find(service);
  if (found == services_.end()) return;
  auto& instances = found->second;
  instances.erase(std::remove_if(instances.begin(), instances.end(),
                                 [&](const Instance& instance) { return instance.id == id; }),
                  instances.end());
}

Result<std::vector<Instance>> DiscoveryRegistry::Lookup(const std::string& service) const {
  std::lock_guard lock(mutex_);
  auto found = services_.find(service);
  if (found == services_.end()) return NotFound("unknown service: " + service);
  return found->second;
}

Result<nlohmann::json> DiscoveryRegistry::LookupJson(const std::string& service) const {
  CK_ASSIGN_OR_RETURN(std::vector<Instance> instances, Lookup(service));
  nlohmann::json list = nlohmann::json::array();
  for (const Instance& instance : instances) {
    list.push_back({{"id", instance.id},
                    {"address", instance.address},
                    {"port", instance.port},
                    {"version", instance.version},
                    {"healthy", instance.healthy}});
  }
  return nlohmann::json{{"service", service}, {"instances", std::move(list)}};
}

}  // namespace ck::platform
