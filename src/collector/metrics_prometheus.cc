#include "collector/metrics_prometheus.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "collector/alarms/prometheus_rule.h"
#include "telemetry/text_format.h"

namespace ck::collector {

namespace {

constexpr int64_t kMinuteMs = 60'000;
constexpr size_t kMaxExportedPercentiles = 10;
constexpr std::string_view kStatisticLabel = "statistic";

using Labels = std::vector<std::pair<std::string, std::string>>;

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A label or metric name with every character outside [a-zA-Z0-9_] replaced by '_' (scraped
// series already have valid names; this only guards hand-written alarms).
std::string ValidPrometheusName(std::string_view name) {
  std::string out;
  for (char c : name) out += (IsLower(c) || IsUpper(c) || IsDigit(c) || c == '_') ? c : '_';
  if (out.empty() || IsDigit(out.front())) out.insert(out.begin(), '_');
  return out;
}

std::string Selector(std::string_view metric, const Labels& labels) {
  std::string out(metric);
  if (labels.empty()) return out;
  out += '{';
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += ',';
    // The collector's status-class rollup ("5xx") selects the scraped status codes.
    const std::string& value = labels[i].second;
    if (labels[i].first == "code_class" && value.size() == 3 && value[0] >= '1' &&
        value[0] <= '5' && value.substr(1) == "xx") {
      out += "code=~\"";
      out += value[0];
      out += "..\"";
      continue;
    }
    out += labels[i].first;
    out += "=\"";
    telemetry::AppendEscapedLabelValue(out, labels[i].second);
    out += '"';
  }
  out += '}';
  return out;
}

// "p99.9" -> 0.999 (validated spellings only; anything else reads as 0).
double QuantileValue(std::string_view percentile) {
  std::string digits(percentile.substr(percentile.empty() ? 0 : 1));
  return std::clamp(std::strtod(digits.c_str(), nullptr) / 100, 0.0, 1.0);
}

// "p99.9" -> "0.999"; "p100" -> "1".
std::string Quantile(std::string_view percentile) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", QuantileValue(percentile));
  return buffer;
}

bool IsUpperPercentile(std::string_view percentile) { return QuantileValue(percentile) >= 0.5; }

std::string Range(int64_t seconds) { return "[" + PrometheusDuration(seconds) + "]"; }

enum class ScrapedKind { kGauge, kCounter, kHistogram };

ScrapedKind KindOf(const MetricAlarmSpec& alarm, const PromQLOptions& options) {
  if (alarm.namespace_name == kScrapeHealthNamespace) return ScrapedKind::kGauge;
  if (options.scraped_type) {
    if (auto type = options.scraped_type(alarm.namespace_name, alarm.metric_name)) {
      switch (*type) {
        case metrics::PrometheusType::kCounter:
          return ScrapedKind::kCounter;
        case metrics::PrometheusType::kHistogram:
          return ScrapedKind::kHistogram;
        default:
          return ScrapedKind::kGauge;
      }
    }
  }
  const std::string_view name = alarm.metric_name;
  constexpr std::string_view kTotal = "_total";
  if (name.size() > kTotal.size() && name.substr(name.size() - kTotal.size()) == kTotal) {
    return ScrapedKind::kCounter;
  }
  return ScrapedKind::kGauge;
}

std::string ScrapedPromQL(const MetricAlarmSpec& alarm, const PromQLOptions& options) {
  Labels labels;
  if (alarm.namespace_name != kScrapeHealthNamespace) {
    labels.emplace_back("job", alarm.namespace_name.substr(kScrapeNamespacePrefix.size()));
  }
  std::vector<Dimension> dimensions = alarm.dimensions;
  std::sort(dimensions.begin(), dimensions.end(),
            [](const Dimension& a, const Dimension& b) { return a.name < b.name; });
  for (const Dimension& dimension : dimensions) {
    std::string name = ValidPrometheusName(dimension.name);
    // ck adds job itself, as Prometheus does; a scraped "job" label is Prometheus' exported_job.
    if (name == "job" && !labels.empty() && labels.front().first == "job") name = "exported_job";
    labels.emplace_back(std::move(name), dimension.value);
  }
  const std::string metric = ValidPrometheusName(alarm.metric_name);
  const std::string range = Range(alarm.period_seconds);
  const bool percentile = !alarm.statistic.has_value();
  const Statistic statistic = alarm.statistic.value_or(Statistic::kAverage);

  switch (KindOf(alarm, options)) {
    case ScrapedKind::kGauge: {
      const std::string series = Selector(metric, labels) + range;
      if (percentile) {
        return "quantile_over_time(" + Quantile(alarm.extended_statistic) + ", " + series + ")";
      }
      switch (statistic) {
        case Statistic::kSampleCount:
          return "count_over_time(" + series + ")";
        case Statistic::kSum:
          return "sum_over_time(" + series + ")";
        case Statistic::kMinimum:
          return "min_over_time(" + series + ")";
        case Statistic::kMaximum:
          return "max_over_time(" + series + ")";
        case Statistic::kAverage:
          return "avg_over_time(" + series + ")";
      }
      break;
    }
    case ScrapedKind::kCounter: {
      // Each scrape stores the counter's increase since the previous one.
      const std::string series = Selector(metric, labels) + range;
      // Summed over the series the selector matches: a rollup (fewer dimensions than the
      // scraped series) is the sum of its parts, as the collector stores it.
      if (!percentile && statistic == Statistic::kSum) return "sum(increase(" + series + "))";
      if (!percentile && statistic == Statistic::kSampleCount) {
        return "count_over_time(" + series + ")";
      }
      // Average per scrape; Minimum, Maximum and percentiles have no PromQL over raw counters
      // and take the average too.
      return "rate(" + series + ") * " +
             telemetry::FormatMetricValue(static_cast<double>(options.scrape_interval_s));
    }
    case ScrapedKind::kHistogram: {
      const std::string count = "increase(" + Selector(metric + "_count", labels) + range + ")";
      const std::string sum = "increase(" + Selector(metric + "_sum", labels) + range + ")";
      const std::string buckets =
          "sum by (le) (increase(" + Selector(metric + "_bucket", labels) + range + "))";
      if (percentile) {
        return "histogram_quantile(" + Quantile(alarm.extended_statistic) + ", " + buckets + ")";
      }
      switch (statistic) {
        case Statistic::kSampleCount:
          return count;
        case Statistic::kSum:
          return sum;
        case Statistic::kMinimum:
          return "histogram_quantile(0, " + buckets + ")";
        case Statistic::kMaximum:
          return "histogram_quantile(1, " + buckets + ")";
        case Statistic::kAverage:
          return sum + " / " + count;
      }
      break;
    }
  }
  return Selector(metric, labels);
}

std::string CloudWatchPromQL(const MetricAlarmSpec& alarm) {
  metrics::SeriesKey key{alarm.namespace_name, alarm.metric_name, {}};
  for (const Dimension& dimension : alarm.dimensions) {
    key.dimensions.push_back({dimension.name, dimension.value});
  }
  std::sort(key.dimensions.begin(), key.dimensions.end());
  Labels labels = CloudWatchMetricLabels(key);
  const std::string statistic = alarm.StatisticLabel();
  labels.emplace_back(kStatisticLabel, statistic);
  // The exported samples are per minute: a shorter period still looks at one minute, and sums
  // over a longer one add up its minutes (the average minute times their number).
  const int64_t period = alarm.period_seconds;
  const std::string series =
      Selector(kCloudWatchMetricFamily, labels) + Range(std::max<int64_t>(period, 60));
  if (!alarm.statistic.has_value()) {
    return (IsUpperPercentile(alarm.extended_statistic) ? "max_over_time(" : "min_over_time(") +
           series + ")";
  }
  switch (*alarm.statistic) {
    case Statistic::kMinimum:
      return "min_over_time(" + series + ")";
    case Statistic::kMaximum:
      return "max_over_time(" + series + ")";
    case Statistic::kAverage:
      return "avg_over_time(" + series + ")";
    case Statistic::kSum:
    case Statistic::kSampleCount:
      if (period == 60) return "avg_over_time(" + series + ")";
      return "avg_over_time(" + series + ") * " +
             telemetry::FormatMetricValue(static_cast<double>(period) / 60);
  }
  return series;
}

void AppendSample(std::string& out, const Labels& labels, std::string_view statistic,
                  double value) {
  out += kCloudWatchMetricFamily;
  out += '{';
  for (const auto& [name, label_value] : labels) {
    out += name;
    out += "=\"";
    telemetry::AppendEscapedLabelValue(out, label_value);
    out += "\",";
  }
  out += kStatisticLabel;
  out += "=\"";
  telemetry::AppendEscapedLabelValue(out, statistic);
  out += "\"} ";
  out += telemetry::FormatMetricValue(value);
  out += '\n';
}

}  // namespace

