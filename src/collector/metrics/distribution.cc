#include "collector/metrics/distribution.h"

#include <algorithm>
#include <cmath>

#include "collector/metrics/byte_codec.h"

namespace ck::collector::metrics {
namespace {

const double kGamma = (1 + Distribution::kRelativeAccuracy) / (1 - Distribution::kRelativeAccuracy);
const double kLogGamma = std::log(kGamma);
constexpr double kMinMagnitude = 1e-300;  // smaller magnitudes count as zero
constexpr int64_t kMaxEncodedIndex = 1 << 20;

// Integral counts (the common case) take a varint of 2c; others a 1 and the double.
void PutCount(std::string& out, double count) {
  if (count >= 0 && count < 4.5e15 && count == std::floor(count)) {
    PutVarint(out, static_cast<uint64_t>(count) * 2);
  } else {
    PutVarint(out, 1);
    PutDouble(out, count);
  }
}

bool GetCount(std::string_view& in, double* count) {
  uint64_t tag = 0;
  if (!GetVarint(in, &tag)) return false;
  if (tag == 1) {
    if (!GetDouble(in, count)) return false;
  } else if (tag % 2 == 0) {
    *count = static_cast<double>(tag / 2);
  } else {
    return false;
  }
  return std::isfinite(*count) && *count >= 0;
}

}  // namespace

int32_t Distribution::IndexOf(double magnitude) {
  double index = std::ceil(std::log(magnitude) / kLogGamma);
  return static_cast<int32_t>(std::clamp(index, -1e6, 1e6));
}

double Distribution::ValueOf(int32_t index) {
  return 2 * std::exp(index * kLogGamma) / (kGamma + 1);
}

void Distribution::Add(double value, double count) {
  if (!std::isfinite(value) || !std::isfinite(count) || count <= 0) return;
  double magnitude = std::fabs(value);
  if (magnitude < kMinMagnitude) {
    zero_count_ += count;
  } else if (value > 0) {
    positive_.Add(IndexOf(magnitude), count);
  } else {
    negative_.Add(IndexOf(magnitude), count);
  }
  count_ += count;
}

void Distribution::Merge(const Distribution& other) {
  positive_.Merge(other.positive_);
  negative_.Merge(other.negative_);
  zero_count_ += other.zero_count_;
  count_ += other.count_;
}

std::optional<double> Distribution::Quantile(double q) const {
  if (empty() || !(q >= 0 && q <= 1)) return std::nullopt;
  double rank = std::max(0.0, q * (count_ - 1));
  double seen = 0;
  // Most negative first: the negative store from its highest magnitude down.
  for (size_t i = negative_.counts.size(); i-- > 0;) {
    seen += negative_.counts[i];
    if (seen > rank) return -ValueOf(negative_.min_index + static_cast<int32_t>(i));
  }
  seen += zero_count_;
  if (seen > rank) return 0.0;
  for (size_t i = 0; i < positive_.counts.size(); ++i) {
    seen += positive_.counts[i];
    if (seen > rank) return ValueOf(positive_.min_index + static_cast<int32_t>(i));
  }
  // Rounding left the rank just past the total: the largest value.
  if (!positive_.counts.empty()) return ValueOf(positive_.max_index());
  if (zero_count_ > 0) return 0.0;
  return -ValueOf(negative_.min_index);
}

void Distribution::EncodeTo(std::string& out) const {
  PutCount(out, zero_count_);
  positive_.EncodeTo(out);
  negative_.EncodeTo(out);
}

bool Distribution::DecodeFrom(std::string_view& in, Distribution* out) {
  *out = Distribution();
  if (!GetCount(in, &out->zero_count_)) return false;
  if (!out->positive_.DecodeFrom(in) || !out->negative_.DecodeFrom(in)) return false;
  out->count_ = out->zero_count_;
  for (double count : out->positive_.counts) out->count_ += count;
  for (double count : out->negative_.counts) out->count_ += count;
  return std::isfinite(out->count_);
}

void Distribution::BucketStore::Add(int32_t index, double count) {
  if (counts.empty()) {
    min_index = index;
    counts.assign(1, count);
    return;
  }
  if (index < min_index || index > max_index()) {
    Reshape(std::min(index, min_index), std::max(index, max_index()));
  }
  index = std::max(index, min_index);  // collapsed into the lowest kept bucket
  counts[index - min_index] += count;
}

void Distribution::BucketStore::Merge(const BucketStore& other) {
  if (other.counts.empty()) return;
  if (counts.empty()) {
    *this = other;
    return;
  }
  if (other.min_index < min_index || other.max_index() > max_index()) {
    Reshape(std::min(other.min_index, min_index), std::max(other.max_index(), max_index()));
  }
  for (size_t i = 0; i < other.counts.size(); ++i) {
    int32_t index = std::max(other.min_index + static_cast<int32_t>(i), min_index);
    counts[index - min_index] += other.counts[i];
  }
}

void Distribution::BucketStore::Reshape(int32_t low, int32_t high) {
  if (static_cast<int64_t>(high) - low + 1 > kMaxBucketsPerSign) {
    low = high - kMaxBucketsPerSign + 1;
  }
  std::vector<double> next(static_cast<size_t>(high - low + 1), 0.0);
  for (size_t i = 0; i < counts.size(); ++i) {
    int32_t index = std::max(min_index + static_cast<int32_t>(i), low);
    next[index - low] += counts[i];
  }
  counts.swap(next);
  min_index = low;
}

void Distribution::BucketStore::EncodeTo(std::string& out) const {
  uint64_t non_empty = 0;
  for (double count : counts) non_empty += count > 0 ? 1 : 0;
  PutVarint(out, non_empty);
  int64_t previous = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] <= 0) continue;
    int64_t index = min_index + static_cast<int64_t>(i);
    PutSignedVarint(out, index - previous);
    PutCount(out, counts[i]);
    previous = index;
  }
}

bool Distribution::BucketStore::DecodeFrom(std::string_view& in) {
  uint64_t non_empty = 0;
  if (!GetVarint(in, &non_empty) || non_empty > kMaxBucketsPerSign) return false;
  int64_t index = 0;
  for (uint64_t i = 0; i < non_empty; ++i) {
    int64_t delta = 0;
    double count = 0;
    if (!GetSignedVarint(in, &delta) || !GetCount(in, &count)) return false;
    if (delta > 2 * kMaxEncodedIndex || delta < -2 * kMaxEncodedIndex) return false;
    index += delta;
    if (index > kMaxEncodedIndex || index < -kMaxEncodedIndex) return false;
    if (count > 0) Add(static_cast<int32_t>(index), count);
  }
  return true;
}

}  // namespace ck::collector::metrics
