#include "collector/metrics/prometheus_scrape.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <unordered_set>

namespace ck::collector::metrics {

std::string UnitForMetricName(std::string_view name, bool counter) {
  if (name.ends_with("_total")) name.remove_suffix(6);
  if (name.ends_with("_seconds")) return "Seconds";
  if (name.ends_with("_milliseconds")) return "Milliseconds";
  if (name.ends_with("_bytes")) return "Bytes";
  if (name.ends_with("_percent")) return "Percent";
  return counter ? "Count" : "None";
}

class ScrapeMapper {
 public:
  ScrapeMapper(const ScrapeTarget& target, int64_t scrape_time_ms, ScrapeState& state)
      : target_(target), scrape_time_ms_(scrape_time_ms), previous_(state) {}

  ScrapeMapping Run(const PrometheusExposition& scrape) {
    for (const PrometheusFamily& family : scrape.families) {
      switch (family.type) {
        case PrometheusType::kCounter:
          for (const PrometheusSample& sample : family.samples) {
            MapCounter(sample, UnitForMetricName(sample.name, true));
          }
          break;
        case PrometheusType::kGauge:
        case PrometheusType::kUntyped:
          for (const PrometheusSample& sample : family.samples) MapGauge(sample);
          break;
        case PrometheusType::kSummary:
          MapSummary(family);
          break;
        case PrometheusType::kHistogram:
          MapHistogram(family);
          break;
      }
    }
    previous_ = std::move(next_);
    return std::move(out_);
  }

 private:
  struct HistogramSeries {
    std::vector<Dimension> dimensions;
    ScrapeState::Histogram current;
    bool has_sum = false;
    bool has_count = false;
    int64_t timestamp_ms = 0;
  };

  std::vector<Dimension> DimensionsOf(const PrometheusSample& sample, std::string_view without) {
    std::vector<Dimension> dimensions;
    for (const PrometheusLabel& label : sample.labels) {
      if (label.value.empty() || label.name == without) continue;
      std::string name = label.name;
      if (name == "instance" && !target_.instance.empty()) name = "exported_instance";
      dimensions.push_back(Dimension{std::move(name), label.value});
    }
    if (!target_.instance.empty()) dimensions.push_back(Dimension{"instance", target_.instance});
    std::sort(dimensions.begin(), dimensions.end());
    return dimensions;
  }

  static std::string Identity(std::string_view name, const std::vector<Dimension>& dimensions) {
    return EncodeSeriesKey(SeriesKey{"", std::string(name), dimensions});
  }

  int64_t TimestampOf(const PrometheusSample& sample) const {
    return sample.timestamp_ms.value_or(scrape_time_ms_);
  }

  void Emit(std::string_view name, std::vector<Dimension> dimensions, int64_t timestamp_ms,
            std::string unit, MetricDatum datum) {
    datum.key = SeriesKey{"ck/" + target_.job, std::string(name), std::move(dimensions)};
    datum.timestamp_ms = timestamp_ms;
    datum.unit = std::move(unit);
    datum.storage_resolution_s = target_.storage_resolution_s;
    if (!NormalizeDatum(datum).ok()) {
      ++out_.samples_skipped;
      return;
    }
    out_.datums.push_back(std::move(datum));
  }

  void MapCounter(const PrometheusSample& sample, std::string unit) {
    std::vector<Dimension> dimensions = DimensionsOf(sample, "");
    std::string identity = Identity(sample.name, dimensions);
    if (!std::isfinite(sample.value) || next_.counters_.count(identity) > 0) {
      ++out_.samples_skipped;
      return;
    }
    next_.counters_[identity] = sample.value;
    auto previous = previous_.counters_.find(identity);
    if (previous == previous_.counters_.end()) return;
    double increase = sample.value - previous->second;
    if (sample.value < previous->second) {
      ++out_.counter_resets;
      increase = sample.value;
    }
    MetricDatum datum;
    datum.values = {increase};
    Emit(sample.name, std::move(dimensions), TimestampOf(sample), std::move(unit),
         std::move(datum));
  }

  void MapGauge(const PrometheusSample& sample) {
    std::vector<Dimension> dimensions = DimensionsOf(sample, "");
    if (!std::isfinite(sample.value) ||
        !gauges_seen_.insert(Identity(sample.name, dimensions)).second) {
      ++out_.samples_skipped;
      return;
    }
    MetricDatum datum;
    datum.values = {sample.value};
    Emit(sample.name, std::move(dimensions), TimestampOf(sample),
         UnitForMetricName(sample.name, false), std::move(datum));
  }

  void MapSummary(const PrometheusFamily& family) {
    for (const PrometheusSample& sample : family.samples) {
      if (sample.name == family.name + "_sum") {
        MapCounter(sample, UnitForMetricName(family.name, false));
      } else if (sample.name == family.name + "_count") {
        MapCounter(sample, "Count");
      } else {
        MapGauge(sample);
      }
    }
  }