bool IsScrapedNamespace(std::string_view metric_namespace) {
  return metric_namespace.substr(0, kScrapeNamespacePrefix.size()) == kScrapeNamespacePrefix;
}

std::string DimensionLabelName(std::string_view dimension) {
  std::string out;
  for (size_t i = 0; i < dimension.size(); ++i) {
    const char c = dimension[i];
    if (IsUpper(c)) {
      const bool after_lower = i > 0 && (IsLower(dimension[i - 1]) || IsDigit(dimension[i - 1]));
      // The last capital of an acronym starts a word: "HTTPCode" -> "http_code".
      const bool acronym_end = i > 0 && IsUpper(dimension[i - 1]) && i + 1 < dimension.size() &&
                               IsLower(dimension[i + 1]);
      if ((after_lower || acronym_end) && !out.empty() && out.back() != '_') out += '_';
      out += static_cast<char>(c - 'A' + 'a');
    } else if (IsLower(c) || IsDigit(c) || c == '_') {
      out += c;
    } else {
      out += '_';
    }
  }
  if (out.empty() || IsDigit(out.front())) out.insert(out.begin(), '_');
  if (out.size() >= 2 && out[0] == '_' && out[1] == '_') out.insert(0, "exported");
  return out;
}

std::vector<std::pair<std::string, std::string>> CloudWatchMetricLabels(
    const metrics::SeriesKey& key) {
  Labels labels = {{"namespace", key.metric_namespace}, {"metric", key.metric_name}};
  std::set<std::string, std::less<>> taken = {"namespace", "metric", std::string(kStatisticLabel)};
  for (const metrics::Dimension& dimension : key.dimensions) {
    std::string name = DimensionLabelName(dimension.name);
    while (taken.contains(name)) name.insert(0, "exported_");
    taken.insert(name);
    labels.emplace_back(std::move(name), dimension.value);
  }
  return labels;
}

