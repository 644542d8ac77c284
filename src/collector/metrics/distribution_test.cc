#include "collector/metrics/distribution.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "collector/metrics/aggregate.h"

namespace ck::collector::metrics {
namespace {

// The exact answer Quantile(q) approximates: the first value (in order) whose cumulative count
// exceeds q * (n - 1), i.e. the value at index floor(q * (n - 1)).
double Exact(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  auto index = static_cast<size_t>(std::floor(q * static_cast<double>(values.size() - 1)));
  return values[std::min(values.size() - 1, index)];
}

void ExpectWithinAccuracy(const Distribution& distribution, const std::vector<double>& values) {
  for (double q : {0.0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1.0}) {
    double exact = Exact(values, q);
    std::optional<double> estimate = distribution.Quantile(q);
    ASSERT_TRUE(estimate.has_value());
    EXPECT_LE(std::fabs(*estimate - exact),
              std::fabs(exact) * Distribution::kRelativeAccuracy * 1.000001)
        << "q=" << q << " exact=" << exact << " estimate=" << *estimate;
  }
}

TEST(DistributionTest, LogNormalLatenciesWithinOnePercent) {
  std::mt19937_64 random(42);
  std::lognormal_distribution<double> latency(3.0, 1.2);
  Distribution distribution;
  std::vector<double> values;
  for (int i = 0; i < 20'000; ++i) {
    double value = latency(random);
    values.push_back(value);
    distribution.Add(value);
  }
  EXPECT_EQ(distribution.count(), 20'000);
  ExpectWithinAccuracy(distribution, values);
}

TEST(DistributionTest, NegativeZeroAndPositiveValues) {
  Distribution distribution;
  std::vector<double> values = {-500, -20, -1.5, 0, 0, 0.001, 3, 42, 1e9};
  for (double value : values) distribution.Add(value);
  ExpectWithinAccuracy(distribution, values);
  EXPECT_EQ(distribution.Quantile(0.4), 0.0);
  EXPECT_FALSE(distribution.Quantile(1.5).has_value());
  EXPECT_FALSE(Distribution().Quantile(0.5).has_value());
}

TEST(DistributionTest, MergeEqualsAddingEverything) {
  Distribution left, right, all;
  for (int i = 1; i <= 300; ++i) {
    (i % 3 == 0 ? left : right).Add(i * 0.37, 2);
    all.Add(i * 0.37, 2);
  }
  left.Merge(right);
  EXPECT_EQ(left.count(), all.count());
  for (double q : {0.0, 0.3, 0.5, 0.95, 1.0}) EXPECT_EQ(left.Quantile(q), all.Quantile(q)) << q;
}

TEST(DistributionTest, EncodingRoundTripsAndRejectsGarbage) {
  Distribution distribution;
  distribution.Add(-3.5, 0.25);  // a fractional count takes the double form
  distribution.Add(0, 4);
  for (int i = 1; i < 200; ++i) distribution.Add(i * i, 1);
  std::string encoded;
  distribution.EncodeTo(encoded);
  std::string_view in = encoded;
  Distribution decoded;
  ASSERT_TRUE(Distribution::DecodeFrom(in, &decoded));
  EXPECT_TRUE(in.empty());
  EXPECT_EQ(decoded.count(), distribution.count());
  for (double q : {0.0, 0.01, 0.5, 0.99, 1.0})
    EXPECT_EQ(decoded.Quantile(q), distribution.Quantile(q));

  for (size_t cut = 0; cut < encoded.size(); ++cut) {
    std::string_view truncated(encoded.data(), cut);
    Distribution ignored;
    EXPECT_FALSE(Distribution::DecodeFrom(truncated, &ignored) && truncated.empty()) << cut;
  }
}

TEST(DistributionTest, TooWideARangeCollapsesTheSmallestMagnitudes) {
  Distribution distribution;
  distribution.Add(1e-200);
  distribution.Add(1e-100);
  distribution.Add(1e200);
  EXPECT_EQ(distribution.count(), 3);
  // The largest value keeps its accuracy; the small ones merged into the lowest kept bucket.
  EXPECT_NEAR(*distribution.Quantile(1.0), 1e200, 1e198);
  EXPECT_GT(*distribution.Quantile(0.0), 1e-100);
  std::string encoded;
  distribution.EncodeTo(encoded);
  EXPECT_LT(encoded.size(), 40u);  // only non-empty buckets are written
}

TEST(AggregateTest, EncodesStatisticsAndSkipsTheDistributionOnRequest) {
  Aggregate aggregate;
  MetricDatum datum{.key = {"ns", "m", {}}, .values = {2, 8}, .counts = {1, 3}};
  aggregate.Add(datum);
  std::string encoded;
  aggregate.EncodeTo(encoded);
  Aggregate statistics_only, full;
  ASSERT_TRUE(Aggregate::Decode(encoded, false, &statistics_only));
  ASSERT_TRUE(Aggregate::Decode(encoded, true, &full));
  EXPECT_EQ(statistics_only.sample_count, 4);
  EXPECT_EQ(statistics_only.sum, 26);
  EXPECT_EQ(statistics_only.minimum, 2);
  EXPECT_EQ(statistics_only.maximum, 8);
  EXPECT_TRUE(statistics_only.distribution.empty());
  EXPECT_NEAR(*full.Percentile(0.5), 8, 0.08);
  EXPECT_FALSE(Aggregate::Decode(encoded.substr(0, 20), false, &full));
  EXPECT_FALSE(Aggregate::Decode("\x02" + encoded.substr(1), true, &full));
}

TEST(AggregateTest, ExtremePercentilesAreTheExactMinimumAndMaximum) {
  Aggregate aggregate;
  for (int value = 1; value <= 101; ++value) {
    aggregate.Add(MetricDatum{.key = {"ns", "m", {}}, .values = {static_cast<double>(value)}});
  }
  EXPECT_EQ(aggregate.Percentile(0.0), 1.0);
  EXPECT_EQ(aggregate.Percentile(1.0), 101.0);  // the bucket holding 101 reports ~100.5
  EXPECT_NEAR(*aggregate.Percentile(0.5), 51, 0.51);
}

}  // namespace
}  // namespace ck::collector::metrics
