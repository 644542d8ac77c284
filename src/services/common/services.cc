#include "services/common/services.h"

#include "services/feed_api/feed_api.h"
#include "services/happiness_api/happiness_api.h"
#include "services/list_api/list_api.h"
#include "services/order_api/order_api.h"
#include "services/public_site/public_site.h"
#include "services/register_api/register_api.h"
#include "services/validate_api/validate_api.h"

namespace ck::services {

const std::vector<ServiceDefinition>& AllServices() {
  static const std::vector<ServiceDefinition> kServices = {
      list_api::ListApiService(),           register_api::RegisterApiService(),
      validate_api::ValidateApiService(),   feed_api::FeedApiService(),
      happiness_api::HappinessApiService(), order_api::OrderApiService(),
      public_site::PublicSiteService(),
  };
  return kServices;
}

const ServiceDefinition* FindService(std::string_view name) {
  for (const ServiceDefinition& definition : AllServices()) {
    if (definition.name == name) return &definition;
  }
  return nullptr;
}

}  // namespace ck::services
