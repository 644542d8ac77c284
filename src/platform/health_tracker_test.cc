#include "platform/health_tracker.h"

#include <gtest/gtest.h>

#include "platform/backoff.h"

namespace ck::platform {
namespace {

using std::chrono::milliseconds;

HealthCheckSpec Spec() {
  HealthCheckSpec spec;
  spec.interval = milliseconds(1000);
  spec.start_interval = milliseconds(50);
  spec.start_period = milliseconds(10000);
  spec.healthy_threshold = 3;
  spec.unhealthy_threshold = 3;
  return spec;
}

const HealthTracker::TimePoint kStart{};

TEST(HealthTrackerTest, OneSuccessInTheStartPeriodIsHealthy) {
  HealthTracker tracker(Spec(), kStart);
  EXPECT_EQ(tracker.NextInterval(), milliseconds(50));
  EXPECT_EQ(tracker.Record(false, kStart + milliseconds(50)), Health::kStarting);
  EXPECT_EQ(tracker.Record(false, kStart + milliseconds(100)), Health::kStarting);
  EXPECT_EQ(tracker.Record(false, kStart + milliseconds(150)), Health::kStarting);  // not counted
  EXPECT_EQ(tracker.Record(true, kStart + milliseconds(200)), Health::kHealthy);
  EXPECT_EQ(tracker.NextInterval(), milliseconds(1000));
}

TEST(HealthTrackerTest, AfterTheStartPeriodNeedsHealthyThreshold) {
  HealthTracker tracker(Spec(), kStart);
  const auto late = kStart + milliseconds(11000);
  EXPECT_EQ(tracker.Record(true, late), Health::kStarting);
  EXPECT_EQ(tracker.Record(true, late + milliseconds(1000)), Health::kStarting);
  EXPECT_EQ(tracker.Record(true, late + milliseconds(2000)), Health::kHealthy);
}

TEST(HealthTrackerTest, NeverHealthyBecomesUnhealthyAfterTheStartPeriod) {
  HealthTracker tracker(Spec(), kStart);
  const auto late = kStart + milliseconds(10000);
  EXPECT_EQ(tracker.Record(false, late), Health::kStarting);
  EXPECT_EQ(tracker.Record(false, late + milliseconds(1)), Health::kStarting);
  EXPECT_EQ(tracker.Record(false, late + milliseconds(2)), Health::kUnhealthy);
}

TEST(HealthTrackerTest, ConsecutiveFailuresMakeAHealthyTaskUnhealthy) {
  HealthTracker tracker(Spec(), kStart);
  auto at = kStart + milliseconds(100);
  ASSERT_EQ(tracker.Record(true, at), Health::kHealthy);
  EXPECT_EQ(tracker.Record(false, at += milliseconds(1000)), Health::kHealthy);
  EXPECT_EQ(tracker.Record(false, at += milliseconds(1000)), Health::kHealthy);
  EXPECT_EQ(tracker.Record(true, at += milliseconds(1000)), Health::kHealthy);  // resets count
  EXPECT_EQ(tracker.Record(false, at += milliseconds(1000)), Health::kHealthy);
  EXPECT_EQ(tracker.Record(false, at += milliseconds(1000)), Health::kHealthy);
  EXPECT_EQ(tracker.consecutive_failures(), 2);
  EXPECT_EQ(tracker.Record(false, at += milliseconds(1000)), Health::kUnhealthy);
  // Unhealthy is final for a task: it is replaced.
  EXPECT_EQ(tracker.Record(true, at += milliseconds(1000)), Health::kUnhealthy);
}

TEST(RestartBackoffTest, DoublesUpToTheCapAndResetsAfterALongHealthyRun) {
  RestartBackoff backoff({.initial = milliseconds(200),
                          .max = milliseconds(30000),
                          .reset_after = milliseconds(60000)});
  std::vector<int64_t> delays;
  for (int i = 0; i < 10; ++i) delays.push_back(backoff.NextDelay().count());
  EXPECT_EQ(delays,
            (std::vector<int64_t>{200, 400, 800, 1600, 3200, 6400, 12800, 25600, 30000, 30000}));
  backoff.RecordHealthyFor(milliseconds(59999));
  EXPECT_EQ(backoff.NextDelay(), milliseconds(30000));
  backoff.RecordHealthyFor(milliseconds(60000));
  EXPECT_EQ(backoff.NextDelay(), milliseconds(200));
  EXPECT_EQ(backoff.NextDelay(), milliseconds(400));
  backoff.Reset();
  EXPECT_EQ(backoff.attempts(), 0);
}

TEST(RestartBackoffTest, ManyAttemptsDoNotOverflow) {
  RestartBackoff backoff;
  for (int i = 0; i < 1000; ++i) backoff.NextDelay();
  EXPECT_EQ(backoff.NextDelay(), milliseconds(30000));
}

}  // namespace
}  // namespace ck::platform
