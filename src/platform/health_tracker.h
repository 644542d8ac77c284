// HealthTracker: turns a task's health-probe results into its health, with ECS/ALB semantics.
//
//   starting  --first success within start_period-->                 healthy
//   starting  --healthy_threshold successes in a row after it-->      healthy
//   starting  --unhealthy_threshold failures in a row after it-->     unhealthy
//   healthy   --unhealthy_threshold failures in a row-->              unhealthy
//
// Failures inside the start period are not counted (the process is still booting). Unhealthy is
// final for a task: the supervisor replaces it. Probe cadence is start_interval while starting and
// interval afterwards.
//
// Thread-safety: a value type; time is passed in, so tests need no clock.
#pragma once

#include <chrono>

#include "platform/stack_spec.h"

namespace ck::platform {

enum class Health { kStarting, kHealthy, kUnhealthy };

const char* HealthName(Health health);

class HealthTracker {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  HealthTracker(HealthCheckSpec spec, TimePoint started) : spec_(spec), started_(started) {}

  // Records one probe result at `now` and returns the resulting health.
  Health Record(bool success, TimePoint now);
  Health health() const { return health_; }
  // How long to wait before the next probe.
  std::chrono::milliseconds NextInterval() const {
    return health_ == Health::kStarting ? spec_.start_interval : spec_.interval;
  }
  int consecutive_failures() const { return failures_; }

 private:
  HealthCheckSpec spec_;
  TimePoint started_;
  Health health_ = Health::kStarting;
  int successes_ = 0;
  int failures_ = 0;
};

}  // namespace ck::platform
