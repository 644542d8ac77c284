// Aggregate: the statistics of one series over one span of time — a stored datapoint (1 second
// or a 60-second rollup) or one query period: SampleCount, Sum, Minimum, Maximum exactly, and a
// Distribution for percentiles.
//
// Percentiles follow CloudWatch's rule for statistic sets: a set whose values are all equal
// (Minimum == Maximum and Sum == Minimum * SampleCount) is counted as those values; any other set
// makes percentiles unavailable for every period that includes it.
//
//   Aggregate bucket;
//   bucket.Add(datum);                      // a datum accepted by NormalizeDatum
//   std::string row;
//   bucket.EncodeTo(row);                   // persisted form
//   std::optional<double> p99 = bucket.Percentile(0.99);
//
// Thread-safety: a value type; no internal synchronisation.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "collector/metrics/distribution.h"
#include "collector/metrics/metric_types.h"

namespace ck::collector::metrics {

struct Aggregate {
  double sample_count = 0;
  double sum = 0;
  double minimum = 0;
  double maximum = 0;
  bool percentiles_available = true;
  Distribution distribution;

  bool empty() const { return sample_count <= 0; }

  // Adds a datum that passed NormalizeDatum.
  void Add(const MetricDatum& datum);
  void Merge(const Aggregate& other);

  // The q-quantile (q in [0, 1]) clamped to [Minimum, Maximum]; nullopt when empty or when
  // percentiles are unavailable.
  std::optional<double> Percentile(double q) const;

  void EncodeTo(std::string& out) const;
  // Decodes a whole encoding. Without `with_distribution` only the statistics are read (cheaper;
  // the distribution stays empty). False when malformed.
  static bool Decode(std::string_view bytes, bool with_distribution, Aggregate* out);

 private:
  void AddStatistics(double count, double sum, double minimum, double maximum);
};

}  // namespace ck::collector::metrics
