// ServiceHost: the runtime every Cuddle Kube service runs in: an HTTP server on the io_context,
// the service's routes plus `GET /health`, a JSON-lines request log, body limits, clients for
// other services (ServiceClient) and for the datastore (DynamoDbClient), graceful shutdown.
//
// A service is a ServiceDefinition: a name, whether it needs the datastore, a function adding its
// routes, and an optional start hook (run in the background once listening). RunService() is the
// whole `main` of a service process:
//
//   ServiceConfig config = LoadServiceConfig("order-api");
//   Status status = RunService(OrderApiService(), config, "127.0.0.1", 8080);  // until SIGTERM
//
// `GET /health` answers 200 {"service","version","commit","task_id","status":"ok"}. Every request
// is logged as one JSON line {"msg":"request","method","path","status","duration_ms"} (health
// checks at debug level, so they do not flood the logs). A handler that throws gets a 500
// {"error":"internal error"} and an error log line, never a dropped connection. Bodies over the
// definition's limit get 413 from the server.
//
// Tracing (docs/tracing.md): the host owns one telemetry::Tracer named after the service
// (config.service, origin "AWS::ECS::Container", the default local sampling rules, so /health is
// never sampled) and a UdpEmitter to AWS_XRAY_DAEMON_ADDRESS. Each request gets a RequestSpan
// that honours an incoming X-Amzn-Trace-Id / traceparent and its sampling decision; the handler
// receives it (see router.h) for its downstream calls (ServiceClient, TracedDatastore) and log
// lines; the response echoes X-Amzn-Trace-Id, and the segment ends with the response status
// (a handler's exception is recorded as the segment's cause). Log lines written by the host for
// a request carry its trace_id and span_id. With config.tracing off, ids still flow but nothing
// is recorded or sent.
//
// Metrics (docs/metrics.md): `GET /metrics` answers the Prometheus text format from the host's
// own MetricsRegistry, before routing (so no service route can shadow it), untraced, unlogged
// and not counted as a request: RED per route (ck_http_server_*, `route` being the matched route
// pattern), per dependency (ck_dependency_*: other services through ServiceClient, "DynamoDB"
// through the datastore client, table set-up included), the emitter's counters (ck_tracing_*)
// and the process_* metrics.
//
// Threads: everything (server, handlers, clients) runs on the one thread running the io_context;
// the emitter sends from its own thread. Thread-safety: construct, Start() and Shutdown() on the
// io thread (or before it runs); telemetry_stats(), FlushTelemetry() and metrics() from any
// thread.
// Failure modes: Start() fails when the address cannot be bound. A datastore that cannot be
// configured (missing credentials, unreadable AWS_CA_BUNDLE) does not stop the service: the
// context's `datastore` holds the Status, which handlers report as a 502.
#pragma once

#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "aws/dynamodb_client.h"
#include "core/status.h"
#include "http/message.h"
#include "services/common/router.h"
#include "services/common/service_client.h"
#include "services/common/service_config.h"
#include "telemetry/emitter.h"
#include "telemetry/metrics.h"
#include "telemetry/red_metrics.h"
#include "telemetry/tracer.h"

namespace ck::services {

// What a handler may use. Owned by the ServiceHost; lives as long as it.
struct ServiceContext {
  boost::asio::any_io_executor executor;
  ServiceConfig config;
  ServiceClient* services = nullptr;
  // The datastore client, or why there is none.
  Result<aws::DynamoDbClient*> datastore = FailedPrecondition("this service uses no datastore");
  // Where datastore and service calls are counted (null when metrics could not be declared).
  telemetry::DependencyMetrics* dependency_metrics = nullptr;

  // "http://<service>.<domain><path>".
  std::string UrlFor(std::string_view service, std::string_view path = "/") const {
    return services->UrlFor(service, path);
  }

  // The datastore client for one request: its calls are recorded as "DynamoDB" subsegments of
  // `span` (aws::DynamoDbTracer) and counted in dependency_metrics. The view must not outlive
  // the request. Fails with the reason there is no datastore.
  Result<aws::DynamoDbClient> TracedDatastore(telemetry::RequestSpan* span) const;
};

struct ServiceDefinition {
  std::string name;     // e.g. "list-api"
  std::string summary;  // one line for `ck serve --help`
  bool uses_datastore = false;
  size_t body_limit_bytes = 64 * 1024;
  // Adds the service's routes (GET /health is added by the host).
  std::function<void(Router& router, ServiceContext* context)> add_routes;
  // Runs once the server listens (e.g. creating the table); failures should be logged, not fatal.
  std::function<boost::asio::awaitable<void>(ServiceContext* context)> on_start;
};

class ServiceHost {
 public:
  ServiceHost(boost::asio::io_context& io, const ServiceDefinition& definition,
              ServiceConfig config);
  ~ServiceHost();
  ServiceHost(const ServiceHost&) = delete;
  ServiceHost& operator=(const ServiceHost&) = delete;

  // Listens (port 0 picks one), starts serving and spawns the start hook.
  Result<boost::asio::ip::tcp::endpoint> Start(const std::string& host, uint16_t port);
  // Stops accepting and drains in-flight requests; `on_drained` runs when none remain.
  void Shutdown(std::function<void()> on_drained = nullptr);

  ServiceContext& context();
  const Router& router() const;
  // "http://host:port" once started.
  const std::string& url() const;

  // The segment emitter's counters (all zero when tracing is off).
  telemetry::EmitterStats telemetry_stats() const;
  // Waits until the segments emitted so far have been sent; false on timeout.
  bool FlushTelemetry(std::chrono::milliseconds timeout);
  // What GET /metrics serves.
  const telemetry::MetricsRegistry& metrics() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Runs `definition` until SIGTERM or SIGINT, then drains and returns OK. Configures the global
// logger with the service name. The final "stopped" log line carries the emitter's counters.
// `on_listening` (optional) gets the URL once listening, e.g. to write a ready file; its failure
// stops the service.
Status RunService(const ServiceDefinition& definition, ServiceConfig config,
                  const std::string& host, uint16_t port,
                  std::function<Status(const std::string& url)> on_listening = nullptr);

// The handler of `GET /health` for `config`.
http::HttpResponse HealthResponse(const ServiceConfig& config);

}  // namespace ck::services
