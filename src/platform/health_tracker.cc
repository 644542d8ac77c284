#include "platform/health_tracker.h"

namespace ck::platform {

const char* HealthName(Health health) {
  switch (health) {
    case Health::kStarting:
      return "starting";
    case Health::kHealthy:
      return "healthy";
    case Health::kUnhealthy:
      return "unhealthy";
  }
  return "unknown";
}

Health HealthTracker::Record(bool success, TimePoint now) {
  if (health_ == Health::kUnhealthy) return health_;
  const bool in_start_period = now - started_ < spec_.start_period;
  if (success) {
    failures_ = 0;
    ++successes_;
    if (health_ == Health::kStarting &&
        (in_start_period || successes_ >= spec_.healthy_threshold)) {
      health_ = Health::kHealthy;
    }
    return health_;
  }
  successes_ = 0;
  if (health_ == Health::kStarting && in_start_period) return health_;
  ++failures_;
  if (failures_ >= spec_.unhealthy_threshold) health_ = Health::kUnhealthy;
  return health_;
}

}  // namespace ck::platform
