// ControlApi: the HTTP API of `ck up` on loopback (:9900) — discovery lookups for tasks and the
// endpoints behind the CLI verbs. A pure request -> response function over the supervisor and
// the discovery registry; the HttpServer owns the I/O.
//
//   GET  /v1/discovery/<service>          instances (docs/platform-contract.md)
//   GET  /v1/tasks                        `ck ps` data (Supervisor::TasksJson)
//   GET  /v1/stack                        the resolved stack (ports, services, versions)
//   POST /v1/services/<name>/stop|start   202 {"service":..., "action":...}
//   POST /v1/services/<name>/scale        body {"desired": N}
//   POST /v1/down                         202, then the stack stops (via `on_down`)
//   GET  /metrics                         Prometheus text format, once ServeMetrics() was called
//
// Errors are JSON {"error": "..."}: 404 unknown route or service, 405 wrong method, 400 bad
// body, 409 when the operation is not allowed in the current state.
// Thread-safety: call Handle() on the supervisor's io_context thread.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>

#include "http/message.h"
#include "platform/discovery.h"
#include "platform/stack_spec.h"
#include "platform/supervisor.h"
#include "telemetry/metrics.h"

namespace ck::platform {

class ControlApi {
 public:
  // `on_down` runs after a POST /v1/down response is produced (the caller defers the actual
  // shutdown so the response can be written first).
  ControlApi(Supervisor& supervisor, DiscoveryRegistry& discovery, std::function<void()> on_down);

  http::HttpResponse Handle(const http::HttpRequest& request);
  // Serves `registry` (rendered on the calling thread; must outlive this) at GET /metrics.
  void ServeMetrics(const telemetry::MetricsRegistry* registry) { metrics_ = registry; }

 private:
  http::HttpResponse ServiceAction(const http::HttpRequest& request, const std::string& name,
                                   const std::string& action);

  Supervisor& supervisor_;
  DiscoveryRegistry& discovery_;
  std::function<void()> on_down_;
  const telemetry::MetricsRegistry* metrics_ = nullptr;
};

// The resolved stack as JSON (GET /v1/stack).
nlohmann::json StackJson(const StackSpec& stack);

}  // namespace ck::platform
