// The public-site service definition, for `ck serve public-site` (the service registry) and tests.
//
// public-site is the website: HTML pages rendered from templates, forms that call list-api,
// register-api and feed-api, and bundled static assets (see site_handlers.h for the routes and
// docs/public-site.md for the pages). It uses no datastore.
//
// Thread-safety: returns a value.
#pragma once

#include "services/common/service_host.h"

namespace ck::services::public_site {

ServiceDefinition PublicSiteService();

}  // namespace ck::services::public_site
