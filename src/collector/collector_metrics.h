// Collector metrics: the collector's counters (Collector::StatsJson) as Prometheus metrics, served
// at `GET /metrics` on the X-Ray API port beside the X-Ray routes (docs/metrics.md):
//
//   ck_collector_datagrams_received_total, ck_collector_datagrams_rejected_total,
//   ck_collector_spans_received_total, ck_collector_spans_dropped_total,
//   ck_collector_spans_stored_total, ck_collector_span_write_errors_total,
//   ck_collector_otlp_requests_total, ck_collector_otlp_rejected_requests_total,
//   ck_collector_traces_expired_total, ck_collector_graph_dropped_nodes_total   counters
//   ck_collector_queue_spans, ck_collector_queue_capacity_spans, ck_collector_queue_bytes,
//   ck_collector_queue_capacity_bytes, ck_collector_store_spans                gauges
//
//   CK_RETURN_IF_ERROR(AddCollectorMetrics(registry, [&] { return collector.StatsJson(); }));
//
// Every value is read from `stats` at scrape time; a value missing from the document is left out.
// Thread-safety: `stats` runs on the scraping thread and must be thread-safe.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>

#include "core/status.h"
#include "telemetry/metrics.h"

namespace ck::collector {

Status AddCollectorMetrics(telemetry::MetricsRegistry& registry,
                           std::function<nlohmann::json()> stats);

}  // namespace ck::collector
