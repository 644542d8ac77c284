// Distribution: a compact, mergeable sketch of a datapoint's values for percentile statistics.
//
// Values are counted in logarithmic buckets (the DDSketch scheme): bucket i holds magnitudes in
// (g^(i-1), g^i] with g = (1 + a) / (1 - a) and a = 1%, and reports 2 g^i / (g + 1) for them, so
// every reported value is within 1% (relative) of the value it stands for. Negative values use a
// mirrored set of buckets, exact zeros (and magnitudes below 1e-300) a zero bucket. Quantile(q)
// returns the value of rank q * (count - 1) among the values added, within that 1% relative error
// (plus floating-point rounding at bucket edges).
//
// Size: each sign keeps at most 2048 buckets, which spans a ratio of about 6e17 between the
// largest and smallest magnitude; beyond that the smallest magnitudes are merged into the lowest
// kept bucket (their percentiles lose accuracy, the high percentiles never do). Typical latency
// distributions need a few hundred buckets; encoded, only non-empty buckets are written.
//
//   Distribution d;
//   for (double latency : latencies) d.Add(latency);
//   std::optional<double> p99 = d.Quantile(0.99);
//
// Thread-safety: a value type; no internal synchronisation.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ck::collector::metrics {

class Distribution {
 public:
  static constexpr double kRelativeAccuracy = 0.01;
  static constexpr int32_t kMaxBucketsPerSign = 2048;

  // Adds `count` occurrences of `value`. Non-finite values and non-positive counts are ignored.
  void Add(double value, double count = 1);
  void Merge(const Distribution& other);

  double count() const { return count_; }
  bool empty() const { return count_ <= 0; }

  // The value of rank q * (count - 1), within kRelativeAccuracy; nullopt when empty or when q is
  // outside [0, 1].
  std::optional<double> Quantile(double q) const;

  // Appends a binary encoding; DecodeFrom consumes one from the front of `in` (false when
  // malformed, leaving `out` unspecified).
  void EncodeTo(std::string& out) const;
  static bool DecodeFrom(std::string_view& in, Distribution* out);

 private:
  // Dense counts for a contiguous range of bucket indices, collapsing the lowest indices when the
  // range would exceed kMaxBucketsPerSign.
  struct BucketStore {
    int32_t min_index = 0;  // index of counts[0]
    std::vector<double> counts;

    int32_t max_index() const { return min_index + static_cast<int32_t>(counts.size()) - 1; }
    void Add(int32_t index, double count);
    void Merge(const BucketStore& other);
    void Reshape(int32_t low, int32_t high);  // covers [low, high], collapsing if too wide
    void EncodeTo(std::string& out) const;
    bool DecodeFrom(std::string_view& in);
  };

  static int32_t IndexOf(double magnitude);
  static double ValueOf(int32_t index);

  BucketStore positive_;
  BucketStore negative_;  // indexed by magnitude
  double zero_count_ = 0;
  double count_ = 0;
};

}  // namespace ck::collector::metrics