std::string AlarmPromQL(const MetricAlarmSpec& alarm, const PromQLOptions& options) {
  if (IsScrapedNamespace(alarm.namespace_name) &&
      alarm.namespace_name.size() > kScrapeNamespacePrefix.size()) {
    return ScrapedPromQL(alarm, options);
  }
  return CloudWatchPromQL(alarm);
}

Result<std::string> RenderCloudWatchMetrics(metrics::MetricStore& store, int64_t now_ms,
                                            const ExportedPercentiles& percentiles) {
  std::string out;
  out += "# HELP ";
  out += kCloudWatchMetricFamily;
  out +=
      " A statistic over the last complete minute of a metric only the collector holds (EMF, "
      "PutMetricData, Container Insights).\n# TYPE ";
  out += kCloudWatchMetricFamily;
  out += " gauge\n";

  const int64_t end_ms = now_ms - now_ms % kMinuteMs;
  std::set<std::string> seen;  // rendered label sets, to keep the exposition free of duplicates
  metrics::ListMetricsRequest request;
  do {
    CK_ASSIGN_OR_RETURN(metrics::ListMetricsResult page, store.ListMetrics(request));
    for (const metrics::ListedMetric& listed : page.metrics) {
      if (IsScrapedNamespace(listed.key.metric_namespace)) continue;
      std::vector<std::string> statistics = {"SampleCount", "Sum", "Average", "Minimum", "Maximum"};
      if (auto wanted = percentiles.find(listed.key); wanted != percentiles.end()) {
        for (const std::string& percentile : wanted->second) {
          if (statistics.size() - 5 >= kMaxExportedPercentiles) break;
          if (std::find(statistics.begin(), statistics.end(), percentile) == statistics.end()) {
            statistics.push_back(percentile);
          }
        }
      }
      auto points = store.GetStatistics({.key = listed.key,
                                         .start_ms = end_ms - kMinuteMs,
                                         .end_ms = end_ms,
                                         .period_s = 60,
                                         .statistics = statistics});
      if (!points.ok()) {
        if (points.status().code() == StatusCode::kInvalidArgument) continue;  // a bad percentile
        return points.status();
      }
      if (points->empty()) continue;
      const metrics::StatisticsDatapoint& point = points->back();
      Labels labels = CloudWatchMetricLabels(listed.key);
      std::string identity;
      for (const auto& [name, value] : labels) identity += name + '\0' + value + '\0';
      if (!seen.insert(std::move(identity)).second) continue;
      const std::pair<const char*, const std::optional<double>*> plain[] = {
          {"SampleCount", &point.sample_count},
          {"Sum", &point.sum},
          {"Average", &point.average},
          {"Minimum", &point.minimum},
          {"Maximum", &point.maximum}};
      for (const auto& [name, value] : plain) {
        if (value->has_value()) AppendSample(out, labels, name, **value);
      }
      for (const auto& [name, value] : point.percentiles) AppendSample(out, labels, name, value);
    }
    request.next_token = page.next_token;
  } while (!request.next_token.empty());
  return out;
}

}  // namespace ck::collector
