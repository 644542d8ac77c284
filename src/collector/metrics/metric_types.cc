#include "collector/metrics/metric_types.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "collector/metrics/byte_codec.h"

namespace ck::collector::metrics {
namespace {

constexpr std::array<std::string_view, 27> kUnits = {"Seconds",
                                                     "Microseconds",
                                                     "Milliseconds",
                                                     "Bytes",
                                                     "Kilobytes",
                                                     "Megabytes",
                                                     "Gigabytes",
                                                     "Terabytes",
                                                     "Bits",
                                                     "Kilobits",
                                                     "Megabits",
                                                     "Gigabits",
                                                     "Terabits",
                                                     "Percent",
                                                     "Count",
                                                     "Bytes/Second",
                                                     "Kilobytes/Second",
                                                     "Megabytes/Second",
                                                     "Gigabytes/Second",
                                                     "Terabytes/Second",
                                                     "Bits/Second",
                                                     "Kilobits/Second",
                                                     "Megabits/Second",
                                                     "Gigabits/Second",
                                                     "Terabits/Second",
                                                     "Count/Second",
                                                     "None"};

Status CheckName(std::string_view what, std::string_view name, size_t max_length) {
  if (name.empty() || name.size() > max_length) {
    return InvalidArgument(std::string(what) + " must be 1 to " + std::to_string(max_length) +
                           " characters");
  }
  if (!IsValidUtf8(name)) return InvalidArgument(std::string(what) + " is not valid UTF-8");
  return Status::Ok();
}

bool IsStorableValue(double value) {
  return std::isfinite(value) && std::fabs(value) <= kMaxMagnitude;
}

}  // namespace

bool IsValidUnit(std::string_view unit) {
  return std::find(kUnits.begin(), kUnits.end(), unit) != kUnits.end();
}

Status NormalizeSeriesKey(SeriesKey& key) {
  CK_RETURN_IF_ERROR(CheckName("Namespace", key.metric_namespace, kMaxNameLength));
  if (key.metric_namespace.front() == ':')
    return InvalidArgument("Namespace must not start with ':'");
  CK_RETURN_IF_ERROR(CheckName("MetricName", key.metric_name, kMaxNameLength));
  if (key.dimensions.size() > kMaxDimensions) {
    return InvalidArgument("a metric has at most " + std::to_string(kMaxDimensions) +
                           " dimensions, got " + std::to_string(key.dimensions.size()));
  }
  for (const Dimension& dimension : key.dimensions) {
    CK_RETURN_IF_ERROR(CheckName("Dimension name", dimension.name, kMaxNameLength));
    CK_RETURN_IF_ERROR(CheckName("Dimension \"" + dimension.name + "\" value", dimension.value,
                                 kMaxDimensionValueLength));
  }
  std::sort(key.dimensions.begin(), key.dimensions.end());
  for (size_t i = 1; i < key.dimensions.size(); ++i) {
    if (key.dimensions[i].name == key.dimensions[i - 1].name) {
      return InvalidArgument("Dimension \"" + key.dimensions[i].name + "\" is given twice");
    }
  }
  return Status::Ok();
}

Status NormalizeDatum(MetricDatum& datum) {
  CK_RETURN_IF_ERROR(NormalizeSeriesKey(datum.key));
  if (datum.timestamp_ms < 0) return InvalidArgument("Timestamp must not be before 1970");
  if (datum.unit.empty()) datum.unit = "None";
  if (!IsValidUnit(datum.unit))
    return InvalidArgument("Unit \"" + datum.unit + "\" is not a CloudWatch unit");
  if (datum.storage_resolution_s != 1 && datum.storage_resolution_s != 60) {
    return InvalidArgument("StorageResolution must be 1 or 60");
  }
  if (datum.values.empty() && !datum.statistic_values) {
    return InvalidArgument("a datum needs values or a statistic set");
  }
  if (datum.values.size() > kMaxValuesPerDatum) {
    return InvalidArgument("a datum has at most " + std::to_string(kMaxValuesPerDatum) + " values");
  }
  if (!datum.counts.empty() && datum.counts.size() != datum.values.size()) {
    return InvalidArgument("Counts must have as many entries as Values");
  }
  for (double value : datum.values) {
    if (!IsStorableValue(value)) return InvalidArgument("values must be finite and within +-2^360");
  }
  for (double count : datum.counts) {
    if (!std::isfinite(count) || count <= 0) return InvalidArgument("Counts must be positive");
  }
  if (datum.statistic_values) {
    const StatisticSet& set = *datum.statistic_values;
    if (!IsStorableValue(set.sum) || !IsStorableValue(set.minimum) ||
        !IsStorableValue(set.maximum) || !std::isfinite(set.sample_count)) {
      return InvalidArgument("StatisticValues must be finite and within +-2^360");
    }
    if (set.sample_count <= 0)
      return InvalidArgument("StatisticValues.SampleCount must be positive");
    if (set.minimum > set.maximum) {
      return InvalidArgument("StatisticValues.Minimum must not exceed Maximum");
    }
  }
  return Status::Ok();
}

std::string EncodeSeriesKey(const SeriesKey& key) {
  std::string out;
  PutString(out, key.metric_namespace);
  PutString(out, key.metric_name);
  PutVarint(out, key.dimensions.size());
  for (const Dimension& dimension : key.dimensions) {
    PutString(out, dimension.name);
    PutString(out, dimension.value);
  }
  return out;
}

bool DecodeSeriesKey(std::string_view bytes, SeriesKey* key) {
  uint64_t count = 0;
  if (!GetString(bytes, &key->metric_namespace) || !GetString(bytes, &key->metric_name) ||
      !GetVarint(bytes, &count) || count > kMaxDimensions) {
    return false;
  }
  key->dimensions.assign(count, Dimension{});
  for (Dimension& dimension : key->dimensions) {
    if (!GetString(bytes, &dimension.name) || !GetString(bytes, &dimension.value)) return false;
  }
  return bytes.empty();
}

std::string SeriesKeyToString(const SeriesKey& key) {
  std::string out = key.metric_namespace + "/" + key.metric_name + "{";
  for (size_t i = 0; i < key.dimensions.size(); ++i) {
    if (i > 0) out += ",";
    out += key.dimensions[i].name + "=" + key.dimensions[i].value;
  }
  return out + "}";
}

}  // namespace ck::collector::metrics
