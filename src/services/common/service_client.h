// ServiceClient: calls other services by virtual-service name, e.g.
// `http://validate-api.cuddle-kube.local/`, the way docs/platform-contract.md prescribes.
//
// Without a proxy, a host `<service>.<domain>` is resolved through the discovery registry
// (`GET {discovery_url}/v1/discovery/<service>`); the answer is cached for `cache_ttl` (about a
// second) and requests go round-robin over its healthy instances, with Host still naming the
// virtual service. A request that could not be delivered (connect refused, reset before sending)
// is retried once on another healthy instance; a request that reached an instance is never
// retried, so a POST is applied at most once. When discovery is unreachable, a cached answer up
// to `stale_ttl` old is used instead.
//
// With `http_proxy` set (HTTP_PROXY) and the host not matched by `no_proxy` (NO_PROXY: a comma list
// of host names or domain suffixes, "*" for all), every http:// request goes to the proxy in
// absolute form (`POST http://validate-api.cuddle-kube.local/ HTTP/1.1`) and the proxy resolves
// it. Hosts outside the domain are called directly (or through the proxy).
//
//   ServiceClient services(io.get_executor(), {.domain = "cuddle-kube.local",
//                                              .discovery_url = "http://127.0.0.1:9900"});
//   auto response = co_await services.Send("http://validate-api.cuddle-kube.local/", request,
//                                          span);
//
// Tracing: given the caller's request span, each call is recorded as a "remote" subsegment
// named after the callee as it names its own segment ("validate-api"; the Host header for hosts
// outside the domain), so the service map joins caller and callee. X-Amzn-Trace-Id and
// traceparent/tracestate go out with that subsegment's id as Parent; it ends with the callee's
// status (4xx error, 429 throttle, 5xx fault) or, when the call failed, as a fault whose cause
// is the error (type = the Status code name, e.g. UNAVAILABLE, message = the error below).
// A retry on another instance stays within the one subsegment. Without a span, no trace
// headers are sent and nothing is recorded.
//
// Metrics: with options.metrics set, every Send() (span or not) is counted in the dependency RED
// metrics (telemetry/red_metrics.h): dependency = the callee's name as above, operation = the
// HTTP method, outcome from the status as for the subsegment (a failed call is a fault), and
// its duration including discovery and a retry.
//
// Failure modes: HTTP error statuses are responses, not errors. Errors read
// "<service> is unavailable: <reason>", e.g. "list-api is unavailable: no healthy instances",
// "list-api is unavailable: connect to 127.0.0.1:4123 failed: Connection refused"; codes are
// kUnavailable (or kDeadlineExceeded for timeouts), kInvalidArgument for a malformed URL.
//
// Thread-safety: like http::HttpClient, use one ServiceClient per executor (thread) and call it
// only from coroutines on that executor.
#pragma once

#include <utility>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "http/client.h"
#include "http/message.h"
#include "http/url.h"
#include "telemetry/red_metrics.h"
#include "telemetry/tracer.h"

namespace ck::services {

struct ServiceInstance {
  std::string id;
  std::string address;
  uint16_t port = 0;
  std::string version;
  bool healthy = false;
};

struct ServiceClientOptions {
  std::string domain = "cuddle-kube.local";
  std::string discovery_url;  // e.g. http://127.0.0.1:9900; empty = no discovery
  std::string http_proxy;     // e.g. http://127.0.0.1:15001 (scheme optional)
  std::string no_proxy;
  std::chrono::milliseconds cache_ttl{1000};
  std::chrono::milliseconds stale_ttl{30000};
  http::ClientOptions http;
  const Clock* clock = nullptr;                     // cache ages; null = SystemClock
  telemetry::DependencyMetrics* metrics = nullptr;  // null = not measured; must outlive the client
};

struct ServiceClientStats {
  uint64_t discovery_lookups = 0;  // requests sent to the discovery registry
  uint64_t retries = 0;            // requests re-sent to another instance
  uint64_t proxied = 0;            // requests sent through the proxy
};

class ServiceClient {
 public:
  ServiceClient(boost::asio::any_io_executor executor, ServiceClientOptions options);
  ~ServiceClient();
  ServiceClient(const ServiceClient&) = delete;
  ServiceClient& operator=(const ServiceClient&) = delete;

  // Sends `request` (its method, headers and body; the target comes from `url`), traced as a
  // subsegment of `span` when given (see above). `span` must outlive the returned awaitable.
  boost::asio::awaitable<Result<http::HttpResponse>> Send(std::string url,
                                                          http::HttpRequest request,
                                                          telemetry::RequestSpan* span = nullptr);

  // POSTs `body` as JSON to `url`, like Send().
  boost::asio::awaitable<Result<http::HttpResponse>> PostJson(
      std::string url, nlohmann::json body, telemetry::RequestSpan* span = nullptr);

  // The healthy instances of `service` (from the cache or the registry). kUnavailable "<service>
  // is unavailable: ..." when the registry cannot answer or knows no such service. Log lines
  // carry `span`'s trace ids when given.
  boost::asio::awaitable<Result<std::vector<ServiceInstance>>> Resolve(
      std::string service, const telemetry::RequestSpan* span = nullptr);

  // "http://<service>.<domain><path>".
  std::string UrlFor(std::string_view service, std::string_view path = "/") const;

  // True when a request to `host` goes through the proxy.
  bool UsesProxy(std::string_view host) const;

  const ServiceClientStats& stats() const;

 private:
  struct Impl;
  // Send() without the subsegment: `service` is the callee's name, or empty outside the domain.
  boost::asio::awaitable<Result<http::HttpResponse>> Deliver(http::Url url, std::string service,
                                                             http::HttpRequest request,
                                                             const telemetry::RequestSpan* span);
  std::unique_ptr<Impl> impl_;
};

// The reason in a ServiceClient error without its "<service> is unavailable: " prefix, for
// callers that name the service themselves ("validate-api unavailable: <reason>").
std::string_view UnavailableReason(const Status& status);

// Parses a discovery answer ({"service":..., "instances":[...]}) into its instances.
Result<std::vector<ServiceInstance>> ParseDiscoveryAnswer(std::string_view body);

}  // namespace ck::services
