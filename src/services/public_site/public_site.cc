#include "services/public_site/public_site.h"

#include "services/public_site/site_handlers.h"

namespace ck::services::public_site {

ServiceDefinition PublicSiteService() {
  ServiceDefinition definition;
  definition.name = "public-site";
  definition.summary = "the website: home, residents, admittance form, feeding";
  definition.uses_datastore = false;
  // The hard limit: bodies over it get the server's 413 and a closed connection. Forms over
  // kFormBodyLimitBytes (smaller) get the friendly HTML 413 page first.
  definition.body_limit_bytes = 256 * 1024;
  definition.add_routes = [](Router& router, ServiceContext* context) {
    AddSiteRoutes(router, context);
  };
  return definition;
}

}  // namespace ck::services::public_site
