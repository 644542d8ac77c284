// RED metrics (rate, errors, duration) for the requests a component serves and the calls it
// makes, plus the trace emitter's counters: the metric families every service declares once, on
// its own MetricsRegistry, labelled with the service's name (docs/metrics.md):
//
//   ck_http_server_requests_total{service,route,method,code}              counter
//   ck_http_server_request_duration_seconds{service,route,method}         histogram
//   ck_dependency_requests_total{service,dependency,operation,outcome}     counter
//   ck_dependency_request_duration_seconds{service,dependency,operation}  histogram
//   ck_tracing_segments_sent_total{service}                               counter
//   ck_tracing_segments_dropped_total{service,reason}                     counter
//   ck_tracing_queued_segments{service}                                   gauge
//
//   CK_ASSIGN_OR_RETURN(auto server, HttpServerMetrics::Create(registry, "list-api"));
//   server->Record("/", http::Verb::get, 200, 0.004);
//   CK_ASSIGN_OR_RETURN(auto calls, DependencyMetrics::Create(registry, "list-api"));
//   calls->Record("DynamoDB", "Scan", DependencyOutcome::kOk, 0.002);
//
// Labels must stay bounded: `route` is the matched route pattern (never the raw path), `method`
// one of the standard verbs (or OTHER), `code` the status number, `operation` an API operation or
// an HTTP method. The registry's series cap (metrics.h) catches whatever slips through.
//
// Cost: Record() finds its series in a small cache of the label sets seen so far (up to 64;
// beyond that it falls back to the families' own lookup), so a request costs a short lock, a
// few string compares and the atomic updates.
//
// Thread-safety: Record() is thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "http/message.h"
#include "telemetry/emitter.h"
#include "telemetry/metrics.h"

namespace ck::telemetry {

// How a call to a dependency ended, as X-Ray classifies it.
enum class DependencyOutcome { kOk, kError, kFault, kThrottle };

// "ok", "error", "fault", "throttle".
std::string_view OutcomeName(DependencyOutcome outcome);
// 429 throttle, other 4xx error, 5xx (and anything that is not an HTTP status) fault, else ok.
DependencyOutcome OutcomeOfHttpStatus(int status);
// "GET", "POST", ... for the standard verbs; "OTHER" for anything else (bounded cardinality).
std::string_view MethodLabel(http::Verb method);

// The series of recent label sets, so hot paths skip the families' keyed lookup.
class SeriesCache {
 public:
  struct Series {
    Counter* requests = nullptr;
    Histogram* duration = nullptr;
  };
  // The cached series for (first, second, number), if any.
  std::optional<Series> Find(std::string_view first, std::string_view second, int number);
  // Caches `series` for (first, second, number) while there is room.
  void Remember(std::string_view first, std::string_view second, int number, Series series);

 private:
  static constexpr size_t kCapacity = 64;
  struct Entry {
    std::string first;
    std::string second;
    int number = 0;
    Series series;
  };
  std::mutex mutex_;
  std::vector<Entry> entries_;
};

class HttpServerMetrics {
 public:
  static Result<std::unique_ptr<HttpServerMetrics>> Create(MetricsRegistry& registry,
                                                           std::string service);
  // One served request: its route pattern, method, response status and duration.
  void Record(std::string_view route, http::Verb method, int status, double seconds);

 private:
  HttpServerMetrics(std::string service, CounterFamily* requests, HistogramFamily* durations)
      : service_(std::move(service)), requests_(requests), durations_(durations) {}
  const std::string service_;
  CounterFamily* const requests_;
  HistogramFamily* const durations_;
  SeriesCache cache_;
};

class DependencyMetrics {
 public:
  static Result<std::unique_ptr<DependencyMetrics>> Create(MetricsRegistry& registry,
                                                           std::string service);
  // One call (with its retries) to `dependency`, e.g. ("validate-api", "POST") or
  // ("DynamoDB", "PutItem").
  void Record(std::string_view dependency, std::string_view operation, DependencyOutcome outcome,
              double seconds);

 private:
  DependencyMetrics(std::string service, CounterFamily* requests, HistogramFamily* durations)
      : service_(std::move(service)), requests_(requests), durations_(durations) {}
  const std::string service_;
  CounterFamily* const requests_;
  HistogramFamily* const durations_;
  SeriesCache cache_;
};

// The emitter's counters, read at scrape time; all zero when `emitter` is null (tracing off).
// `emitter` must outlive the registry's scrapes.
Status AddEmitterMetrics(MetricsRegistry& registry, std::string service, const UdpEmitter* emitter);

}  // namespace ck::telemetry