  void MapHistogram(const PrometheusFamily& family) {
    std::map<std::string, HistogramSeries> series;
    std::vector<std::string> order;
    for (const PrometheusSample& sample : family.samples) {
      if (!sample.name.starts_with(family.name)) {
        ++out_.samples_skipped;
        continue;
      }
      std::string_view suffix = std::string_view(sample.name).substr(family.name.size());
      std::vector<Dimension> dimensions = DimensionsOf(sample, suffix == "_bucket" ? "le" : "");
      std::string identity = Identity(family.name, dimensions);
      auto [it, inserted] = series.try_emplace(identity);
      HistogramSeries& entry = it->second;
      if (inserted) {
        entry.dimensions = std::move(dimensions);
        entry.timestamp_ms = scrape_time_ms_;
        order.push_back(identity);
      }
      if (suffix == "_bucket") {
        for (const PrometheusLabel& label : sample.labels) {
          std::optional<double> le = ParsePrometheusFloat(label.value);
          if (label.name == "le" && le && !std::isnan(*le)) {
            entry.current.buckets.emplace_back(*le, sample.value);
          }
        }
      } else if (suffix == "_sum") {
        entry.current.sum = sample.value;
        entry.has_sum = true;
      } else if (suffix == "_count") {
        entry.current.count = sample.value;
        entry.has_count = true;
        entry.timestamp_ms = TimestampOf(sample);
      }
    }
    for (const std::string& identity : order)
      MapHistogramSeries(family.name, identity, series[identity]);
  }

  void MapHistogramSeries(const std::string& name, const std::string& identity,
                          HistogramSeries& series) {
    ScrapeState::Histogram& current = series.current;
    std::sort(current.buckets.begin(), current.buckets.end());
    bool finite = series.has_sum && series.has_count && std::isfinite(current.sum) &&
                  std::isfinite(current.count);
    for (size_t i = 0; i < current.buckets.size(); ++i) {
      finite = finite && std::isfinite(current.buckets[i].second) &&
               (i == 0 || current.buckets[i].first != current.buckets[i - 1].first);
    }
    if (!finite || next_.histograms_.count(identity) > 0) {
      ++out_.samples_skipped;
      return;
    }
    next_.histograms_[identity] = current;
    auto previous_it = previous_.histograms_.find(identity);
    if (previous_it == previous_.histograms_.end()) return;
    const ScrapeState::Histogram& previous = previous_it->second;
    bool reset =
        current.count < previous.count || current.buckets.size() != previous.buckets.size();
    for (size_t i = 0; !reset && i < current.buckets.size(); ++i) {
      reset = current.buckets[i].first != previous.buckets[i].first ||
              current.buckets[i].second < previous.buckets[i].second;
    }
    if (reset) ++out_.counter_resets;
    auto increase = [&](double now, double before) { return reset ? now : now - before; };
    double count = increase(current.count, previous.count);
    double sum = increase(current.sum, previous.sum);
    if (count <= 0) return;
    double average = sum / count;
    MetricDatum datum;
    double below = 0;  // cumulative increase of the buckets below
    for (size_t i = 0; i < current.buckets.size(); ++i) {
      double cumulative = current.buckets[i].second - (reset ? 0 : previous.buckets[i].second);
      double observed = cumulative - below;
      below = std::max(below, cumulative);
      if (observed <= 0) continue;
      datum.values.push_back(Midpoint(current.buckets, i, average));
      datum.counts.push_back(observed);
    }
    double minimum = datum.values.empty() ? average : std::min(datum.values.front(), average);
    double maximum = datum.values.empty() ? average : std::max(datum.values.back(), average);
    datum.statistic_values = StatisticSet{count, sum, minimum, maximum};
    Emit(name, series.dimensions, series.timestamp_ms, UnitForMetricName(name, false),
         std::move(datum));
  }

  // The value standing for a bucket's observations (see the header).
  static double Midpoint(const std::vector<std::pair<double, double>>& buckets, size_t i,
                         double average) {
    double upper = buckets[i].first;
    double value = 0;
    if (std::isinf(upper)) {
      value = i == 0 ? average : buckets[i - 1].first;
    } else if (i == 0) {
      value = upper > 0 ? upper / 2 : upper;
    } else {
      value = (buckets[i - 1].first + upper) / 2;
    }
    return std::isfinite(value) ? value : average;
  }

  const ScrapeTarget& target_;
  int64_t scrape_time_ms_;
  ScrapeState& previous_;
  ScrapeState next_;
  std::unordered_set<std::string> gauges_seen_;
  ScrapeMapping out_;
};

ScrapeMapping ScrapeToDatapoints(const PrometheusExposition& scrape, const ScrapeTarget& target,
                                 int64_t scrape_time_ms, ScrapeState& state) {
  return ScrapeMapper(target, scrape_time_ms, state).Run(scrape);
}

}  // namespace ck::collector::metrics
