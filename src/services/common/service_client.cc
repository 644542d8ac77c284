#include "services/common/service_client.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <optional>

#include "core/logger.h"
#include "http/url.h"

namespace ck::services {

namespace asio = boost::asio;

namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// NO_PROXY entries, lower-cased, without leading "*." / "." and without ports.
std::vector<std::string> ParseNoProxy(std::string_view text) {
  std::vector<std::string> entries;
  std::string current;
  auto flush = [&] {
    std::string entry = Lower(current);
    current.clear();
    if (entry.rfind("*.", 0) == 0) entry.erase(0, 2);
    if (!entry.empty() && entry[0] == '.') entry.erase(0, 1);
    if (entry.find(':') != std::string::npos && entry.find("::") == std::string::npos &&
        entry.front() != '[') {
      entry.erase(entry.find(':'));
    }
    if (!entry.empty()) entries.push_back(entry);
  };
  for (char c : text) {
    if (c == ',' || std::isspace(static_cast<unsigned char>(c))) {
      flush();
    } else {
      current.push_back(c);
    }
  }
  flush();
  return entries;
}

// True when the transport failure happened before any byte of the request was sent, so sending
// it elsewhere cannot apply it twice.
bool Undelivered(const Status& status) {
  const std::string& message = status.message();
  return status.code() == StatusCode::kUnavailable &&
         (message.rfind("connect to", 0) == 0 || message.rfind("cannot resolve", 0) == 0 ||
          message.rfind("send to", 0) == 0);
}

Status Unreachable(std::string_view label, const Status& cause) {
  StatusCode code = cause.code() == StatusCode::kDeadlineExceeded ? StatusCode::kDeadlineExceeded
                                                                  : StatusCode::kUnavailable;
  return Status(code, std::string(label) + " is unavailable: " + cause.message());
}

// Logs with the request's trace ids when there is a request.
void LogFor(const telemetry::RequestSpan* span, LogLevel level, std::string_view msg,
            const nlohmann::json& fields) {
  if (span != nullptr) {
    span->Log(level, msg, fields);
  } else {
    Logger::Global().Log(level, msg, fields);
  }
}

std::vector<ServiceInstance> Healthy(const std::vector<ServiceInstance>& instances) {
  std::vector<ServiceInstance> healthy;
  for (const ServiceInstance& instance : instances) {
    if (instance.healthy) healthy.push_back(instance);
  }
  return healthy;
}

}  // namespace

Result<std::vector<ServiceInstance>> ParseDiscoveryAnswer(std::string_view body) {
  nlohmann::json document = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!document.is_object() || !document.contains("instances") ||
      !document["instances"].is_array()) {
    return InvalidArgument("discovery answer is not an object with an instances array");
  }
  std::vector<ServiceInstance> instances;
  for (const nlohmann::json& entry : document["instances"]) {
    if (!entry.is_object()) return InvalidArgument("discovery instance is not an object");
    ServiceInstance instance;
    auto address = entry.find("address");
    auto port = entry.find("port");
    if (address == entry.end() || !address->is_string() || address->get<std::string>().empty()) {
      return InvalidArgument("discovery instance without an address");
    }
    if (port == entry.end() || !port->is_number_integer() || port->get<int64_t>() <= 0 ||
        port->get<int64_t>() > 65535) {
      return InvalidArgument("discovery instance without a valid port");
    }
    instance.address = address->get<std::string>();
    instance.port = static_cast<uint16_t>(port->get<int64_t>());
    if (auto id = entry.find("id"); id != entry.end() && id->is_string()) instance.id = *id;
    if (auto version = entry.find("version"); version != entry.end() && version->is_string()) {
      instance.version = *version;
    }
    auto healthy = entry.find("healthy");
    instance.healthy = healthy == entry.end() || (healthy->is_boolean() && healthy->get<bool>());
    instances.push_back(std::move(instance));
  }
  return instances;
}

std::string_view UnavailableReason(const Status& status) {
  std::string_view message = status.message();
  constexpr std::string_view kMarker = " is unavailable: ";
  if (auto at = message.find(kMarker); at != std::string_view::npos) {
    message.remove_prefix(at + kMarker.size());
  }
  return message;
}

struct ServiceClient::Impl {
  struct CacheEntry {
    std::vector<ServiceInstance> instances;
    WallTime fetched;
  };

