// ScrapeToDatapoints: maps one parsed Prometheus scrape of a target to metric store datums.
//
// Mapping (namespace "ck/<job>"; metric name = the family name unless noted; dimensions = the
// sample's labels without empty values, plus "instance" = target.instance when set — a scraped
// "instance" label then becomes "exported_instance", as Prometheus does):
//   counter          one datum per series: the increase since the previous scrape (unit Count,
//                    or Seconds/Bytes/... from the name). The first scrape of a series only
//                    records its value. A value below the previous one is a counter reset: the
//                    increase is the new value (the counter restarted from zero) and is counted.
//   gauge, untyped   one datum per series: the value.
//   histogram        one datum per series (labels without "le") holding the scrape's new
//                    observations: SampleCount and Sum exactly (from _count and _sum increases),
//                    and each bucket's new observations as a value at the bucket's midpoint
//                    (the upper bound's half for a first bucket above 0, the largest finite
//                    bound for +Inf), so percentiles are accurate to half a bucket's width;
//                    Minimum/Maximum are the lowest/highest used midpoints (widened to include
//                    the average). No datum when nothing was observed; resets as for counters.
//   summary          "<name>" per quantile series (a gauge with a "quantile" dimension), and
//                    "<name>_sum" and "<name>_count" as counters.
// Units come from the name: ..._seconds → Seconds, _milliseconds → Milliseconds, _bytes →
// Bytes, _percent → Percent (also before _total); otherwise Count for counters and None.
// Samples with explicit timestamps keep them; others take the scrape time. NaN and infinite
// values, duplicate series, and series the store would refuse (over 30 dimensions, over-long
// names) are skipped and counted.
//
//   ScrapeState state;  // one per target, kept between scrapes
//   ScrapeMapping mapped = ScrapeToDatapoints(*scrape, {.job = "list-api"}, now_ms, state);
//   store.PutMetricData(std::move(mapped.datums));
//
// Thread-safety: ScrapeState is not synchronised; one scraper owns it.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "collector/metrics/metric_types.h"
#include "collector/metrics/prometheus_text.h"

namespace ck::collector::metrics {

struct ScrapeTarget {
  std::string job;       // namespace "ck/<job>"
  std::string instance;  // added as dimension "instance" when not empty
  int storage_resolution_s = 60;
};

// Cumulative values of the previous scrape of one target (only series present in it).
class ScrapeState {
 public:
  size_t size() const { return counters_.size() + histograms_.size(); }

 private:
  friend class ScrapeMapper;
  struct Histogram {
    std::vector<std::pair<double, double>> buckets;  // (le, cumulative count), ascending le
    double sum = 0;
    double count = 0;
  };
  std::unordered_map<std::string, double> counters_;
  std::unordered_map<std::string, Histogram> histograms_;
};

struct ScrapeMapping {
  std::vector<MetricDatum> datums;  // each accepted by NormalizeDatum
  uint64_t counter_resets = 0;      // counters and histograms that went backwards
  uint64_t samples_skipped = 0;     // NaN/Inf, duplicates, series the store would refuse
};

ScrapeMapping ScrapeToDatapoints(const PrometheusExposition& scrape, const ScrapeTarget& target,
                                 int64_t scrape_time_ms, ScrapeState& state);

// The CloudWatch unit a metric name implies (see above); `counter` picks Count over None.
std::string UnitForMetricName(std::string_view name, bool counter);

}  // namespace ck::collector::metrics
