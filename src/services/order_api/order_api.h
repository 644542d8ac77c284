// order-api: the original's placeholder.
//
//   GET /  ->  200 {"message": "Hello World!"}
//
// Thread-safety: pure.
#pragma once

#include "services/common/service_host.h"

namespace ck::services::order_api {

ServiceDefinition OrderApiService();

}  // namespace ck::services::order_api