  Impl(asio::any_io_executor executor, ServiceClientOptions client_options)
      : options(std::move(client_options)), http(executor, options.http) {
    domain_suffix = "." + Lower(options.domain);
    no_proxy = ParseNoProxy(options.no_proxy);
    if (!options.http_proxy.empty()) {
      std::string text = options.http_proxy;
      if (text.find("://") == std::string::npos) text = "http://" + text;
      auto url = http::ParseUrl(text);
      if (url.ok()) {
        proxy = *url;
      } else {
        Logger::Global().Warn("ignoring HTTP_PROXY",
                              {{"value", options.http_proxy}, {"error", url.status().message()}});
      }
    }
    if (!options.discovery_url.empty()) {
      auto url = http::ParseUrl(options.discovery_url);
      if (url.ok()) {
        discovery = *url;
        while (!discovery->target.empty() && discovery->target.back() == '/') {
          discovery->target.pop_back();
        }
      } else {
        discovery_error =
            InvalidArgument("CK_DISCOVERY_URL is malformed: " + url.status().message());
      }
    }
  }

  const Clock& clock() const {
    return options.clock != nullptr ? *options.clock : SystemClock::Instance();
  }

  // The service named by `host` ("list-api" for "list-api.<domain>"), or empty.
  std::string ServiceOf(std::string_view host) const {
    std::string lower = Lower(host);
    if (lower.size() <= domain_suffix.size() ||
        lower.compare(lower.size() - domain_suffix.size(), domain_suffix.size(), domain_suffix) !=
            0) {
      return {};
    }
    return lower.substr(0, lower.size() - domain_suffix.size());
  }

  bool ProxyFor(std::string_view host) const {
    if (!proxy) return false;
    std::string lower = Lower(host);
    for (const std::string& entry : no_proxy) {
      if (entry == "*" || lower == entry) return false;
      if (lower.size() > entry.size() &&
          lower.compare(lower.size() - entry.size(), entry.size(), entry) == 0 &&
          lower[lower.size() - entry.size() - 1] == '.') {
        return false;
      }
    }
    return true;
  }

  ServiceClientOptions options;
  http::HttpClient http;
  std::string domain_suffix;
  std::vector<std::string> no_proxy;
  std::optional<http::Url> proxy;
  std::optional<http::Url> discovery;
  Status discovery_error = FailedPrecondition("CK_DISCOVERY_URL is not set");
  std::map<std::string, CacheEntry> cache;
  std::map<std::string, size_t> next_instance;
  ServiceClientStats stats;
};

ServiceClient::ServiceClient(asio::any_io_executor executor, ServiceClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(executor), std::move(options))) {}

ServiceClient::~ServiceClient() = default;

const ServiceClientStats& ServiceClient::stats() const { return impl_->stats; }

bool ServiceClient::UsesProxy(std::string_view host) const { return impl_->ProxyFor(host); }

std::string ServiceClient::UrlFor(std::string_view service, std::string_view path) const {
  return "http://" + std::string(service) + "." + impl_->options.domain + std::string(path);
}

asio::awaitable<Result<std::vector<ServiceInstance>>> ServiceClient::Resolve(
    std::string service, const telemetry::RequestSpan* span) {
  Impl& impl = *impl_;
  const WallTime now = impl.clock().Now();
  if (auto it = impl.cache.find(service);
      it != impl.cache.end() && now - it->second.fetched < impl.options.cache_ttl) {
    co_return Healthy(it->second.instances);
  }
  if (!impl.discovery) co_return Unreachable(service, impl.discovery_error);

  http::Url url = *impl.discovery;
  url.target += "/v1/discovery/" + service;
  http::HttpRequest request(http::Verb::get, url.target, 11);
  request.set(http::Field::accept, "application/json");
  ++impl.stats.discovery_lookups;
  auto response = co_await impl.http.Send(url, std::move(request));

  Status failure;
  std::vector<ServiceInstance> instances;
  if (!response.ok()) {
    failure = Unavailable("discovery registry unreachable: " + response.status().message());
  } else if (response->result() == http::HttpStatus::not_found) {
    failure = Unavailable("unknown to the discovery registry");
  } else if (response->result() != http::HttpStatus::ok) {
    failure =
        Unavailable("discovery registry answered HTTP " + std::to_string(response->result_int()));
  } else if (auto parsed = ParseDiscoveryAnswer(response->body()); !parsed.ok()) {
    failure = Unavailable(parsed.status().message());
  } else {
    instances = std::move(*parsed);
  }
  if (!failure.ok()) {
    if (auto it = impl.cache.find(service);
        it != impl.cache.end() && now - it->second.fetched < impl.options.stale_ttl) {
      LogFor(span, LogLevel::kWarn, "using a stale discovery answer",
             {{"service", service}, {"error", failure.message()}});
      co_return Healthy(it->second.instances);
    }
    co_return Unreachable(service, failure);
  }
  impl.cache[service] = Impl::CacheEntry{instances, impl.clock().Now()};
  co_return Healthy(instances);
}

