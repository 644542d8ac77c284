// RestartBackoff: how long the supervisor waits before restarting a task that crashed or was
// unhealthy — exponential (200 ms doubling up to 30 s by default), reset once the task has
// stayed healthy long enough (60 s), like ECS's throttling of failing tasks.
//
//   RestartBackoff backoff;
//   auto delay = backoff.NextDelay();       // 200ms, 400ms, 800ms, ... 30s, 30s
//   backoff.RecordHealthyFor(uptime);       // >= reset_after -> the next delay is 200ms again
//
// Thread-safety: a value type; no locking. Pure, so tests need no clock.
#pragma once

#include <chrono>

namespace ck::platform {

struct BackoffPolicy {
  std::chrono::milliseconds initial{200};
  std::chrono::milliseconds max{30000};
  std::chrono::milliseconds reset_after{60000};
};

class RestartBackoff {
 public:
  explicit RestartBackoff(BackoffPolicy policy = {}) : policy_(policy) {}

  // The delay before the next restart; each call doubles the following one (up to max).
  std::chrono::milliseconds NextDelay() {
    std::chrono::milliseconds delay = policy_.initial;
    for (int i = 0; i < attempts_ && delay < policy_.max; ++i) delay *= 2;
    ++attempts_;
    return delay < policy_.max ? delay : policy_.max;
  }
  // Called when a task that had been healthy for `duration` goes away; long enough resets.
  void RecordHealthyFor(std::chrono::milliseconds duration) {
    if (duration >= policy_.reset_after) attempts_ = 0;
  }
  void Reset() { attempts_ = 0; }
  int attempts() const { return attempts_; }

 private:
  BackoffPolicy policy_;
  int attempts_ = 0;
};

}  // namespace ck::platform
