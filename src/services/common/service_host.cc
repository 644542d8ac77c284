#include "services/common/service_host.h"

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/core/demangle.hpp>
#include <chrono>
#include <cmath>
#include <csignal>
#include <exception>
#include <typeinfo>

#include "aws/dynamodb_metrics.h"
#include "aws/dynamodb_tracer.h"
#include "core/logger.h"
#include "http/client.h"
#include "http/server.h"
#include "http/url.h"
#include "services/common/json_body.h"
#include "telemetry/process_metrics.h"

namespace ck::services {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// Segments record where they ran, as the X-Ray SDKs do for ECS/Fargate tasks.
constexpr std::string_view kSegmentOrigin = "AWS::ECS::Container";

nlohmann::json StatsJson(const telemetry::EmitterStats& stats) {
  return {{"emitted", stats.emitted},
          {"dropped_queue_full", stats.dropped_queue_full},
          {"dropped_too_large", stats.dropped_too_large},
          {"send_errors", stats.send_errors},
          {"split_documents", stats.split_documents},
          {"queued", stats.queued}};
}

constexpr std::chrono::seconds kSamplingRulesInterval{10};

Status ApplySamplingRules(telemetry::Sampler& sampler, const Result<http::HttpResponse>& response) {
  if (!response.ok()) return response.status();
  if (response->result_int() != 200) {
    return Unavailable("GetSamplingRules answered " + std::to_string(response->result_int()));
  }
  auto body = nlohmann::json::parse(response->body(), nullptr, /*allow_exceptions=*/false);
  CK_ASSIGN_OR_RETURN(std::vector<telemetry::SamplingRule> rules,
                      telemetry::ParseSamplingRules(body));
  if (rules.empty()) return InvalidArgument("GetSamplingRules returned no usable rule");
  sampler.SetRules(std::move(rules));
  return Status::Ok();
}

telemetry::EmitterOptions EmitterOptionsFor(const ServiceConfig& config) {
  telemetry::EmitterOptions options;
  if (config.xray_daemon_address.empty()) return options;
  auto address = telemetry::ParseDaemonAddress(config.xray_daemon_address);
  if (address.ok()) {
    options.address = *address;
  } else {
    Logger::Global().Warn(
        "ignoring AWS_XRAY_DAEMON_ADDRESS",
        {{"value", config.xray_daemon_address}, {"error", address.status().message()}});
  }
  return options;
}

// The server's handler: traces and routes one request, logs it, turns exceptions into 500s.
asio::awaitable<http::HttpResponse> ServeTraced(const Router* router, telemetry::Tracer* tracer,
                                                telemetry::HttpServerMetrics* metrics,
                                                http::HttpRequest request) {
  const auto start = std::chrono::steady_clock::now();
  const std::string method(request.method_string());
  const std::string path(RequestPath(request));
  const http::Verb verb = request.method();
  const std::string_view route = router->RouteLabel(verb, path);
  telemetry::RequestSpan span = tracer->StartRequest(request);
  http::HttpResponse response;
  bool failed = false;
  std::string failure;
  std::string failure_type;
  try {
    response = co_await router->Handle(std::move(request), &span);
  } catch (const std::exception& error) {
    failed = true;
    failure = error.what();
    failure_type = boost::core::demangle(typeid(error).name());
  }
  if (failed) {
    span.RecordException(failure_type, failure);
    span.Log(LogLevel::kError, "handler failed",
             {{"method", method}, {"path", path}, {"error", failure}});
    response = JsonError(http::HttpStatus::internal_server_error, "internal error");
  }
  const double duration_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  const LogLevel level = path == "/health" ? LogLevel::kDebug : LogLevel::kInfo;
  span.Log(level, "request",
           {{"method", method},
            {"path", path},
            {"status", response.result_int()},
            {"duration_ms", std::round(duration_ms * 1000) / 1000}});
  span.EchoHeader(response);
  span.End(response);
  if (metrics != nullptr) {
    metrics->Record(route, verb, static_cast<int>(response.result_int()), duration_ms / 1000);
  }
  co_return response;
}

}  // namespace

http::HttpResponse HealthResponse(const ServiceConfig& config) {
  return JsonResponse(http::HttpStatus::ok, {{"service", config.service},
                                             {"version", config.version},
                                             {"commit", config.commit},
                                             {"task_id", config.task_id},
                                             {"status", "ok"}});
}

Result<aws::DynamoDbClient> ServiceContext::TracedDatastore(telemetry::RequestSpan* span) const {
  if (!datastore.ok()) return datastore.status();
  return (*datastore)
      ->Observed(std::make_unique<aws::DynamoDbCallMetrics>(
          dependency_metrics, std::make_unique<aws::DynamoDbTracer>(span)));
}