asio::awaitable<Result<http::HttpResponse>> ServiceClient::Send(std::string url_text,
                                                                http::HttpRequest request,
                                                                telemetry::RequestSpan* span) {
  auto parsed = http::ParseUrl(url_text);
  if (!parsed.ok()) co_return parsed.status();
  std::string service = impl_->ServiceOf(parsed->host);
  std::string callee = service.empty() ? parsed->HostHeader() : service;
  telemetry::Subsegment call;  // inert without a span
  if (span != nullptr) {
    call = span->StartSubsegment(callee, telemetry::kNamespaceRemote);
    call.Inject(request, url_text);
  }
  const http::Verb method = request.method();
  const auto start = std::chrono::steady_clock::now();
  auto response =
      co_await Deliver(std::move(*parsed), std::move(service), std::move(request), span);
  if (response.ok()) {
    call.End(static_cast<int>(response->result_int()), response->body().size());
  } else {
    call.EndWithStatus(response.status());
  }
  if (telemetry::DependencyMetrics* metrics = impl_->options.metrics) {
    metrics->Record(
        callee, telemetry::MethodLabel(method),
        response.ok() ? telemetry::OutcomeOfHttpStatus(response->result_int())
                      : telemetry::DependencyOutcome::kFault,
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  co_return response;
}

asio::awaitable<Result<http::HttpResponse>> ServiceClient::Deliver(
    http::Url url, std::string service, http::HttpRequest request,
    const telemetry::RequestSpan* span) {
  Impl& impl = *impl_;
  const std::string label = service.empty() ? url.HostHeader() : service;
  request.set(http::Field::host, url.HostHeader());
  request.target(url.target);
  if (!url.tls() && impl.ProxyFor(url.host)) {
    request.target("http://" + url.HostHeader() + url.target);
    ++impl.stats.proxied;
    auto response = co_await impl.http.Send(*impl.proxy, std::move(request));
    if (!response.ok()) {
      co_return Unreachable(
          label, Status(response.status().code(),
                        "proxy " + impl.proxy->HostHeader() + ": " + response.status().message()));
    }
    co_return response;
  }
  if (service.empty()) {
    auto response = co_await impl.http.Send(url, std::move(request));
    if (!response.ok()) co_return Unreachable(label, response.status());
    co_return response;
  }

  auto resolved = co_await Resolve(service, span);
  if (!resolved.ok()) co_return resolved.status();
  const std::vector<ServiceInstance> instances = std::move(*resolved);
  if (instances.empty()) co_return Unavailable(service + " is unavailable: no healthy instances");
  const size_t first = impl.next_instance[service]++;
  const size_t attempts = std::min<size_t>(2, instances.size());
  for (size_t attempt = 0; attempt < attempts; ++attempt) {
    const ServiceInstance& instance = instances[(first + attempt) % instances.size()];
    http::Url target{"http", instance.address, instance.port, url.target};
    const bool last = attempt + 1 == attempts;
    http::HttpRequest to_send;
    if (last) {
      to_send = std::move(request);
    } else {
      to_send = request;  // kept for the retry
    }
    auto response = co_await impl.http.Send(target, std::move(to_send));
    if (response.ok()) co_return response;
    if (last || !Undelivered(response.status())) co_return Unreachable(label, response.status());
    ++impl.stats.retries;
    LogFor(
        span, LogLevel::kWarn, "retrying on another instance",
        {{"service", service}, {"instance", instance.id}, {"error", response.status().message()}});
  }
  co_return Unavailable(service + " is unavailable");
}

asio::awaitable<Result<http::HttpResponse>> ServiceClient::PostJson(std::string url,
                                                                    nlohmann::json body,
                                                                    telemetry::RequestSpan* span) {
  http::HttpRequest request(http::Verb::post, "/", 11);
  request.set(http::Field::content_type, "application/json");
  request.set(http::Field::accept, "application/json");
  request.body() = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  co_return co_await Send(std::move(url), std::move(request), span);
}

}  // namespace ck::services
