#include "collector/collector_metrics.h"

#include <string_view>
#include <vector>

namespace ck::collector {

namespace {

struct Exported {
  std::string_view pointer;  // JSON pointer into Collector::StatsJson()
  std::string_view name;
  std::string_view help;
  bool counter;
};

constexpr Exported kExported[] = {
    {"/datagrams_received", "ck_collector_datagrams_received_total",
     "X-Ray daemon protocol datagrams received on UDP.", true},
    {"/datagrams_rejected", "ck_collector_datagrams_rejected_total",
     "Datagrams rejected as malformed (bad header, invalid JSON, not a segment).", true},
    {"/spans_received", "ck_collector_spans_received_total",
     "Spans decoded from X-Ray datagrams and OTLP requests.", true},
    {"/spans_dropped", "ck_collector_spans_dropped_total",
     "Spans dropped because the ingest queue was full.", true},
    {"/spans_stored", "ck_collector_spans_stored_total", "Spans written to the trace store.", true},
    {"/write_errors", "ck_collector_span_write_errors_total",
     "Spans lost to failed trace store writes.", true},
    {"/otlp_requests", "ck_collector_otlp_requests_total", "OTLP/HTTP requests received.", true},
    {"/otlp_rejected_requests", "ck_collector_otlp_rejected_requests_total",
     "OTLP/HTTP requests refused (malformed, too large, or the queue was full).", true},
    {"/store/traces_expired", "ck_collector_traces_expired_total",
     "Traces deleted by retention (age or span limit).", true},
    {"/graph_dropped_nodes", "ck_collector_graph_dropped_nodes_total",
     "Service graph nodes not added because the graph was at its node limit.", true},
    {"/queue_depth", "ck_collector_queue_spans",
     "Spans waiting for the trace store writer (including the batch being written).", false},
    {"/queue_capacity", "ck_collector_queue_capacity_spans",
     "Spans the ingest queue holds before new spans are dropped.", false},
    {"/queue_bytes", "ck_collector_queue_bytes", "Estimated memory held by the ingest queue.",
     false},
    {"/queue_capacity_bytes", "ck_collector_queue_capacity_bytes",
     "Estimated memory the ingest queue may hold before new spans are dropped.", false},
    {"/store/spans_stored", "ck_collector_store_spans",
     "Spans in the trace store now (after retention).", false},
};

}  // namespace

Status AddCollectorMetrics(telemetry::MetricsRegistry& registry,
                           std::function<nlohmann::json()> stats) {
  if (!stats) return InvalidArgument("collector metrics need a stats source");
  for (const Exported& exported : kExported) {
    const nlohmann::json::json_pointer pointer{std::string(exported.pointer)};
    telemetry::SampleFunction read = [stats, pointer]() -> std::vector<telemetry::Sample> {
      const nlohmann::json document = stats();
      if (!document.contains(pointer)) return {};
      const nlohmann::json& value = document.at(pointer);
      if (!value.is_number()) return {};
      return {telemetry::Sample{{}, value.get<double>()}};
    };
    Status added =
        exported.counter
            ? registry.AddCounterCallback(std::string(exported.name), std::string(exported.help),
                                          {}, std::move(read))
            : registry.AddGaugeCallback(std::string(exported.name), std::string(exported.help), {},
                                        std::move(read));
    CK_RETURN_IF_ERROR(added);
  }
  return Status::Ok();
}

}  // namespace ck::collector
