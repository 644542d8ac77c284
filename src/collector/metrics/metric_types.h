// Metric identity and input shapes shared by the metric store and its inputs (EMF, Prometheus).
//
// A series is identified as in CloudWatch by namespace, metric name and a set of dimensions
// (name=value pairs, names unique, at most 30). SeriesKey keeps the dimensions sorted by name, so
// two keys naming the same set compare equal. A MetricDatum is one PutMetricData entry: a single
// value, values with counts, a statistic set, or (for histogram inputs) a statistic set plus
// approximate values that only shape the percentile distribution.
//
//   MetricDatum datum{.key = {"ck/list-api", "Latency", {{"Service", "list-api"}}},
//                     .timestamp_ms = now_ms, .unit = "Milliseconds", .values = {12.5}};
//   CK_RETURN_IF_ERROR(NormalizeDatum(datum));  // sorts dimensions, checks limits and units
//
// Failure modes: the Normalize* functions return InvalidArgument naming the offending field.
// Thread-safety: plain values and pure functions.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/utf8.h"

namespace ck::collector::metrics {

inline constexpr size_t kMaxDimensions = 30;              // per series (CloudWatch's limit)
inline constexpr size_t kMaxNameLength = 255;             // namespace, metric and dimension names
inline constexpr size_t kMaxDimensionValueLength = 1024;  // CloudWatch's limit
// CloudWatch takes 150 values per datum; we take more so a scraped histogram always fits.
inline constexpr size_t kMaxValuesPerDatum = 1000;
// CloudWatch rejects values outside [-2^360, 2^360] and NaN/Infinity.
inline constexpr double kMaxMagnitude = 2.3485425827738332e108;  // 2^360

struct Dimension {
  std::string name;
  std::string value;
  auto operator<=>(const Dimension&) const = default;
};

struct SeriesKey {
  std::string metric_namespace;
  std::string metric_name;
  std::vector<Dimension> dimensions;  // sorted by name, names unique (after NormalizeSeriesKey)
  auto operator<=>(const SeriesKey&) const = default;
};

// CloudWatch's StatisticSet.
struct StatisticSet {
  double sample_count = 0;
  double sum = 0;
  double minimum = 0;
  double maximum = 0;
};

struct MetricDatum {
  SeriesKey key;
  int64_t timestamp_ms = 0;       // epoch milliseconds
  std::string unit = "None";      // a CloudWatch unit name; "" means "None"
  int storage_resolution_s = 60;  // 1 (high resolution) or 60
  // Values as in PutMetricData: each value once, or counts[i] times when counts is not empty.
  std::vector<double> values;
  std::vector<double> counts;
  // Alone: a pre-aggregated statistic set. With values: the exact SampleCount/Sum/Minimum/Maximum,
  // while values/counts (approximate, e.g. histogram bucket midpoints) only feed percentiles.
  std::optional<StatisticSet> statistic_values;
};

// True for the CloudWatch unit names ("Seconds", "Bytes/Second", "Count", "None", ...).
bool IsValidUnit(std::string_view unit);

// Checks names and limits and sorts the dimensions by name.
Status NormalizeSeriesKey(SeriesKey& key);
// NormalizeSeriesKey plus the datum's unit, resolution, values, counts and statistic set.
Status NormalizeDatum(MetricDatum& datum);

// A canonical byte encoding of a key (length-prefixed fields), for persistence and page tokens.
std::string EncodeSeriesKey(const SeriesKey& key);
// Inverse of EncodeSeriesKey; false for malformed input.
bool DecodeSeriesKey(std::string_view bytes, SeriesKey* key);

// "namespace/name{a=1,b=2}", for messages.
std::string SeriesKeyToString(const SeriesKey& key);

}  // namespace ck::collector::metrics