// Polls the collector's GetSamplingRules (the daemon's TCP address, as the X-Ray SDKs do) and
// installs its rules, so sampling can be changed centrally; keeps the local rules while the
// collector is unreachable or answers nothing usable. Runs until `stopped` is set.
asio::awaitable<void> PollSamplingRules(telemetry::Sampler* sampler,
                                        telemetry::DaemonAddress daemon,
                                        std::shared_ptr<std::atomic<bool>> stopped) {
  auto executor = co_await asio::this_coro::executor;
  http::HttpClient client(executor, {.connect_timeout = std::chrono::milliseconds(1000),
                                     .request_timeout = std::chrono::milliseconds(2000)});
  asio::steady_timer timer(executor);
  std::string host = daemon.tcp_host;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  auto url = http::ParseUrl("http://" + host + ":" + std::to_string(daemon.tcp_port) +
                            "/GetSamplingRules");
  if (!url.ok()) co_return;
  bool warned = false;
  while (!stopped->load()) {
    http::HttpRequest request{http::Verb::post, url->target, 11};
    request.set(http::Field::content_type, "application/json");
    request.body() = "{}";
    Result<http::HttpResponse> response = co_await client.Send(*url, std::move(request));
    if (stopped->load()) co_return;
    Status outcome = ApplySamplingRules(*sampler, response);
    if (!outcome.ok() && !warned) {
      warned = true;  // once: a stack without a collector is normal
      Logger::Global().Debug("keeping the local sampling rules", {{"reason", outcome.message()}});
    }
    timer.expires_after(kSamplingRulesInterval);
    boost::system::error_code ignored;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
}

struct ServiceHost::Impl {
  Impl(asio::io_context& io_context, const ServiceDefinition& service_definition,
       ServiceConfig config)
      : io(io_context),
        definition(service_definition),
        emitter(config.tracing ? std::make_unique<telemetry::UdpEmitter>(EmitterOptionsFor(config))
                               : nullptr),
        sampler(SystemClock::Instance(), telemetry::SystemRandom::Instance()),
        tracer({.service_name = config.service,
                .enabled = config.tracing,
                .origin = std::string(kSegmentOrigin)},
               emitter.get(), sampler) {
    context.executor = io.get_executor();
    context.config = std::move(config);
    DeclareMetrics();
    ServiceClientOptions client_options;
    client_options.domain = context.config.domain;
    client_options.discovery_url = context.config.discovery_url;
    client_options.http_proxy = context.config.http_proxy;
    client_options.no_proxy = context.config.no_proxy;
    client_options.http.connect_timeout = std::chrono::milliseconds(2000);
    client_options.http.request_timeout = std::chrono::milliseconds(10000);
    client_options.metrics = dependency_metrics.get();
    services = std::make_unique<ServiceClient>(io.get_executor(), std::move(client_options));
    context.services = services.get();
    if (definition.uses_datastore) {
      if (!context.config.aws.ok()) {
        context.datastore = context.config.aws.status();
      } else {
        auto created =
            aws::DynamoDbClient::Create(io.get_executor(), {.config = *context.config.aws});
        if (created.ok()) {
          datastore = std::move(*created);
          // Calls made outside a request (the table set-up) are measured too.
          measured_datastore = std::make_unique<aws::DynamoDbClient>(datastore->Observed(
              std::make_unique<aws::DynamoDbCallMetrics>(dependency_metrics.get())));
          context.datastore = measured_datastore.get();
        } else {
          context.datastore = created.status();
        }
      }
      if (!context.datastore.ok()) {
        Logger::Global().Error("datastore is not usable",
                               {{"error", context.datastore.status().message()}});
      }
    }
    ServiceConfig* health_config = &context.config;
    router.Add(http::Verb::get, "/health", [health_config](http::HttpRequest) {
      return Respond(HealthResponse(*health_config));
    });
    if (definition.add_routes) definition.add_routes(router, &context);
  }

  // The host's metric families (see the header); a failure is logged and leaves them out.
  void DeclareMetrics() {
    const std::string& name = context.config.service;
    auto server = telemetry::HttpServerMetrics::Create(metrics, name);
    auto dependencies = telemetry::DependencyMetrics::Create(metrics, name);
    Status status = !server.ok() ? server.status() : dependencies.status();
    if (status.ok()) status = telemetry::AddEmitterMetrics(metrics, name, emitter.get());
    if (status.ok()) status = telemetry::AddProcessMetrics(metrics);
    if (!status.ok()) {
      Logger::Global().Error("metrics are not available", {{"error", status.message()}});
      return;
    }
    server_metrics = std::move(*server);
    dependency_metrics = std::move(*dependencies);
    context.dependency_metrics = dependency_metrics.get();
  }

  asio::io_context& io;
  const ServiceDefinition& definition;
  // Declared before everything that may hold a span, so they outlive every span.
  std::unique_ptr<telemetry::UdpEmitter> emitter;  // null when tracing is off
  telemetry::Sampler sampler;
  telemetry::Tracer tracer;
  // Declared before the clients that record into them.
  telemetry::MetricsRegistry metrics;
  std::unique_ptr<telemetry::HttpServerMetrics> server_metrics;
  std::unique_ptr<telemetry::DependencyMetrics> dependency_metrics;
  ServiceContext context;
  std::unique_ptr<ServiceClient> services;
  std::unique_ptr<aws::DynamoDbClient> datastore;
  std::unique_ptr<aws::DynamoDbClient> measured_datastore;  // a view of `datastore`
  Router router;
  std::unique_ptr<http::HttpServer> server;
  std::string url;
  std::shared_ptr<std::atomic<bool>> rules_poll_stopped =
      std::make_shared<std::atomic<bool>>(false);
};

ServiceHost::ServiceHost(asio::io_context& io, const ServiceDefinition& definition,
                         ServiceConfig config)
    : impl_(std::make_unique<Impl>(io, definition, std::move(config))) {}

ServiceHost::~ServiceHost() = default;

ServiceContext& ServiceHost::context() { return impl_->context; }
const Router& ServiceHost::router() const { return impl_->router; }
const std::string& ServiceHost::url() const { return impl_->url; }

telemetry::EmitterStats ServiceHost::telemetry_stats() const {
  return impl_->emitter ? impl_->emitter->stats() : telemetry::EmitterStats{};
}

bool ServiceHost::FlushTelemetry(std::chrono::milliseconds timeout) {
  return impl_->emitter ? impl_->emitter->Flush(timeout) : true;
}

const telemetry::MetricsRegistry& ServiceHost::metrics() const { return impl_->metrics; }

Result<tcp::endpoint> ServiceHost::Start(const std::string& host, uint16_t port) {
  http::ServerOptions options;
  options.body_limit_bytes = impl_->definition.body_limit_bytes;
  options.server_name = "ck-" + impl_->definition.name;
  const Router* router = &impl_->router;
  telemetry::Tracer* tracer = &impl_->tracer;
  telemetry::HttpServerMetrics* server_metrics = impl_->server_metrics.get();
  const telemetry::MetricsRegistry* registry = &impl_->metrics;
  impl_->server = std::make_unique<http::HttpServer>(
      impl_->io, std::move(options),
      [router, tracer, server_metrics, registry](http::HttpRequest request) {
        // Scrapes are answered before tracing and routing: not a request of the service's own.
        if (telemetry::IsMetricsRequest(request)) {
          return Respond(telemetry::MetricsResponse(*registry, request));
        }
        return ServeTraced(router, tracer, server_metrics, std::move(request));
      });
  CK_ASSIGN_OR_RETURN(tcp::endpoint endpoint, impl_->server->Listen(host, port));
  impl_->server->Start();
  std::string address = endpoint.address().to_string();
  if (endpoint.address().is_v6()) address = "[" + address + "]";
  impl_->url = "http://" + address + ":" + std::to_string(endpoint.port());
  if (impl_->definition.on_start) {
    asio::co_spawn(impl_->io, impl_->definition.on_start(&impl_->context), asio::detached);
  }
  if (impl_->context.config.tracing) {
    telemetry::DaemonAddress daemon = EmitterOptionsFor(impl_->context.config).address;
    asio::co_spawn(impl_->io, PollSamplingRules(&impl_->sampler, daemon, impl_->rules_poll_stopped),
                   asio::detached);
  }
  return endpoint;
}

void ServiceHost::Shutdown(std::function<void()> on_drained) {
  impl_->rules_poll_stopped->store(true);
  if (!impl_->server) {
    if (on_drained) on_drained();
    return;
  }
  impl_->server->Shutdown(std::move(on_drained));
}

Status RunService(const ServiceDefinition& definition, ServiceConfig config,
                  const std::string& host, uint16_t port,
                  std::function<Status(const std::string& url)> on_listening) {
  Logger::Global().Configure(config.service, ParseLogLevel(config.log_level));
  asio::io_context io;
  const std::string version = config.version;
  ServiceHost service(io, definition, std::move(config));
  CK_RETURN_IF_ERROR(service.Start(host, port).status());
  Logger::Global().Info("listening", {{"url", service.url()},
                                      {"version", version},
                                      {"task_id", service.context().config.task_id}});
  if (on_listening) CK_RETURN_IF_ERROR(on_listening(service.url()));

  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& error, int signal_number) {
    if (error) return;
    Logger::Global().Info("shutting down", {{"signal", signal_number}});
    service.Shutdown([&] { io.stop(); });
  });
  io.run();
  service.FlushTelemetry(std::chrono::seconds(1));
  Logger::Global().Info("stopped", {{"telemetry", StatsJson(service.telemetry_stats())}});
  return Status::Ok();
}

}  // namespace ck::services
