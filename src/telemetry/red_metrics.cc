#include "telemetry/red_metrics.h"

#include <charconv>

namespace ck::telemetry {

std::string_view OutcomeName(DependencyOutcome outcome) {
  switch (outcome) {
    case DependencyOutcome::kOk:
      return "ok";
    case DependencyOutcome::kError:
      return "error";
    case DependencyOutcome::kFault:
      return "fault";
    case DependencyOutcome::kThrottle:
      return "throttle";
  }
  return "fault";
}

DependencyOutcome OutcomeOfHttpStatus(int status) {
  if (status == 429) return DependencyOutcome::kThrottle;
  if (status >= 400 && status < 500) return DependencyOutcome::kError;
  if (status >= 100 && status < 400) return DependencyOutcome::kOk;
  return DependencyOutcome::kFault;
}

std::string_view MethodLabel(http::Verb method) {
  switch (method) {
    case http::Verb::get:
    case http::Verb::head:
    case http::Verb::post:
    case http::Verb::put:
    case http::Verb::delete_:
    case http::Verb::patch:
    case http::Verb::options:
    case http::Verb::connect:
    case http::Verb::trace:
      return http::beast_http::to_string(method);
    default:
      return "OTHER";
  }
}

Result<std::unique_ptr<HttpServerMetrics>> HttpServerMetrics::Create(MetricsRegistry& registry,
                                                                     std::string service) {
  CK_ASSIGN_OR_RETURN(
      CounterFamily * requests,
      registry.AddCounter("ck_http_server_requests_total",
                          "HTTP requests served, by route pattern, method and status code.",
                          {"service", "route", "method", "code"}));
  CK_ASSIGN_OR_RETURN(
      HistogramFamily * durations,
      registry.AddHistogram("ck_http_server_request_duration_seconds",
                            "Time from a request's arrival to its response, by route pattern and "
                            "method.",
                            {"service", "route", "method"}));
  return std::unique_ptr<HttpServerMetrics>(
      new HttpServerMetrics(std::move(service), requests, durations));
}

std::optional<SeriesCache::Series> SeriesCache::Find(std::string_view first,
                                                     std::string_view second, int number) {
  std::lock_guard lock(mutex_);
  for (const Entry& entry : entries_) {
    if (entry.number == number && entry.first == first && entry.second == second) {
      return entry.series;
    }
  }
  return std::nullopt;
}

void SeriesCache::Remember(std::string_view first, std::string_view second, int number,
                           Series series) {
  std::lock_guard lock(mutex_);
  if (entries_.size() < kCapacity) {
    entries_.push_back({std::string(first), std::string(second), number, series});
  }
}

void HttpServerMetrics::Record(std::string_view route, http::Verb method, int status,
                               double seconds) {
  const std::string_view method_text = MethodLabel(method);
  std::optional<SeriesCache::Series> series = cache_.Find(route, method_text, status);
  if (!series) {
    char code[16];
    auto [end, error] = std::to_chars(code, code + sizeof code, status);
    const std::string_view code_text(code, error == std::errc() ? end - code : 0);
    series = SeriesCache::Series{&requests_->WithLabels({service_, route, method_text, code_text}),
                                 &durations_->WithLabels({service_, route, method_text})};
    cache_.Remember(route, method_text, status, *series);
  }
  series->requests->Increment();
  series->duration->Observe(seconds);
}

Result<std::unique_ptr<DependencyMetrics>> DependencyMetrics::Create(MetricsRegistry& registry,
                                                                     std::string service) {
  CK_ASSIGN_OR_RETURN(
      CounterFamily * requests,
      registry.AddCounter("ck_dependency_requests_total",
                          "Calls to other services and to AWS, by dependency, operation and "
                          "outcome (ok, error, fault, throttle).",
                          {"service", "dependency", "operation", "outcome"}));
  CK_ASSIGN_OR_RETURN(
      HistogramFamily * durations,
      registry.AddHistogram("ck_dependency_request_duration_seconds",
                            "Duration of calls to other services and to AWS, retries included.",
                            {"service", "dependency", "operation"}));
  return std::unique_ptr<DependencyMetrics>(
      new DependencyMetrics(std::move(service), requests, durations));
}

void DependencyMetrics::Record(std::string_view dependency, std::string_view operation,
                               DependencyOutcome outcome, double seconds) {
  const int outcome_number = static_cast<int>(outcome);
  std::optional<SeriesCache::Series> series = cache_.Find(dependency, operation, outcome_number);
  if (!series) {
    series = SeriesCache::Series{
        &requests_->WithLabels({service_, dependency, operation, OutcomeName(outcome)}),
        &durations_->WithLabels({service_, dependency, operation})};
    cache_.Remember(dependency, operation, outcome_number, *series);
  }
  series->requests->Increment();
  series->duration->Observe(seconds);
}

Status AddEmitterMetrics(MetricsRegistry& registry, std::string service,
                         const UdpEmitter* emitter) {
  auto stats = [emitter] { return emitter != nullptr ? emitter->stats() : EmitterStats{}; };
  CK_RETURN_IF_ERROR(registry.AddCounterCallback(
      "ck_tracing_segments_sent_total",
      "Trace segment datagrams handed to the kernel for the X-Ray daemon address.", {"service"},
      [stats, service] {
        return std::vector<Sample>{{{service}, static_cast<double>(stats().emitted)}};
      }));
  CK_RETURN_IF_ERROR(registry.AddCounterCallback(
      "ck_tracing_segments_dropped_total",
      "Trace segments not sent: queue_full (the emitter's queue was full), too_large (no "
      "datagram could hold it), send_error (the send failed).",
      {"service", "reason"}, [stats, service] {
        const EmitterStats now = stats();
        return std::vector<Sample>{
            {{service, "queue_full"}, static_cast<double>(now.dropped_queue_full)},
            {{service, "too_large"}, static_cast<double>(now.dropped_too_large)},
            {{service, "send_error"}, static_cast<double>(now.send_errors)}};
      }));
  return registry.AddGaugeCallback(
      "ck_tracing_queued_segments", "Trace segments waiting in the emitter's queue.", {"service"},
      [stats, service] {
        return std::vector<Sample>{{{service}, static_cast<double>(stats().queued)}};
      });
}

}  // namespace ck::telemetry
