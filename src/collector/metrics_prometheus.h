// The bridge from the collector's CloudWatch-style metrics to Prometheus, both ways a real
// Prometheus needs it (docs/metrics-api.md, "Prometheus"):
//
//   AlarmPromQL(alarm, options)      PromQL computing a metric alarm's statistic of its metric over
//                                    its period, for the alert rules of
//                                    GET /v1/alarms/prometheus-rules;
//   RenderCloudWatchMetrics(...)     the text exposition (0.0.4) of GET /v1/metrics/prometheus:
//                                    every series that did not come from a scrape (EMF,
//                                    PutMetricData, Container Insights) as the gauge family
//                                    ck_cloudwatch_metric{namespace, metric, statistic, <dims>}.
//
// Namespaces starting with "ck/" are the scrapes' ("ck/<job>" for the targets' series, "ck/scrape"
// for up, scrape_duration_seconds and scrape_samples_scraped per target): their alarms map back to
// the scraped Prometheus series, and they are left out of the exposition (Prometheus scrapes them
// itself). Every other namespace maps to ck_cloudwatch_metric, whose dimension labels are the
// dimension names in snake_case (ServiceName -> service_name), so `promtool check metrics` has no
// remark.
//
//   std::string expr = AlarmPromQL(alarm, {.scrape_interval_s = 10, .scraped_type = lookup});
//   CK_ASSIGN_OR_RETURN(std::string body, RenderCloudWatchMetrics(store, now_ms, percentiles));
//
// Thread-safety: pure functions (RenderCloudWatchMetrics only reads the thread-safe store).
// Failure: RenderCloudWatchMetrics passes on the store's errors.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "collector/alarms/alarm_types.h"
#include "collector/metrics/metric_store.h"
#include "collector/metrics/metric_types.h"
#include "collector/metrics/prometheus_text.h"
#include "core/status.h"

namespace ck::collector {

inline constexpr std::string_view kCloudWatchMetricFamily = "ck_cloudwatch_metric";
inline constexpr std::string_view kScrapeNamespacePrefix = "ck/";
inline constexpr std::string_view kScrapeHealthNamespace = "ck/scrape";

// True for "ck/..." namespaces, which belong to scrapes.
bool IsScrapedNamespace(std::string_view metric_namespace);

// A dimension name as a ck_cloudwatch_metric label name: snake_case ("ServiceName" ->
// "service_name", "TaskID" -> "task_id"), characters outside [a-z0-9_] as '_', a leading digit
// prefixed with '_', a leading "__" (reserved by Prometheus) prefixed with "exported".
std::string DimensionLabelName(std::string_view dimension);

// The labels of `key` in ck_cloudwatch_metric, without "statistic": namespace, metric, then the
// dimensions (sorted by name) as DimensionLabelName gives them; a name already taken (by
// namespace, metric, statistic or an earlier dimension) gets "exported_" prefixes until unique.
std::vector<std::pair<std::string, std::string>> CloudWatchMetricLabels(
    const metrics::SeriesKey& key);

struct PromQLOptions {
  // The scrape interval, for the per-scrape increases of counters.
  int64_t scrape_interval_s = 10;
  // The Prometheus type of a scraped metric (namespace, metric name), when known from a scrape.
  std::function<std::optional<metrics::PrometheusType>(std::string_view, std::string_view)>
      scraped_type;
};

// PromQL for `alarm`'s statistic of its metric over one period (see the mapping table in
// docs/metrics-api.md). Never empty.
std::string AlarmPromQL(const MetricAlarmSpec& alarm, const PromQLOptions& options);

// Extended statistics ("p99") to export per series beside the five plain ones.
using ExportedPercentiles = std::map<metrics::SeriesKey, std::vector<std::string>>;

// The exposition of every non-scraped series with data in the last complete minute before
// `now_ms`: one sample per statistic (SampleCount, Sum, Average, Minimum, Maximum and the series'
// `percentiles`, at most 10) of that minute. Series whose labels collide with an earlier series'
// are left out. Ends with a newline; an empty family is written as its HELP and TYPE lines only.
Result<std::string> RenderCloudWatchMetrics(metrics::MetricStore& store, int64_t now_ms,
                                            const ExportedPercentiles& percentiles);

}  // namespace ck::collector
