#include "collector/metrics/aggregate.h"

#include <algorithm>
#include <cmath>

#include "collector/metrics/byte_codec.h"

namespace ck::collector::metrics {
namespace {

constexpr char kFormatVersion = 1;
constexpr uint8_t kFlagPercentilesAvailable = 1;

}  // namespace

void Aggregate::AddStatistics(double count, double sum_of_values, double low, double high) {
  if (empty()) {
    minimum = low;
    maximum = high;
  } else {
    minimum = std::min(minimum, low);
    maximum = std::max(maximum, high);
  }
  sample_count += count;
  sum += sum_of_values;
}

void Aggregate::Add(const MetricDatum& datum) {
  if (datum.statistic_values) {
    const StatisticSet& set = *datum.statistic_values;
    AddStatistics(set.sample_count, set.sum, set.minimum, set.maximum);
    if (!datum.values.empty()) {
      for (size_t i = 0; i < datum.values.size(); ++i) {
        distribution.Add(datum.values[i], datum.counts.empty() ? 1 : datum.counts[i]);
      }
    } else if (set.minimum == set.maximum && std::fabs(set.sum - set.minimum * set.sample_count) <=
                                                 1e-9 * std::max(1.0, std::fabs(set.sum))) {
      distribution.Add(set.minimum, set.sample_count);
    } else {
      percentiles_available = false;
    }
    return;
  }
  for (size_t i = 0; i < datum.values.size(); ++i) {
    double value = datum.values[i];
    double count = datum.counts.empty() ? 1 : datum.counts[i];
    AddStatistics(count, value * count, value, value);
    distribution.Add(value, count);
  }
}

void Aggregate::Merge(const Aggregate& other) {
  if (other.empty()) return;
  AddStatistics(other.sample_count, other.sum, other.minimum, other.maximum);
  percentiles_available = percentiles_available && other.percentiles_available;
  distribution.Merge(other.distribution);
}

std::optional<double> Aggregate::Percentile(double q) const {
  if (empty() || !percentiles_available) return std::nullopt;
  // The extremes are known exactly; a bucket's representative may fall short of them.
  if (q <= 0) return minimum;
  if (q >= 1) return maximum;
  std::optional<double> value = distribution.Quantile(q);
  if (!value) return std::nullopt;
  return std::clamp(*value, minimum, maximum);
}

void Aggregate::EncodeTo(std::string& out) const {
  out.push_back(kFormatVersion);
  out.push_back(static_cast<char>(percentiles_available ? kFlagPercentilesAvailable : 0));
  PutDouble(out, sample_count);
  PutDouble(out, sum);
  PutDouble(out, minimum);
  PutDouble(out, maximum);
  distribution.EncodeTo(out);
}

bool Aggregate::Decode(std::string_view bytes, bool with_distribution, Aggregate* out) {
  *out = Aggregate();
  if (bytes.size() < 2 || bytes[0] != kFormatVersion) return false;
  out->percentiles_available = (static_cast<uint8_t>(bytes[1]) & kFlagPercentilesAvailable) != 0;
  bytes.remove_prefix(2);
  if (!GetDouble(bytes, &out->sample_count) || !GetDouble(bytes, &out->sum) ||
      !GetDouble(bytes, &out->minimum) || !GetDouble(bytes, &out->maximum)) {
    return false;
  }
  if (!std::isfinite(out->sample_count) || out->sample_count <= 0 || !std::isfinite(out->sum) ||
      !std::isfinite(out->minimum) || !std::isfinite(out->maximum) || out->minimum > out->maximum) {
    return false;
  }
  if (!with_distribution) return true;
  return Distribution::DecodeFrom(bytes, &out->distribution) && bytes.empty();
}

}  // namespace ck::collector::metrics
